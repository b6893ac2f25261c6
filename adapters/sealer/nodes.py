"""The Merkle tree's interior nodes in PostgreSQL (`audit.node`), so that an inclusion
proof reads O(log n) rows instead of every leaf: the root of each complete aligned subtree
of 2**MIN_LEVEL leaves or more, kept as the chain grows (in the sealing transaction) and
never changed after (a sealed leaf never changes). Smaller subtrees are folded from their
leaves when a proof needs them, at most 2**MIN_LEVEL - 1 leaves per range.

A node that disagrees with the leaves cannot make a false proof pass: every proof is
checked against the signed root before it is answered.
"""

from __future__ import annotations

import asyncio
from typing import Any

from domain.ledger.entries import node_hash
from domain.ledger.merkle import Block, root_of

MIN_LEVEL = 4  # nodes of 16 leaves and up
CHUNK = 1 << 16  # leaves read per step when the nodes catch up with a long chain

NODE_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit.node (
    level smallint NOT NULL,  -- the subtree covers 2^level leaves
    idx bigint NOT NULL,      -- its first leaf is idx * 2^level
    hash bytea NOT NULL,
    PRIMARY KEY (level, idx)
);
"""

Record = tuple[int, int, bytes]


async def covered(conn: Any) -> int:
    """How many leaves, from the first, the stored nodes cover (a multiple of 2**MIN_LEVEL)."""
    count = await conn.fetchval(
        "SELECT coalesce(max(idx) + 1, 0) FROM audit.node WHERE level = $1", MIN_LEVEL
    )
    return int(count) << MIN_LEVEL


def _lowest(leaves: list[bytes], first: int) -> dict[int, bytes]:
    size = 1 << MIN_LEVEL
    return {
        (first >> MIN_LEVEL) + n: root_of(leaves[n * size : (n + 1) * size])
        for n in range(len(leaves) // size)
    }


async def _children(conn: Any, level: int, new: dict[int, bytes], lo: int, hi: int) -> None:
    """Complete `new` (nodes of `level`) with the stored ones in [lo, hi) it lacks."""
    missing = [i for i in range(lo, hi) if i not in new]
    if missing:
        rows = await conn.fetch(
            "SELECT idx, hash FROM audit.node WHERE level = $1 AND idx = ANY($2::bigint[])",
            level,
            missing,
        )
        new.update({int(r["idx"]): bytes(r["hash"]) for r in rows})


async def build(conn: Any, size: int) -> int:
    """Store the nodes of the first `size` sealed leaves that are not stored yet (call it
    in the transaction that seals them); returns how many were added."""
    start, end = await covered(conn), (size >> MIN_LEVEL) << MIN_LEVEL
    added = 0
    while start < end:
        stop = min(end, start + CHUNK)
        rows = await conn.fetch(
            "SELECT leaf_hash FROM audit.chain WHERE idx >= $1 AND idx < $2 ORDER BY idx",
            start,
            stop,
        )
        level, new = (
            MIN_LEVEL,
            await asyncio.to_thread(_lowest, [bytes(r["leaf_hash"]) for r in rows], start),
        )
        records: list[Record] = [(level, i, h) for i, h in new.items()]
        while (stop >> (level + 1)) > (start >> (level + 1)):
            lo, hi = start >> (level + 1), stop >> (level + 1)
            await _children(conn, level, new, 2 * lo, 2 * hi)
            level, new = (
                level + 1,
                {i: node_hash(new[2 * i], new[2 * i + 1]) for i in range(lo, hi)},
            )
            records += [(level, i, h) for i, h in new.items()]
        await conn.copy_records_to_table("node", schema_name="audit", records=records)
        added += len(records)
        start = stop
    return added


async def block_roots(
    conn: Any, blocks: set[Block], leaves_too: frozenset[int] = frozenset()
) -> tuple[dict[Block, bytes], dict[int, bytes]]:
    """The roots of aligned subtrees (from the stored nodes, or folded from their leaves
    when small or not stored yet), and the leaves read on the way (with `leaves_too`)."""
    stored = sorted(b for b in blocks if b[0] >= MIN_LEVEL)
    rows = await conn.fetch(
        "SELECT n.level, n.idx, n.hash FROM unnest($1::smallint[], $2::bigint[]) AS w(level, idx)"
        " JOIN audit.node n ON n.level = w.level AND n.idx = w.idx",
        [b[0] for b in stored],
        [b[1] for b in stored],
    )
    roots = {(int(r["level"]), int(r["idx"])): bytes(r["hash"]) for r in rows}
    small = [b for b in blocks if b not in roots]
    wanted = set(leaves_too) | {i for lvl, j in small for i in range(j << lvl, (j + 1) << lvl)}
    found = await conn.fetch(
        "SELECT idx, leaf_hash FROM audit.chain WHERE idx = ANY($1::bigint[])", sorted(wanted)
    )
    leaves = {int(r["idx"]): bytes(r["leaf_hash"]) for r in found}
    for level, j in small:
        roots[(level, j)] = root_of([leaves[i] for i in range(j << level, (j + 1) << level)])
    return roots, leaves
