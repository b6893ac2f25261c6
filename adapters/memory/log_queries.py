"""The in-memory read store's open-data, audit and event-log queries (the twins of
adapters/open_data.py, audit_queries.py and readstore.py)."""

from __future__ import annotations

import base64
import bisect
from datetime import date, datetime
from typing import Any
from uuid import UUID

import msgspec

from adapters import codec
from adapters.audit_queries import COLUMNS as ACTIVITY_COLUMNS
from adapters.audit_queries import is_province_code
from adapters.memory.rows import MemoryRows, Row, overdue
from adapters.sealer.proofs import NotCovered, UnknownPosition
from domain.registry import AGGREGATE_EVENTS, fold


class LogQueries(MemoryRows):
    async def action_rows(self, names: list[str], today: date) -> list[Row]:
        def value(row: Row, name: str) -> Any:
            if name == "description":
                return msgspec.json.decode(row["public_doc"]).get("description")
            if name == "overdue":
                return overdue(row, today)
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
        wide = is_province_code(region_code) if province_wide is None else province_wide
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
        return [{name: r[name] for name in ACTIVITY_COLUMNS} for r in lines[:limit]]

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

    async def position_at(self, cutoff: datetime) -> tuple[int, datetime | None]:
        before = [r for r in self._activity() if r["recorded_until"] < cutoff]
        if not before:
            return 0, None
        last = max(before, key=lambda r: r["position"])
        return last["position"], last["recorded_until"]

    async def rows_at(self, position: int, place: str | None) -> dict[str, list[Row]]:
        """What adapters/readstore.rows_at answers, from the rows' kept versions."""
        self.catch_up()
        ids = {
            r["aggregate_id"]: r["aggregate"]
            for r in self._activity()
            if r["position"] <= position
            and (
                place is None
                or r["aggregate"] in ("forum", "period", "schedule")
                or place in r["region_codes"]
                or place in r["province_codes"]
            )
        }
        for row in self.tables["reminder"].values():  # private: no activity line of their own
            if place is None or place in (row["region_code"], row["province_code"]):
                ids[row["id"]] = "reminder"
        out: dict[str, list[Row]] = {kind: [] for kind in AGGREGATE_EVENTS}
        for aggregate_id, kind in ids.items():
            versions = self.history.get(aggregate_id, [])
            at = bisect.bisect_right(versions, position, key=lambda v: v[0])
            if at:
                out[kind].append(dict(versions[at - 1][1]))
        return out

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

    async def key_rotations(self) -> list[Any]:
        return []  # nothing is signed in memory, so no key was ever rotated

    async def proof_for(self, position: int, size: int | None = None) -> Any:
        raise NotCovered("nothing has been sealed and signed yet")
