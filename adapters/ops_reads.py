"""The figures /metrics reports, read from PostgreSQL (and NATS) at scrape time: the log's
head, each read model's position, the hash chain's and the last checkpoint's positions,
and the database's size. Each is one index lookup or a catalogue function."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from nats.js.errors import NotFoundError

from adapters.eventstore import EVENTS_TABLE
from adapters.messages import CHANNELS, resume_point
from adapters.readstore import LIVE
from adapters.sealer.chain import table_exists


@dataclass(frozen=True)
class Lags:
    """The log's head and where each follower stands, as read at one scrape."""

    head: int
    projections: dict[str, int]  # read model -> position
    sealed: int | None = None  # last position in the hash chain (None: no chain here)
    checkpoint: tuple[int, datetime] | None = None  # last signed position and when
    database_bytes: int | None = None
    streams: dict[str, int] = field(default_factory=dict)  # NATS stream -> last position


async def lags(pool: Any) -> Lags:
    async with pool.acquire() as conn:
        head = 0
        if await table_exists(conn, EVENTS_TABLE):
            head = int(
                await conn.fetchval(f"SELECT coalesce(max(notification_id), 0) FROM {EVENTS_TABLE}")
            )
        projections: dict[str, int] = {}
        if await table_exists(conn, f"{LIVE}.position"):
            rows = await conn.fetch(f"SELECT name, position FROM {LIVE}.position")
            projections = {str(r["name"]): int(r["position"]) for r in rows}
        sealed = checkpoint = None
        if await table_exists(conn, "audit.chain"):
            sealed = int(await conn.fetchval("SELECT coalesce(max(position), 0) FROM audit.chain"))
            row = await conn.fetchrow(
                "SELECT position, issued_at FROM audit.checkpoint ORDER BY size DESC LIMIT 1"
            )
            checkpoint = (int(row["position"]), row["issued_at"]) if row else None
        size = int(await conn.fetchval("SELECT pg_database_size(current_database())"))
    return Lags(head, projections, sealed, checkpoint, size)


async def stream_positions(nc: Any) -> dict[str, int]:
    """The last position each of the relay's streams holds (a stream not made yet: 0)."""
    js = nc.jetstream()
    found = {}
    for channel in CHANNELS:
        try:
            found[channel.stream] = await resume_point(js, channel.stream)
        except NotFoundError:
            found[channel.stream] = 0
    return found
