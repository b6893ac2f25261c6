"""The readiness estimate (projections/kkp.py) against grids computed by hand."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec

from adapters.reference_data import kkp_indicators
from domain import action
from domain.kkp import CellRule, IndicatorSet, KkpIndicator
from domain.values import IndicatorType
from projections import kkp

from .helpers import (
    REPORT_1,
    REPORT_2,
    action_planned,
    action_started,
    given,
    report_returned,
    report_submitted,
    report_verified,
)

REPORT_3 = UUID(int=0x3333)

S, P, OUT = IndicatorType.STRUCTURE, IndicatorType.PROCESS, IndicatorType.OUTCOME


def indicators(rule: CellRule = CellRule.MAX, weights: tuple[int, int, int] = (3, 4, 3)) -> Any:
    """Two rights (5 and 6), one indicator per type; weights structure/process/outcome."""
    items = tuple(
        KkpIndicator(id=f"{c}.{t.value[0].upper()}1", criterion=c, type=t, weight=w, text="x")
        for c in (5, 6)
        for t, w in zip((S, P, OUT), weights, strict=True)
    )
    return IndicatorSet(
        version="uji", illustrative=True, note="", threshold=75, cell_rule=rule, method="",
        indicators=items,
    )  # fmt: skip


def row(criterion: int, kind: IndicatorType, years: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "id": extra.pop("id", f"a-{criterion}-{kind.value}"),
        "title": "Aksi",
        "owner_opd": "Dindukcapil",
        "region_code": "33.75",
        "province_code": "33",
        "kkp_criterion": criterion,
        "indicator_type": kind.value,
        "status": extra.pop("status", "in_progress"),
        "weight": extra.pop("weight", 1),
        "years": years,
    }


def year(claimed: float, verified: float, evidence: int = 1) -> dict[str, Any]:
    return {
        "claimed": claimed,
        "verified": verified,
        "reports": 1,
        "reports_verified": int(verified > 0),
        "evidence": evidence,
        "evidence_verified": evidence if verified else 0,
    }


def cell(grid: dict[str, Any], criterion: int, kind: IndicatorType) -> dict[str, Any]:
    found: dict[str, Any] = next(
        c for c in grid["cells"] if (c["criterion"], c["type"]) == (criterion, kind.value)
    )
    return found


def test_verified_work_counts_by_its_cells_weight():
    # right 5: structure verified 100 (weight 3), process verified 50 (weight 4)
    rows = [row(5, S, {"2022": year(100, 100)}), row(5, P, {"2022": year(80, 50)})]
    grid = kkp.readiness(indicators(), 2022, rows)
    # (3 × 100 + 4 × 50) ÷ 20 = 25.0 ; claimed (3 × 100 + 4 × 80) ÷ 20 = 31.0
    assert grid["readiness"] == 25.0 and grid["claimed_readiness"] == 31.0
    assert not grid["meets_threshold"] and grid["threshold"] == 75
    assert cell(grid, 5, P)["verified"] == 50.0 and cell(grid, 5, P)["claimed"] == 80.0
    assert cell(grid, 5, OUT)["gap"] and not cell(grid, 5, S)["gap"]
    assert 6 in grid["gaps"]["rights"] and 5 not in grid["gaps"]["rights"]
    assert len(grid["cells"]) == 30  # ten rights × three types, whatever the list holds


def test_a_right_with_only_claimed_work_scores_nothing():
    rows = [row(6, S, {"2022": year(100, 0)}), row(6, OUT, {"2022": year(90, 0)})]
    grid = kkp.readiness(indicators(), 2022, rows)
    assert grid["readiness"] == 0.0
    assert grid["claimed_readiness"] == (3 * 100 + 3 * 90) / 20
    assert 6 in grid["gaps"]["rights"]
    assert cell(grid, 6, S)["gap"] and cell(grid, 6, S)["evidence"] == 1
    assert cell(grid, 6, S)["evidence_verified"] == 0


def test_a_report_in_another_data_year_does_not_count():
    rows = [row(5, S, {"2021": year(100, 100), "2023": year(100, 100)})]
    assert kkp.readiness(indicators(), 2022, rows)["readiness"] == 0.0
    assert kkp.readiness(indicators(), 2023, rows)["readiness"] == 15.0  # 3 × 100 ÷ 20


def test_weights_from_the_reference_file_change_the_figure():
    rows = [row(5, S, {"2022": year(100, 100)})]
    assert kkp.readiness(indicators(weights=(3, 4, 3)), 2022, rows)["readiness"] == 15.0
    # structure weighs 6 of 20: 6 × 100 ÷ 20
    assert kkp.readiness(indicators(weights=(6, 2, 2)), 2022, rows)["readiness"] == 30.0


def test_the_cell_rule_max_or_weighted_mean():
    rows = [
        row(5, S, {"2022": year(100, 100)}, id="a"),
        row(5, S, {"2022": year(20, 20)}, id="b", weight=3),
    ]
    assert cell(kkp.readiness(indicators(), 2022, rows), 5, S)["verified"] == 100.0
    mean = kkp.readiness(indicators(CellRule.MEAN), 2022, rows)
    assert cell(mean, 5, S)["verified"] == 40.0  # (1 × 100 + 3 × 20) ÷ 4
    assert mean["readiness"] == 6.0  # 3 × 40 ÷ 20


def test_cancelled_and_untagged_actions_count_nowhere():
    rows = [
        row(5, S, {"2022": year(100, 100)}, status="cancelled"),
        {**row(5, P, {"2022": year(100, 100)}), "kkp_criterion": None},
    ]
    grid = kkp.readiness(indicators(), 2022, rows)
    assert grid["readiness"] == 0.0 and all(not c["actions"] for c in grid["cells"])


def test_full_verified_coverage_meets_the_threshold():
    rows = [row(c, t, {"2022": year(100, 100)}) for c in (5, 6) for t in (S, P, OUT)]
    grid = kkp.readiness(indicators(), 2022, rows)
    assert grid["readiness"] == 100.0 and grid["meets_threshold"]


def test_the_shipped_list_is_illustrative_and_covers_every_cell():
    shipped = kkp_indicators()
    assert shipped.illustrative and shipped.threshold == 75 and shipped.total_weight == 100
    assert all(shipped.cell_weight(c, t) > 0 for c in range(1, 11) for t in (S, P, OUT))


def test_the_domain_counts_only_the_data_years_periods():
    """From events to the figures readiness reads: a verified 2022 report and an unverified
    2023 one give 2022 its verified figure and 2023 a claim only; a returned one nothing."""
    state = given(
        action.evolve,
        action_planned(),
        action_started(),
        report_submitted(REPORT_1, "2022-12", 60.0),
        report_verified(REPORT_1),
        report_submitted(REPORT_2, "2023-04", 90.0),
        report_submitted(REPORT_3, "2021-04", 10.0),
        report_returned(REPORT_3),
    )
    years = state.data_years()
    assert years[2022]["verified"] == 60.0 and years[2022]["claimed"] == 60.0
    assert years[2023] == {
        "claimed": 90.0, "verified": 0.0, "reports": 1, "reports_verified": 0,
        "evidence": 1, "evidence_verified": 0,
    }  # fmt: skip
    assert years[2021]["claimed"] == 0.0 and years[2021]["reports"] == 0
    assert msgspec.json.encode(years)  # what the catalogue stores
