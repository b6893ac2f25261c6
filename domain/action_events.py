"""Events of the Action aggregate, including the progress reports it owns."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from domain.events import DomainEvent
from domain.period import PeriodKind, ReportingPeriod
from domain.values import Evidence, Indicator, IndicatorType, Partner, RpjmnTag


class ReturnReason(StrEnum):
    """Why a Kanwil sends a report back; stable codes so returns can be counted."""

    INSUFFICIENT_EVIDENCE = "insufficient_evidence"
    INCONSISTENT_DATA = "inconsistent_data"
    WRONG_PERIOD = "wrong_period"
    OUT_OF_SCOPE = "out_of_scope"
    OTHER = "other"


class ActionPlanned(DomainEvent, frozen=True, kw_only=True):
    action_id: UUID
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
    # The reporting cadence; None (and every event from before cadences): the first report
    # fixes it, so one action never mixes monthly, quarterly and four-monthly periods.
    cadence: PeriodKind | None = None
    # How much the action counts in its region's, province's and the national figures
    # (1–100); events from before weights count 1.
    weight: int = 1


class ActionStepAdded(DomainEvent, frozen=True, kw_only=True):
    """A part of the action with its own owner, due date and reports; once an action has
    steps its figures are their weighted roll-up (domain/action_steps.py)."""

    step_id: UUID
    title: str
    owner_opd: str
    due_on: date
    weight: int


class ActionStarted(DomainEvent, frozen=True, kw_only=True):
    pass


class ActionAmended(DomainEvent, frozen=True, kw_only=True):
    """A correction of the plan's details; only the fields given change, the reason is kept.

    The due date has its own event (ActionRescheduled): moving a deadline is not a typo fix.
    """

    reason: str
    title: str | None = None
    description: str | None = None
    owner_opd: str | None = None
    partners: tuple[Partner, ...] | None = None
    rpjmn: tuple[RpjmnTag, ...] | None = None
    kkp_criterion: int | None = None
    indicator_type: IndicatorType | None = None
    indicator: Indicator | None = None
    weight: int | None = None


class ActionRescheduled(DomainEvent, frozen=True, kw_only=True):
    previous_due_on: date
    due_on: date
    reason: str


class ActionCompleted(DomainEvent, frozen=True, kw_only=True):
    evidence: tuple[Evidence, ...]
    note: str


class ActionVerified(DomainEvent, frozen=True, kw_only=True):
    note: str


class ActionCompletionReturned(DomainEvent, frozen=True, kw_only=True):
    """The Kanwil did not accept a declared completion: the action is in progress again."""

    reason_code: ReturnReason
    note: str


class ActionCancelled(DomainEvent, frozen=True, kw_only=True):
    reason: str


class ProgressReportSubmitted(DomainEvent, frozen=True, kw_only=True):
    report_id: UUID
    period: ReportingPeriod
    percent: float | None
    indicator_value: float | None
    narrative: str
    evidence: tuple[Evidence, ...]
    correction_reason: str | None = None
    draft_id: UUID | None = None  # the draft this report was made from; it is gone now
    # Filed after the period was closed for the region (domain/period_close.py): a
    # correction, kept beside the report it corrects (`corrects`, None if there was none).
    after_close: bool = False
    corrects: UUID | None = None
    step_id: UUID | None = None  # the step reported on, on an action split into steps
    # The day the report was due under the year's schedule when it was filed (None on events
    # from before schedules: the default, domain/period.py), so lateness never changes later.
    due_on: date | None = None


class ReportDraftSaved(DomainEvent, frozen=True, kw_only=True):
    """A report being written, saved whole each time; seen only by the region's accounts,
    never public and never counted (projections/public.py PRIVATE_EVENTS)."""

    draft_id: UUID
    period: str  # as typed: a draft may hold a period that is not valid yet
    percent: float | None
    indicator_value: float | None
    narrative: str
    evidence: tuple[Evidence, ...]


class ReportDraftDiscarded(DomainEvent, frozen=True, kw_only=True):
    draft_id: UUID


class ProgressReportVerified(DomainEvent, frozen=True, kw_only=True):
    report_id: UUID
    note: str


class ProgressReportReturned(DomainEvent, frozen=True, kw_only=True):
    report_id: UUID
    reason_code: ReturnReason
    note: str


class ProgressReportResubmitted(DomainEvent, frozen=True, kw_only=True):
    report_id: UUID
    percent: float | None
    indicator_value: float | None
    narrative: str
    evidence: tuple[Evidence, ...]
    correction_reason: str | None = None


ActionEvent = (
    ActionPlanned
    | ActionStepAdded
    | ActionStarted
    | ActionAmended
    | ActionRescheduled
    | ActionCompleted
    | ActionVerified
    | ActionCompletionReturned
    | ActionCancelled
    | ProgressReportSubmitted
    | ProgressReportVerified
    | ProgressReportReturned
    | ProgressReportResubmitted
    | ReportDraftSaved
    | ReportDraftDiscarded
)
