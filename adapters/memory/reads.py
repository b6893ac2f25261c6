"""The read store in process memory: the catalogue rows `projections.catalog.step` makes,
kept in dicts, and every query the API, the pages, the feeds and open data ask, answered
as the PostgreSQL queries answer them (tests/contracts/test_read_store.py runs both on the
same log and compares). It projects lazily: each query first applies what the event store
appended since.

No audit chain is kept here: there is no checkpoint to prove against.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import msgspec

from adapters import codec
from adapters.memory.eventstore import MemoryEventStore, Notification
from adapters.readmodels import ActionFilter, BoardCursor
from adapters.sealer.proofs import NotCovered, UnknownPosition
from domain.registry import fold
from projections import catalog
from projections.rollups import STATUSES

Row = dict[str, Any]
OPEN = ("planned", "in_progress")
_TIMELINE_ROW = (
    "position",
    "aggregate",
    "aggregate_id",
    "type",
    "at",
    "actor_role",
    "actor_office",
    "title",
)


def _matches(row: Row, where: ActionFilter) -> bool:
    for column in ("region_code", "province_code", "status", "kkp_criterion"):
        wanted = getattr(where, column)
        if wanted is not None and row[column] != wanted:
            return False
    if (
        where.owner_opd is not None
        and where.owner_opd.casefold() not in row["owner_opd"].casefold()
    ):
        return False
    if where.rpjmn_pn is not None and where.rpjmn_pn not in row["rpjmn_pns"]:
        return False
    if where.commitment_id is not None and row["commitment_id"] != where.commitment_id:
        return False
    if where.forum_id is not None and row["forum_id"] != where.forum_id:
        return False
    if where.due_before is not None and not row["due_on"] < where.due_before:
        return False
    return where.overdue_on is None or (row["status"] in OPEN and row["due_on"] < where.overdue_on)


def _board_key(row: Row) -> tuple[str, date, UUID]:
    return (row["region_code"], row["due_on"], row["id"])


def counts(rows: Iterable[Row], today: date) -> Row:
    """What readmodels._COUNTS computes, for one group of action rows."""
    rows = list(rows)
    done = [r for r in rows if r["status"] in ("completed", "verified")]
    return {
        "actions": len(rows),
        **{status: sum(r["status"] == status for r in rows) for status in STATUSES},
        "completion_sum": float(sum(r["completion"] for r in rows if r["status"] != "cancelled")),
        "on_time": sum(r["completed_at"].astimezone(UTC).date() <= r["due_on"] for r in done),
        "overdue": sum(r["status"] in OPEN and r["due_on"] < today for r in rows),
        "reports": sum(r["reports_total"] for r in rows),
        "reports_verified": sum(r["reports_verified"] for r in rows),
        "last_activity": max((r["updated_at"] for r in rows), default=None),
    }


def _grouped(rows: Iterable[Row], key: Callable[[Row], Any]) -> dict[Any, list[Row]]:
    groups: dict[Any, list[Row]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return dict(sorted(groups.items(), key=lambda item: tuple(str(k) for k in item[0])))


class MemoryReadStore:
    def __init__(self, store: MemoryEventStore) -> None:
        self.store = store
        self.tables: dict[str, dict[Any, Row]] = {
            "forum": {}, "commitment": {}, "action": {}, "activity": {}
        }  # fmt: skip
        self.states: dict[UUID, Any] = {}
        self.position = 0
        self.moved_at: datetime | None = None
        self._lock = threading.Lock()

    # -- projection ---------------------------------------------------------------------------
    def catch_up(self) -> int:
        with self._lock:
            for note in self.store.notifications(self.position, self.store.head() - self.position):
                self._apply(note)
            return self.position

    def _apply(self, note: Notification) -> None:
        kind = codec.aggregate_kind(note.topic)
        event = codec.decode_event(note.topic, note.state)
        before = self.states.get(note.originator_id)
        step = catalog.step(kind, before, event, note.originator_version, note.notification_id)
        if step is not None:
            self.states[note.originator_id] = step.state
            for upsert in step.upserts:
                columns = dict(upsert.columns)
                if upsert.table == kind:
                    columns["doc"] = codec.encode(step.state).decode()
                    columns["public_doc"] = codec.encode(columns["public_doc"]).decode()
                self.tables[upsert.table][columns[upsert.key]] = columns
        self.position, self.moved_at = note.notification_id, event.at

    def _rows(self, table: str) -> list[Row]:
        self.catch_up()
        return list(self.tables[table].values())

    def _actions(self) -> list[Row]:
        return sorted(self._rows("action"), key=_board_key)

    # -- the catalogue --------------------------------------------------------------------------
    async def list_actions(
        self, where: ActionFilter, limit: int, after: BoardCursor | None = None
    ) -> tuple[list[str], BoardCursor | None]:
        rows = [r for r in self._actions() if _matches(r, where)]
        if after is not None:
            rows = [r for r in rows if _board_key(r) > (after.region_code, after.due_on, after.id)]
        page = rows[:limit]
        last = page[-1] if page and len(rows) > limit else None
        cursor = BoardCursor(*_board_key(last)) if last else None
        return [r["public_doc"] for r in page], cursor

    def _forums(self) -> list[Row]:
        rows = sorted(self._rows("forum"), key=lambda r: r["id"])
        return sorted(rows, key=lambda r: r["starts_on"], reverse=True)

    def _commitments(self) -> list[Row]:
        rows = sorted(self._rows("commitment"), key=lambda r: r["id"])
        return sorted(rows, key=lambda r: r["made_on"], reverse=True)

    async def list_forums(self) -> list[str]:
        return [r["public_doc"] for r in self._forums()]

    async def forum_doc(self, forum_id: UUID) -> str | None:
        self.catch_up()
        row = self.tables["forum"].get(forum_id)
        return None if row is None else str(row["public_doc"])

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
            for key, members in _grouped(rows, lambda r: (r[group],)).items()
        ]

    async def counts_by_commitment_region(self, forum_id: UUID, today: date) -> list[Row]:
        rows = [r for r in self._rows("action") if r["forum_id"] == forum_id]
        by = _grouped(rows, lambda r: (r["commitment_id"], r["region_code"], r["province_code"]))
        return [
            {"commitment_id": c, "region_code": r, "province_code": p, **counts(members, today)}
            for (c, r, p), members in by.items()
        ]

    async def matrix(self, dimension: str, province: str | None) -> list[Row]:
        def keys(row: Row) -> list[str]:
            if dimension == "rpjmn":
                return list(row["rpjmn_pns"])
            return [] if row["kkp_criterion"] is None else [str(row["kkp_criterion"])]

        cells: dict[tuple[str, str], list[float]] = {}
        for row in self._rows("action"):
            if row["status"] != "cancelled" and province in (None, row["province_code"]):
                for key in keys(row):
                    cells.setdefault((row["region_code"], key), []).append(row["completion"])
        return [
            {"region_code": r, "key": k, "actions": len(v), "completion": sum(v) / len(v)}
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
        by = _grouped(rows, lambda r: (r["indicator_name"], r["indicator_unit"]))
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

    def _activity(self) -> list[Row]:
        return sorted(self._rows("activity"), key=lambda r: r["position"], reverse=True)

    async def timeline(self, column: str, code: str, limit: int, before: int | None) -> list[Row]:
        lines = [
            r for r in self._activity() if code in r[column] and r["position"] < (before or 2**62)
        ]
        return [{name: r[name] for name in _TIMELINE_ROW} for r in lines[:limit]]

    async def freshness(self) -> tuple[int, Any]:
        return self.catch_up(), self.moved_at

    async def title_of(self, table: str, ident: UUID) -> str | None:
        self.catch_up()
        row = self.tables[table].get(ident)
        return None if row is None else str(row["title"])

    def _in_scope(self, kind: str, value: Any) -> Callable[[Row], bool]:
        if kind in ("", "national"):
            return lambda r: True
        if kind == "region":
            return lambda r: value in r["region_codes"]
        if kind == "province":
            return lambda r: value in r["province_codes"]
        if kind == "action":
            return lambda r: r["aggregate_id"] == value
        owned = {value} | {
            r["id"]
            for t in ("commitment", "action")
            for r in self._rows(t)
            if r["forum_id"] == value
        }
        return lambda r: r["aggregate_id"] in owned

    async def feed_rows(self, kind: str, key: Any, limit: int) -> list[Row]:
        wanted = self._in_scope(kind, key)
        commitments = self.tables["commitment"]
        return [
            {
                **{name: r[name] for name in _TIMELINE_ROW},
                "region_codes": r["region_codes"],
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

    async def action_rows(self, names: list[str], today: date) -> list[Row]:
        def value(row: Row, name: str) -> Any:
            if name == "description":
                return msgspec.json.decode(row["public_doc"]).get("description")
            if name == "overdue":
                return row["status"] in OPEN and row["due_on"] < today
            return row[name]

        return [{name: value(r, name) for name in names} for r in self._actions()]

    async def commitment_rows(self) -> list[Row]:
        actions = self._rows("action")
        forums = self.tables["forum"]
        out = []
        for c in self._commitments():
            doc = msgspec.json.decode(c["public_doc"])
            forum = forums.get(c["forum_id"])
            out.append(
                {
                    **{k: c[k] for k in ("id", "forum_id", "title", "status", "made_on")},
                    **{k: c[k] for k in ("rpjmn_pns", "kkp_criteria", "updated_at")},
                    "summary": doc.get("summary"),
                    "forum_title": forum["title"] if forum else None,
                    "signatory_codes": c["region_codes"],
                    "actions": sum(a["commitment_id"] == c["id"] for a in actions),
                    "signatory_offices": [s.get("office") for s in doc.get("signatories", [])],
                }
            )
        return out

    async def forum_rows(self) -> list[Row]:
        commitments, actions = self._rows("commitment"), self._rows("action")
        return [
            {
                "public_doc": f["public_doc"],
                "updated_at": f["updated_at"],
                "commitments": sum(c["forum_id"] == f["id"] for c in commitments),
                "actions": sum(a["forum_id"] == f["id"] for a in actions),
            }
            for f in self._forums()
        ]

    async def action_docs(self) -> list[Any]:
        return [r["public_doc"] for r in self._actions()]

    async def activity_rows(self, names: list[str]) -> list[Row]:
        return [{name: r[name] for name in names} for r in self._activity()]

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
        wide = "." not in region_code if province_wide is None else province_wide
        column = "province_codes" if wide else "region_codes"
        lines = [
            r
            for r in self._activity()
            if region_code in r[column]
            and (before_position is None or r["position"] < before_position)
            and (since is None or r["at"] >= since)
            and (until is None or r["at"] < until)
            and (actor is None or r["actor_id"] == actor)
            and (event_type is None or r["type"] == event_type)
        ]
        return lines[:limit]

    # -- the event log ----------------------------------------------------------------------
    async def count_events(self) -> int:
        return self.store.head()

    async def head_position(self) -> int:
        return self.store.head()

    async def history_rows(self, aggregate_id: UUID) -> list[Row]:
        return [
            {
                "notification_id": n.notification_id,
                "originator_version": n.originator_version,
                "topic": n.topic,
                "state": n.state,
            }
            for n in self.store.stream(aggregate_id)
        ]

    async def load_state(self, kind: str, aggregate_id: UUID) -> Any | None:
        stream = self.store.stream(aggregate_id)
        if stream and codec.aggregate_kind(stream[0].topic) != kind:
            return None
        return fold(kind, None, (codec.decode_event(n.topic, n.state) for n in stream))

    async def stored_entry(self, position: int) -> Row:
        notes = self.store.notifications(position - 1, 1) if position > 0 else []
        if not notes:
            raise UnknownPosition(f"no event at position {position}")
        note = notes[0]
        return {
            "position": position,
            "originator_id": str(note.originator_id),
            "originator_version": note.originator_version,
            "topic": note.topic,
            "state": base64.b64encode(note.state).decode(),
        }

    async def latest_checkpoint(self) -> None:
        return None

    async def proof_for(self, position: int, size: int | None = None) -> Any:
        raise NotCovered("nothing has been sealed and signed yet")
