"""Splitting an action into steps: parts with their own owner (an OPD other than the
action's, often), due date, weight and reports. Once an action has steps, every report is
about one step and the action's figures are the weighted roll-up of its steps' figures
(domain/action_state.py); the action itself is still declared complete and verified as a
whole.

Steps are added before the action's own reports begin: a figure that was one report's
percent does not silently turn into a mean of steps that have none.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import msgspec

from domain.action_events import ActionStepAdded
from domain.action_state import Action, ActionStatus, ActionStep
from domain.errors import InvalidInput, RuleViolated
from domain.values import Actor, require_text

MAX_STEPS = 20
MAX_WEIGHT = 100


def check_weight(weight: int) -> int:
    if not 1 <= weight <= MAX_WEIGHT:
        raise InvalidInput("weight-range", weight=weight, limit=MAX_WEIGHT)
    return weight


def add_step(
    action: Action,
    *,
    step_id: UUID,
    title: str,
    owner_opd: str,
    due_on: date,
    weight: int,
    actor: Actor,
    at: datetime,
) -> ActionStepAdded:
    action.require_status(ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, doing="add-action-step")
    if any(r.step_id is None for r in action.reports):
        raise RuleViolated("steps-after-reports")
    if len(action.steps) >= MAX_STEPS:
        raise RuleViolated("too-many-steps", limit=MAX_STEPS)
    if any(s.id == step_id for s in action.steps):
        raise InvalidInput("duplicate-step", step_id=step_id)
    if due_on > action.due_on:
        raise InvalidInput("step-due-after-action", due_on=action.due_on)
    return ActionStepAdded(
        step_id=step_id,
        title=require_text(title, "title", max_length=300),
        owner_opd=require_text(owner_opd, "owner_opd", max_length=200),
        due_on=due_on,
        weight=check_weight(weight),
        actor=actor,
        at=at,
    )


def apply_step(a: Action, event: ActionStepAdded) -> Action:
    """`a` already carries the event's version and time."""
    added = ActionStep(
        id=event.step_id,
        title=event.title,
        owner_opd=event.owner_opd,
        due_on=event.due_on,
        weight=event.weight,
        added_at=event.at,
    )
    return msgspec.structs.replace(a, steps=(*a.steps, added))
