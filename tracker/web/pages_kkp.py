"""KKP HAM pages: the national table for a data year (/kkp-ham?tahun=, filters by province
and Kanwil) and the section on each region page (the ten rights × three types grid with the
actions behind each cell, the year's assessment and the predicate history). Both say on the
page that the readiness figure is the tracker's own estimate, not the official score."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import MediaType, Request, get

from adapters.reference_data import kanwil_jurisdictions, kkp_criteria, region_catalogue
from domain.regions import Region
from tracker import queries_kkp
from tracker.http.reading import Reads
from tracker.ports import ReadStore
from tracker.web.pages_common import dated, fmt, unchanged
from tracker.web.render import page

TYPES = ("structure", "process", "outcome")


def chosen_year(request: Request[Any, Any, Any], today: date) -> tuple[int, str | None]:
    """`?tahun=` or, by default, the last data year that has ended (assessments look back at
    the previous January–December); a malformed year keeps the default and says why."""
    default = today.year - 1
    raw = (request.query_params.get("tahun") or "").strip()
    if not raw:
        return default, None
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw), None
    return default, fmt(request).t("error.data-year", year=raw)


def grid_rows(readiness: dict[str, Any]) -> list[dict[str, Any]]:
    """The estimate's cells as table rows: one per right, a cell per indicator type."""
    names = {c.number: c.name for c in kkp_criteria()}
    rows: dict[int, dict[str, Any]] = {}
    for cell in readiness["cells"]:
        row = rows.setdefault(
            cell["criterion"],
            {"criterion": cell["criterion"], "name": names.get(cell["criterion"], ""), "cells": {}},
        )
        row["cells"][cell["type"]] = cell
    return [rows[k] for k in sorted(rows)]


async def region_section(data: ReadStore, region: Region, year: int) -> dict[str, Any]:
    found = await queries_kkp.region(data, region, year)
    return {**found, "rows": grid_rows(found["readiness"]), "types": TYPES}


@get("/kkp-ham", include_in_schema=False, media_type=MediaType.HTML, name="portal:kkp")
async def kkp_page(request: Request[Any, Any, Any], reads: Reads) -> Any:
    province = (request.query_params.get("provinsi") or "").strip() or None
    kanwil = (request.query_params.get("kanwil") or "").strip() or None
    reads, picker = await dated(request, reads, province)
    if (early := await unchanged(request, reads)) is not None:
        return early
    year, year_error = chosen_year(request, reads.today())
    catalogue = region_catalogue()
    body = await queries_kkp.national(reads.data, catalogue, year, province=province, kanwil=kanwil)
    provinces = {p.code: p.name for p in catalogue.provinces()}
    return await page(
        request,
        reads,
        "kkp.html",
        f=fmt(request),
        year=year,
        year_error=year_error,
        province=province,
        kanwil=kanwil,
        provinces=provinces,
        kanwils=sorted(kanwil_jurisdictions(), key=lambda code: provinces.get(code, code)),
        method=queries_kkp.method(),
        **picker,
        **body,
    )


@get("/kkp-ham/cara", include_in_schema=False, media_type=MediaType.HTML, name="portal:kkp-method")
async def kkp_method_page(request: Request[Any, Any, Any], reads: Reads) -> Any:
    """How the estimate is computed, with the indicator list in force."""
    if (early := await unchanged(request, reads)) is not None:
        return early
    return await page(
        request,
        reads,
        "kkp_method.html",
        f=fmt(request),
        method=queries_kkp.method(),
        names={c.number: c.name for c in kkp_criteria()},
    )


HANDLERS: list[Any] = [kkp_page, kkp_method_page]
