"""One handler per domain command: which aggregate it touches, what the policy looks at, and
how the command becomes the decider's arguments. The bus (tracker/bus.py) owns the rest of
the unit of work: load, authorize, check the version, decide, append.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from adapters.reference_data import kkp_indicators
from domain import (
    action,
    commitment,
    drafts,
    forum,
    kkp_assessment,
    period_close,
    progress,
    reminder,
    schedule,
)
from domain import commands as c
from domain.access import Target
from domain.errors import RuleViolated
from domain.events import DomainEvent
from domain.kkp_assessment_state import Assessment
from domain.regions import RegionCatalogue
from domain.values import Actor

C = TypeVar("C", bound=c.Command)


@dataclass(frozen=True)
class Context:
    """What a decision may use besides the command and the state: all passed in."""

    actor: Actor
    at: datetime
    regions: RegionCatalogue
    new_id: Callable[[], UUID]
    load: Callable[[str, UUID], Any]  # another aggregate's state, or NotFound
    find: Callable[[str, UUID], Any | None]  # another aggregate's state, or None
    aggregate_id: UUID  # the aggregate being written (a fresh id for a creation)


Decide = Callable[[Context, Any, Any], DomainEvent | list[Any]]


@dataclass(frozen=True)
class Handler(Generic[C]):
    kind: str  # forum | commitment | action | period | assessment
    aggregate_id: Callable[[C], UUID] | None  # None: the command creates a new aggregate
    target: Callable[[C, Any], Target]  # (command, current state or None) -> policy target
    decide: Callable[[Context, C, Any], DomainEvent | list[Any]]
    # The id is derived from the command and the stream may not exist yet (state None):
    # the first command creates it, later ones continue it.
    derived: bool = False


def _nothing(command: Any, state: Any) -> Target:
    return Target()


def _action_target(command: Any, state: action.Action) -> Target:
    return Target(region_code=state.region_code, owner_opd=state.owner_opd)


def _planned_target(command: c.PlanAction, state: None) -> Target:
    return Target(region_code=command.region_code, owner_opd=command.owner_opd)


def _convene(ctx: Context, cmd: c.ConveneForum, state: None) -> DomainEvent:
    return forum.convene(
        forum_id=ctx.aggregate_id,
        kind=cmd.kind,
        title=cmd.title,
        theme=cmd.theme,
        organisers=cmd.organisers,
        host_region_code=cmd.host_region_code,
        venue=cmd.venue,
        starts_on=cmd.starts_on,
        ends_on=cmd.ends_on,
        regions=ctx.regions,
        actor=ctx.actor,
        at=ctx.at,
        sources=cmd.sources,
    )


def _correct(ctx: Context, cmd: c.CorrectForum, state: forum.Forum) -> DomainEvent:
    return forum.correct(
        state,
        reason=cmd.reason,
        title=cmd.title,
        theme=cmd.theme,
        venue=cmd.venue,
        starts_on=cmd.starts_on,
        ends_on=cmd.ends_on,
        actor=ctx.actor,
        at=ctx.at,
    )


def _archive(ctx: Context, cmd: c.ArchiveForum, state: forum.Forum) -> DomainEvent:
    return forum.archive(state, reason=cmd.reason, actor=ctx.actor, at=ctx.at)


def _record_session(ctx: Context, cmd: c.RecordForumSession, state: forum.Forum) -> DomainEvent:
    return forum.record_session(
        state, session=cmd.session, reason=cmd.reason, actor=ctx.actor, at=ctx.at
    )


def _record(ctx: Context, cmd: c.RecordCommitment, state: None) -> DomainEvent:
    where: forum.Forum = ctx.load("forum", cmd.forum_id)
    forum.require_open(where)
    return commitment.make(
        commitment_id=ctx.aggregate_id,
        forum_id=where.id,
        forum_starts_on=where.starts_on,
        title=cmd.title,
        summary=cmd.summary,
        made_on=cmd.made_on,
        signatories=cmd.signatories,
        rpjmn=cmd.rpjmn,
        kkp_criteria=cmd.kkp_criteria,
        regions=ctx.regions,
        actor=ctx.actor,
        at=ctx.at,
    )


def _amend(ctx: Context, cmd: c.AmendCommitment, state: commitment.Commitment) -> DomainEvent:
    return commitment.amend(
        state,
        reason=cmd.reason,
        title=cmd.title,
        summary=cmd.summary,
        signatories=cmd.signatories,
        rpjmn=cmd.rpjmn,
        kkp_criteria=cmd.kkp_criteria,
        regions=ctx.regions,
        actor=ctx.actor,
        at=ctx.at,
    )


def _withdraw(ctx: Context, cmd: c.WithdrawCommitment, state: commitment.Commitment) -> Any:
    return commitment.withdraw(state, reason=cmd.reason, actor=ctx.actor, at=ctx.at)


def _plan(ctx: Context, cmd: c.PlanAction, state: None) -> DomainEvent:
    under: commitment.Commitment = ctx.load("commitment", cmd.commitment_id)
    return action.plan(
        action_id=ctx.aggregate_id,
        commitment=under,
        region_code=cmd.region_code,
        title=cmd.title,
        description=cmd.description,
        owner_opd=cmd.owner_opd,
        partners=cmd.partners,
        rpjmn=cmd.rpjmn,
        kkp_criterion=cmd.kkp_criterion,
        indicator_type=cmd.indicator_type,
        indicator=cmd.indicator,
        due_on=cmd.due_on,
        regions=ctx.regions,
        actor=ctx.actor,
        at=ctx.at,
        cadence=cmd.cadence,
        weight=cmd.weight,
    )


def _add_step(ctx: Context, cmd: c.AddActionStep, state: action.Action) -> DomainEvent:
    return action.add_step(
        state,
        step_id=ctx.new_id(),
        title=cmd.title,
        owner_opd=cmd.owner_opd,
        due_on=cmd.due_on,
        weight=cmd.weight,
        actor=ctx.actor,
        at=ctx.at,
    )


def _start(ctx: Context, cmd: c.StartAction, state: action.Action) -> DomainEvent:
    return action.start(state, actor=ctx.actor, at=ctx.at)


def _amend_action(ctx: Context, cmd: c.AmendAction, state: action.Action) -> DomainEvent:
    return action.amend(
        state,
        reason=cmd.reason,
        title=cmd.title,
        description=cmd.description,
        owner_opd=cmd.owner_opd,
        partners=cmd.partners,
        rpjmn=cmd.rpjmn,
        kkp_criterion=cmd.kkp_criterion,
        indicator_type=cmd.indicator_type,
        indicator=cmd.indicator,
        weight=cmd.weight,
        actor=ctx.actor,
        at=ctx.at,
    )


def _reschedule(ctx: Context, cmd: c.RescheduleAction, state: action.Action) -> DomainEvent:
    return action.reschedule(
        state, due_on=cmd.due_on, reason=cmd.reason, actor=ctx.actor, at=ctx.at
    )


def _cancel(ctx: Context, cmd: c.CancelAction, state: action.Action) -> DomainEvent:
    return action.cancel(state, reason=cmd.reason, actor=ctx.actor, at=ctx.at)


def _complete(ctx: Context, cmd: c.DeclareCompletion, state: action.Action) -> DomainEvent:
    return action.complete(state, evidence=cmd.evidence, note=cmd.note, actor=ctx.actor, at=ctx.at)


def _verify_completion(ctx: Context, cmd: c.VerifyCompletion, state: action.Action) -> Any:
    return action.verify_completion(state, note=cmd.note, actor=ctx.actor, at=ctx.at)


def _return_completion(ctx: Context, cmd: c.ReturnCompletion, state: action.Action) -> Any:
    return action.return_completion(
        state, reason_code=cmd.reason_code, note=cmd.note, actor=ctx.actor, at=ctx.at
    )


def _closed(ctx: Context, state: action.Action, period: Any) -> bool:
    """Whether the period is closed for the action's region, by itself or its province."""
    places = (state.region_code, state.province_code)
    found = tuple(ctx.find("period", period_close.closure_id(p, period)) for p in places)
    return period_close.closed_for(found) is not None


def _due_on(ctx: Context, period: Any) -> Any:
    """The period's due day under its year's reporting schedule, recorded on the report."""
    return schedule.due_on(ctx.find("schedule", schedule.schedule_id(period.year)), period)


def _submit(ctx: Context, cmd: c.SubmitProgressReport, state: action.Action) -> list[Any]:
    return progress.submit_report(
        state,
        report_id=ctx.new_id(),
        period=cmd.period,
        percent=cmd.percent,
        indicator_value=cmd.indicator_value,
        narrative=cmd.narrative,
        evidence=cmd.evidence,
        correction_reason=cmd.correction_reason,
        draft_id=cmd.draft_id,
        closed=_closed(ctx, state, cmd.period),
        step_id=cmd.step_id,
        due_on=_due_on(ctx, cmd.period),
        actor=ctx.actor,
        at=ctx.at,
    )


def _save_draft(ctx: Context, cmd: c.SaveReportDraft, state: action.Action) -> DomainEvent:
    return drafts.save_draft(
        state,
        draft_id=cmd.draft_id or ctx.new_id(),
        existing=cmd.draft_id is not None,
        period=cmd.period,
        percent=cmd.percent,
        indicator_value=cmd.indicator_value,
        narrative=cmd.narrative,
        evidence=cmd.evidence,
        actor=ctx.actor,
        at=ctx.at,
    )


def _discard_draft(ctx: Context, cmd: c.DiscardReportDraft, state: action.Action) -> DomainEvent:
    return drafts.discard_draft(state, draft_id=cmd.draft_id, actor=ctx.actor, at=ctx.at)


def _resubmit(ctx: Context, cmd: c.ResubmitReport, state: action.Action) -> DomainEvent:
    return progress.resubmit_report(
        state,
        report_id=cmd.report_id,
        percent=cmd.percent,
        indicator_value=cmd.indicator_value,
        narrative=cmd.narrative,
        evidence=cmd.evidence,
        correction_reason=cmd.correction_reason,
        actor=ctx.actor,
        at=ctx.at,
    )


def _verify_report(ctx: Context, cmd: c.VerifyReport, state: action.Action) -> DomainEvent:
    return progress.verify_report(
        state, report_id=cmd.report_id, note=cmd.note, actor=ctx.actor, at=ctx.at
    )


def _return_report(ctx: Context, cmd: c.ReturnReport, state: action.Action) -> DomainEvent:
    return progress.return_report(
        state,
        report_id=cmd.report_id,
        reason_code=cmd.reason_code,
        note=cmd.note,
        actor=ctx.actor,
        at=ctx.at,
    )


def _close_period(ctx: Context, cmd: c.CloseReportingPeriod, state: Any) -> DomainEvent:
    return period_close.close(
        state,
        place_code=cmd.place_code,
        period=cmd.period,
        note=cmd.note,
        regions=ctx.regions,
        actor=ctx.actor,
        at=ctx.at,
    )


def _reopen_period(ctx: Context, cmd: c.ReopenReportingPeriod, state: Any) -> DomainEvent:
    if state is None:
        raise RuleViolated("period-not-closed", period_label=cmd.period.label)
    return period_close.reopen(state, reason=cmd.reason, actor=ctx.actor, at=ctx.at)


def _closure_id(cmd: c.CloseReportingPeriod | c.ReopenReportingPeriod) -> UUID:
    return period_close.closure_id(cmd.place_code, cmd.period)


def _place_target(cmd: c.CloseReportingPeriod | c.ReopenReportingPeriod, state: Any) -> Target:
    return Target(region_code=cmd.place_code)


def _set_schedule(ctx: Context, cmd: c.SetReportingSchedule, state: Any) -> DomainEvent:
    return schedule.set_schedule(
        state, year=cmd.year, deadlines=cmd.deadlines, reason=cmd.reason, actor=ctx.actor, at=ctx.at
    )


def _issue_reminder(ctx: Context, cmd: c.IssueReminder, state: Any) -> DomainEvent:
    return reminder.issue(
        state,
        reminder_id=cmd.reminder_id,
        stage=cmd.stage,
        region_code=cmd.region_code,
        action_id=cmd.action_id,
        step_id=cmd.step_id,
        title=cmd.title,
        owner_opd=cmd.owner_opd,
        period=cmd.period,
        due_on=cmd.due_on,
        to=cmd.to,
        report_id=cmd.report_id,
        actor=ctx.actor,
        at=ctx.at,
    )


def _reminder_id(cmd: c.IssueReminder) -> UUID:
    return cmd.reminder_id


def _schedule_id(cmd: c.SetReportingSchedule) -> UUID:
    return schedule.schedule_id(cmd.year)


def _open_assessment(ctx: Context, cmd: c.OpenSelfAssessment, state: Any) -> DomainEvent:
    return kkp_assessment.open_assessment(
        state,
        region_code=cmd.region_code,
        data_year=cmd.data_year,
        indicators=kkp_indicators(),
        regions=ctx.regions,
        actor=ctx.actor,
        at=ctx.at,
    )


def _opened(state: Any, data_year: int) -> Assessment:
    if state is None:
        raise RuleViolated("assessment-not-open", data_year=data_year)
    opened: Assessment = state
    return opened


def _submit_assessment(ctx: Context, cmd: c.SubmitSelfAssessment, state: Any) -> DomainEvent:
    linked = {i for answer in cmd.answers for i in answer.action_ids}
    found = {i: ctx.find("action", i) for i in linked}
    return kkp_assessment.submit(
        _opened(state, cmd.data_year),
        answers=cmd.answers,
        note=cmd.note,
        indicators=kkp_indicators(),
        actions={i: a for i, a in found.items() if isinstance(a, action.Action)},
        actor=ctx.actor,
        at=ctx.at,
    )


def _verify_assessment(ctx: Context, cmd: c.VerifySelfAssessment, state: Any) -> DomainEvent:
    opened = _opened(state, cmd.data_year)
    return kkp_assessment.verify(opened, note=cmd.note, actor=ctx.actor, at=ctx.at)


def _return_assessment(ctx: Context, cmd: c.ReturnSelfAssessment, state: Any) -> DomainEvent:
    opened = _opened(state, cmd.data_year)
    return kkp_assessment.return_assessment(opened, reason=cmd.reason, actor=ctx.actor, at=ctx.at)


def _record_result(ctx: Context, cmd: c.RecordAssessmentResult, state: Any) -> DomainEvent:
    return kkp_assessment.record_result(
        state,
        region_code=cmd.region_code,
        data_year=cmd.data_year,
        score=cmd.score,
        predicate=cmd.predicate,
        decree_number=cmd.decree_number,
        decree_date=cmd.decree_date,
        note=cmd.note,
        reason=cmd.reason,
        regions=ctx.regions,
        actor=ctx.actor,
        at=ctx.at,
    )


def _assessment_id(cmd: Any) -> UUID:
    return kkp_assessment.assessment_id(cmd.region_code, cmd.data_year)


def _region_target(cmd: Any, state: Any) -> Target:
    return Target(region_code=cmd.region_code)


def _forum_id(cmd: c.CorrectForum | c.ArchiveForum | c.RecordForumSession) -> UUID:
    return cmd.forum_id


def _commitment_id(cmd: c.AmendCommitment | c.WithdrawCommitment) -> UUID:
    return cmd.commitment_id


def _action_id(cmd: Any) -> UUID:
    action_id: UUID = cmd.action_id
    return action_id


HANDLERS: dict[type[c.Command], Handler[Any]] = {
    c.ConveneForum: Handler("forum", None, _nothing, _convene),
    c.CorrectForum: Handler("forum", _forum_id, _nothing, _correct),
    c.ArchiveForum: Handler("forum", _forum_id, _nothing, _archive),
    c.RecordForumSession: Handler("forum", _forum_id, _nothing, _record_session),
    c.RecordCommitment: Handler("commitment", None, _nothing, _record),
    c.AmendCommitment: Handler("commitment", _commitment_id, _nothing, _amend),
    c.WithdrawCommitment: Handler("commitment", _commitment_id, _nothing, _withdraw),
    c.PlanAction: Handler("action", None, _planned_target, _plan),
    c.AddActionStep: Handler("action", _action_id, _action_target, _add_step),
    c.StartAction: Handler("action", _action_id, _action_target, _start),
    c.AmendAction: Handler("action", _action_id, _action_target, _amend_action),
    c.RescheduleAction: Handler("action", _action_id, _action_target, _reschedule),
    c.CancelAction: Handler("action", _action_id, _action_target, _cancel),
    c.DeclareCompletion: Handler("action", _action_id, _action_target, _complete),
    c.VerifyCompletion: Handler("action", _action_id, _action_target, _verify_completion),
    c.ReturnCompletion: Handler("action", _action_id, _action_target, _return_completion),
    c.SubmitProgressReport: Handler("action", _action_id, _action_target, _submit),
    c.SaveReportDraft: Handler("action", _action_id, _action_target, _save_draft),
    c.DiscardReportDraft: Handler("action", _action_id, _action_target, _discard_draft),
    c.ResubmitReport: Handler("action", _action_id, _action_target, _resubmit),
    c.VerifyReport: Handler("action", _action_id, _action_target, _verify_report),
    c.ReturnReport: Handler("action", _action_id, _action_target, _return_report),
    c.CloseReportingPeriod: Handler("period", _closure_id, _place_target, _close_period, True),
    c.ReopenReportingPeriod: Handler("period", _closure_id, _place_target, _reopen_period, True),
    c.SetReportingSchedule: Handler("schedule", _schedule_id, _nothing, _set_schedule, True),
    c.IssueReminder: Handler("reminder", _reminder_id, _nothing, _issue_reminder, True),
    c.OpenSelfAssessment: Handler(
        "assessment", _assessment_id, _region_target, _open_assessment, True
    ),
    c.SubmitSelfAssessment: Handler(
        "assessment", _assessment_id, _region_target, _submit_assessment, True
    ),
    c.VerifySelfAssessment: Handler(
        "assessment", _assessment_id, _region_target, _verify_assessment, True
    ),
    c.ReturnSelfAssessment: Handler(
        "assessment", _assessment_id, _region_target, _return_assessment, True
    ),
    c.RecordAssessmentResult: Handler(
        "assessment", _assessment_id, _region_target, _record_result, True
    ),
}
