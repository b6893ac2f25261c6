"""The read store as it stood at one position of the log: the catalogue rows of every
aggregate in a place as they were at that position (`rows_at`, from the rows' kept
versions), answered by the in-memory store's queries; the activity lines, which never
change once written, are read from the live store below that position, and one aggregate's
state is folded from its events up to it.

So an as-of page runs the same query code as the live page, on what the log held then.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from adapters import codec
from adapters.memory.eventstore import MemoryEventStore
from adapters.memory.reads import MemoryReadStore
from adapters.memory.rows import Row
from adapters.sealer.proofs import UnknownPosition
from domain.registry import fold


class AsOfReadStore(MemoryReadStore):
    def __init__(
        self,
        live: Any,
        rows: Mapping[str, Sequence[Row]],
        position: int,
        moved_at: datetime | None,
    ) -> None:
        super().__init__(MemoryEventStore())  # nothing to catch up with: the past is fixed
        self.live = live
        for kind, kept in rows.items():
            self.tables[kind] = {row["id"]: row for row in kept}
        self.position, self.moved_at = position, moved_at

    def catch_up(self) -> int:
        return self.position

    def _below(self, before: int | None) -> int:
        return min(before or 2**62, self.position + 1)

    # -- activity lines: the live store's, up to the position -----------------------------------
    async def timeline(self, column: str, code: str, limit: int, before: int | None) -> list[Row]:
        return list(await self.live.timeline(column, code, limit, self._below(before)))

    async def activity_between(self, kind: str, value: Any, after: int, upto: int) -> list[Row]:
        return list(await self.live.activity_between(kind, value, after, min(upto, self.position)))

    async def feed_rows(self, kind: str, key: Any, limit: int) -> list[Row]:
        """Feeds are subscriptions to what comes next and are not read as of a date; this
        answers the lines up to the position among the newest `limit`."""
        rows = await self.live.feed_rows(kind, key, limit)
        return [r for r in rows if r["position"] <= self.position]

    async def activity_rows(self, names: list[str]) -> list[Row]:
        rows = await self.live.activity_rows([*names, "position"])
        return [{n: r[n] for n in names} for r in rows if r["position"] <= self.position]

    async def region_activity(
        self,
        region_code: str,
        *,
        since: datetime | None,
        until: datetime | None,
        actor: str | None,
        event_type: str | None,
        limit: int,
        before_position: int | None,
        province_wide: bool | None = None,
    ) -> list[Row]:
        return list(
            await self.live.region_activity(
                region_code,
                since=since,
                until=until,
                actor=actor,
                event_type=event_type,
                limit=limit,
                before_position=self._below(before_position),
                province_wide=province_wide,
            )
        )

    # -- the log, cut at the position ---------------------------------------------------------
    async def head_position(self) -> int:
        return self.position

    async def count_events(self) -> int:
        return int(await self.live.count_events())  # the whole log: a count is not as-of

    async def history_rows(self, aggregate_id: UUID) -> list[Row]:
        rows = await self.live.history_rows(aggregate_id)
        return [r for r in rows if r["notification_id"] <= self.position]

    async def load_state(self, kind: str, aggregate_id: UUID) -> Any | None:
        rows = await self.history_rows(aggregate_id)
        if rows and codec.aggregate_kind(rows[0]["topic"]) != kind:
            return None
        return fold(kind, None, (codec.decode_event(r["topic"], bytes(r["state"])) for r in rows))

    async def stored_entry(self, position: int) -> Row:
        if position > self.position:
            raise UnknownPosition(f"no event at position {position} on that date")
        return dict(await self.live.stored_entry(position))

    async def latest_checkpoint(self) -> Any | None:
        return await self.live.latest_checkpoint()

    async def proof_for(self, position: int, size: int | None = None) -> Any:
        return await self.live.proof_for(position, size)

    async def position_at(self, cutoff: datetime) -> tuple[int, datetime | None]:
        return await self.live.position_at(cutoff)  # type: ignore[no-any-return]

    async def rows_at(self, position: int, place: str | None) -> dict[str, list[Row]]:
        return dict(await self.live.rows_at(min(position, self.position), place))
