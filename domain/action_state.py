"""The state of an action and of its progress reports, as the events leave them; the
deciders and `evolve` are in domain/action.py and domain/progress.py."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

import msgspec

from domain.action_events import ReturnReason
from domain.errors import InvalidInput, RuleViolated, Text
from domain.period import ReportingPeriod
from domain.values import Actor, Evidence, Indicator, IndicatorType, Partner, RpjmnTag


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    VERIFIED = "verified"
    CANCELLED = "cancelled"


class ReportStatus(StrEnum):
    SUBMITTED = "submitted"
    RETURNED = "returned"
    RESUBMITTED = "resubmitted"
    VERIFIED = "verified"


OPEN_REPORT = (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED, ReportStatus.RETURNED)
AWAITING_REVIEW = (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED)


class ProgressReport(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    period: ReportingPeriod
    percent: float | None
    indicator_value: float | None
    narrative: str
    evidence: tuple[Evidence, ...]
    status: ReportStatus
    reporter: Actor
    submitted_at: datetime
    correction_reason: str | None = None
    reviewer: Actor | None = None
    reviewed_at: datetime | None = None
    return_reason: ReturnReason | None = None
    review_note: str | None = None


class ReportDraft(msgspec.Struct, frozen=True, kw_only=True):
    """A report not yet submitted: the region's own working copy, not part of any figure."""

    id: UUID
    period: str
    percent: float | None
    indicator_value: float | None
    narrative: str
    evidence: tuple[Evidence, ...]
    saved_by: Actor
    saved_at: datetime


class Action(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    version: int
    commitment_id: UUID
    forum_id: UUID
    region_code: str
    province_code: str
    title: str
    description: str
    owner_opd: str
    partners: tuple[Partner, ...]
    rpjmn: tuple[RpjmnTag, ...]
    kkp_criterion: int | None
    indicator_type: IndicatorType
    indicator: Indicator | None
    due_on: date
    status: ActionStatus
    reports: tuple[ProgressReport, ...]
    completion_evidence: tuple[Evidence, ...]
    closing_note: str | None
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None
    drafts: tuple[ReportDraft, ...] = ()

    def draft(self, draft_id: UUID) -> ReportDraft:
        for draft in self.drafts:
            if draft.id == draft_id:
                return draft
        raise InvalidInput("unknown-draft", draft_id=draft_id)

    def report(self, report_id: UUID) -> ProgressReport:
        for report in self.reports:
            if report.id == report_id:
                return report
        raise InvalidInput("unknown-report", report_id=report_id)

    def latest_percent(self, excluding: UUID | None = None) -> float | None:
        """The last percent reported and not returned: what the public sees as progress."""
        for report in reversed(self.reports):
            if report.id == excluding or report.status is ReportStatus.RETURNED:
                continue
            if report.percent is not None:
                return report.percent
        return None

    @property
    def completion(self) -> float:
        if self.status in (ActionStatus.COMPLETED, ActionStatus.VERIFIED):
            return 100.0
        return self.latest_percent() or 0.0

    def require_status(self, *allowed: ActionStatus, doing: str) -> None:
        """`doing` is the catalogue key (`doing.<doing>`) of what the status forbids."""
        if self.status not in allowed:
            raise RuleViolated(
                f"action-{self.status.value.replace('_', '-')}",
                text="action-status",
                doing=Text(f"doing.{doing}"),
                status=Text(f"status.{self.status.value}"),
            )
