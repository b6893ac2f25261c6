"""Every write the domain knows, as a typed, frozen command, with who may issue it beside it.

A command names an intention ("submit this report") independently of the door it came
through: the JSON API, a browser form, the CLI, a spreadsheet row or the demo script all
build one of these and hand it to the message bus. `RULE` is the access policy as data
(`domain.access.Rule`); the bus checks it before anything is loaded or written, and the
authorization matrix test is generated from it.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import UUID

import msgspec

from domain.access import Policy, Rule
from domain.action_events import ReturnReason
from domain.forum import ForumKind
from domain.forum_session import ForumSession
from domain.kkp_assessment_events import IndicatorAnswer
from domain.period import PeriodKind, ReportingPeriod
from domain.reminder import Audience, Stage
from domain.schedule import PeriodDeadline
from domain.values import (
    Evidence,
    Indicator,
    IndicatorType,
    Partner,
    RpjmnTag,
    Signatory,
    Source,
)


class Command(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """Base of every command: pure data, no behaviour."""

    RULE: ClassVar[Rule]


# -- forums ---------------------------------------------------------------------------------
class ConveneForum(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.MINISTRY, "convene-forum")
    kind: ForumKind
    title: str
    organisers: tuple[str, ...]
    host_region_code: str
    starts_on: date
    ends_on: date
    theme: str = ""
    venue: str = ""
    sources: tuple[Source, ...] = ()


class CorrectForum(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.MINISTRY, "correct-forum")
    forum_id: UUID
    reason: str | None
    title: str | None = None
    theme: str | None = None
    venue: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None


class ArchiveForum(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.MINISTRY, "archive-forum")
    forum_id: UUID
    reason: str | None


class RecordForumSession(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.MINISTRY, "record-forum-session")
    forum_id: UUID
    session: ForumSession
    reason: str | None = None  # required when it replaces the session with that number


# -- commitments ----------------------------------------------------------------------------
class RecordCommitment(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.MINISTRY, "record-commitment")
    forum_id: UUID
    title: str
    made_on: date
    signatories: tuple[Signatory, ...]
    summary: str = ""
    rpjmn: tuple[RpjmnTag, ...] = ()
    kkp_criteria: tuple[int, ...] = ()


class AmendCommitment(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.MINISTRY, "amend-commitment")
    commitment_id: UUID
    reason: str | None
    title: str | None = None
    summary: str | None = None
    signatories: tuple[Signatory, ...] | None = None
    rpjmn: tuple[RpjmnTag, ...] | None = None
    kkp_criteria: tuple[int, ...] | None = None


class WithdrawCommitment(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.MINISTRY, "withdraw-commitment")
    commitment_id: UUID
    reason: str | None


# -- actions --------------------------------------------------------------------------------
class PlanAction(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.REGION_WRITER, "plan-action")
    commitment_id: UUID
    region_code: str
    title: str
    owner_opd: str
    due_on: date
    description: str = ""
    partners: tuple[Partner, ...] = ()
    rpjmn: tuple[RpjmnTag, ...] = ()
    kkp_criterion: int | None = None
    indicator_type: IndicatorType = IndicatorType.PROCESS
    indicator: Indicator | None = None
    cadence: PeriodKind | None = None
    weight: int = 1


class AddActionStep(Command, frozen=True, kw_only=True):
    """Split an action into steps with their own owner, due date and weight."""

    RULE = Rule(Policy.REGION_WRITER, "add-action-step")
    action_id: UUID
    title: str
    owner_opd: str
    due_on: date
    weight: int = 1


class StartAction(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.REGION_WRITER, "start-action")
    action_id: UUID


class AmendAction(Command, frozen=True, kw_only=True):
    """Correct a plan's details with a reason; only the fields given change."""

    RULE = Rule(Policy.REGION_WRITER, "amend-action")
    action_id: UUID
    reason: str | None
    title: str | None = None
    description: str | None = None
    owner_opd: str | None = None
    partners: tuple[Partner, ...] | None = None
    rpjmn: tuple[RpjmnTag, ...] | None = None
    kkp_criterion: int | None = None
    indicator_type: IndicatorType | None = None
    indicator: Indicator | None = None
    weight: int | None = None


class RescheduleAction(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.REGION_WRITER, "reschedule-action")
    action_id: UUID
    due_on: date
    reason: str | None


class CancelAction(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.REGION_WRITER, "cancel-action")
    action_id: UUID
    reason: str | None


class DeclareCompletion(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.REGION_WRITER, "declare-completion")
    action_id: UUID
    evidence: tuple[Evidence, ...] = ()
    note: str = ""


class VerifyCompletion(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.REVIEWER, "verify-completion")
    action_id: UUID
    note: str = ""


class ReturnCompletion(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.REVIEWER, "return-completion")
    action_id: UUID
    reason_code: ReturnReason
    note: str


# -- progress reports -----------------------------------------------------------------------
class SubmitProgressReport(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.REGION_WRITER, "submit-progress-report")
    action_id: UUID
    period: ReportingPeriod
    narrative: str
    percent: float | None = None
    indicator_value: float | None = None
    evidence: tuple[Evidence, ...] = ()
    correction_reason: str | None = None
    draft_id: UUID | None = None
    step_id: UUID | None = None


class SaveReportDraft(Command, frozen=True, kw_only=True):
    """Save a report half-written; `draft_id` None starts a new draft."""

    RULE = Rule(Policy.REGION_WRITER, "save-report-draft")
    action_id: UUID
    draft_id: UUID | None = None
    period: str = ""
    narrative: str = ""
    percent: float | None = None
    indicator_value: float | None = None
    evidence: tuple[Evidence, ...] = ()


class DiscardReportDraft(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.REGION_WRITER, "discard-report-draft")
    action_id: UUID
    draft_id: UUID


class ResubmitReport(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.REGION_WRITER, "resubmit-report")
    action_id: UUID
    report_id: UUID
    narrative: str
    percent: float | None = None
    indicator_value: float | None = None
    evidence: tuple[Evidence, ...] = ()
    correction_reason: str | None = None


class VerifyReport(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.REVIEWER, "verify-report")
    action_id: UUID
    report_id: UUID
    note: str = ""


class ReturnReport(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.REVIEWER, "return-report")
    action_id: UUID
    report_id: UUID
    reason_code: ReturnReason
    note: str


# -- reporting periods ----------------------------------------------------------------------
class CloseReportingPeriod(Command, frozen=True, kw_only=True):
    """Close a period for a province (every region in it) or one region."""

    RULE = Rule(Policy.PERIOD_CLOSER, "close-reporting-period")
    place_code: str
    period: ReportingPeriod
    note: str = ""


class ReopenReportingPeriod(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.PERIOD_CLOSER, "reopen-reporting-period")
    place_code: str
    period: ReportingPeriod
    reason: str | None


class SetReportingSchedule(Command, frozen=True, kw_only=True):
    """The year's due days, for every period whose deadline is not the default; the whole
    table each time (domain/schedule.py)."""

    RULE = Rule(Policy.MINISTRY, "set-reporting-schedule")
    year: int
    deadlines: tuple[PeriodDeadline, ...] = ()
    reason: str | None = None


class IssueReminder(Command, frozen=True, kw_only=True):
    """From the reminder process manager (tracker/reminders.py), as the system principal;
    the id is derived from what it is about, so issuing it twice is refused."""

    RULE = Rule(Policy.MINISTRY, "issue-reminder")
    reminder_id: UUID
    stage: Stage
    region_code: str
    action_id: UUID
    step_id: UUID | None = None
    title: str
    owner_opd: str
    period: ReportingPeriod
    due_on: date
    to: tuple[Audience, ...]
    report_id: UUID | None = None


# -- KKP HAM assessment (one per region and data year) ---------------------------------------
class OpenSelfAssessment(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.COORDINATOR, "open-self-assessment")
    region_code: str
    data_year: int


class SubmitSelfAssessment(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.COORDINATOR, "submit-self-assessment")
    region_code: str
    data_year: int
    answers: tuple[IndicatorAnswer, ...]
    note: str = ""


class VerifySelfAssessment(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.REVIEWER, "verify-self-assessment")
    region_code: str
    data_year: int
    note: str = ""


class ReturnSelfAssessment(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.REVIEWER, "return-self-assessment")
    region_code: str
    data_year: int
    reason: str | None


class RecordAssessmentResult(Command, frozen=True, kw_only=True):
    RULE = Rule(Policy.MINISTRY, "record-assessment-result")
    region_code: str
    data_year: int
    score: float | None = None
    predicate: bool
    decree_number: str = ""
    decree_date: date | None = None
    note: str = ""
    reason: str | None = None  # required when it replaces a recorded result


# -- spreadsheet import (one batch, all rows or none) ----------------------------------------
class ApplyImport(Command, frozen=True, kw_only=True):
    """A spreadsheet's rows as the commands they are, applied together or checked only.

    Each row keeps its own policy and rules (an OPD operator's row for another OPD is
    refused like that form would be); the batch is recorded as one `ImportApplied`."""

    RULE = Rule(Policy.REGION_MEMBER, "apply-import")
    region_code: str
    template: str
    template_version: str
    file_name: str
    file_size: int
    sha256: str
    rows: tuple[Command, ...]
    dry_run: bool = False


DOMAIN_COMMANDS: tuple[type[Command], ...] = (
    ConveneForum,
    CorrectForum,
    ArchiveForum,
    RecordForumSession,
    RecordCommitment,
    AmendCommitment,
    WithdrawCommitment,
    PlanAction,
    AddActionStep,
    StartAction,
    AmendAction,
    RescheduleAction,
    CancelAction,
    DeclareCompletion,
    VerifyCompletion,
    ReturnCompletion,
    SubmitProgressReport,
    SaveReportDraft,
    DiscardReportDraft,
    ResubmitReport,
    VerifyReport,
    ReturnReport,
    CloseReportingPeriod,
    ReopenReportingPeriod,
    SetReportingSchedule,
    IssueReminder,
    OpenSelfAssessment,
    SubmitSelfAssessment,
    VerifySelfAssessment,
    ReturnSelfAssessment,
    RecordAssessmentResult,
    ApplyImport,
)
