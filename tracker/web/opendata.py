"""Open data: CSV (RFC 4180) and JSON downloads of the public read models, and the page
/data with the data dictionary.

Each dataset's columns are declared once, in `opendata_columns`: the same tuple orders
the CSV header and the JSON rows and renders the dictionary. Only public data: the redacted
`public_doc` forms and scalar columns of the catalogue, and `rm.activity` without its
account ids. JSON is one object
`{"dataset", "position", "columns": [names], "rows": [{name: value}]}`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import date, datetime
from typing import Any
from uuid import UUID

import anyio.to_thread
import msgspec
from litestar import MediaType, Request, Response, get
from litestar.params import FromPath

from adapters.reference_data import region_catalogue
from domain.period import ReportingPeriod
from domain.regions import WIB, TimeZone, time_zone
from projections import rollups
from projections.audit import to_csv
from tracker import queries_kkp
from tracker.exports import XLSX_MEDIA
from tracker.http.problems import problem
from tracker.http.reading import Reads, not_modified
from tracker.ports import ReadStore
from tracker.web.downloads import described_xlsx
from tracker.web.opendata_columns import (
    AKSI,
    AKTIVITAS,
    FORUM,
    KKP_HAM,
    KOMITMEN,
    LAPORAN,
    WILAYAH,
    Column,
)
from tracker.web.render import lang_of, page, validators


def _name(code: str | None) -> str | None:
    region = region_catalogue().get(code) if code else None
    return region.name if region else None


def _doc(raw: Any) -> Any:
    return msgspec.json.decode(raw) if isinstance(raw, str | bytes) else raw


async def _aksi(conn: ReadStore, today: date) -> list[dict[str, Any]]:
    names = [c.name for c in AKSI if c.name not in ("region_name", "province_name")]
    rows = await conn.action_rows(names, today)
    for row in rows:
        row.update(region_name=_name(row["region_code"]), province_name=_name(row["province_code"]))
    return rows


async def _komitmen(conn: ReadStore, today: date) -> list[dict[str, Any]]:
    rows = await conn.commitment_rows()
    for row in rows:
        row["signatory_names"] = [_name(code) for code in row["signatory_codes"]]
    return rows


async def _forum(conn: ReadStore, today: date) -> list[dict[str, Any]]:
    rows = [{**_doc(r["public_doc"]), **r} for r in await conn.forum_rows()]
    for row in rows:
        row["host_region_name"] = _name(row["host_region_code"])
    return rows


async def _wilayah(conn: ReadStore, today: date) -> list[dict[str, Any]]:
    counts = await conn.counts_by("region_code", today)
    ranked = rollups.ranking(
        {"code": row["region_code"], "summary": rollups.summary(row), "row": row} for row in counts
    )
    rows = []
    for entry in ranked:
        region = region_catalogue().get(entry["code"])
        province = region.province_code if region else entry["code"].split(".")[0]
        kind, name = (region.kind, region.name) if region else (None, None)
        rows.append({**dict(entry["row"]), **entry["summary"], "rank": entry["rank"]})
        rows[-1].update(region_name=name, kind=kind, province_code=province)
        rows[-1]["province_name"] = _name(province)
    return rows


async def _laporan(conn: ReadStore, today: date) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for doc in await conn.action_docs():
        action = _doc(doc)
        steps = {step["id"]: step["title"] for step in action.get("steps", ())}
        rows.extend(
            {
                **report,
                "action_id": action["id"],
                "region_code": action["region_code"],
                "action_title": action["title"],
                "report_id": report["id"],
                "step_title": steps.get(report.get("step_id")),
                "period": ReportingPeriod.from_doc(report["period"]).label,
                "reporter_office": (report.get("reporter") or {}).get("office"),
                "reviewer_office": (report.get("reviewer") or {}).get("office"),
                "evidence_urls": [e["url"] for e in report["evidence"] if e.get("public")],
            }
            for report in action["reports"]
        )
    return rows


async def _aktivitas(conn: ReadStore, today: date) -> list[dict[str, Any]]:
    return await conn.activity_rows([c.name for c in AKTIVITAS])  # never actor_id


async def _kkp_ham(conn: ReadStore, today: date) -> list[dict[str, Any]]:
    """One row per region × data year with KKP HAM-tagged work or an assessment: the
    tracker's readiness estimate (not the official score) beside the recorded cycle."""
    tagged = await conn.kkp_action_rows(None)
    docs = [_doc(d) for d in await conn.list_assessments(None, None)]
    years = {int(y) for r in tagged for y in r["years"]} | {d["data_year"] for d in docs}
    rows: list[dict[str, Any]] = []
    for year in sorted(years):
        body = await queries_kkp.national(conn, region_catalogue(), year)
        for item in body["items"]:
            result = item["result"] or {}
            rows.append(
                {
                    **item,
                    "data_year": year,
                    "indicator_set": body["estimate"]["indicator_set"],
                    "result_predicate": result.get("predicate"),
                    "result_score": result.get("score"),
                    "decree_number": result.get("decree_number") or None,
                    "decree_date": result.get("decree_date"),
                }
            )
    return rows


Loader = Callable[[ReadStore, date], Awaitable[list[dict[str, Any]]]]
DATASETS: dict[str, tuple[tuple[Column, ...], Loader]] = {
    "aksi": (AKSI, _aksi),
    "komitmen": (KOMITMEN, _komitmen),
    "forum": (FORUM, _forum),
    "wilayah": (WILAYAH, _wilayah),
    "laporan": (LAPORAN, _laporan),
    "kkp_ham": (KKP_HAM, _kkp_ham),
    "aktivitas": (AKTIVITAS, _aktivitas),
}
CSV_MEDIA = "text/csv; charset=utf-8; header=present"


def plain(value: Any, zone: TimeZone = WIB, kind: str = "") -> Any:
    """JSON-ready: instants in ISO 8601 with the offset of the row's civil time zone (the
    same instant as UTC, readable as local time), dates and ids as strings, lists kept."""
    if isinstance(value, str) and kind == "datetime":  # from a stored document's JSON
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return zone.local(value).isoformat(timespec="seconds")
    if isinstance(value, date | UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [plain(item, zone) for item in value]
    return value


def row_zone(row: Mapping[str, Any]) -> TimeZone:
    """A row's time zone: its region's, or its first region's; WIB for national rows."""
    code = row.get("region_code") or next(iter(row.get("region_codes") or ()), None)
    return time_zone(code or row.get("host_region_code") or row.get("code"))


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join("" if item is None else str(item) for item in value)
    return value


def _workbook(lang: str, slug: str, columns: tuple[Column, ...], rows: list[Any]) -> bytes:
    """The CSV's columns and rows, and the /data page's dictionary as a second sheet."""
    entries = [(c.name, c.type, c.text) for c in columns]
    return described_xlsx(lang, slug, entries, ([row[c.name] for c in columns] for row in rows))


@get("/data/{name:str}", include_in_schema=False)
async def download(request: Request[Any, Any, Any], reads: Reads, name: FromPath[str]) -> Any:
    slug, _, extension = name.rpartition(".")
    if slug not in DATASETS or extension not in ("csv", "json", "xlsx"):
        return problem(request, 404, "unknown-dataset", "problem.unknown-dataset", {"name": name})
    headers = await validators(request, reads)
    if (early := not_modified(request, headers)) is not None:
        return early
    columns, load = DATASETS[slug]
    names = [c.name for c in columns]
    today = reads.today()  # national tables: the WIB day (docs/figures.md)
    async with reads.data.snapshot() as conn:  # rows exactly those of `position`
        position, _ = await conn.freshness()
        loaded = await load(conn, today)
    rows = [
        {c.name: plain(row.get(c.name), row_zone(row), c.type) for c in columns} for row in loaded
    ]
    headers["Content-Disposition"] = f'attachment; filename="{slug}.{extension}"'
    if extension == "csv":
        text = to_csv(({n: _csv_cell(v) for n, v in r.items()} for r in rows), names)
        return Response(text.encode("utf-8"), media_type=CSV_MEDIA, headers=headers)
    if extension == "xlsx":
        lang = lang_of(request)
        content = await anyio.to_thread.run_sync(_workbook, lang, slug, columns, rows)
        return Response(content, media_type=XLSX_MEDIA, headers=headers)
    body = {"dataset": slug, "position": position, "columns": names, "rows": rows}
    return Response(msgspec.json.encode(body), media_type="application/json", headers=headers)


@get("/data", include_in_schema=False, media_type=MediaType.HTML)
async def data_page(request: Request[Any, Any, Any], reads: Reads) -> Any:
    return await page(request, reads, "data.html", datasets=DATASETS)


HANDLERS: list[Any] = [download, data_page]
