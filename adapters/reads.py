"""The read store on PostgreSQL: one object with every query the application asks of the
read models and the event log, so handlers take a `ReadStore` (tracker/ports.py) and the
in-memory store (adapters/memory/reads.py) can stand in for it. The SQL stays in the query
modules this delegates to."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date, datetime
from typing import Any
from uuid import UUID

from adapters import (
    audit_queries,
    kkp_reads,
    open_data,
    readmodels,
    readstore,
    schedule_reads,
    sealer,
    search,
)
from adapters.readmodels import ActionFilter, BoardCursor


class PostgresReadStore:
    def __init__(self, source: Callable[[], Any]) -> None:
        self._source = source  # the pool (opened at start-up) or one connection

    @property
    def db(self) -> Any:
        return self._source()

    async def list_actions(
        self, where: ActionFilter, limit: int, after: BoardCursor | None = None
    ) -> tuple[list[str], BoardCursor | None]:
        return await readmodels.list_actions(self.db, where, limit, after)

    async def list_forums(self) -> list[str]:
        return await readmodels.list_forums(self.db)

    async def forum_doc(self, forum_id: UUID) -> str | None:
        return await readmodels.forum_doc(self.db, forum_id)

    async def list_closures(self, province_code: str | None) -> list[str]:
        return await readmodels.list_closures(self.db, province_code)

    async def list_schedules(self) -> list[str]:
        return await schedule_reads.list_schedules(self.db)

    async def list_reminders(self, places: list[str] | None, limit: int) -> list[str]:
        return await schedule_reads.list_reminders(self.db, places, limit)

    async def kkp_action_rows(self, place: str | None) -> list[dict[str, Any]]:
        return await kkp_reads.kkp_action_rows(self.db, place)

    async def list_assessments(self, data_year: int | None, place: str | None) -> list[str]:
        return await kkp_reads.list_assessments(self.db, data_year, place)

    async def list_commitments(self, forum_id: UUID | None, region_code: str | None) -> list[str]:
        return await readmodels.list_commitments(self.db, forum_id, region_code)

    async def counts_by(
        self, group: str, today: date, *, region: str | None = None, province: str | None = None
    ) -> list[Any]:
        return await readmodels.counts_by(self.db, group, today, region=region, province=province)

    async def counts_by_commitment_region(self, forum_id: UUID, today: date) -> list[Any]:
        return await readmodels.counts_by_commitment_region(self.db, forum_id, today)

    async def search(self, text: str, limit: int) -> list[dict[str, Any]]:
        return await search.search(self.db, text, limit)

    async def matrix(self, dimension: str, province: str | None) -> list[Any]:
        return await readmodels.matrix(self.db, dimension, province)

    async def indicator_totals(self, province: str | None) -> list[Any]:
        return await readmodels.indicator_totals(self.db, province)

    async def timeline(self, column: str, code: str, limit: int, before: int | None) -> list[Any]:
        return await readmodels.timeline(self.db, column, code, limit, before)

    async def freshness(self) -> tuple[int, Any]:
        return await readmodels.freshness(self.db)

    async def title_of(self, table: str, ident: UUID) -> str | None:
        return await readmodels.title_of(self.db, table, ident)

    async def feed_rows(self, kind: str, key: Any, limit: int) -> list[Any]:
        return await readmodels.feed_rows(self.db, kind, key, limit)

    async def activity_between(self, kind: str, value: Any, after: int, upto: int) -> list[Any]:
        return await readmodels.activity_between(self.db, kind, value, after, upto)

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[PostgresReadStore]:
        """The same queries on one repeatable-read snapshot (an open-data download)."""
        async with open_data.snapshot(self.db) as conn:
            yield PostgresReadStore(lambda: conn)

    async def action_rows(self, names: list[str], today: date) -> list[dict[str, Any]]:
        return await open_data.action_rows(self.db, names, today)

    async def commitment_rows(self) -> list[dict[str, Any]]:
        return await open_data.commitment_rows(self.db)

    async def forum_rows(self) -> list[dict[str, Any]]:
        return await open_data.forum_rows(self.db)

    async def action_docs(self) -> list[Any]:
        return await open_data.action_docs(self.db)

    async def activity_rows(self, names: list[str]) -> list[dict[str, Any]]:
        return await open_data.activity_rows(self.db, names)

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
    ) -> list[dict[str, Any]]:
        return await audit_queries.region_activity(
            self.db,
            region_code,
            since=since,
            until=until,
            actor=actor,
            event_type=event_type,
            limit=limit,
            before_position=before_position,
            province_wide=province_wide,
        )

    async def count_events(self) -> int:
        return await readstore.count_events(self.db)

    async def head_position(self) -> int:
        return await readstore.head_position(self.db)

    async def history_rows(self, aggregate_id: UUID) -> list[Any]:
        return await readstore.history_rows(self.db, aggregate_id)

    async def load_state(self, kind: str, aggregate_id: UUID) -> Any | None:
        return await readstore.load_state(self.db, kind, aggregate_id)

    async def position_at(self, cutoff: datetime) -> tuple[int, datetime | None]:
        return await readstore.position_at(self.db, cutoff)

    async def rows_at(self, position: int, place: str | None) -> dict[str, list[dict[str, Any]]]:
        return await readstore.rows_at(self.db, position, place)

    async def stored_entry(self, position: int) -> dict[str, Any]:
        return await sealer.stored_entry(self.db, position)

    async def latest_checkpoint(self) -> sealer.SignedCheckpoint | None:
        return await sealer.latest_checkpoint(self.db)

    async def key_rotations(self) -> list[sealer.StoredRotation]:
        return await sealer.rotations(self.db)

    async def proof_for(self, position: int, size: int | None = None) -> Any:
        return await sealer.proof_for(self.db, position, size)
