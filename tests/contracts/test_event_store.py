"""The event store port's contract, for every adapter (tests/contracts/conftest.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import pytest

from adapters.errors import ConcurrencyConflict
from adapters.idempotency_types import CURRENT_ATTEMPT, Attempt
from adapters.store_types import Write
from domain import forum
from domain.forum import ForumKind
from domain.regions import Region, RegionCatalogue
from domain.values import Actor, Role

ACTOR = Actor(user_id="u1", role=Role.ADMIN, office="Kementerian HAM")
AT = datetime(2025, 11, 13, 9, tzinfo=UTC)
REGIONS = RegionCatalogue(
    [Region(code="61.72", name="Singkawang", kind="kota", province_code="61")]
)


def convened(forum_id: Any) -> forum.ForumConvened:
    return forum.convene(
        forum_id=forum_id,
        kind=ForumKind.RAKERNAS,
        title="Rakernas",
        theme="",
        organisers=("Kementerian HAM",),
        host_region_code="61.72",
        venue="",
        starts_on=date(2025, 11, 13),
        ends_on=date(2025, 11, 13),
        regions=REGIONS,
        actor=ACTOR,
        at=AT,
    )


def corrected(state: Any, venue: str) -> forum.ForumCorrected:
    return forum.correct(state, reason="Typo", venue=venue, actor=ACTOR, at=AT)


def test_an_unknown_id_loads_nothing(event_store: Any) -> None:
    assert event_store.load("forum", uuid4()) is None


def test_appended_events_load_back_as_the_folded_state(event_store: Any) -> None:
    forum_id = uuid4()
    state, first = event_store.append("forum", forum_id, None, [convened(forum_id)])
    state, second = event_store.append("forum", forum_id, state, [corrected(state, "Aula")])
    assert second == first + 1
    loaded = event_store.load("forum", forum_id)
    assert loaded == state and loaded.version == 2 and loaded.venue == "Aula"


def test_a_stale_version_conflicts_and_writes_nothing(event_store: Any) -> None:
    forum_id = uuid4()
    state, _ = event_store.append("forum", forum_id, None, [convened(forum_id)])
    event_store.append("forum", forum_id, state, [corrected(state, "Aula")])
    with pytest.raises(ConcurrencyConflict):
        event_store.append("forum", forum_id, state, [corrected(state, "Lobi")])
    assert event_store.load("forum", forum_id).venue == "Aula"


def test_a_second_creation_of_the_same_id_conflicts(event_store: Any) -> None:
    forum_id = uuid4()
    event_store.append("forum", forum_id, None, [convened(forum_id)])
    with pytest.raises(ConcurrencyConflict):
        event_store.append("forum", forum_id, None, [convened(forum_id)])


def test_positions_grow_across_aggregates(event_store: Any) -> None:
    positions = []
    for _ in range(3):
        forum_id = uuid4()
        positions.append(event_store.append("forum", forum_id, None, [convened(forum_id)])[1])
    assert positions == sorted(positions) and len(set(positions)) == 3


def test_an_id_of_another_kind_loads_nothing(event_store: Any) -> None:
    forum_id = uuid4()
    event_store.append("forum", forum_id, None, [convened(forum_id)])
    assert event_store.load("commitment", forum_id) is None


def test_several_aggregates_are_written_all_or_none(event_store: Any) -> None:
    first, second, stale = uuid4(), uuid4(), uuid4()
    state, _ = event_store.append("forum", stale, None, [convened(stale)])
    event_store.append("forum", stale, state, [corrected(state, "Aula")])
    with pytest.raises(ConcurrencyConflict):
        event_store.append_all(
            [
                Write("forum", first, None, [convened(first)]),
                Write("forum", stale, state, [corrected(state, "Lobi")]),  # behind by one
            ]
        )
    assert event_store.load("forum", first) is None  # the good write went nowhere either
    one = event_store.load("forum", first)
    written = event_store.append_all(
        [
            Write("forum", first, one, [convened(first)]),
            Write("forum", second, None, [convened(second)]),
        ]
    )
    (a, pos_a), (b, pos_b) = written
    assert (a.id, b.id) == (first, second) and pos_b == pos_a + 1
    assert event_store.load("forum", second) == b


def test_two_writes_of_one_aggregate_in_a_batch_follow_each_other(event_store: Any) -> None:
    forum_id = uuid4()
    created = forum.evolve(None, convened(forum_id))
    (_, _), (after, _) = event_store.append_all(
        [
            Write("forum", forum_id, None, [convened(forum_id)]),
            Write("forum", forum_id, created, [corrected(created, "Aula")]),
        ]
    )
    assert after.version == 2 and event_store.load("forum", forum_id).venue == "Aula"


def test_a_second_run_of_an_idempotency_key_stores_nothing(event_store: Any) -> None:
    """The key goes into the store with a run's first events (one transaction): another
    run of the same key (a retry that took over a dead one's claim) conflicts; later
    appends of the same run, and other keys or accounts, do not."""
    first = Attempt("pemda-3572", "k-1")
    token = CURRENT_ATTEMPT.set(first)
    try:
        state, _ = event_store.append("forum", (one := uuid4()), None, [convened(one)])
        event_store.append("forum", one, state, [corrected(state, "Balai Kota")])  # same run
    finally:
        CURRENT_ATTEMPT.reset(token)
    assert first.marked
    for account, key, refused in (
        ("pemda-3572", "k-1", True),
        ("pemda-3572", "k-2", False),
        ("pemda-3374", "k-1", False),
    ):
        token = CURRENT_ATTEMPT.set(Attempt(account, key))
        try:
            other = uuid4()
            if refused:
                with pytest.raises(ConcurrencyConflict):
                    event_store.append("forum", other, None, [convened(other)])
                assert event_store.load("forum", other) is None
            else:
                event_store.append("forum", other, None, [convened(other)])
        finally:
            CURRENT_ATTEMPT.reset(token)
