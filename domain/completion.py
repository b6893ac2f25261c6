"""Deciders for the end of an action: the region declares it complete, the Kanwil verifies
the declaration or returns it with a reason (the action is then in progress again)."""

from __future__ import annotations

from datetime import datetime

from domain.action_events import (
    ActionCompleted,
    ActionCompletionReturned,
    ActionVerified,
    ReturnReason,
)
from domain.action_state import Action, ActionStatus
from domain.errors import RuleViolated
from domain.values import Actor, Evidence, check_evidence, require_text


def complete(
    action: Action, *, evidence: tuple[Evidence, ...], note: str, actor: Actor, at: datetime
) -> ActionCompleted:
    action.require_status(ActionStatus.IN_PROGRESS, doing="declare-completion")
    check_evidence(evidence)
    if not evidence:  # a claim of completion stands on its own evidence, not on old reports'
        raise RuleViolated("completion-needs-evidence")
    return ActionCompleted(evidence=evidence, note=note.strip(), actor=actor, at=at)


def verify_completion(action: Action, *, note: str, actor: Actor, at: datetime) -> ActionVerified:
    action.require_status(ActionStatus.COMPLETED, doing="verify-completion")
    return ActionVerified(note=note.strip(), actor=actor, at=at)


def return_completion(
    action: Action, *, reason_code: ReturnReason, note: str, actor: Actor, at: datetime
) -> ActionCompletionReturned:
    action.require_status(ActionStatus.COMPLETED, doing="return-completion")
    return ActionCompletionReturned(
        reason_code=reason_code,
        note=require_text(note, "note", max_length=2000),
        actor=actor,
        at=at,
    )
