"""The state of an action and of its progress reports, as the events leave them; the
deciders and `evolve` are in domain/action.py and domain/progress.py."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Literal
from uuid import UUID

import msgspec

from domain.action_events import ReturnReason
from domain.errors import InvalidInput, RuleViolated, Text
from domain.period import PeriodKind, ReportingPeriod
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
    late: bool = False  # filed after its due day (domain/schedule.py), kept as filed
    due_on: date | None = None  # that due day, as the report's event recorded it
    after_close: bool = False  # a correction: filed after the period closed for the region
    corrects: UUID | None = None  # the report this correction stands beside
    corrected_by: UUID | None = None  # on the original: its correction, once there is one
    reviewer: Actor | None = None
    reviewed_at: datetime | None = None
    return_reason: ReturnReason | None = None
    review_note: str | None = None
    step_id: UUID | None = None  # on an action split into steps: the step reported on


class ActionStep(msgspec.Struct, frozen=True, kw_only=True):
    """A part of an action with its own owner, due date and reports (domain/action_steps.py)."""

    id: UUID
    title: str
    owner_opd: str
    due_on: date
    weight: int
    added_at: datetime


# Which reports a figure reads: one step's (its id), the action's own (None), or all.
StepFilter = UUID | None | Literal["any"]


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
    cadence: PeriodKind | None = None
    weight: int = 1  # how much it counts in region, province and national figures
    steps: tuple[ActionStep, ...] = ()

    def step(self, step_id: UUID) -> ActionStep:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise InvalidInput("unknown-step", step_id=step_id)

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

    def _current(
        self,
        measure: str,
        *,
        up_to: ReportingPeriod | None = None,
        excluding: UUID | None = None,
        verified_only: bool = False,
        step: StepFilter = None,
        year: int | None = None,
    ) -> float | None:
        """The figure of the latest period reported (ties: the newest report for that period),
        never the last one submitted: a back-filled earlier period does not replace it.
        Returned reports do not count; `up_to` ignores later periods; `step` chooses whose
        reports count; `year` only the reports whose period falls in that calendar year."""
        best: float | None = None
        best_key: tuple[tuple[int, int, int], int] | None = None
        # Hoisted out of the loop: projecting an action runs this over every report, often.
        percent, every_step = measure == "percent", step == "any"
        limit = up_to.order if up_to is not None else None
        for index, report in enumerate(self.reports):
            value = report.percent if percent else report.indicator_value
            status = report.status
            if value is None or status is ReportStatus.RETURNED:
                continue
            if verified_only and status is not ReportStatus.VERIFIED:
                continue
            if excluding is not None and report.id == excluding:
                continue
            if not every_step and report.step_id is not step and report.step_id != step:
                continue
            period = report.period
            if year is not None and period.year != year:
                continue
            order = period.order
            if limit is not None and order > limit:
                continue
            key = (order, index)
            if best_key is None or key > best_key:
                best, best_key = value, key
        return best

    def standing_report(
        self, period: ReportingPeriod, step: UUID | None = None
    ) -> ProgressReport | None:
        """The report that stands for a period (of one step) now: its newest one not returned."""
        found = [r for r in self.reports if r.period == period and r.step_id == step]
        valid = [r for r in found if r.status is not ReportStatus.RETURNED]
        return valid[-1] if valid else None

    def latest_percent(
        self,
        excluding: UUID | None = None,
        up_to: ReportingPeriod | None = None,
        step: UUID | None = None,
    ) -> float | None:
        """The percent of the latest period reported and not returned: the claimed progress
        (of one step, when given)."""
        return self._current("percent", up_to=up_to, excluding=excluding, step=step)

    def latest_indicator_value(self) -> float | None:
        return self._current("indicator_value", step="any")

    def step_percent(
        self,
        step: UUID,
        *,
        verified_only: bool = False,
        up_to: ReportingPeriod | None = None,
        year: int | None = None,
    ) -> float:
        found = self._current(
            "percent", step=step, verified_only=verified_only, up_to=up_to, year=year
        )
        return found or 0.0

    def _reported(
        self,
        *,
        verified_only: bool = False,
        up_to: ReportingPeriod | None = None,
        year: int | None = None,
    ) -> float:
        """The reported percent: the action's own, or on an action split into steps the
        weighted mean of its steps' (a step with no report counts 0)."""
        if not self.steps:
            found = self._current("percent", verified_only=verified_only, up_to=up_to, year=year)
            return found or 0.0
        total = sum(s.weight for s in self.steps)
        parts = sum(
            s.weight * self.step_percent(s.id, verified_only=verified_only, up_to=up_to, year=year)
            for s in self.steps
        )
        return round(parts / total, 2)

    def data_years(self) -> dict[int, dict[str, float | int]]:
        """Per calendar year with reports: the figures counting only that year's periods
        (what a KKP HAM assessment of the year looks at; returned reports do not count)."""
        out: dict[int, dict[str, float | int]] = {}
        for year in sorted({r.period.year for r in self.reports}):
            standing = [
                r
                for r in self.reports
                if r.period.year == year and r.status is not ReportStatus.RETURNED
            ]
            verified = [r for r in standing if r.status is ReportStatus.VERIFIED]
            out[year] = {
                "claimed": self._reported(year=year),
                "verified": self._reported(verified_only=True, year=year),
                "reports": len(standing),
                "reports_verified": len(verified),
                "evidence": sum(len(r.evidence) for r in standing),
                "evidence_verified": sum(len(r.evidence) for r in verified),
            }
        return out

    @property
    def completion(self) -> float:
        """Claimed: what the region reports, verified or not; 100 once it declares completion."""
        if self.status in (ActionStatus.COMPLETED, ActionStatus.VERIFIED):
            return 100.0
        return self._reported()

    def claimed_series(self) -> list[tuple[ReportingPeriod, float]]:
        """The reported percent at the end of each period that has a report, in period order:
        what a chart plots, so a back-filled report lands at its own period."""
        if self.steps:
            periods = {
                r.period.label: r.period
                for r in self.reports
                if r.percent is not None and r.status is not ReportStatus.RETURNED
            }
            ordered = sorted(periods.values(), key=lambda p: p.order)
            return [(p, self._reported(up_to=p)) for p in ordered]
        # Without steps, one pass: in (period, filing) order the figure standing at the end
        # of a period is its last report's — what `_reported(up_to=p)` finds for each p.
        standing = sorted(
            (r.period.order, index, r.period, r.percent)
            for index, r in enumerate(self.reports)
            if r.percent is not None and r.status is not ReportStatus.RETURNED and r.step_id is None
        )
        series: list[tuple[ReportingPeriod, float]] = []
        for n, (order, _, period, percent) in enumerate(standing):
            if n + 1 == len(standing) or standing[n + 1][0] != order:
                series.append((period, percent or 0.0))
        return series

    @property
    def overdue_from(self) -> date | None:
        """The first day on which the action counts as overdue: the day after its due date
        while it is planned or in progress; None once it is declared complete or cancelled.
        Overdue on day D means `overdue_from <= D`, the one comparison every reader makes."""
        if self.status in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS):
            return self.due_on + timedelta(days=1)
        return None

    def step_overdue_from(self, step: ActionStep) -> date | None:
        """As `overdue_from`, for one step: from the day after its due date while the action
        is open and the step has not reported 100%."""
        if self.overdue_from is None or self.step_percent(step.id) >= 100:
            return None
        return step.due_on + timedelta(days=1)

    @property
    def verified_completion(self) -> float:
        """Only what a Kanwil verified: 100 once the completion itself is verified, else the
        latest verified period's percent."""
        if self.status is ActionStatus.VERIFIED:
            return 100.0
        return self._reported(verified_only=True)

    def require_status(self, *allowed: ActionStatus, doing: str) -> None:
        """`doing` is the catalogue key (`doing.<doing>`) of what the status forbids."""
        if self.status not in allowed:
            raise RuleViolated(
                f"action-{self.status.value.replace('_', '-')}",
                text="action-status",
                doing=Text(f"doing.{doing}"),
                status=Text(f"status.{self.status.value}"),
            )
