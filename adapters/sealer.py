"""Tamper evidence in PostgreSQL: the hash chain over `tracker_events` (schema `audit`),
signed Merkle checkpoints, inclusion proofs, and the check that recomputes it all.

`seal` extends `audit.chain` (one row per event, in notification order: leaf hash and
chain link, see `domain.ledger`) and `checkpoint` signs the Merkle root of the chain so
far. Anyone holding a checkpoint and the public key can check one event with
`proof_for` + `stored_entry` + `ledger.check_proof`, or the whole log with `verify`.
The functions take an asyncpg pool or a connection.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from adapters.eventstore import EVENTS_TABLE
from adapters.readstore import read_notifications
from adapters.signing import Signer
from domain import ledger
from domain.ledger import Checkpoint, InclusionProof

SEAL_LOCK = 7243004  # session advisory lock: one sealer at a time per database
SCHEMA_LOCK = 7243001  # the DDL lock of readstore.create_schema
BATCH = 1000
HASH_BATCH = 20_000

SCHEMA = """
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
"""


class ProofUnavailable(LookupError):
    """No inclusion proof can be given for this position (yet)."""


class UnknownPosition(ProofUnavailable):
    """No event has this position."""


class NotSealed(ProofUnavailable):
    """The event exists but the chain does not reach it yet."""


class NotCovered(ProofUnavailable):
    """The event is sealed but no (such) checkpoint covers it yet."""


@dataclass(frozen=True)
class SignedCheckpoint:
    checkpoint: Checkpoint
    body: str
    signature: bytes


@contextlib.asynccontextmanager
async def _connection(db: Any) -> AsyncIterator[Any]:
    if hasattr(db, "acquire"):  # a pool
        async with db.acquire() as conn:
            yield conn
    else:
        yield db


async def create_schema(db: Any) -> None:
    async with _connection(db) as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", SCHEMA_LOCK)
        await conn.execute(SCHEMA)


async def _exists(conn: Any, table: str) -> bool:
    return bool(await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", table))


_SAME: Any = object()
NULL_LEAF = ledger.leaf_hash(b"NULL")  # entries start with 0x01: no event hashes to this


def _leaf(row: Mapping[str, Any], position: int | None = None, state: Any = _SAME) -> bytes:
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


def _leaves(rows: list[Any]) -> list[bytes]:
    return [_leaf(row) for row in rows]


@contextlib.asynccontextmanager
async def _sealing(db: Any) -> AsyncIterator[Any]:
    """A connection holding the seal lock, or None when there is no event table yet."""
    async with _connection(db) as conn:
        if not await _exists(conn, EVENTS_TABLE):
            yield None
            return
        if not await _exists(conn, "audit.chain"):
            await create_schema(conn)
        await conn.execute("SELECT pg_advisory_lock($1)", SEAL_LOCK)
        try:
            yield conn
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", SEAL_LOCK)


async def _tail(conn: Any) -> Any:
    return await conn.fetchrow(
        "SELECT idx, position, link FROM audit.chain ORDER BY idx DESC LIMIT 1"
    )


async def chain_size(db: Any) -> int:
    """How many events the chain holds (whoever sealed them)."""
    async with _connection(db) as conn:
        tail = await _tail(conn)
    return 0 if tail is None else int(tail["idx"]) + 1


async def _seal_locked(conn: Any, batch: int) -> int:
    tail = await _tail(conn)
    idx, position = (int(tail["idx"]) + 1, int(tail["position"])) if tail else (0, 0)
    link = bytes(tail["link"]) if tail else ledger.GENESIS
    sealed = 0
    while True:
        async with conn.transaction():
            rows = await read_notifications(conn, position, batch)
            leaves = await asyncio.to_thread(_leaves, rows) if rows else []
            records = []
            for row, leaf in zip(rows, leaves, strict=True):
                position = int(row["notification_id"])
                link = ledger.chain_link(link, position, leaf)
                records.append((idx, position, leaf, link))
                idx += 1
            if records:
                await conn.copy_records_to_table("chain", schema_name="audit", records=records)
        sealed += len(rows)
        if len(rows) < batch:
            return sealed


async def seal(db: Any, *, batch: int = BATCH) -> int:
    """Extend the chain over the events after the last sealed one; how many were added."""
    async with _sealing(db) as conn:
        return 0 if conn is None else await _seal_locked(conn, batch)


_LINKS = "SELECT * FROM audit.chain WHERE idx >= $1 AND idx < $2 ORDER BY idx LIMIT $3"


async def checkpoint(
    db: Any, signer: Signer, origin: str, issued_at: datetime, *, min_new: int = 1
) -> Checkpoint | None:
    """Seal, then sign the Merkle root of the whole chain if it grew by `min_new` or more
    since the last checkpoint. Refuses (RuntimeError) to sign over an altered chain."""
    if issued_at.tzinfo is None:
        raise ValueError("issued_at must carry a time zone")
    async with _sealing(db) as conn:
        if conn is None:
            return None
        await _seal_locked(conn, BATCH)
        tail = await _tail(conn)
        size = int(tail["idx"]) + 1 if tail else 0
        last = await conn.fetchrow(
            "SELECT size, root, link FROM audit.checkpoint ORDER BY size DESC LIMIT 1"
        )
        if size - (last["size"] if last else 0) < max(min_new, 1 if last else 0):
            return None
        accumulator, link = ledger.MerkleAccumulator(), ledger.GENESIS
        while accumulator.size < size:
            rows = await conn.fetch(_LINKS, accumulator.size, size, HASH_BATCH)
            link = await asyncio.to_thread(_extend, accumulator, rows, last, link)
        made = Checkpoint(
            origin=origin,
            size=size,
            position=int(tail["position"]) if tail else 0,
            root=accumulator.root(),
            link=link,
            issued_at=issued_at.isoformat(),
            key_id=signer.key_id,
        )
        body = made.body()
        await conn.execute(
            "INSERT INTO audit.checkpoint VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            made.size,
            made.position,
            made.root,
            made.link,
            body.decode(),
            signer.sign(body),
            made.key_id,
            issued_at,
        )
        return made


def _extend(
    accumulator: ledger.MerkleAccumulator, rows: list[Any], last: Any, link: bytes
) -> bytes:
    """Add a batch of chain rows, checking them against the last checkpoint on the way."""
    signed = (last["size"], bytes(last["root"]), bytes(last["link"])) if last else None
    for row in rows or [None]:
        if row is None or row["idx"] != accumulator.size:
            raise RuntimeError("audit.chain has a gap in its indexes; run verify")
        leaf, stored = bytes(row["leaf_hash"]), bytes(row["link"])
        if signed and accumulator.size == signed[0] and (accumulator.root(), link) != signed[1:]:
            raise RuntimeError(f"audit.chain no longer matches checkpoint {signed[0]}; run verify")
        if accumulator.size >= (signed[0] if signed else 0) and stored != ledger.chain_link(
            link, row["position"], leaf
        ):
            raise RuntimeError(f"audit.chain link at {row['position']} does not follow")
        accumulator.append(leaf)
        link = stored
    return link


def _signed(row: Any) -> SignedCheckpoint:
    body = str(row["body"])
    return SignedCheckpoint(Checkpoint.parse(body.encode()), body, bytes(row["signature"]))


async def latest_checkpoint(db: Any) -> SignedCheckpoint | None:
    async with _connection(db) as conn:
        if not await _exists(conn, "audit.checkpoint"):
            return None
        row = await conn.fetchrow(
            "SELECT body, signature FROM audit.checkpoint ORDER BY size DESC LIMIT 1"
        )
        return _signed(row) if row else None


async def proof_for(db: Any, position: int, size: int | None = None) -> InclusionProof:
    """An inclusion proof of the event at `position` in the checkpoint of `size` (default:
    the latest). ProofUnavailable (a subclass saying why) if there cannot be one."""
    async with _connection(db) as conn:
        if not await _exists(conn, "audit.checkpoint"):
            raise NotCovered("nothing has been sealed and signed yet")
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            row = await conn.fetchrow(
                "SELECT body, signature FROM audit.checkpoint "
                "WHERE size = coalesce($1, size) ORDER BY size DESC LIMIT 1",
                size,
            )
            if row is None:
                raise NotCovered("no checkpoint yet" if size is None else f"no checkpoint {size}")
            signed = _signed(row)
            cp = signed.checkpoint
            index = await conn.fetchval("SELECT idx FROM audit.chain WHERE position = $1", position)
            if index is None:
                head = await conn.fetchval("SELECT max(position) FROM audit.chain")
                stored = await conn.fetchval(
                    f"SELECT 1 FROM {EVENTS_TABLE} WHERE notification_id = $1", position
                )
                if stored and position > (head or 0):
                    raise NotSealed(f"position {position} is not sealed yet")
                raise UnknownPosition(f"position {position} is not in the sealed event log")
            if index >= cp.size:
                raise NotCovered(f"position {position} is after checkpoint {cp.size}")
            rows = await conn.fetch(
                "SELECT leaf_hash FROM audit.chain WHERE idx < $1 ORDER BY idx", cp.size
            )
    leaves = [bytes(r["leaf_hash"]) for r in rows]
    path = await asyncio.to_thread(ledger.inclusion_proof, leaves, int(index), cp.size)
    if not ledger.verify_inclusion(leaves[index], int(index), cp.size, path, cp.root):
        raise RuntimeError(f"audit.chain does not match checkpoint {cp.size}; run verify")
    return InclusionProof(
        position=position,
        index=int(index),
        size=cp.size,
        leaf_hash=leaves[index].hex(),
        path=[p.hex() for p in path],
        checkpoint=signed.body,
        signature=base64.b64encode(signed.signature).decode(),
    )


async def stored_entry(db: Any, position: int) -> dict[str, Any]:
    """The stored event at `position`, as `entry_of` (and `tracker check-proof`) need it."""
    async with _connection(db) as conn:
        row = await conn.fetchrow(
            f"SELECT originator_id, originator_version, topic, state FROM {EVENTS_TABLE} "
            f"WHERE notification_id = $1",
            position,
        )
    if row is None:
        raise UnknownPosition(f"no event at position {position}")
    return {
        "position": position,
        "originator_id": str(row["originator_id"]),
        "originator_version": int(row["originator_version"]),
        "topic": row["topic"],  # NULL only if written by hand: no proof can pass then
        "state": None if row["state"] is None else base64.b64encode(row["state"]).decode(),
    }


def entry_of(record: Mapping[str, Any]) -> bytes:
    """`ledger.entry_bytes` of a `stored_entry` record."""
    return ledger.entry_bytes(
        int(record["position"]),
        UUID(str(record["originator_id"])),
        int(record["originator_version"]),
        str(record["topic"] or ""),
        base64.b64decode(str(record["state"] or ""), validate=True),
    )
