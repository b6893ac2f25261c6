"""The read store in process memory: the catalogue rows `projections.catalog.step` makes,
kept in dicts, and every query the API, the pages, the feeds and open data ask, answered
as the PostgreSQL queries answer them (tests/contracts/test_read_store.py runs both on the
same log and compares). It projects lazily: each query first applies what the event store
appended since.

No audit chain is kept here: there is no checkpoint to prove against.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from adapters.memory.log_queries import LogQueries
from adapters.memory.rows import (
    TIMELINE_ROW,
    Row,
    board_key,
    counts,
    grouped,
    matches,
    weighted,
    words,
)
from adapters.readmodels import ActionFilter, BoardCursor


class MemoryReadStore(LogQueries):
    # -- the catalogue --------------------------------------------------------------------------
    async def list_actions(
        self, where: ActionFilter, limit: int, after: BoardCursor | None = None
    ) -> tuple[list[str], BoardCursor | None]:
        rows = [r for r in self._actions() if matches(r, where)]
        if after is not None:
            rows = [r for r in rows if board_key(r) > (after.region_code, after.due_on, after.id)]
        page = rows[:limit]
        last = page[-1] if page and len(rows) > limit else None
        cursor = BoardCursor(*board_key(last)) if last else None
        return [r["public_doc"] for r in page], cursor

    async def list_forums(self) -> list[str]:
        return [r["public_doc"] for r in self._forums()]

    async def forum_doc(self, forum_id: UUID) -> str | None:
        self.catch_up()
        row = self.tables["forum"].get(forum_id)
        return None if row is None else str(row["public_doc"])

    async def list_schedules(self) -> list[str]:
        rows = sorted(self._rows("schedule"), key=lambda r: r["year"])
        return [r["public_doc"] for r in rows]

    async def list_reminders(self, places: list[str] | None, limit: int) -> list[str]:
        rows = [
            r
            for r in self._rows("reminder")
            if places is None or r["region_code"] in places or r["province_code"] in places
        ]
        rows.sort(key=lambda r: r["id"])
        rows.sort(key=lambda r: r["issued_at"], reverse=True)
        return [r["public_doc"] for r in rows[:limit]]

    async def list_closures(self, province_code: str | None) -> list[str]:
        rows = sorted(self._rows("period"), key=lambda r: (r["place_code"], r["id"]))
        rows.sort(key=lambda r: r["closed_at"], reverse=True)
        return [
            r["public_doc"]
            for r in rows
            if province_code is None or r["province_code"] == province_code
        ]

    async def kkp_action_rows(self, place: str | None) -> list[dict[str, Any]]:
        keys = ("id", "title", "owner_opd", "region_code", "province_code", "kkp_criterion")
        out = []
        for r in sorted(self._rows("action"), key=lambda r: (r["region_code"], r["id"])):
            if r["kkp_criterion"] is None or place not in (
                None,
                r["region_code"],
                r["province_code"],
            ):
                continue
            doc = msgspec.json.decode(r["public_doc"])
            out.append(
                {k: r[k] for k in keys}
                | {"status": r["status"], "weight": r["weight"]}
                | {"indicator_type": doc["indicator_type"], "years": doc["figures"]["years"]}
            )
        return out

    async def list_assessments(self, data_year: int | None, place: str | None) -> list[str]:
        rows = sorted(self._rows("assessment"), key=lambda r: (r["region_code"], r["data_year"]))
        return [
            r["public_doc"]
            for r in rows
            if place in (None, r["region_code"], r["province_code"])
            and data_year in (None, r["data_year"])
        ]

    async def list_commitments(self, forum_id: UUID | None, region_code: str | None) -> list[str]:
        return [
            r["public_doc"]
            for r in self._commitments()
            if (forum_id is None or r["forum_id"] == forum_id)
            and (region_code is None or region_code in r["region_codes"])
        ]

    async def counts_by(
        self, group: str, today: date, *, region: str | None = None, province: str | None = None
    ) -> list[Row]:
        rows = [
            r
            for r in self._rows("action")
            if (region is None or r["region_code"] == region)
            and (province is None or r["province_code"] == province)
        ]
        if not group:
            return [counts(rows, today)]
        return [
            {group: key[0], **counts(members, today)}
            for key, members in grouped(rows, lambda r: (r[group],)).items()
        ]

    async def counts_by_commitment_region(self, forum_id: UUID, today: date) -> list[Row]:
        rows = [r for r in self._rows("action") if r["forum_id"] == forum_id]
        by = grouped(rows, lambda r: (r["commitment_id"], r["region_code"], r["province_code"]))
        return [
            {"commitment_id": c, "region_code": r, "province_code": p, **counts(members, today)}
            for (c, r, p), members in by.items()
        ]

    async def search(self, text: str, limit: int) -> list[dict[str, Any]]:
        """The same rows as PostgreSQL's full-text search for plain words: each word must
        begin a word of the row's `search_text` (no Indonesian stemming here, so `latih`
        finds `latihan` but not `pelatihan`; tests ask both stores only what both answer)."""
        wanted = words(text)
        if not wanted:
            return []
        hits = []
        for kind, place in (
            ("action", "region_code"),
            ("commitment", None),
            ("forum", "host_region_code"),
        ):
            for row in self._rows(kind):
                have = words(row["search_text"])
                if all(any(w.startswith(q) for w in have) for q in wanted):
                    found = {"kind": kind, "id": row["id"], "title": row["title"]}
                    hits.append({**found, "place": row[place] if place else None})
        hits.sort(key=lambda h: (h["kind"], h["title"], str(h["id"])))
        return hits[:limit]

    async def matrix(self, dimension: str, province: str | None) -> list[Row]:
        def keys(row: Row) -> list[str]:
            if dimension == "rpjmn":
                return list(row["rpjmn_pns"])
            return [] if row["kkp_criterion"] is None else [str(row["kkp_criterion"])]

        cells: dict[tuple[str, str], list[Row]] = {}
        for row in self._rows("action"):
            if row["status"] != "cancelled" and province in (None, row["province_code"]):
                for key in keys(row):
                    cells.setdefault((row["region_code"], key), []).append(row)
        return [
            {
                "region_code": r,
                "key": k,
                "actions": len(v),
                "completion": weighted(v, "completion"),
                "verified_completion": weighted(v, "verified_completion"),
            }
            for (r, k), v in sorted(cells.items())
        ]

    async def indicator_totals(self, province: str | None) -> list[Row]:
        rows = [
            r
            for r in self._rows("action")
            if r["indicator_name"] is not None
            and r["status"] != "cancelled"
            and province in (None, r["province_code"])
        ]
        by = grouped(rows, lambda r: (r["indicator_name"], r["indicator_unit"]))
        return [
            {
                "indicator_name": name,
                "indicator_unit": unit,
                "actions": len(members),
                "reported": float(sum(m["indicator_value"] or 0 for m in members)),
                "regional_target": float(sum(m["indicator_target"] or 0 for m in members)),
            }
            for (name, unit), members in by.items()
        ]

    async def timeline(self, column: str, code: str, limit: int, before: int | None) -> list[Row]:
        lines = [
            r for r in self._activity() if code in r[column] and r["position"] < (before or 2**62)
        ]
        return [{name: r[name] for name in TIMELINE_ROW} for r in lines[:limit]]

    async def freshness(self) -> tuple[int, Any]:
        return self.catch_up(), self.moved_at

    async def title_of(self, table: str, ident: UUID) -> str | None:
        self.catch_up()
        row = self.tables[table].get(ident)
        return None if row is None else str(row["title"])

    async def feed_rows(self, kind: str, key: Any, limit: int) -> list[Row]:
        wanted = self._in_scope(kind, key)
        commitments = self.tables["commitment"]
        return [
            {
                **{name: r[name] for name in TIMELINE_ROW},
                "region_codes": r["region_codes"],
                "province_codes": r["province_codes"],
                "detail": r["detail"],
                "commitment_forum_id": commitments[r["aggregate_id"]]["forum_id"]
                if r["aggregate_id"] in commitments
                else None,
            }
            for r in [r for r in self._activity() if wanted(r)][:limit]
        ]

    async def activity_between(self, kind: str, value: Any, after: int, upto: int) -> list[Row]:
        wanted = self._in_scope(kind, value)
        lines = sorted(self._rows("activity"), key=lambda r: r["position"])
        return [
            {"position": r["position"], "type": r["type"], "title": r["title"]}
            for r in lines
            if after < r["position"] <= upto and wanted(r)
        ]

    # -- open data --------------------------------------------------------------------------
    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[MemoryReadStore]:
        yield self
