"""Summaries, roll-ups and rankings computed from per-group counts (pure functions).

Completion is the mean of the non-cancelled actions' completion weighted by each action's
`weight` (1 unless its region set another when planning or amending it), so a large action
counts more than a small one only when the region said so in the log. `completion` is what
regions claim (their latest reports and declarations, verified or not);
`verified_completion` counts only what a Kanwil verified, and rankings order by it.
Shares are None when there is nothing to divide, never a misleading 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

STATUSES = ("planned", "in_progress", "completed", "verified", "cancelled")
COUNTS = (
    *STATUSES,
    "actions",
    "weight_sum",
    "completion_sum",
    "verified_completion_sum",
    "on_time",
    "overdue",
    "reports",
    "reports_verified",
)


def _share(part: float, whole: float) -> float | None:
    return round(part / whole, 3) if whole else None


def merge(rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Add counts of several groups (e.g. all kab/kota of a province)."""
    total: dict[str, Any] = dict.fromkeys(COUNTS, 0)
    total["last_activity"] = None
    for row in rows:
        for key in COUNTS:
            total[key] += row[key] or 0
        if row["last_activity"] and (
            total["last_activity"] is None or row["last_activity"] > total["last_activity"]
        ):
            total["last_activity"] = row["last_activity"]
    return total


def summary(row: Mapping[str, Any]) -> dict[str, Any]:
    weights = row["weight_sum"]
    done = row["completed"] + row["verified"]
    return {
        "actions": row["actions"],
        "by_status": {s: row[s] for s in STATUSES if row[s]},
        "completion": round(row["completion_sum"] / weights, 1) if weights else None,
        "verified_completion": (
            round(row["verified_completion_sum"] / weights, 1) if weights else None
        ),
        "on_time_share": _share(row["on_time"], done),
        "overdue": row["overdue"],
        "verified_share": _share(row["reports_verified"], row["reports"]),
        "last_activity": row["last_activity"],
    }


def ranking(entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Best first: verified completion (a claim alone does not rank), then claimed
    completion, verified share, on-time share; no actions last."""

    def key(entry: dict[str, Any]) -> tuple[float, float, float, float, str]:
        s = entry["summary"]
        return (
            -(s["verified_completion"] if s["verified_completion"] is not None else -1),
            -(s["completion"] if s["completion"] is not None else -1),
            -(s["verified_share"] or 0),
            -(s["on_time_share"] or 0),
            entry["code"],
        )

    ranked = sorted(entries, key=key)
    for rank, entry in enumerate(ranked, start=1):
        entry["rank"] = rank
    return ranked


def signatory_progress(signatory_code: str, rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """A signatory's own implementation: the actions of that region itself. A province's
    kab/kota signed (or not) on their own, so their actions are not the province's."""
    return summary(merge(r for r in rows if r["region_code"] == signatory_code))


def _standing(doc: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if doc is None:
        return None
    figures = doc.get("figures", {})
    return {
        "status": doc["status"],
        "completion": figures.get("completion"),
        "verified_completion": figures.get("verified_completion"),
        "reports": len(doc.get("reports", ())),
    }


def action_changes(
    before: Iterable[Mapping[str, Any]], after: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Each action whose standing (status, claimed and verified completion, reports)
    differs between two public readings, with both; new actions have no `from`."""
    then = {doc["id"]: doc for doc in before}
    changed = []
    for doc in after:
        old, new = _standing(then.get(doc["id"])), _standing(doc)
        if old != new:
            changed.append(
                {
                    "id": doc["id"],
                    "title": doc["title"],
                    "region_code": doc["region_code"],
                    "owner_opd": doc["owner_opd"],
                    "from": old,
                    "to": new,
                }
            )
    return changed
