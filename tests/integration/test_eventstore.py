"""The event store on a real PostgreSQL: JSON (not pickle) rows, snapshots, conflicts."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
from eventsourcing.persistence import OperationalError

from adapters.eventstore import SNAPSHOT_INTERVAL, ConcurrencyConflict, EventStore, open_event_store
from adapters.eventstore_recorder import KeyedRecorder
from domain import action as action_domain
from domain import commands as c
from domain.access import Principal
from domain.period import ReportingPeriod
from domain.registry import EVOLVERS
from domain.values import Role
from tests.integration.scenario import bus_on, plan_action, seed_commitment
from tracker.bus import MessageBus

ACTOR = Principal(user_id="u1", role=Role.SYSTEM, office="Bagian Hukum")


@pytest.fixture
def store(database_url: str) -> Iterator[EventStore]:
    event_store = open_event_store(database_url)
    yield event_store
    event_store.close()


def fetch(database_url: str, sql: str) -> list[asyncpg.Record]:
    async def run() -> list[asyncpg.Record]:
        conn = await asyncpg.connect(database_url)
        try:
            return list(await conn.fetch(sql))
        finally:
            await conn.close()

    return asyncio.run(run())


def _action(bus: MessageBus) -> object:
    commitment_id = seed_commitment(bus, ACTOR)
    return plan_action(bus, ACTOR, commitment_id, "33.75", title="Dokumen kependudukan")


def test_rows_are_json_not_pickle(store: EventStore, database_url: str) -> None:
    _action(bus_on(store))
    rows = fetch(database_url, "SELECT topic, state FROM tracker_events ORDER BY notification_id")
    assert [r["topic"] for r in rows] == ["ForumConvened", "CommitmentMade", "ActionPlanned"]
    for row in rows:
        payload = json.loads(bytes(row["state"]))
        assert payload["type"] == row["topic"]
        assert payload["actor"] == {"user_id": "u1", "role": "system", "office": "Bagian Hukum"}


def test_snapshots_give_the_same_state_as_full_replay(store: EventStore, database_url: str) -> None:
    moments = iter(datetime(2026, 3, 1, tzinfo=UTC) + timedelta(hours=n) for n in range(400))
    service = bus_on(store, clock=lambda: next(moments))
    planned = _action(service)
    action_id = planned.id  # type: ignore[attr-defined]
    # 36 months of reports, each verified: 2 events a month, well past the interval.
    for month in range(36):
        period = ReportingPeriod.parse(f"{2023 + month // 12}-{month % 12 + 1:02d}")
        result = service.execute(
            c.SubmitProgressReport(
                action_id=action_id,
                period=period,
                percent=min(100.0, month * 3.0),
                narrative=f"bulan {month}",
            ),
            ACTOR,
        )
        report_id = result.state.reports[-1].id
        service.execute(c.VerifyReport(action_id=action_id, report_id=report_id), ACTOR)
    snapshots = fetch(database_url, "SELECT originator_version, state FROM tracker_snapshots")
    assert len(snapshots) >= 2
    assert all(r["originator_version"] % SNAPSHOT_INTERVAL == 0 for r in snapshots)
    assert json.loads(bytes(snapshots[0]["state"]))["id"] == str(action_id)

    replayed = None
    for recorded in store.events.get(action_id):
        replayed = EVOLVERS["action"](replayed, recorded.payload)
    loaded = store.load("action", action_id)
    assert loaded == replayed
    assert loaded.version == 2 + 36 * 2  # planned, started, 36 x (report, verification)


def test_concurrent_append_of_same_version_conflicts(store: EventStore) -> None:
    service = bus_on(store)
    planned = _action(service)
    state = store.load("action", planned.id)  # type: ignore[attr-defined]
    at = datetime(2025, 1, 1, tzinfo=UTC)
    store.append(
        "action", state.id, state, [action_domain.start(state, actor=ACTOR.actor(), at=at)]
    )
    with pytest.raises(ConcurrencyConflict):
        store.append(
            "action", state.id, state, [action_domain.start(state, actor=ACTOR.actor(), at=at)]
        )
    assert store.load("action", state.id).version == 2


def test_loading_an_id_of_another_kind_finds_nothing(store: EventStore) -> None:
    planned = _action(bus_on(store))
    assert store.load("forum", planned.id) is None  # type: ignore[attr-defined]


class ReplyLost(KeyedRecorder):
    """The first append commits, then its connection dies before the answer arrives (what a
    PostgreSQL crash right after a commit does); eventsourcing's retry then runs again."""

    lost = 0

    def _append_once(self, stored_events: Any, **kwargs: Any) -> Any:
        ids = super()._append_once(stored_events, **kwargs)
        if not ReplyLost.lost:
            ReplyLost.lost += 1
            raise OperationalError("server closed the connection unexpectedly")
        return ids


def test_an_append_whose_commit_reply_was_lost_succeeds_once(
    store: EventStore, database_url: str
) -> None:
    """The retry conflicts with the rows the lost attempt committed; they are its own, so
    the append answers as if the first reply had come, and the events are there once."""
    service = bus_on(store)
    planned = _action(service)
    state = store.load("action", planned.id)  # type: ignore[attr-defined]
    recorder = store.recorder
    assert isinstance(recorder, KeyedRecorder)
    recorder.__class__ = ReplyLost
    try:
        event = action_domain.start(state, actor=ACTOR.actor(), at=datetime.now(UTC))
        started, position = store.append("action", state.id, state, [event])
    finally:
        recorder.__class__ = KeyedRecorder
    assert ReplyLost.lost == 1 and started.version == 2
    rows = fetch(
        database_url,
        f"SELECT notification_id FROM tracker_events WHERE originator_id = '{state.id}'"
        " AND originator_version = 2",
    )
    assert [r["notification_id"] for r in rows] == [position]
    stale = action_domain.start(state, actor=ACTOR.actor(), at=datetime.now(UTC))
    with pytest.raises(ConcurrencyConflict):  # without a lost reply: the usual conflict
        store.append("action", state.id, state, [stale])
