"""KKP HAM readiness per region × data year: the tracker's own estimate, never the official
score (pure functions over the action rows the catalogue already holds).

Each action tagged with a KKP HAM criterion sits in one cell: its right × its indicator type
(structure, process, outcome). For a data year only reports whose period falls in that
calendar year count (`figures.years` on the action's document, computed by the domain).
A cell's verified figure is, by the indicator list's `cell_rule`, the best verified figure
among its actions (`max`) or their mean weighted by each action's weight (`mean`); a cell
weighs what its indicators weigh in the list. The estimate is

    readiness = Σ cell weight × cell verified figure ÷ Σ indicator weights   (0–100)

beside the same sum over claimed figures, which is shown and never counted. Cancelled
actions count in neither. docs/kkp-ham.md explains it for readers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from domain.kkp import CellRule, IndicatorSet
from domain.values import KKP_CRITERIA, IndicatorType

TYPES = tuple(IndicatorType)


def _year(row: Mapping[str, Any], year: int) -> dict[str, Any]:
    found: dict[str, Any] = (row.get("years") or {}).get(str(year)) or {}
    return found


def _cell_value(rule: CellRule, items: list[dict[str, Any]], measure: str) -> float:
    if not items:
        return 0.0
    if rule is CellRule.MAX:
        return max(float(i[measure]) for i in items)
    weights = sum(int(i["weight"]) for i in items)
    return sum(int(i["weight"]) * float(i[measure]) for i in items) / weights


def readiness(
    indicators: IndicatorSet, year: int, rows: Iterable[Mapping[str, Any]]
) -> dict[str, Any]:
    """The grid and the estimate for one region's action rows (those of other regions or
    without a criterion are the caller's to leave out; they would be counted)."""
    cells: dict[tuple[int, IndicatorType], list[dict[str, Any]]] = {
        (c, t): [] for c in KKP_CRITERIA for t in TYPES
    }
    for row in rows:
        if row.get("kkp_criterion") is None or row.get("status") == "cancelled":
            continue
        kind = IndicatorType(row.get("indicator_type") or IndicatorType.PROCESS)
        facts = _year(row, year)
        cells[(int(row["kkp_criterion"]), kind)].append(
            {
                "id": str(row["id"]),
                "title": row["title"],
                "owner_opd": row.get("owner_opd", ""),
                "weight": int(row.get("weight") or 1),
                "claimed": float(facts.get("claimed", 0.0)),
                "verified": float(facts.get("verified", 0.0)),
                "reports": int(facts.get("reports", 0)),
                "reports_verified": int(facts.get("reports_verified", 0)),
                "evidence": int(facts.get("evidence", 0)),
                "evidence_verified": int(facts.get("evidence_verified", 0)),
            }
        )
    total = indicators.total_weight
    grid: list[dict[str, Any]] = []
    points = claimed_points = 0.0
    for (criterion, kind), items in cells.items():
        weight = indicators.cell_weight(criterion, kind)
        verified = _cell_value(indicators.cell_rule, items, "verified")
        claimed = _cell_value(indicators.cell_rule, items, "claimed")
        points += weight * verified
        claimed_points += weight * claimed
        grid.append(
            {
                "criterion": criterion,
                "type": kind.value,
                "weight": weight,
                "verified": round(verified, 1),
                "claimed": round(claimed, 1),
                "evidence_verified": sum(i["evidence_verified"] for i in items),
                "evidence": sum(i["evidence"] for i in items),
                "gap": verified == 0,
                "actions": items,
            }
        )
    score = round(points / total, 1) if total else None
    verified_rights = {c["criterion"] for c in grid if not c["gap"]}
    return {
        "data_year": year,
        "indicator_set": indicators.version,
        "illustrative": indicators.illustrative,
        "cell_rule": indicators.cell_rule.value,
        "threshold": indicators.threshold,
        "readiness": score,
        "claimed_readiness": round(claimed_points / total, 1) if total else None,
        "meets_threshold": score is not None and score >= indicators.threshold,
        "gaps": {
            "rights": [c for c in KKP_CRITERIA if c not in verified_rights],
            "cells": [{"criterion": c["criterion"], "type": c["type"]} for c in grid if c["gap"]],
        },
        "cells": grid,
    }


def by_region(
    indicators: IndicatorSet, year: int, rows: Iterable[Mapping[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Readiness of every region that has a KKP HAM-tagged action, by region code."""
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["region_code"], []).append(row)
    return {code: readiness(indicators, year, items) for code, items in sorted(grouped.items())}
