"""`verify`: recompute the hash chain and every signed checkpoint from `tracker_events`
and name the first position that does not match (see `verify` for the kinds)."""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from adapters.eventstore import EVENTS_TABLE
from adapters.sealer.chain import BATCH, HASH_BATCH, connection, leaf_of, table_exists
from adapters.sealer.rotation import rotations
from adapters.signing import Keyring
from domain import ledger
from domain.ledger import Checkpoint


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    checked: int  # sealed events that matched
    unsealed: int  # events after the last sealed position
    checkpoints: int  # signed checkpoints that matched
    first_bad_position: int | None = None
    problem: str | None = None  # one line, starting with the kind
    kind: str | None = None  # changed/missing/inserted/swapped/reordered/chain/checkpoint/rotation
    keys: tuple[str, ...] = field(default=(), compare=False)  # ids checkpoints may use


async def verify(
    db: Any, keys: Keyring, progress: Callable[[int, int], None] | None = None
) -> VerifyReport:
    """Recompute leaves, links and roots from `tracker_events` and compare them with
    `audit.chain` and every signed checkpoint, in one snapshot; report the first mismatch:

    changed: an event's bytes differ from its seal; swapped / reordered: two events' states
    / whole rows were exchanged; missing: a sealed position is gone (or the log and chain
    were cut back below a signed checkpoint); inserted: an unsealed row inside the sealed
    range; chain: audit.chain itself was altered; checkpoint: a bad signature, or the
    events and audit.chain were rewritten consistently somewhere in the range named.
    Cutting back the log, the chain and the newest checkpoints together is only seen
    against a checkpoint kept elsewhere (compare it with `latest_checkpoint`).

    Checkpoints verify with `keys` and the keys signed rotations connect to them;
    rotation: a stored rotation statement is not signed by both keys it names."""
    async with connection(db) as conn:
        if not await table_exists(conn, EVENTS_TABLE):
            return VerifyReport(ok=True, checked=0, unsealed=0, checkpoints=0)
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            keys, refused = keys.widened(s.signed for s in await rotations(conn))
            check = _Check(conn, keys)
            if refused:
                return check.report(_Problem("rotation", None, refused[0]))
            try:
                await check.scan(progress)
            except _Problem as problem:
                return check.report(await check.explain(problem))
            return check.report(None)


class _Problem(Exception):
    def __init__(self, kind: str, position: int | None, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind, self.position = kind, position


# Events and seals side by side in position order, a batch at a time: the batch ends at
# the HASH_BATCH-th position of either table, so both sides hold every row up to there.
_MERGED = f"""
WITH bound AS (SELECT coalesce(least(
    (SELECT notification_id FROM {EVENTS_TABLE} WHERE notification_id > $1
     ORDER BY notification_id OFFSET $2 - 1 LIMIT 1),
    (SELECT position FROM audit.chain WHERE position > $1 ORDER BY position OFFSET $2 - 1 LIMIT 1)
), 9223372036854775807) AS b)
SELECT coalesce(e.notification_id, c.position) AS position, e.notification_id, e.originator_id,
       e.originator_version, e.topic, e.state, c.idx, c.leaf_hash, c.link
FROM (SELECT * FROM {EVENTS_TABLE}
      WHERE notification_id > $1 AND notification_id <= (SELECT b FROM bound)) e
FULL JOIN (SELECT * FROM audit.chain WHERE position > $1 AND position <= (SELECT b FROM bound)) c
ON c.position = e.notification_id ORDER BY 1
"""
_JOINED = (
    f"SELECT e.notification_id, e.originator_id, e.originator_version, e.topic, e.state, "
    f"c.leaf_hash FROM {EVENTS_TABLE} e JOIN audit.chain c ON c.position = e.notification_id"
)


def _merged_leaves(rows: list[Any]) -> list[bytes | None]:
    return [None if row["notification_id"] is None else leaf_of(row) for row in rows]


class _Check:
    def __init__(self, conn: Any, keys: Keyring) -> None:
        self.conn, self.keys = conn, keys
        self.checked = self.unsealed = self.checkpoints = 0
        self.accumulator, self.link = ledger.MerkleAccumulator(), ledger.GENESIS
        self.since: int | None = None  # the first position after the last good checkpoint
        self.pending: deque[Any] = deque()

    def report(self, problem: _Problem | None) -> VerifyReport:
        return VerifyReport(
            ok=problem is None,
            checked=self.checked,
            unsealed=self.unsealed,
            checkpoints=self.checkpoints,
            first_bad_position=problem.position if problem else None,
            problem=str(problem) if problem else None,
            kind=problem.kind if problem else None,
            keys=tuple(self.keys.ids()),
        )

    async def scan(self, progress: Callable[[int, int], None] | None) -> None:
        total = int(await self.conn.fetchval(f"SELECT count(*) FROM {EVENTS_TABLE}"))
        if not await table_exists(self.conn, "audit.chain"):
            self.unsealed = total
            return
        head = int(await self.conn.fetchval("SELECT coalesce(max(position), 0) FROM audit.chain"))
        self.pending.extend(await self.conn.fetch("SELECT * FROM audit.checkpoint ORDER BY size"))
        self._checkpoints(0)
        read = 0
        # Pipelined: PostgreSQL reads the next batch while this process hashes the last one.
        pending = asyncio.ensure_future(self.conn.fetch(_MERGED, 0, HASH_BATCH))
        try:
            while rows := await pending:
                pending = asyncio.ensure_future(
                    self.conn.fetch(_MERGED, int(rows[-1]["position"]), HASH_BATCH)
                )
                leaves = await asyncio.to_thread(_merged_leaves, rows)
                for row, leaf in zip(rows, leaves, strict=True):
                    self._row(int(row["position"]), row, leaf, head)
                read += sum(row["notification_id"] is not None for row in rows)
                if progress is not None:
                    progress(read, total)
        finally:
            if not pending.done():  # a problem was found: let the read finish, unused, so
                with contextlib.suppress(Exception):  # the snapshot stays usable to explain
                    await pending
        if self.pending:
            size = self.pending[0]["size"]
            left = f"{self.accumulator.size} sealed events are left, the last at {head}"
            raise _Problem("missing", head + 1, f"signed checkpoint {size} covers more: {left}")

    def _row(self, position: int, row: Any, leaf: bytes | None, head: int) -> None:
        if row["idx"] is None:
            if position < head:
                why = f"position {position} was never sealed yet lies inside the sealed range"
                raise _Problem("inserted", position, f"{why} (up to {head})")
            self.unsealed += 1
            return
        if row["idx"] != self.accumulator.size:
            why = f"audit.chain row {row['idx']} (position {position}) is out of order"
            raise _Problem("chain", position, why)
        if leaf is None:
            why = f"position {position} was sealed but is no longer in {EVENTS_TABLE}"
            raise _Problem("missing", position, why)
        link = ledger.chain_link(self.link, position, leaf)
        same_leaf, same_link = leaf == bytes(row["leaf_hash"]), link == bytes(row["link"])
        if not same_leaf and not same_link:
            why = f"position {position}: the event's bytes differ from when it was sealed"
            raise _Problem("changed", position, why)
        if not same_leaf:
            why = f"position {position}: audit.chain's leaf hash was altered (the link holds)"
            raise _Problem("chain", position, why)
        if not same_link:
            why = f"position {position}: audit.chain's link does not follow (rewritten seal)"
            raise _Problem("chain", position, why)
        self.link = link
        self.accumulator.append(leaf)
        self.checked += 1
        self.since = position if self.since is None else self.since
        self._checkpoints(position)

    def _head(self, position: int) -> tuple[int, bytes, bytes]:
        return position, self.accumulator.root(), self.link

    def _checkpoints(self, position: int) -> None:
        while self.pending and self.pending[0]["size"] == self.accumulator.size:
            row = self.pending.popleft()
            body, signature = str(row["body"]).encode(), bytes(row["signature"])
            where = f"signed checkpoint {row['size']} (positions {self.since}..{position})"
            try:
                signed = Checkpoint.parse(body)
            except ValueError as error:
                raise _Problem("checkpoint", self.since, f"{where}: {error}") from None
            stored = (row["size"], row["position"], bytes(row["root"]), bytes(row["link"]))
            verifier = self.keys.verifier(signed.key_id)
            if verifier is None:
                known = ", ".join(self.keys.ids())
                why = f"signed with key {signed.key_id}, which is not one of the keys ({known})"
            elif not verifier(body, signature):
                why = f"the signature does not verify with its key (key id {signed.key_id})"
            elif (signed.size, signed.position, signed.root, signed.link) != stored:
                why = "its columns differ from the signed body"
            elif (signed.position, signed.root, signed.link) != self._head(position):
                why = "root and link do not match: events and seals were rewritten in that range"
            else:
                self.checkpoints += 1
                self.since = None
                continue
            raise _Problem("checkpoint", self.since, f"{where}: {why}")

    async def explain(self, problem: _Problem) -> _Problem:
        """Is a changed event one of two that were exchanged? Look for the other one."""
        if problem.kind != "changed" or problem.position is None:
            return problem
        first = await self.conn.fetchrow(f"{_JOINED} WHERE position = $1", problem.position)
        after = problem.position
        query = f"{_JOINED} WHERE e.notification_id > $1 ORDER BY e.notification_id LIMIT $2"
        while rows := await self.conn.fetch(query, after, BATCH):
            found = await asyncio.to_thread(_exchanged, first, rows)
            if found is not None:
                return found
            after = int(rows[-1]["notification_id"])
        return problem


def _exchanged(first: Any, rows: list[Any]) -> _Problem | None:
    p, p_leaf = int(first["notification_id"]), bytes(first["leaf_hash"])
    for other in rows:
        q, q_leaf = int(other["notification_id"]), bytes(other["leaf_hash"])
        if leaf_of(other) == q_leaf:
            continue
        if leaf_of(other, p) == p_leaf and leaf_of(first, q) == q_leaf:
            return _Problem("reordered", p, f"the events at positions {p} and {q} were exchanged")
        if leaf_of(first, state=other["state"]) == p_leaf and (
            leaf_of(other, state=first["state"]) == q_leaf
        ):
            return _Problem("swapped", p, f"the states of positions {p} and {q} were swapped")
    return None
