"""The bus's unit of work on the in-memory adapters: what is refused, and that a refusal
writes nothing."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain import commands as c
from domain.commands import Command
from domain.errors import RuleViolated
from tests.unit.world import PRINCIPALS, World, submit
from tracker.bus import UnknownCommand
from tracker.errors import NotFound, StaleVersion

BLITAR = PRINCIPALS["pemda_blitar"]


def test_a_write_answers_its_version_and_position() -> None:
    world = World()
    action_id = world.action()
    result = world.execute(submit(action_id), BLITAR)
    assert result.id == action_id and result.version == 3  # planned, started, reported
    assert result.position == world.store.head()
    assert world.store.load("action", action_id) == result.state


def test_if_match_must_name_the_current_version() -> None:
    world = World()
    action_id = world.action()
    with pytest.raises(StaleVersion) as stale:
        world.bus.execute(submit(action_id), BLITAR, expected_version=7)
    assert stale.value.current == 1
    assert world.bus.execute(submit(action_id), BLITAR, expected_version=1).version == 3


def test_an_unknown_aggregate_is_not_found_and_nothing_is_written() -> None:
    world = World()
    head = world.store.head()
    with pytest.raises(NotFound):
        world.execute(c.StartAction(action_id=uuid4()), BLITAR)
    with pytest.raises(NotFound):
        world.execute(
            c.PlanAction(
                commitment_id=uuid4(),
                region_code="35.72",
                title="x",
                owner_opd="Bagian Hukum",
                due_on=world.clock().date(),
            ),
            BLITAR,
        )
    assert world.store.head() == head


def test_a_broken_rule_writes_nothing() -> None:
    world = World()
    action_id = world.action()
    world.execute(c.CancelAction(action_id=action_id, reason="Digabung"), BLITAR)
    head = world.store.head()
    with pytest.raises(RuleViolated):
        world.execute(submit(action_id), BLITAR)
    assert world.store.head() == head


def test_a_command_without_a_handler_is_a_programming_error() -> None:
    class Stray(Command, frozen=True, kw_only=True):
        RULE = c.StartAction.RULE

    world = World()
    with pytest.raises(UnknownCommand):
        world.dispatch(Stray(), BLITAR)
    with pytest.raises(UnknownCommand):
        world.execute(Stray(), BLITAR)
