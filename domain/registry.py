"""Every event type by its stored topic, and the aggregate each belongs to.

Adapters use this to encode and decode events without pickle and without importing
classes by dotted path from the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from domain import (
    action,
    commitment,
    forum,
    import_batch,
    kkp_assessment_state,
    period_close,
    reminder,
    schedule,
)
from domain.action_events import ActionEvent
from domain.commitment import CommitmentEvent
from domain.events import DomainEvent
from domain.forum import ForumEvent
from domain.kkp_assessment_events import AssessmentEvent
from domain.period_close import PeriodClosureEvent

AGGREGATE_EVENTS: dict[str, Any] = {
    "forum": ForumEvent,
    "commitment": CommitmentEvent,
    "action": ActionEvent,
    "period": PeriodClosureEvent,
    "assessment": AssessmentEvent,
    "import_batch": import_batch.ImportEvent,
    "schedule": schedule.ScheduleEvent,
    "reminder": reminder.ReminderEvent,
}

AGGREGATE_STATES: dict[str, type[Any]] = {
    "forum": forum.Forum,
    "commitment": commitment.Commitment,
    "action": action.Action,
    "period": period_close.PeriodClosure,
    "assessment": kkp_assessment_state.Assessment,
    "import_batch": import_batch.ImportBatch,
    "schedule": schedule.ReportingSchedule,
    "reminder": reminder.Reminder,
}

EVOLVERS: dict[str, Callable[[Any, Any], Any]] = {
    "forum": forum.evolve,
    "commitment": commitment.evolve,
    "action": action.evolve,
    "period": period_close.evolve,
    "assessment": kkp_assessment_state.evolve,
    "import_batch": import_batch.evolve,
    "schedule": schedule.evolve,
    "reminder": reminder.evolve,
}


def _members(union: Any) -> tuple[type[DomainEvent], ...]:
    """The event types of a union, or the one type of an aggregate with a single event."""
    return tuple(getattr(union, "__args__", (union,)))


EVENT_TYPES: dict[str, type[DomainEvent]] = {
    cls.__name__: cls for union in AGGREGATE_EVENTS.values() for cls in _members(union)
}

AGGREGATE_OF_EVENT: dict[str, str] = {
    cls.__name__: kind for kind, union in AGGREGATE_EVENTS.items() for cls in _members(union)
}


def fold(kind: str, state: Any, events: Iterable[DomainEvent]) -> Any | None:
    """Apply events to a state (None before creation). None when the stream turns out to
    belong to another kind of aggregate, so an id of one kind never loads as another."""
    evolve = EVOLVERS[kind]
    for event in events:
        if state is None and AGGREGATE_OF_EVENT[type(event).__name__] != kind:
            return None
        state = evolve(state, event)
    return state
