"""Action: a concrete step one region takes under a commitment, with its progress reports.

Reports live inside the action so that the rules spanning both (no report on a cancelled
action, percent never silently going backwards, one open report per period) are checked
against one consistent version. The state types live in domain/action_state.py and are
re-exported here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import msgspec

from domain.action_amend import amend
from domain.action_events import (
    ActionAmended,
    ActionCancelled,
    ActionCompleted,
    ActionCompletionReturned,
    ActionEvent,
    ActionPlanned,
    ActionRescheduled,
    ActionStarted,
    ActionStepAdded,
    ActionVerified,
    ReportDraftDiscarded,
    ReportDraftSaved,
)
from domain.action_state import (
    AWAITING_REVIEW,
    OPEN_REPORT,
    Action,
    ActionStatus,
    ActionStep,
    ProgressReport,
    ReportStatus,
)
from domain.action_steps import add_step, apply_step, check_weight
from domain.commitment import Commitment, CommitmentStatus
from domain.completion import complete, return_completion, verify_completion
from domain.drafts import apply_draft
from domain.errors import InvalidInput, RuleViolated
from domain.period import PeriodKind
from domain.regions import RegionCatalogue
from domain.report_evolve import ReportEvent, apply_report
from domain.values import (
    Actor,
    Indicator,
    IndicatorType,
    Partner,
    RpjmnTag,
    check_kkp,
    check_rpjmn,
    require_reason,
    require_text,
)


def plan(
    *,
    action_id: UUID,
    commitment: Commitment,
    region_code: str,
    title: str,
    description: str,
    owner_opd: str,
    partners: tuple[Partner, ...],
    rpjmn: tuple[RpjmnTag, ...],
    kkp_criterion: int | None,
    indicator_type: IndicatorType,
    indicator: Indicator | None,
    due_on: date,
    regions: RegionCatalogue,
    actor: Actor,
    at: datetime,
    cadence: PeriodKind | None = None,
    weight: int = 1,
) -> ActionPlanned:
    region = regions.require(region_code)
    check_rpjmn(rpjmn)
    if kkp_criterion is not None:
        check_kkp((kkp_criterion,))
    if commitment.status is CommitmentStatus.WITHDRAWN:
        raise RuleViolated("commitment-withdrawn")
    if not commitment.covers(region_code, regions):
        raise RuleViolated("region-not-signatory", region_name=region.name)
    if due_on < commitment.made_on:
        raise InvalidInput("due-before-commitment")
    return ActionPlanned(
        action_id=action_id,
        commitment_id=commitment.id,
        forum_id=commitment.forum_id,
        region_code=region.code,
        province_code=region.province_code,
        title=require_text(title, "title", max_length=300),
        description=description.strip(),
        owner_opd=require_text(owner_opd, "owner_opd", max_length=200),
        partners=partners,
        rpjmn=rpjmn,
        kkp_criterion=kkp_criterion,
        indicator_type=indicator_type,
        indicator=indicator,
        due_on=due_on,
        cadence=cadence,
        weight=check_weight(weight),
        actor=actor,
        at=at,
    )


def start(action: Action, *, actor: Actor, at: datetime) -> ActionStarted:
    action.require_status(ActionStatus.PLANNED, doing="start-action")
    return ActionStarted(actor=actor, at=at)


def reschedule(
    action: Action, *, due_on: date, reason: str | None, actor: Actor, at: datetime
) -> ActionRescheduled:
    action.require_status(
        ActionStatus.PLANNED,
        ActionStatus.IN_PROGRESS,
        doing="reschedule-action",
    )
    why = require_reason(reason)
    if due_on == action.due_on:
        raise InvalidInput("same-due-date")
    return ActionRescheduled(
        previous_due_on=action.due_on, due_on=due_on, reason=why, actor=actor, at=at
    )


def cancel(action: Action, *, reason: str | None, actor: Actor, at: datetime) -> ActionCancelled:
    action.require_status(ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, doing="cancel-action")
    return ActionCancelled(reason=require_reason(reason), actor=actor, at=at)


AMENDABLE = tuple(f for f in ActionAmended.__struct_fields__ if f not in ("reason", "actor", "at"))


def _planned(event: ActionPlanned) -> Action:
    return Action(
        id=event.action_id,
        version=1,
        commitment_id=event.commitment_id,
        forum_id=event.forum_id,
        region_code=event.region_code,
        province_code=event.province_code,
        title=event.title,
        description=event.description,
        owner_opd=event.owner_opd,
        partners=event.partners,
        rpjmn=event.rpjmn,
        kkp_criterion=event.kkp_criterion,
        indicator_type=event.indicator_type,
        indicator=event.indicator,
        due_on=event.due_on,
        cadence=event.cadence,
        weight=event.weight,
        status=ActionStatus.PLANNED,
        reports=(),
        completion_evidence=(),
        closing_note=None,
        created_at=event.at,
        updated_at=event.at,
    )


def _changes(event: ActionEvent) -> dict[str, Any]:
    """The fields an event on the action's own life sets."""
    if isinstance(event, ActionStarted):
        return {"status": ActionStatus.IN_PROGRESS}
    if isinstance(event, ActionRescheduled):
        return {"due_on": event.due_on}
    if isinstance(event, ActionCompleted):
        return {
            "status": ActionStatus.COMPLETED,
            "completion_evidence": event.evidence,
            "closing_note": event.note,
            "completed_at": event.at,
        }
    if isinstance(event, ActionAmended):
        given = {name: getattr(event, name) for name in AMENDABLE}
        return {name: value for name, value in given.items() if value is not None}
    if isinstance(event, ActionVerified):
        return {"status": ActionStatus.VERIFIED}
    if isinstance(event, ActionCompletionReturned):
        return {
            "status": ActionStatus.IN_PROGRESS,
            "completion_evidence": (),
            "closing_note": None,
            "completed_at": None,
        }
    if isinstance(event, ActionCancelled):
        return {"status": ActionStatus.CANCELLED, "closing_note": event.reason}
    return {}


def evolve(action: Action | None, event: ActionEvent) -> Action:
    if isinstance(event, ActionPlanned):
        return _planned(event)
    assert action is not None
    replace = msgspec.structs.replace
    if isinstance(event, ReportDraftSaved | ReportDraftDiscarded):
        return apply_draft(replace(action, version=action.version + 1), event)
    a = replace(action, version=action.version + 1, updated_at=event.at)
    if isinstance(event, ActionStepAdded):
        return apply_step(a, event)
    if isinstance(event, ReportEvent):
        return apply_report(a, event)
    return replace(a, **_changes(event))


__all__ = [
    "AWAITING_REVIEW",
    "OPEN_REPORT",
    "Action",
    "ActionStatus",
    "ActionStep",
    "ProgressReport",
    "ReportStatus",
    "add_step",
    "amend",
    "cancel",
    "complete",
    "evolve",
    "plan",
    "reschedule",
    "return_completion",
    "start",
    "verify_completion",
]
