"""The rows of the in-memory read store: the catalogue tables as `projections.catalog.step`
makes them, projected lazily from the memory event store, and the row logic the queries
share (filters, counts, grouping) — the Python twins of adapters/readmodels.py's SQL."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from adapters import codec
from adapters.memory.eventstore import MemoryEventStore, Notification
from adapters.readmodels import ActionFilter
from projections import catalog
from projections.rollups import STATUSES

Row = dict[str, Any]


def overdue(row: Row, today: date) -> bool:
    """What the SQL `overdue_from <= today` says (domain Action.overdue_from)."""
    return row["overdue_from"] is not None and row["overdue_from"] <= today


TIMELINE_ROW = (
    "position",
    "aggregate",
    "aggregate_id",
    "type",
    "at",
    "actor_role",
    "actor_office",
    "title",
)


def matches(row: Row, where: ActionFilter) -> bool:
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
    return where.overdue_on is None or overdue(row, where.overdue_on)


def board_key(row: Row) -> tuple[str, date, UUID]:
    return (row["region_code"], row["due_on"], row["id"])


def counts(rows: Iterable[Row], today: date) -> Row:
    """What readmodels._COUNTS computes, for one group of action rows."""
    rows = list(rows)
    done = [r for r in rows if r["status"] in ("completed", "verified")]
    live = [r for r in rows if r["status"] != "cancelled"]
    return {
        "actions": len(rows),
        **{status: sum(r["status"] == status for r in rows) for status in STATUSES},
        "weight_sum": sum(r["weight"] for r in live),
        "completion_sum": float(sum(r["weight"] * r["completion"] for r in live)),
        "verified_completion_sum": float(sum(r["weight"] * r["verified_completion"] for r in live)),
        "on_time": sum(r["completed_at"].astimezone(UTC).date() <= r["due_on"] for r in done),
        "overdue": sum(overdue(r, today) for r in rows),
        "reports": sum(r["reports_total"] for r in rows),
        "reports_verified": sum(r["reports_verified"] for r in rows),
        "last_activity": max((r["updated_at"] for r in rows), default=None),
    }


def words(text: str) -> list[str]:
    """Lower-cased words (letters and digits) of a text."""
    return re.findall(r"\w+", text.lower())


def weighted(rows: list[Row], column: str) -> float:
    """The weighted mean of a column over action rows, as readmodels.matrix computes it."""
    return float(sum(r["weight"] * r[column] for r in rows) / sum(r["weight"] for r in rows))


def grouped(rows: Iterable[Row], key: Callable[[Row], Any]) -> dict[Any, list[Row]]:
    groups: dict[Any, list[Row]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return dict(sorted(groups.items(), key=lambda item: tuple(str(k) for k in item[0])))


class MemoryRows:
    def __init__(self, store: MemoryEventStore) -> None:
        self.store = store
        self.tables: dict[str, dict[Any, Row]] = {
            "forum": {},
            "commitment": {},
            "action": {},
            "period": {},
            "assessment": {},
            "import_batch": {},
            "schedule": {},
            "reminder": {},
            "activity": {},
        }
        self.states: dict[UUID, Any] = {}
        # every version of each catalogue row, by position (adapters/readstore.py HISTORY)
        self.history: dict[UUID, list[tuple[int, Row]]] = {}
        self.position = 0
        self.moved_at: datetime | None = None
        self.recorded_until: datetime | None = None  # as adapters/projector.py marks it
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
            for upsert in codec.stored_rows(kind, step):
                self.tables[upsert.table][upsert.columns[upsert.key]] = upsert.columns
                if upsert.table == "activity":
                    until = max(event.at, self.recorded_until or event.at)
                    upsert.columns["recorded_until"] = self.recorded_until = until
                elif upsert.table == kind:
                    version = {k: v for k, v in upsert.columns.items() if k != "doc"}
                    self.history.setdefault(note.originator_id, []).append(
                        (note.notification_id, version)
                    )
        self.position, self.moved_at = note.notification_id, event.at

    def _rows(self, table: str) -> list[Row]:
        self.catch_up()
        return list(self.tables[table].values())

    def _actions(self) -> list[Row]:
        return sorted(self._rows("action"), key=board_key)

    def _forums(self) -> list[Row]:
        rows = sorted(self._rows("forum"), key=lambda r: r["id"])
        return sorted(rows, key=lambda r: r["starts_on"], reverse=True)

    def _commitments(self) -> list[Row]:
        rows = sorted(self._rows("commitment"), key=lambda r: r["id"])
        return sorted(rows, key=lambda r: r["made_on"], reverse=True)

    def _activity(self) -> list[Row]:
        return sorted(self._rows("activity"), key=lambda r: r["position"], reverse=True)

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
