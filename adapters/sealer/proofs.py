"""Inclusion proofs of one event in a signed checkpoint, and the stored event's bytes, so
anyone with the public key can check it offline (`ledger.check_proof`)."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from adapters.eventstore import EVENTS_TABLE
from adapters.sealer import nodes
from adapters.sealer.chain import connection, table_exists
from adapters.sealer.checkpoints import signed_of
from domain import ledger
from domain.ledger import InclusionProof, merkle


class ProofUnavailable(LookupError):
    """No inclusion proof can be given for this position (yet)."""


class UnknownPosition(ProofUnavailable):
    """No event has this position."""


class NotSealed(ProofUnavailable):
    """The event exists but the chain does not reach it yet."""


class NotCovered(ProofUnavailable):
    """The event is sealed but no (such) checkpoint covers it yet."""


async def _path(conn: Any, index: int, size: int) -> tuple[bytes, list[bytes]]:
    """The leaf at `index` and its audit path in the tree of `size` leaves, from the stored
    nodes (one read) and the few leaves of the ranges' small tails (another)."""
    ranges = [merkle.aligned_blocks(lo, hi) for lo, hi in merkle.proof_ranges(index, size)]
    blocks = {b for bs in ranges for b in bs}
    roots, leaves = await nodes.block_roots(conn, blocks, frozenset({index}))
    return leaves[index], [merkle.fold_blocks([roots[b] for b in bs]) for bs in ranges]


async def proof_for(db: Any, position: int, size: int | None = None) -> InclusionProof:
    """An inclusion proof of the event at `position` in the checkpoint of `size` (default:
    the latest). ProofUnavailable (a subclass saying why) if there cannot be one."""
    async with connection(db) as conn:
        if not await table_exists(conn, "audit.checkpoint"):
            raise NotCovered("nothing has been sealed and signed yet")
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            row = await conn.fetchrow(
                "SELECT body, signature FROM audit.checkpoint "
                "WHERE size = coalesce($1, size) ORDER BY size DESC LIMIT 1",
                size,
            )
            if row is None:
                raise NotCovered("no checkpoint yet" if size is None else f"no checkpoint {size}")
            signed = signed_of(row)
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
            leaf, path = await _path(conn, int(index), cp.size)
    if not ledger.verify_inclusion(leaf, int(index), cp.size, path, cp.root):
        raise RuntimeError(f"audit.chain does not match checkpoint {cp.size}; run verify")
    return InclusionProof(
        position=position,
        index=int(index),
        size=cp.size,
        leaf_hash=leaf.hex(),
        path=[p.hex() for p in path],
        checkpoint=signed.body,
        signature=base64.b64encode(signed.signature).decode(),
    )


async def stored_entry(db: Any, position: int) -> dict[str, Any]:
    """The stored event at `position`, as `entry_of` (and `tracker check-proof`) need it."""
    async with connection(db) as conn:
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
