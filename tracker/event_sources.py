"""The event log as a pull source for consumers that keep their own position (the mail
delivery, the public fan-out): the events after a position, in order, from the in-memory
store or PostgreSQL's notification log (adapters/nats_feed.py reads JetStream the same way)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from adapters.readstore import read_notifications

# (position, topic, state, aggregate id) of the events after a position, in order
EventSource = Callable[[int, int], Awaitable[list[tuple[int, str, bytes, UUID]]]]


def memory_events(store: Any) -> EventSource:
    """The event source of an in-memory event store."""

    async def read(after: int, limit: int) -> list[tuple[int, str, bytes, UUID]]:
        notes = store.notifications(after, limit)
        return [(n.notification_id, n.topic, bytes(n.state), n.originator_id) for n in notes]

    return read


def _event(row: Any) -> tuple[int, str, bytes, UUID]:
    ident = UUID(bytes=row["originator_id"].bytes)
    return row["notification_id"], row["topic"], bytes(row["state"]), ident


def postgres_events(pool: Any) -> EventSource:
    """The event source of the PostgreSQL event store (its notification log)."""

    async def read(after: int, limit: int) -> list[tuple[int, str, bytes, UUID]]:
        async with pool.acquire() as conn:
            rows = await read_notifications(conn, after, limit)
        return [_event(r) for r in rows]

    return read
