"""The relay and the projector as separate processes, killed with SIGKILL mid-burst and
restarted: the read models end identical to a rebuild, nothing missing or doubled."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from adapters import messages, readstore
from adapters.eventstore import EventStore, open_event_store
from adapters.rebuild import rebuild
from tests.integration.test_projections import World, checksum

ROOT = Path(__file__).resolve().parents[2]


class Worker:
    """A `tracker relay` / `tracker project` process whose JSON log we can wait on."""

    def __init__(self, which: str, database_url: str, nats_url: str) -> None:
        env = {
            **os.environ,
            "TRACKER_DATABASE_URL": database_url,
            "TRACKER_NATS_URL": nats_url,
            "TRACKER_LOG_FORMAT": "json",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tracker.cli", which],
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
            env=env,
            cwd=ROOT,
        )
        self.events: list[dict[str, Any]] = []
        self._seen = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        """Relay lines of the public channel are left out: these tests follow the internal
        stream (the public one is tested in test_relay.py)."""
        assert self.process.stderr is not None
        for line in self.process.stderr:
            if line.startswith("{"):
                event = json.loads(line)
                if event.get("stream", messages.STREAM) != messages.STREAM:
                    continue
                with self._seen:
                    self.events.append(event)
                    self._seen.notify_all()

    def wait_until(self, match: Any, timeout: float = 60) -> dict[str, Any]:
        with self._seen:
            found = self._seen.wait_for(lambda: any(match(e) for e in self.events), timeout)
        assert found, f"not seen in {self.events[-5:]}"
        return next(e for e in self.events if match(e))

    def wait_for_log(self, event: str, timeout: float = 60) -> dict[str, Any]:
        return self.wait_until(lambda e: e["event"] == event, timeout)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)


@pytest.fixture
def store(database_url: str) -> Iterator[EventStore]:
    event_store = open_event_store(database_url)
    yield event_store
    event_store.close()


async def wait_for_projection(database_url: str, position: int, timeout: float = 60) -> None:
    """Wait for the projector's NOTIFY of a position (no polling, no sleeping)."""
    import asyncpg

    conn = await asyncpg.connect(database_url)
    reached = asyncio.Event()

    def on_notify(_c: Any, _p: int, _ch: str, payload: str) -> None:
        if int(payload.rpartition(":")[2]) >= position:
            reached.set()

    try:
        await conn.add_listener("tracker_projection", on_notify)
        current = await conn.fetchval(
            f"SELECT coalesce(max(position), 0) FROM {readstore.LIVE}.position"
        )
        if current < position:
            await asyncio.wait_for(reached.wait(), timeout)
    finally:
        await conn.close()


async def compare_with_rebuild(database_url: str) -> tuple[dict[str, str], dict[str, str]]:
    pool = await readstore.create_pool(database_url, max_size=3)
    try:
        async with pool.acquire() as conn:
            incremental = await checksum(conn)
        await rebuild(pool)
        async with pool.acquire() as conn:
            return incremental, await checksum(conn)
    finally:
        await pool.close()


def test_sigkill_relay_and_projector_mid_burst(
    store: EventStore, database_url: str, nats_server_url: str, fresh_stream: None
) -> None:
    world = World(store)
    relay = Worker("relay", database_url, nats_server_url)
    projector = Worker("project", database_url, nats_server_url)
    try:
        relay.wait_for_log("relay.leader")
        projector.wait_for_log("projector.started")

        def burst() -> None:
            for n in range(150):
                world.run((("plan", "report", "review", "resubmit")[n % 4], n, n + 1))

        writer = threading.Thread(target=burst)
        writer.start()
        relay.wait_for_log("relay.published")  # killed while the burst is still going
        relay.kill()
        projector.kill()
        writer.join()
        relay = Worker("relay", database_url, nats_server_url)
        projector = Worker("project", database_url, nats_server_url)
        head = asyncio.run(head_of(database_url))
        asyncio.run(wait_for_projection(database_url, head))
    finally:
        relay.stop()
        projector.stop()
    assert_stream_is_the_log(database_url, nats_server_url)
    incremental, rebuilt = asyncio.run(compare_with_rebuild(database_url))
    assert incremental == rebuilt
    gaps = [e for e in projector.events if e["event"] == "projector.stream_behind_catching_up"]
    assert not gaps, "the projector had to bypass NATS"


async def head_of(database_url: str) -> int:
    pool = await readstore.create_pool(database_url, max_size=1)
    try:
        return await readstore.head_position(pool)
    finally:
        await pool.close()


async def stream_positions(nats_url: str) -> list[tuple[int, int]]:
    """(position, previous_position) of every message in the stream, in stream order."""
    import nats

    from adapters import messages

    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        last = (await js.stream_info(messages.STREAM)).state.last_seq
        found = []
        for seq in range(1, last + 1):
            message = messages.decode_message((await js.get_msg(messages.STREAM, seq=seq)).data)
            found.append((message.position, message.previous_position))
        return found
    finally:
        await nc.close()


async def table_positions(database_url: str) -> list[int]:
    pool = await readstore.create_pool(database_url, max_size=1)
    try:
        rows = await pool.fetch("SELECT notification_id FROM tracker_events ORDER BY 1")
        return [r["notification_id"] for r in rows]
    finally:
        await pool.close()


def assert_stream_is_the_log(database_url: str, nats_url: str) -> None:
    stream = asyncio.run(stream_positions(nats_url))
    assert [p for p, _ in stream] == asyncio.run(table_positions(database_url))
    assert [prev for _, prev in stream] == [0] + [p for p, _ in stream[:-1]]


async def leader_lock_holders(
    database_url: str, wanted: tuple[int, int], within: float = 20.0
) -> tuple[int, int]:
    """(granted, waiting) sessions on the relay's advisory lock, once they are `wanted` or
    `within` seconds have passed: a relay logs that it waits just before it asks for the
    lock, so on a busy machine the lock request can come a moment after the log line."""
    from adapters.relay import LEADER_LOCK

    pool = await readstore.create_pool(database_url, max_size=1)
    deadline = time.monotonic() + within
    try:
        while True:
            rows = await pool.fetch(
                "SELECT granted FROM pg_locks WHERE locktype = 'advisory' AND objid = $1",
                LEADER_LOCK,
            )
            seen = sum(r["granted"] for r in rows), sum(not r["granted"] for r in rows)
            if seen == wanted or time.monotonic() > deadline:
                return seen
    finally:
        await pool.close()


def test_two_relays_one_publisher_and_takeover(
    store: EventStore, database_url: str, nats_server_url: str, fresh_stream: None
) -> None:
    world = World(store)
    first = Worker("relay", database_url, nats_server_url)
    second: Worker | None = None
    try:
        first.wait_for_log("relay.leader")
        second = Worker("relay", database_url, nats_server_url)
        second.wait_for_log("relay.waiting")
        assert asyncio.run(leader_lock_holders(database_url, (1, 1))) == (1, 1)
        for n in range(20):
            world.run((("plan", "report")[n % 2], n, n))
        first.wait_for_log("relay.published")
        first.kill()
        second.wait_for_log("relay.leader")
        for n in range(20, 40):
            world.run((("report", "review")[n % 2], n, n))
        head = asyncio.run(head_of(database_url))
        second.wait_until(lambda e: e["event"] == "relay.published" and e["position"] >= head)
    finally:
        first.stop()
        if second is not None:
            second.stop()
    assert_stream_is_the_log(database_url, nats_server_url)


def test_clean_restart_resumes_from_the_stream(
    store: EventStore, database_url: str, nats_server_url: str, fresh_stream: None
) -> None:
    world = World(store)
    for n in range(10):
        world.run(("plan", n, n))
    relay = Worker("relay", database_url, nats_server_url)
    head = asyncio.run(head_of(database_url))
    relay.wait_until(lambda e: e["event"] == "relay.published" and e["position"] >= head)
    relay.stop()
    for n in range(10, 20):
        world.run(("report", n, n))
    relay = Worker("relay", database_url, nats_server_url)
    leader = relay.wait_for_log("relay.leader")
    assert leader["position"] == head  # resumed from the last message in the stream
    head = asyncio.run(head_of(database_url))
    relay.wait_until(lambda e: e["event"] == "relay.published" and e["position"] >= head)
    relay.stop()
    assert_stream_is_the_log(database_url, nats_server_url)
