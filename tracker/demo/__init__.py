"""The demo: a data file of principals and dated commands (scenario.json), replayed through
the message bus as each principal at each recorded time. It obeys every rule and policy a
real user does; nothing here builds an event by hand. Read when `serve --demo` starts, never
at import.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from typing import Any
from uuid import UUID

import anyio.to_thread
import msgspec

from domain import schedule
from domain.access import Principal
from domain.action_state import Action
from domain.commands import DOMAIN_COMMANDS, Command
from domain.obligations import ReportingFacts
from domain.period import ReportingPeriod
from domain.values import Role
from tracker import reminders
from tracker.bus import MessageBus
from tracker.ports import ReadStore

COMMAND_TYPES: dict[str, type[Command]] = {cls.__name__: cls for cls in DOMAIN_COMMANDS}


class Step(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    at: datetime
    by: str
    command: str
    data: dict[str, Any]
    ids: tuple[UUID, ...] = ()  # the ids the command creates, in the order it asks for them


class Ticks(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The reminder process manager's mornings the demo replays (08:00 WIB each day)."""

    first: date
    last: date


class Scenario(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    about: tuple[str, ...]
    principals: tuple[Principal, ...]
    commands: tuple[Step, ...]
    reminders: Ticks | None = None

    def principal(self, user_id: str) -> Principal:
        return next(p for p in self.principals if p.user_id == user_id)


def scenario() -> Scenario:
    raw = resources.files("tracker.demo").joinpath("scenario.json").read_bytes()
    return msgspec.json.decode(raw, type=Scenario)


class ScriptedIds:
    """Hands out the ids a step recorded, and fails loudly if the step asks for more."""

    def __init__(self) -> None:
        self._next: Iterator[UUID] = iter(())

    def load(self, ids: tuple[UUID, ...]) -> None:
        self._next = iter(ids)

    def __call__(self) -> UUID:
        try:
            return next(self._next)
        except StopIteration:
            raise ValueError("the demo step asked for more ids than it recorded") from None


class ScriptedClock:
    def __init__(self) -> None:
        self.now = datetime.min.replace(tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


class DemoReminders:
    """The reminder ticks between the demo's steps: each morning in `ticks`, the process
    manager (tracker/reminders.py) looks at every action the demo has planned so far, as
    the steps' results left them (nothing is read back from the store per tick)."""

    def __init__(self, bus: MessageBus, clock: ScriptedClock, ticks: Ticks | None) -> None:
        self.bus, self.clock, self.ticks = bus, clock, ticks
        self.facts: dict[UUID, ReportingFacts] = {}
        self.schedules: dict[int, schedule.ReportingSchedule] = {}
        self.next = ticks.first if ticks else None
        self.skip: set[UUID] = set()  # issued already: not asked of the store again

    def saw(self, state: Any) -> None:
        """A step's resulting state: an action's facts or a year's schedule."""
        if isinstance(state, Action):
            self.facts[state.id] = ReportingFacts.of(state)
        elif isinstance(state, schedule.ReportingSchedule):
            self.schedules[state.year] = state

    def _due_day(self, period: ReportingPeriod) -> date:
        return schedule.due_on(self.schedules.get(period.year), period)

    def until(self, moment: datetime) -> None:
        """Every tick before `moment`, each at its own time."""
        while self.ticks and self.next and self.next <= self.ticks.last:
            at = datetime.combine(self.next, time(1), tzinfo=UTC)
            if at >= moment:
                return
            self.clock.now = at
            reminders.run_once(self.bus, list(self.facts.values()), self._due_day, at, self.skip)
            self.next += timedelta(days=1)


def replay(bus: MessageBus, script: Scenario) -> int:
    """Run every step through the bus (synchronously: call from a worker thread), with the
    reminder ticks of `script.reminders` in between."""
    clock, ids = ScriptedClock(), ScriptedIds()
    demo_bus = bus.with_clock(clock, ids)
    ticking = DemoReminders(demo_bus, clock, script.reminders)
    for step in script.commands:
        ticking.until(step.at)
        clock.now = step.at
        ids.load(step.ids)
        command = msgspec.convert(step.data, COMMAND_TYPES[step.command])
        done = demo_bus.execute(command, script.principal(step.by))
        ticking.saw(getattr(done, "state", None))
    ticking.until(datetime.max.replace(tzinfo=UTC))
    return len(script.commands)


async def replay_is_needed(data: ReadStore) -> bool:
    """Only into an empty store: the demo is never mixed into real data."""
    return await data.count_events() == 0


async def load(bus: MessageBus) -> int:
    script = scenario()
    replayed: int = await anyio.to_thread.run_sync(replay, bus, script)
    return replayed


def accounts_of(script: Scenario) -> list[Principal]:
    return [p for p in script.principals if p.role is not Role.SYSTEM]
