"""Tails the event store's notification log and keeps the catalogue read model current.

Each batch is applied in one transaction together with the new position, so a crash at
any point neither loses nor doubles an effect. Waiters (read-your-writes) are woken when
the position moves.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import structlog

from adapters import codec
from adapters.eventstore import EVENTS_TABLE
from adapters.readstore import TABLES, projection_position, read_notifications
from domain.registry import EVOLVERS
from projections import catalog

BATCH = 500


async def _current_state(conn: Any, kind: str, aggregate_id: Any) -> Any | None:
    doc = await conn.fetchval(f"SELECT doc FROM {TABLES[kind]} WHERE id = $1", aggregate_id)
    return None if doc is None else codec.decode_state(kind, doc.encode())


async def _upsert(conn: Any, kind: str, state: Any) -> None:
    columns = catalog.COLUMNS[kind](state)
    columns["doc"] = codec.encode(state).decode()
    names = list(columns)
    placeholders = ", ".join(f"${i}" for i in range(1, len(names) + 1))
    updates = ", ".join(f"{n} = excluded.{n}" for n in names if n != "id")
    await conn.execute(
        f"INSERT INTO {TABLES[kind]} ({', '.join(names)}) VALUES ({placeholders}) "
        f"ON CONFLICT (id) DO UPDATE SET {updates}",
        *columns.values(),
    )


async def apply_batch(conn: Any, name: str = catalog.NAME) -> int:
    """Apply the next batch; returns how many notifications were applied."""
    async with conn.transaction():
        position = await projection_position(conn, name)
        rows = await read_notifications(conn, position, BATCH)
        if not rows:
            return 0
        for row in rows:
            kind = codec.aggregate_kind(row["topic"])
            event = codec.decode_event(row["topic"], row["state"])
            state = await _current_state(conn, kind, row["originator_id"])
            if state is not None and state.version >= row["originator_version"]:
                continue  # already applied (never expected, but never doubled)
            await _upsert(conn, kind, EVOLVERS[kind](state, event))
        await conn.execute(
            "INSERT INTO projection_position (name, position, updated_at) VALUES ($1, $2, now()) "
            "ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = now()",
            name,
            rows[-1]["notification_id"],
        )
        return len(rows)


class CatalogProjector:
    """Runs in the server process; `wait_for` lets a read wait for a command's position."""

    def __init__(self, pool: Any) -> None:
        self.pool = pool
        self.position = 0
        self._moved = asyncio.Condition()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        async with self.pool.acquire() as conn:
            self.position = await projection_position(conn, catalog.NAME)
        self._listener = await self.pool.acquire()
        await self._listener.add_listener(EVENTS_TABLE, self._on_notify)
        self._task = asyncio.create_task(self._run(), name="catalog-projector")

    async def _catch_up(self) -> int:
        async with self.pool.acquire() as conn:
            while await apply_batch(conn):
                pass
            return await projection_position(conn, catalog.NAME)

    def _on_notify(self, *_: Any) -> None:
        self._wake.set()

    def poke(self) -> None:
        self._wake.set()

    async def _run(self) -> None:
        log = structlog.get_logger("projector")
        while True:
            self._wake.clear()
            try:
                position = await self._catch_up()
            except Exception:
                # A broken connection or a bad row must not kill the projector for good;
                # the transaction rolled back, so retrying is safe.
                log.exception("projector.batch_failed", projection=catalog.NAME)
                position = self.position
            if position != self.position:
                async with self._moved:
                    self.position = position
                    self._moved.notify_all()
            # NOTIFY wakes us at once; the timeout covers a missed notification.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=1.0)

    async def wait_for(self, position: int, timeout: float) -> bool:
        if self.position >= position:
            return True
        self.poke()
        try:
            async with self._moved:
                await asyncio.wait_for(
                    self._moved.wait_for(lambda: self.position >= position), timeout
                )
        except TimeoutError:
            return False
        return True

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if getattr(self, "_listener", None) is not None:
            await self._listener.remove_listener(EVENTS_TABLE, self._on_notify)
            await self.pool.release(self._listener)
