"""KKP HAM reads: the national table for a data year and a region's section (readiness grid,
its assessment and the predicate history). The readiness estimate comes from
projections/kkp.py over the catalogue's action rows; the assessment rows only sit beside it.
"""

from __future__ import annotations

from typing import Any

import msgspec

from adapters.reference_data import kanwil_jurisdictions, kkp_criteria, kkp_indicators
from domain.regions import Region, RegionCatalogue
from projections import kkp
from tracker.ports import ReadStore


def _result(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if doc is None else doc.get("result")


def _status(doc: dict[str, Any] | None) -> str:
    return "none" if doc is None else str(doc["status"])


def method() -> dict[str, Any]:
    """What a reader needs to read the figure: the list's version, note, rule and weights."""
    found = kkp_indicators()
    return {
        "indicator_set": found.version,
        "illustrative": found.illustrative,
        "note": found.note,
        "method": found.method,
        "cell_rule": found.cell_rule.value,
        "threshold": found.threshold,
        "criteria": [msgspec.to_builtins(c) for c in kkp_criteria()],
        "indicators": [msgspec.to_builtins(i) for i in found.indicators],
    }


def _provinces(province: str | None, kanwil: str | None) -> set[str] | None:
    chosen: set[str] | None = None
    if kanwil is not None:
        chosen = set(kanwil_jurisdictions().get(kanwil, ()))
    if province is not None:
        chosen = {province} if chosen is None else chosen & {province}
    return chosen


async def national(
    data: ReadStore,
    regions: RegionCatalogue,
    year: int,
    province: str | None = None,
    kanwil: str | None = None,
) -> dict[str, Any]:
    """Every region with KKP HAM-tagged work reported in the year or an assessment of it: readiness
    (verified only), claimed beside it, submission state and official result."""
    provinces = _provinces(province, kanwil)
    place = province
    tagged = [
        r
        for r in await data.kkp_action_rows(place)
        if provinces is None or r["province_code"] in provinces
    ]
    # a region is in the year's table when its tagged work reported in that year
    active = {r["region_code"] for r in tagged if str(year) in r["years"]}
    rows = [r for r in tagged if r["region_code"] in active]
    docs = [msgspec.json.decode(d) for d in await data.list_assessments(year, place)]
    assessed = {
        d["region_code"]: d for d in docs if provinces is None or d["province_code"] in provinces
    }
    grids = kkp.by_region(kkp_indicators(), year, rows)
    items = []
    for code in sorted(set(grids) | set(assessed)):
        region = regions.get(code)
        grid = grids.get(code) or kkp.readiness(kkp_indicators(), year, [])
        doc = assessed.get(code)
        items.append(
            {
                "region_code": code,
                "region_name": region.name if region else code,
                "province_code": code.split(".", 1)[0],
                "readiness": grid["readiness"],
                "claimed_readiness": grid["claimed_readiness"],
                "meets_threshold": grid["meets_threshold"],
                "rights_without_verified_work": len(grid["gaps"]["rights"]),
                "assessment_status": _status(doc),
                "result": _result(doc),
            }
        )
    items.sort(key=lambda i: (-(i["readiness"] or 0), i["region_code"]))
    return {"data_year": year, "estimate": method_summary(), "items": items}


def method_summary() -> dict[str, Any]:
    found = kkp_indicators()
    return {
        "indicator_set": found.version,
        "illustrative": found.illustrative,
        "cell_rule": found.cell_rule.value,
        "threshold": found.threshold,
    }


async def region(data: ReadStore, region: Region, year: int) -> dict[str, Any]:
    """One region's grid for the year, its assessment that year and every year's result."""
    rows = await data.kkp_action_rows(region.code)
    own = [r for r in rows if r["region_code"] == region.code]
    docs = [msgspec.json.decode(d) for d in await data.list_assessments(None, region.code)]
    docs = [d for d in docs if d["region_code"] == region.code]
    this_year = next((d for d in docs if d["data_year"] == year), None)
    history = [
        {
            "data_year": d["data_year"],
            "assessment_status": d["status"],
            "result": d.get("result"),
        }
        for d in sorted(docs, key=lambda d: d["data_year"], reverse=True)
    ]
    return {
        "region_code": region.code,
        "region_name": region.name,
        "estimate": method_summary(),
        "readiness": kkp.readiness(kkp_indicators(), year, own),
        "assessment": this_year,
        "history": history,
    }
