"""Rebuild a projection from the event store into fresh tables, then swap them in.

The new tables live in a schema of their own while they fill, without their secondary
indexes, which are built once the tables are full; the swap renames schemas
in one transaction that holds the projectors' apply lock, after applying whatever
arrived meanwhile. Readers see the old tables until that commit, then the new ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from adapters.projector import (
    APPLY_LOCK,
    apply_rows,
    catch_up_from_store,
    save_position,
)
from adapters.readstore import (
    LIVE,
    create_indexes,
    create_schema,
    head_position,
    projection_position,
    read_notifications,
)
from projections import catalog

NEXT = "rm_next"
OLD = "rm_old"
PROJECTIONS = (catalog.NAME,)
# Events per transaction of a rebuild: an aggregate's row is written once per batch however
# many of its events the batch holds, so bigger batches write far fewer rows (on a 55 k-event
# national sample: 34,875 action upserts at 1,000, 9,504 at 5,000); 5,000 keeps a batch's
# states well within memory.
BATCH = 5000

Progress = Callable[[int, int], None]


async def rebuild(pool: Any, name: str = catalog.NAME, progress: Progress | None = None) -> int:
    """Returns the position the rebuilt projection stands at when it goes live."""
    if name not in PROJECTIONS:
        raise ValueError(f"unknown projection {name!r}; known: {', '.join(PROJECTIONS)}")
    async with pool.acquire() as conn:
        await conn.execute(f"DROP SCHEMA IF EXISTS {NEXT} CASCADE")
    await create_schema(pool, NEXT, indexes=False)
    async with pool.acquire() as conn:
        head = await head_position(conn)
        while await catch_up_from_store(conn, name, NEXT, batch=BATCH):
            if progress is not None:
                progress(await projection_position(conn, name, NEXT), head)
        await create_indexes(conn, NEXT)
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", APPLY_LOCK)
            position = await projection_position(conn, name, NEXT)
            late = await read_notifications(conn, position, 10_000_000)
            if late:
                await apply_rows(conn, late, NEXT)
                position = late[-1]["notification_id"]
            await save_position(conn, name, position, NEXT)
            await conn.execute(f"ALTER SCHEMA {LIVE} RENAME TO {OLD}")
            await conn.execute(f"ALTER SCHEMA {NEXT} RENAME TO {LIVE}")
            await conn.execute(f"DROP SCHEMA {OLD} CASCADE")
            await save_position(conn, name, position)  # notifies waiting readers
    if progress is not None:
        progress(position, max(head, position))
    return position


async def status(pool: Any) -> list[dict[str, Any]]:
    async with pool.acquire() as conn:
        head = await head_position(conn)
        rows = await conn.fetch(f"SELECT name, position, updated_at FROM {LIVE}.position")
    known = {row["name"]: row for row in rows}
    return [
        {
            "name": name,
            "position": known[name]["position"] if name in known else 0,
            "head": head,
            "lag": head - (known[name]["position"] if name in known else 0),
            "updated_at": known[name]["updated_at"] if name in known else None,
        }
        for name in PROJECTIONS
    ]


UNCOUNTED = ("meta", "position")  # bookkeeping: when and how far, not what was projected


async def checksum(pool: Any, schema: str = LIVE) -> tuple[int, dict[str, str]]:
    """(the position, an MD5 per read-model table over its rows in a fixed order), in one
    snapshot: two stores with the same log agree however their read models were built
    (event by event as they came, or rebuilt in batches)."""
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
        tables = await conn.fetch(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name",
            schema,
        )
        sums = {}
        for row in tables:
            table = row["table_name"]
            if table in UNCOUNTED:
                continue
            sums[table] = await conn.fetchval(
                f"SELECT coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), md5(''))"
                f' FROM {schema}."{table}" t'
            )
        position = await projection_position(conn, catalog.NAME, schema)
    return position, sums
