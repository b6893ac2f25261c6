"""The positions port's contract, on both adapters: readers learn how far the read models
are, `wait_for` answers at once when the position is reached, `wait_beyond` wakes when a
new event is projected (PostgreSQL: its NOTIFY; memory: the store's append hook) and when
the watcher stops. Waits are bounded; nothing sleeps."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import uuid4

import pytest

from adapters import projector, readstore
from adapters.database import Database
from adapters.eventstore import PostgresEventStore
from adapters.memory.eventstore import MemoryEventStore
from adapters.memory.positions import MemoryPositions
from adapters.memory.reads import MemoryReadStore
from adapters.positions import PositionWatcher
from tests.contracts.conftest import BACKENDS
from tests.contracts.test_event_store import convened

WAIT_S = 10.0


class Backend:
    """An event store, its positions, and how to make a written event visible to readers."""

    def __init__(self, store: Any, positions: Any, project: Callable[[], Awaitable[None]]) -> None:
        self.store, self.positions, self.project = store, positions, project

    def write(self) -> int:
        forum_id = uuid4()
        _, position = self.store.append("forum", forum_id, None, [convened(forum_id)])
        return int(position)


async def _memory(run: Callable[[Backend], Awaitable[None]]) -> None:
    store = MemoryEventStore()
    positions = MemoryPositions(MemoryReadStore(store))

    async def nothing() -> None:  # projecting in memory happens as the store appends
        return None

    await positions.start()
    try:
        await run(Backend(store, positions, nothing))
    finally:
        await positions.stop()


async def _postgres(database_url: str, run: Callable[[Backend], Awaitable[None]]) -> None:
    store = PostgresEventStore(database_url)
    await asyncio.to_thread(store.open)
    database = Database(database_url, max_size=3)
    await database.open()
    await readstore.create_schema(database.pool)
    positions = PositionWatcher(database)

    async def project() -> None:
        async with database.pool.acquire() as conn:
            while await projector.catch_up_from_store(conn):
                pass

    await positions.start()
    try:
        await run(Backend(store, positions, project))
    finally:
        await positions.stop()
        await database.close()
        store.close()


@pytest.fixture(params=BACKENDS)
def on(request: pytest.FixtureRequest) -> Callable[[Callable[[Backend], Awaitable[None]]], None]:
    if request.param == "memory":
        return lambda run: asyncio.run(_memory(run))
    url = request.getfixturevalue("database_url")
    return lambda run: asyncio.run(_postgres(url, run))


def test_a_reached_position_answers_at_once_and_a_future_one_times_out(on: Any) -> None:
    async def run(backend: Backend) -> None:
        head = await asyncio.to_thread(backend.write)
        await backend.project()
        assert await backend.positions.wait_for(head, WAIT_S)
        assert backend.positions.position == head
        assert not await backend.positions.wait_for(head + 1, 0.05)

    on(run)


def test_a_waiter_wakes_when_the_next_event_is_projected(on: Any) -> None:
    async def run(backend: Backend) -> None:
        start = backend.positions.position
        waiting = asyncio.ensure_future(backend.positions.wait_beyond(start, WAIT_S))
        written = await asyncio.to_thread(backend.write)
        await backend.project()
        assert await asyncio.wait_for(waiting, WAIT_S) == written > start

    on(run)


def test_stopping_wakes_every_waiter(on: Any) -> None:
    async def run(backend: Backend) -> None:
        waiting = asyncio.ensure_future(backend.positions.wait_beyond(0, WAIT_S))
        await backend.positions.stop()
        assert await asyncio.wait_for(waiting, WAIT_S) == 0
        assert backend.positions.stopped

    on(run)


@pytest.mark.integration
def test_the_watcher_listens_again_when_its_connection_dies(database_url: str) -> None:
    """PostgreSQL restarted or a proxy cut the LISTEN connection: a waiter that never
    touches the database still wakes on the next projected event."""

    async def run(backend: Backend) -> None:
        assert isinstance(backend.positions, PositionWatcher)
        pool = backend.positions.pool
        async with pool.acquire() as conn:
            killed = await conn.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
                " AND datname = current_database()"
            )
        assert killed == 1
        start = backend.positions.position
        waiting = asyncio.ensure_future(backend.positions.wait_beyond(start, WAIT_S))
        written = await asyncio.to_thread(backend.write)
        await backend.project()
        assert await asyncio.wait_for(waiting, WAIT_S) == written > start
        later = await asyncio.to_thread(backend.write)  # and it goes on listening
        waiting = asyncio.ensure_future(backend.positions.wait_beyond(written, WAIT_S))
        await backend.project()
        assert await asyncio.wait_for(waiting, WAIT_S) == later

    asyncio.run(_postgres(database_url, run))
