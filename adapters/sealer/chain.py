"""The hash chain in PostgreSQL: `audit.chain` holds one row per event of `tracker_events`,
in notification order, with its leaf hash and chain link (see `domain.ledger`). `seal`
extends it, one sealer at a time (advisory lock)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping
from typing import Any

from adapters.eventstore import EVENTS_TABLE
from adapters.readstore import read_notifications
from adapters.sealer import nodes
from domain import ledger

SEAL_LOCK = 7243004  # session advisory lock: one sealer at a time per database
SCHEMA_LOCK = 7243001  # the DDL lock of readstore.create_schema
BATCH = 1000
HASH_BATCH = 20_000

SCHEMA = (
    """
CREATE SCHEMA IF NOT EXISTS audit;
CREATE TABLE IF NOT EXISTS audit.chain (
    idx bigint PRIMARY KEY,  -- 0-based leaf index
    position bigint UNIQUE NOT NULL,
    leaf_hash bytea NOT NULL,
    link bytea NOT NULL
);
CREATE TABLE IF NOT EXISTS audit.checkpoint (
    size bigint PRIMARY KEY,
    position bigint NOT NULL,
    root bytea NOT NULL,
    link bytea NOT NULL,
    body text NOT NULL,
    signature bytea NOT NULL,
    key_id text NOT NULL,
    issued_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS audit.key_rotation (
    new_key_id text PRIMARY KEY,  -- a key is introduced once
    old_key_id text UNIQUE NOT NULL,  -- and retired once
    body text NOT NULL,  -- domain.ledger.rotation
    old_signature bytea NOT NULL,
    new_signature bytea NOT NULL,
    at timestamptz NOT NULL
);
"""
    + nodes.NODE_SCHEMA
)


@contextlib.asynccontextmanager
async def connection(db: Any) -> AsyncIterator[Any]:
    if hasattr(db, "acquire"):  # a pool
        async with db.acquire() as conn:
            yield conn
    else:
        yield db


async def create_schema(db: Any) -> None:
    async with connection(db) as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", SCHEMA_LOCK)
        await conn.execute(SCHEMA)


async def table_exists(conn: Any, table: str) -> bool:
    return bool(await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", table))


_SAME: Any = object()
# ledger.leaf_hash(b"NULL"), written out so importing hashes nothing (a test checks it);
# entries start with 0x01, so no event hashes to this.
NULL_LEAF = bytes.fromhex("204f47664867af161a28de47a0baafe5aed9c840d4807080a8f28575274dfbe5")


def leaf_of(row: Mapping[str, Any], position: int | None = None, state: Any = _SAME) -> bytes:
    """The leaf hash of a `tracker_events` row (optionally moved to another position or
    given another state); a row with a NULL topic or state gets `NULL_LEAF`."""
    state = row["state"] if state is _SAME else state
    if row["topic"] is None or state is None:
        return NULL_LEAF
    position = int(row["notification_id"]) if position is None else position
    return ledger.leaf_hash(
        ledger.entry_bytes(
            position, row["originator_id"], int(row["originator_version"]), row["topic"], state
        )
    )


def leaves_of(rows: list[Any]) -> list[bytes]:
    return [leaf_of(row) for row in rows]


@contextlib.asynccontextmanager
async def sealing(db: Any) -> AsyncIterator[Any]:
    """A connection holding the seal lock, or None when there is no event table yet."""
    async with connection(db) as conn:
        if not await table_exists(conn, EVENTS_TABLE):
            yield None
            return
        if not await table_exists(conn, "audit.chain"):
            await create_schema(conn)
        await conn.execute("SELECT pg_advisory_lock($1)", SEAL_LOCK)
        try:
            yield conn
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", SEAL_LOCK)


async def chain_tail(conn: Any) -> Any:
    return await conn.fetchrow(
        "SELECT idx, position, link FROM audit.chain ORDER BY idx DESC LIMIT 1"
    )


async def chain_size(db: Any) -> int:
    """How many events the chain holds (whoever sealed them)."""
    async with connection(db) as conn:
        tail = await chain_tail(conn)
    return 0 if tail is None else int(tail["idx"]) + 1


async def seal_locked(conn: Any, batch: int) -> int:
    tail = await chain_tail(conn)
    idx, position = (int(tail["idx"]) + 1, int(tail["position"])) if tail else (0, 0)
    link = bytes(tail["link"]) if tail else ledger.GENESIS
    sealed = 0
    while True:
        async with conn.transaction():
            rows = await read_notifications(conn, position, batch)
            leaves = await asyncio.to_thread(leaves_of, rows) if rows else []
            records = []
            for row, leaf in zip(rows, leaves, strict=True):
                position = int(row["notification_id"])
                link = ledger.chain_link(link, position, leaf)
                records.append((idx, position, leaf, link))
                idx += 1
            if records:
                await conn.copy_records_to_table("chain", schema_name="audit", records=records)
            await nodes.build(conn, idx)  # a chain sealed before the nodes existed: all of it
        sealed += len(rows)
        if len(rows) < batch:
            return sealed


async def seal(db: Any, *, batch: int = BATCH) -> int:
    """Extend the chain over the events after the last sealed one; how many were added."""
    async with sealing(db) as conn:
        return 0 if conn is None else await seal_locked(conn, batch)
