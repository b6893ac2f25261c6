"""The demo: a data file of principals and dated commands (scenario.json), replayed through
the message bus as each principal at each recorded time. It obeys every rule and policy a
real user does; nothing here builds an event by hand. Read when `serve --demo` starts, never
at import.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import resources
from typing import Any
from uuid import UUID

import anyio.to_thread
import msgspec

from domain.access import Principal
from domain.commands import DOMAIN_COMMANDS, Command
from domain.values import Role
from tracker.bus import MessageBus
from tracker.ports import ReadStore

COMMAND_TYPES: dict[str, type[Command]] = {cls.__name__: cls for cls in DOMAIN_COMMANDS}


class Step(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    at: datetime
    by: str
    command: str
    data: dict[str, Any]
    ids: tuple[UUID, ...] = ()  # the ids the command creates, in the order it asks for them


class Scenario(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    about: tuple[str, ...]
    principals: tuple[Principal, ...]
    commands: tuple[Step, ...]

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


def replay(bus: MessageBus, script: Scenario) -> int:
    """Run every step through the bus (synchronously: call from a worker thread)."""
    clock, ids = ScriptedClock(), ScriptedIds()
    demo_bus = bus.with_clock(clock, ids)
    for step in script.commands:
        clock.now = step.at
        ids.load(step.ids)
        command = msgspec.convert(step.data, COMMAND_TYPES[step.command])
        demo_bus.execute(command, script.principal(step.by))
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
