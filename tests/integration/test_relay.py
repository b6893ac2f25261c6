"""The relay against real PostgreSQL and NATS: every event exactly once and in order, across
SIGKILL, a second candidate taking over, and clean restarts. No sleeps: tests wait on the
relay's JSON log lines or on messages arriving from JetStream."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg
import msgspec
import nats
import pytest

from adapters import messages
from adapters.eventstore import EventStore, open_event_store
from adapters.messages import ensure_stream
from adapters.relay import LEADER_LOCK, Relay
from domain import commands as c
from domain.access import Principal
from domain.period import ReportingPeriod
from domain.values import Evidence, Role
from tests.integration.scenario import bus_on, plan_action, seed_commitment

ROOT = Path(__file__).resolve().parents[2]
ACTOR = Principal(user_id="u1", role=Role.SYSTEM, office="Bagian Hukum")
WAIT_S = 30.0
HEAD = "SELECT max(notification_id) FROM tracker_events"
HOLE = "SELECT nextval(pg_get_serial_sequence('tracker_events', 'notification_id'))"
LOCKS = f"SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = {LEADER_LOCK}"
QUEUED = f"{LOCKS} AND NOT granted"


class World:
    """A forum hosted by Kota Pekalongan (33.75), a commitment and actions there."""

    def __init__(self, store: EventStore) -> None:
        self.now = datetime(2026, 3, 1, tzinfo=UTC)
        self.service = bus_on(store, clock=self._tick)
        self.commitment = seed_commitment(self.service, ACTOR)
        self.action: UUID | None = None
        self.written = 0

    def _tick(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now

    def write(self, count: int) -> None:
        """`count` more events: a new action every tenth command, else a reschedule."""
        for _ in range(count):
            n = self.written
            self.written += 1
            if self.action is None or n % 10 == 0:
                self.action = plan_action(
                    self.service, ACTOR, self.commitment, "33.75", title=f"Aksi {n}"
                ).id
            else:
                rescheduled = c.RescheduleAction(
                    action_id=self.action,
                    due_on=date(2027, 1, 1) + timedelta(days=n),
                    reason="anggaran",
                )
                self.service.execute(rescheduled, ACTOR)


@pytest.fixture
def store(database_url: str) -> Iterator[EventStore]:
    event_store = open_event_store(database_url)
    yield event_store
    event_store.close()


@pytest.fixture
def world(store: EventStore) -> World:
    return World(store)


class RelayProcess:
    """`python -m adapters.relay_main` whose JSON log lines we can wait for."""

    def __init__(self, database_url: str, nats_url: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "adapters.relay_main", database_url, nats_url],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: list[dict[str, Any]] = []
        self.eof = False
        self._seen = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            if line.startswith("{"):
                with self._seen:
                    self.lines.append(json.loads(line))
                    self._seen.notify_all()
        with self._seen:
            self.eof = True
            self._seen.notify_all()

    def logged(self, event: str) -> list[dict[str, Any]]:
        with self._seen:
            return [line for line in self.lines if line["event"] == event]

    def wait_for(
        self, event: str, where: Callable[[dict[str, Any]], bool] = bool
    ) -> dict[str, Any]:
        def found() -> dict[str, Any] | None:
            hits = [e for e in self.lines if e["event"] == event and where(e)]
            return hits[0] if hits else None

        with self._seen:
            self._seen.wait_for(lambda: found() is not None or self.eof, WAIT_S)
            hit = found()
        assert hit is not None, f"no {event} in {self.lines[-5:]} (exit {self.process.poll()})"
        return hit

    def wait_published(self, position: int) -> None:
        self.wait_for("relay.published", lambda e: e["position"] >= position)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=WAIT_S)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=WAIT_S)


@dataclass(frozen=True)
class Stored:
    subject: str
    headers: dict[str, str]
    message: messages.EventMessage


async def _stream(nats_url: str, stream: str = messages.STREAM) -> list[Stored]:
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        info = await js.stream_info(stream)
        found = []
        for seq in range(info.state.first_seq, info.state.last_seq + 1):
            raw = await js.get_msg(stream, seq=seq)
            message = messages.decode_message(raw.data)
            found.append(Stored(raw.subject or "", dict(raw.headers or {}), message))
        return found
    finally:
        await nc.close()


async def _query(database_url: str, sql: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(database_url)
    try:
        return list(await conn.fetch(sql))
    finally:
        await conn.close()


async def _until_rows(database_url: str, sql: str) -> None:
    """Repeat a query until it returns rows, within WAIT_S; each round trip is real work,
    not a sleep."""
    conn = await asyncpg.connect(database_url)
    try:
        async with asyncio.timeout(WAIT_S):
            while not await conn.fetch(sql):
                pass
    finally:
        await conn.close()


def table(database_url: str) -> list[asyncpg.Record]:
    sql = "SELECT * FROM tracker_events ORDER BY notification_id"
    return asyncio.run(_query(database_url, sql))


def head(database_url: str) -> int:
    return int(table(database_url)[-1]["notification_id"])


def assert_stream_is_the_log(
    database_url: str, nats_url: str, stream: str = messages.STREAM
) -> list[Stored]:
    """Every row of the events table exactly once, in order, each pointing at the previous."""
    stored = asyncio.run(_stream(nats_url, stream))
    positions = [s.message.position for s in stored]
    assert positions == [r["notification_id"] for r in table(database_url)]
    assert [s.message.previous_position for s in stored] == [0, *positions[:-1]]
    for s in stored:
        assert s.headers["Nats-Msg-Id"] == str(s.message.position)
        assert s.headers[messages.HEADER_POSITION] == str(s.message.position)
        assert s.headers[messages.HEADER_PREVIOUS] == str(s.message.previous_position)
    return stored


def test_publishes_every_event_once_in_order(
    world: World, database_url: str, nats_server_url: str, fresh_stream: None
) -> None:
    world.write(12)

    async def scenario() -> tuple[list[Any], int]:
        nc = await nats.connect(nats_server_url)
        js = nc.jetstream()
        await ensure_stream(js)  # the relay's own call must then accept the existing stream
        sub = await js.subscribe(f"{messages.SUBJECT_ROOT}.>", ordered_consumer=True)
        stop = asyncio.Event()
        relay = Relay(database_url, nats_server_url, batch=5)  # several batches
        task = asyncio.create_task(relay.run(stop))
        try:
            # A rolled-back insert leaves a hole in the notification ids.
            await _query(database_url, HOLE)
            await asyncio.to_thread(world.write, 8)  # written while the relay tails
            last = (await _query(database_url, HEAD))[0][0]
            received = []
            while not received or messages.decode_message(received[-1].data).position < last:
                received.append(await sub.next_msg(timeout=WAIT_S))
            assert relay.is_leader
        finally:
            stop.set()
            await asyncio.wait_for(task, WAIT_S)
            await nc.close()
        locks = await _query(database_url, LOCKS)
        assert not relay.is_leader and not locks  # the lock went with the connection
        assert relay.position == last
        return received, last

    received, last = asyncio.run(scenario())
    rows = table(database_url)
    ids = [r["notification_id"] for r in rows]
    assert len(ids) == 2 + 20 and set(range(1, last + 1)) - set(ids), "expected a hole"
    stored = assert_stream_is_the_log(database_url, nats_server_url)
    assert [messages.decode_message(m.data).position for m in received] == ids
    for s, row in zip(stored, rows, strict=True):
        m = s.message
        expected = (1, row["originator_id"], row["originator_version"], row["topic"])
        assert (m.schema, m.aggregate_id, m.version, m.type) == expected
        assert msgspec.json.decode(m.event) == json.loads(bytes(row["state"]))
    subjects = [s.subject for s in stored]
    root = messages.SUBJECT_ROOT
    assert subjects[:4] == [
        f"{root}.33.33_75.forum.ForumConvened",
        f"{root}._._.commitment.CommitmentMade",
        f"{root}.33.33_75.action.ActionPlanned",
        f"{root}.33.33_75.action.ActionRescheduled",
    ]
    assert stored[3].message.province_code == "33" and stored[3].message.region_code == "33.75"
    assert stored[1].message.province_code is None and stored[1].message.region_code is None


def test_sigkill_mid_stream_then_restart_loses_and_doubles_nothing(
    world: World, database_url: str, nats_server_url: str, fresh_stream: None
) -> None:
    killed = threading.Event()

    def burst() -> None:
        world.write(100)
        killed.wait(WAIT_S)
        world.write(100)  # certainly not all published by the killed relay

    relay = RelayProcess(database_url, nats_server_url)
    writer = threading.Thread(target=burst)
    try:
        relay.wait_for("relay.leader")
        writer.start()
        relay.wait_for("relay.published", lambda e: e["position"] > 50)
        relay.kill()
        killed.set()
        writer.join(WAIT_S)
        final = head(database_url)
        assert max(e["position"] for e in relay.logged("relay.published")) < final
        relay = RelayProcess(database_url, nats_server_url)
        resumed = relay.wait_for("relay.leader")["position"]
        assert 0 < resumed < final
        relay.wait_published(final)
    finally:
        killed.set()
        relay.stop()
    assert len(assert_stream_is_the_log(database_url, nats_server_url)) == 2 + 200


def test_two_relays_one_leader_and_takeover(
    world: World, database_url: str, nats_server_url: str, fresh_stream: None
) -> None:
    first = RelayProcess(database_url, nats_server_url)
    second: RelayProcess | None = None
    try:
        first.wait_for("relay.leader")
        second = RelayProcess(database_url, nats_server_url)
        second.wait_for("relay.waiting")
        world.write(20)
        before_kill = head(database_url)
        first.wait_published(before_kill)
        assert not second.logged("relay.leader")
        first.kill()
        # The standby takes over from the stream's last message.
        assert second.wait_for("relay.leader")["position"] == before_kill
        world.write(20)
        second.wait_published(head(database_url))
    finally:
        first.stop()
        if second is not None:
            assert second.stop() == 0
    assert len(first.logged("relay.leader")) == 1 and len(second.logged("relay.leader")) == 1
    assert len(assert_stream_is_the_log(database_url, nats_server_url)) == 2 + 40


def test_clean_restart_resumes_from_the_stream(
    world: World, database_url: str, nats_server_url: str, fresh_stream: None
) -> None:
    world.write(10)
    relay = RelayProcess(database_url, nats_server_url)
    first_head = head(database_url)
    try:
        assert relay.wait_for("relay.leader")["position"] == 0
        relay.wait_published(first_head)
    finally:
        assert relay.stop() == 0
    assert relay.logged("relay.stopped")
    world.write(10)
    relay = RelayProcess(database_url, nats_server_url)
    try:
        assert relay.wait_for("relay.leader")["position"] == first_head
        relay.wait_published(head(database_url))
    finally:
        assert relay.stop() == 0
    assert relay.logged("relay.published")[0]["count"] == 10  # one batch: exactly the new ones
    assert len(assert_stream_is_the_log(database_url, nats_server_url)) == 2 + 20


def test_a_standby_relay_stops_without_ever_leading(
    world: World, database_url: str, nats_server_url: str, fresh_stream: None
) -> None:
    async def scenario() -> None:
        stop_leader, stop_standby = asyncio.Event(), asyncio.Event()
        leader = Relay(database_url, nats_server_url)
        standby = Relay(database_url, nats_server_url)
        nc = await nats.connect(nats_server_url)
        js = nc.jetstream()
        await ensure_stream(js)
        sub = await js.subscribe(f"{messages.SUBJECT_ROOT}.>", ordered_consumer=True)
        leading = asyncio.create_task(leader.run(stop_leader))
        await sub.next_msg(timeout=WAIT_S)  # the leader is publishing
        waiting = asyncio.create_task(standby.run(stop_standby))
        await asyncio.wait_for(_until_rows(database_url, QUEUED), WAIT_S)  # standby queued
        assert leader.is_leader and not standby.is_leader
        stop_standby.set()
        await asyncio.wait_for(waiting, WAIT_S)
        assert not standby.is_leader and not await _query(database_url, QUEUED)
        stop_leader.set()
        await asyncio.wait_for(leading, WAIT_S)
        await nc.close()
        assert not await _query(database_url, LOCKS)

    asyncio.run(scenario())


def test_the_public_channel_carries_the_public_form_only(
    world: World, database_url: str, nats_server_url: str, fresh_stream: None
) -> None:
    """Its own stream, subjects, leader and positions; no private evidence, no account id."""
    world.write(3)
    assert world.action is not None
    private = Evidence(title="Wawancara", url="https://example.org/rahasia.pdf", public=False)
    notulen = Evidence(title="Notulen", url="https://example.org/notulen.pdf")
    submitted = c.SubmitProgressReport(
        action_id=world.action,
        period=ReportingPeriod.parse("2025-Q4"),
        percent=10.0,
        narrative="Tahap awal",
        evidence=(notulen, private),
    )
    world.service.execute(submitted, ACTOR)
    last = head(database_url)

    async def scenario() -> None:
        stop = asyncio.Event()
        relays = [
            Relay(database_url, nats_server_url, channel=channel) for channel in messages.CHANNELS
        ]
        tasks = [asyncio.create_task(relay.run(stop)) for relay in relays]
        nc = await nats.connect(nats_server_url)
        try:
            js = nc.jetstream()
            for channel in messages.CHANNELS:  # wait until both streams reach the head
                await messages.ensure_stream(js, channel)
                sub = await js.subscribe(f"{channel.subject_root}.>", ordered_consumer=True)
                while (
                    messages.decode_message((await sub.next_msg(timeout=WAIT_S)).data).position
                    < last
                ):
                    pass
            assert all(relay.is_leader for relay in relays)  # one leader per channel
        finally:
            stop.set()
            await asyncio.wait_for(asyncio.gather(*tasks), WAIT_S)
            await nc.close()

    asyncio.run(scenario())
    public = asyncio.run(_stream(nats_server_url, messages.PUBLIC.stream))
    internal = assert_stream_is_the_log(database_url, nats_server_url)
    assert [p.message.position for p in public] == [i.message.position for i in internal]
    assert [p.message.previous_position for p in public] == [0] + [
        p.message.position for p in public[:-1]
    ]
    root = messages.PUBLIC.subject_root
    assert public[0].subject == f"{root}.33.33_75.forum.ForumConvened"
    assert "rahasia" in bytes(internal[-1].message.event).decode()  # the internal form
    for stored in public:
        text = bytes(stored.message.event).decode()
        assert "rahasia" not in text and '"user_id"' not in text, text
    report = msgspec.json.decode(public[-1].message.event)
    assert [e["title"] for e in report["evidence"]] == ["Notulen"]
    assert report["actor"] == {"role": "system", "office": "Bagian Hukum"}
