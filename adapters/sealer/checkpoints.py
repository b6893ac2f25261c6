"""Signed checkpoints: the Merkle root and chain link of the whole chain so far, signed
with the audit key, never over a chain that no longer matches the last checkpoint."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from adapters.sealer import nodes
from adapters.sealer.chain import (
    BATCH,
    HASH_BATCH,
    chain_tail,
    connection,
    seal_locked,
    sealing,
    table_exists,
)
from adapters.sealer.rotation import retired
from adapters.signing import Signer
from domain import ledger
from domain.ledger import Checkpoint, merkle


class KeyRetired(RuntimeError):
    """A rotation moved the checkpoints to another key: this one signs no more."""


@dataclass(frozen=True)
class SignedCheckpoint:
    checkpoint: Checkpoint
    body: str
    signature: bytes


_LINKS = "SELECT * FROM audit.chain WHERE idx >= $1 AND idx < $2 ORDER BY idx LIMIT $3"


async def checkpoint(
    db: Any, signer: Signer, origin: str, issued_at: datetime, *, min_new: int = 1
) -> Checkpoint | None:
    """Seal, then sign the Merkle root of the whole chain if it grew by `min_new` or more
    since the last checkpoint. Refuses (RuntimeError) to sign over an altered chain, and
    (KeyRetired) to sign with a key a rotation retired."""
    if issued_at.tzinfo is None:
        raise ValueError("issued_at must carry a time zone")
    async with sealing(db) as conn:
        if conn is None:
            return None
        await seal_locked(conn, BATCH)
        if await retired(conn, signer.key_id):
            raise KeyRetired(f"key {signer.key_id} was rotated out; sign with the new key")
        tail = await chain_tail(conn)
        size = int(tail["idx"]) + 1 if tail else 0
        last = await conn.fetchrow(
            "SELECT size, root, link FROM audit.checkpoint ORDER BY size DESC LIMIT 1"
        )
        if size - (last["size"] if last else 0) < max(min_new, 1 if last else 0):
            return None
        accumulator, link = await _resumed(conn, last)
        while accumulator.size < size:
            rows = await conn.fetch(_LINKS, accumulator.size, size, HASH_BATCH)
            link = await asyncio.to_thread(_extend, accumulator, rows, link)
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


async def _resumed(conn: Any, last: Any) -> tuple[ledger.MerkleAccumulator, bytes]:
    """The tree as the last checkpoint signed it, from the stored nodes of its aligned
    subtrees, refused unless their root is the signed one: only the leaves after it are read
    (a checkpoint over millions of events costs O(log n), not a pass over all of them)."""
    if last is None:
        return ledger.MerkleAccumulator(), ledger.GENESIS
    blocks = merkle.aligned_blocks(0, int(last["size"]))
    roots, _ = await nodes.block_roots(conn, set(blocks))
    resumed = ledger.MerkleAccumulator.resume([roots[b] for b in blocks], int(last["size"]))
    if resumed.root() != bytes(last["root"]):
        raise RuntimeError(f"audit.chain no longer matches checkpoint {last['size']}; run verify")
    return resumed, bytes(last["link"])


def _extend(accumulator: ledger.MerkleAccumulator, rows: list[Any], link: bytes) -> bytes:
    """Add a batch of the chain rows after the last checkpoint (whose root `_resumed` has
    checked), each link following the one before."""
    for row in rows or [None]:
        if row is None or row["idx"] != accumulator.size:
            raise RuntimeError("audit.chain has a gap in its indexes; run verify")
        leaf, stored = bytes(row["leaf_hash"]), bytes(row["link"])
        if stored != ledger.chain_link(link, row["position"], leaf):
            raise RuntimeError(f"audit.chain link at {row['position']} does not follow")
        accumulator.append(leaf)
        link = stored
    return link


def signed_of(row: Any) -> SignedCheckpoint:
    body = str(row["body"])
    return SignedCheckpoint(Checkpoint.parse(body.encode()), body, bytes(row["signature"]))


async def latest_checkpoint(db: Any) -> SignedCheckpoint | None:
    async with connection(db) as conn:
        if not await table_exists(conn, "audit.checkpoint"):
            return None
        row = await conn.fetchrow(
            "SELECT body, signature FROM audit.checkpoint ORDER BY size DESC LIMIT 1"
        )
        return signed_of(row) if row else None
