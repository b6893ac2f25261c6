"""The demo data file replays through the bus, in memory, as its principals."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime

import msgspec

from adapters.memory.accounts import MemoryAccounts
from adapters.memory.eventstore import MemoryEventStore
from adapters.passwords import Argon2Hasher
from adapters.reference_data import region_catalogue
from tracker import demo
from tracker.bus import MessageBus


def test_the_scenario_replays_every_step_and_the_same_ids_every_time() -> None:
    script = demo.scenario()
    histories = []
    for _ in range(2):
        store = MemoryEventStore()
        bus = MessageBus(
            store=store,
            accounts=MemoryAccounts(),
            hasher=Argon2Hasher(),
            regions=region_catalogue(),
            clock=lambda: datetime.now(UTC),
            ids=uuid.uuid4,
        )
        assert demo.replay(bus, script) == len(script.commands)
        histories.append(
            [(n.originator_id, n.topic, n.state) for n in store.notifications(0, 10**6)]
        )
    assert histories[0] == histories[1]  # fixed ids and times: the same log on any machine
    assert len(histories[0]) > 100
    recorded_at = {msgspec.json.decode(state)["at"] for _, _, state in histories[0]}
    assert min(recorded_at).startswith("2021-11-20")  # the steps' own times, not today's


def test_every_step_is_issued_by_a_principal_of_the_scenario() -> None:
    script = demo.scenario()
    names = {p.user_id for p in script.principals}
    assert {step.by for step in script.commands} <= names
    assert {step.command for step in script.commands} <= set(demo.COMMAND_TYPES)


def test_the_steps_are_in_time_order() -> None:
    """The log is the steps' order; an as-of read (`?pada=`) answers from the longest stretch
    of the log recorded before that day ends, so a step dated earlier than one before it
    would hide everything after it from every past date."""
    times = [step.at for step in demo.scenario().commands]
    late = [(i, t) for i, (s, t) in enumerate(itertools.pairwise(times), 1) if t < s]
    assert not late, f"steps out of time order: {late}"
