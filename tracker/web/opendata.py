"""Open data: CSV (RFC 4180) and JSON downloads of the public read models, and the page
/data with the data dictionary.

Each dataset's columns are declared once, below, as (name, type, meaning in Bahasa
Indonesia, meaning in English): the same tuple orders the CSV header and the JSON rows and
renders the dictionary. Only public data: the redacted `public_doc` forms and scalar
columns of the catalogue, and `rm.activity` without its account ids. JSON is one object
`{"dataset", "position", "columns": [names], "rows": [{name: value}]}`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any, NamedTuple
from uuid import UUID

import msgspec
from litestar import MediaType, Request, Response, get
from litestar.params import FromPath

from adapters import open_data, readmodels
from adapters.reference_data import region_catalogue
from domain.period import ReportingPeriod
from projections import rollups
from projections.audit import to_csv
from tracker.http.problems import problem
from tracker.http.reading import Reads, not_modified
from tracker.web.render import page, validators


class Column(NamedTuple):
    name: str
    type: str  # uuid | text | int | number | date | datetime | bool | list | list_int
    id: str
    en: str


ID = Column("id", "uuid", "ID unik", "Unique id")
REGION = Column("region_code", "text", "Kode wilayah Kepmendagri", "Kepmendagri region code")
REGION_NAME = Column("region_name", "text", "Nama wilayah", "Region name")
PROVINCE = Column("province_code", "text", "Kode provinsi", "Province code")
PROVINCE_NAME = Column("province_name", "text", "Nama provinsi", "Province name")
UPDATED = Column("updated_at", "datetime", "Terakhir berubah", "Last changed")
FORUM_ID = Column("forum_id", "uuid", "ID forum tempat komitmen dibuat", "Id of the forum")
ACTIONS = Column("actions", "int", "Jumlah aksi", "Number of actions")

AKSI = (
    ID,
    REGION,
    REGION_NAME,
    PROVINCE,
    PROVINCE_NAME,
    Column("commitment_id", "uuid", "ID komitmen yang dilaksanakan", "Id of the commitment"),
    FORUM_ID,
    Column("title", "text", "Judul aksi", "Action title"),
    Column("description", "text", "Uraian aksi", "Description"),
    Column("owner_opd", "text", "OPD penanggung jawab", "Responsible regional agency (OPD)"),
    Column(
        "status", "text", "Status; completed = belum diverifikasi", "Status; completed = unverified"
    ),
    Column("kkp_criterion", "int", "Kriteria KKP HAM (1-10)", "KKP HAM criterion (1-10)"),
    Column("rpjmn_pns", "list", "Prioritas nasional RPJMN (PN1-PN8)", "RPJMN priorities"),
    Column("due_on", "date", "Tenggat", "Due date"),
    Column("overdue", "bool", "Lewat tenggat dan belum selesai", "Past due and not done"),
    Column("completion", "number", "Kemajuan 0-100 (%)", "Completion 0-100 (%)"),
    Column("completed_at", "datetime", "Dilaporkan selesai", "Reported completed"),
    Column("reports_total", "int", "Jumlah laporan kemajuan", "Progress reports"),
    Column("reports_verified", "int", "Laporan terverifikasi", "Verified reports"),
    Column("indicator_name", "text", "Nama indikator", "Indicator name"),
    Column("indicator_unit", "text", "Satuan indikator", "Indicator unit"),
    Column("indicator_target", "number", "Target indikator", "Indicator target"),
    Column("indicator_value", "number", "Nilai terakhir yang tidak dikembalikan", "Latest value"),
    UPDATED,
)
KOMITMEN = (
    ID,
    FORUM_ID,
    Column("forum_title", "text", "Judul forum", "Forum title"),
    Column("title", "text", "Judul komitmen", "Commitment title"),
    Column("summary", "text", "Ringkasan", "Summary"),
    Column("status", "text", "active atau withdrawn (ditarik)", "active or withdrawn"),
    Column("made_on", "date", "Tanggal komitmen", "Date made"),
    Column("signatory_codes", "list", "Kode wilayah penanda tangan", "Signatory region codes"),
    Column("signatory_names", "list", "Nama wilayah penanda tangan", "Signatory region names"),
    Column("signatory_offices", "list", "Jabatan penanda tangan", "Signing offices"),
    Column("rpjmn_pns", "list", "Prioritas nasional RPJMN", "RPJMN national priorities"),
    Column("kkp_criteria", "list_int", "Kriteria KKP HAM", "KKP HAM criteria"),
    ACTIONS,
    UPDATED,
)
FORUM = (
    ID,
    Column("kind", "text", "Jenis: rakernas, raker, festival_ham, ...", "Kind: rakernas, ..."),
    Column("title", "text", "Nama forum", "Forum name"),
    Column("theme", "text", "Tema", "Theme"),
    Column("organisers", "list", "Penyelenggara", "Organisers"),
    Column("host_region_code", "text", "Kode wilayah tuan rumah", "Host region code"),
    Column("host_region_name", "text", "Wilayah tuan rumah", "Host region"),
    Column("venue", "text", "Tempat", "Venue"),
    Column("starts_on", "date", "Tanggal mulai", "Start date"),
    Column("ends_on", "date", "Tanggal selesai", "End date"),
    Column("commitments", "int", "Jumlah komitmen", "Number of commitments"),
    ACTIONS,
    UPDATED,
)
WILAYAH = (
    REGION,
    REGION_NAME,
    Column("kind", "text", "provinsi, kabupaten atau kota", "province, regency or city"),
    PROVINCE,
    PROVINCE_NAME,
    Column("rank", "int", "Peringkat nasional (kemajuan)", "National rank (completion)"),
    ACTIONS,
    *(Column(s, "int", f"Aksi berstatus {s}", f"Actions {s}") for s in rollups.STATUSES),
    Column("completion", "number", "Rata-rata kemajuan (%)", "Mean completion (%)"),
    Column("on_time_share", "number", "Porsi selesai tepat waktu", "Share done on time"),
    Column("overdue", "int", "Aksi lewat tenggat", "Overdue actions"),
    Column("reports", "int", "Laporan kemajuan", "Progress reports"),
    Column("reports_verified", "int", "Laporan terverifikasi", "Verified reports"),
    Column("verified_share", "number", "Porsi laporan terverifikasi", "Share verified"),
    Column("last_activity", "datetime", "Kegiatan terakhir", "Last activity"),
)
LAPORAN = (
    Column("action_id", "uuid", "ID aksi", "Action id"),
    REGION,
    Column("action_title", "text", "Judul aksi", "Action title"),
    Column("report_id", "uuid", "ID laporan", "Report id"),
    Column("period", "text", "Periode: 2025-B04, 2025-Q3, 2025-07", "Period"),
    Column("percent", "number", "Kemajuan dilaporkan (%)", "Reported completion (%)"),
    Column("indicator_value", "number", "Nilai indikator", "Indicator value"),
    Column("status", "text", "submitted = belum diverifikasi, returned, verified", "Status"),
    Column("narrative", "text", "Uraian kemajuan dari Pemda", "The Pemda's narrative"),
    Column("correction_reason", "text", "Alasan koreksi angka", "Reason for a correction"),
    Column("reporter_office", "text", "Kantor pelapor", "Reporting office"),
    Column("submitted_at", "datetime", "Diajukan", "Submitted"),
    Column("reviewer_office", "text", "Kanwil pemeriksa", "Reviewing Kanwil"),
    Column("reviewed_at", "datetime", "Diperiksa", "Reviewed"),
    Column("return_reason", "text", "Kode alasan pengembalian", "Return reason code"),
    Column("review_note", "text", "Catatan pemeriksa", "Reviewer's note"),
    Column("evidence_urls", "list", "Tautan bukti publik", "Public evidence links"),
)
AKTIVITAS = (
    Column("position", "int", "Posisi dalam log peristiwa", "Position in the event log"),
    Column("at", "datetime", "Waktu peristiwa", "Event time"),
    Column("type", "text", "Jenis peristiwa (docs/events.md)", "Event type (docs/events.md)"),
    Column("aggregate", "text", "forum, commitment atau action", "forum, commitment or action"),
    Column("aggregate_id", "uuid", "ID forum, komitmen atau aksi", "Record id"),
    Column("title", "text", "Judul catatan", "Record title"),
    Column("actor_role", "text", "Peran pelaku: pemda, kanwil, admin", "Actor's role"),
    Column("actor_office", "text", "Kantor pelaku", "Actor's office"),
    Column("region_codes", "list", "Wilayah terkait", "Regions concerned"),
    Column("province_codes", "list", "Provinsi terkait", "Provinces concerned"),
)


def _name(code: str | None) -> str | None:
    region = region_catalogue().get(code) if code else None
    return region.name if region else None


def _doc(raw: Any) -> Any:
    return msgspec.json.decode(raw) if isinstance(raw, str | bytes) else raw


async def _aksi(conn: Any, today: date) -> list[dict[str, Any]]:
    names = [c.name for c in AKSI if c.name not in ("region_name", "province_name")]
    rows = await open_data.action_rows(conn, names, today)
    for row in rows:
        row.update(region_name=_name(row["region_code"]), province_name=_name(row["province_code"]))
    return rows


async def _komitmen(conn: Any, today: date) -> list[dict[str, Any]]:
    rows = await open_data.commitment_rows(conn)
    for row in rows:
        row["signatory_names"] = [_name(code) for code in row["signatory_codes"]]
    return rows


async def _forum(conn: Any, today: date) -> list[dict[str, Any]]:
    rows = [{**_doc(r["public_doc"]), **r} for r in await open_data.forum_rows(conn)]
    for row in rows:
        row["host_region_name"] = _name(row["host_region_code"])
    return rows


async def _wilayah(conn: Any, today: date) -> list[dict[str, Any]]:
    counts = await readmodels.counts_by(conn, "region_code", today)
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


async def _laporan(conn: Any, today: date) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for doc in await open_data.action_docs(conn):
        action = _doc(doc)
        rows.extend(
            {
                **report,
                "action_id": action["id"],
                "region_code": action["region_code"],
                "action_title": action["title"],
                "report_id": report["id"],
                "period": ReportingPeriod(**report["period"]).label,
                "reporter_office": (report.get("reporter") or {}).get("office"),
                "reviewer_office": (report.get("reviewer") or {}).get("office"),
                "evidence_urls": [e["url"] for e in report["evidence"] if e.get("public")],
            }
            for report in action["reports"]
        )
    return rows


async def _aktivitas(conn: Any, today: date) -> list[dict[str, Any]]:
    return await open_data.activity_rows(conn, [c.name for c in AKTIVITAS])  # never actor_id


Loader = Callable[[Any, date], Awaitable[list[dict[str, Any]]]]
DATASETS: dict[str, tuple[tuple[Column, ...], Loader]] = {
    "aksi": (AKSI, _aksi),
    "komitmen": (KOMITMEN, _komitmen),
    "forum": (FORUM, _forum),
    "wilayah": (WILAYAH, _wilayah),
    "laporan": (LAPORAN, _laporan),
    "aktivitas": (AKTIVITAS, _aktivitas),
}
CSV_MEDIA = "text/csv; charset=utf-8; header=present"


def plain(value: Any) -> Any:
    """JSON-ready: instants in UTC with Z, dates and ids as strings, lists kept."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    if isinstance(value, date | UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join("" if item is None else str(item) for item in value)
    return value


@get("/data/{name:str}", include_in_schema=False)
async def download(request: Request[Any, Any, Any], reads: Reads, name: FromPath[str]) -> Any:
    slug, _, extension = name.rpartition(".")
    if slug not in DATASETS or extension not in ("csv", "json"):
        return problem(
            request,
            404,
            "unknown-dataset",
            f"Tidak ada unduhan {name}; daftarnya di /data.",
            f"There is no download {name}; see /data for the list.",
        )
    headers = await validators(request, reads)
    if (early := not_modified(request, headers)) is not None:
        return early
    columns, load = DATASETS[slug]
    names = [c.name for c in columns]
    today = reads.clock().date()
    async with open_data.snapshot(reads.pool) as conn:  # rows exactly those of `position`
        position, _ = await readmodels.freshness(conn)
        loaded = await load(conn, today)
    rows = [{n: plain(row.get(n)) for n in names} for row in loaded]
    headers["Content-Disposition"] = f'attachment; filename="{slug}.{extension}"'
    if extension == "csv":
        text = to_csv(({n: _csv_cell(v) for n, v in r.items()} for r in rows), names)
        return Response(text.encode("utf-8"), media_type=CSV_MEDIA, headers=headers)
    body = {"dataset": slug, "position": position, "columns": names, "rows": rows}
    return Response(msgspec.json.encode(body), media_type="application/json", headers=headers)


@get("/data", include_in_schema=False, media_type=MediaType.HTML)
async def data_page(request: Request[Any, Any, Any], reads: Reads) -> Any:
    return await page(request, reads, "data.html", datasets=DATASETS)


HANDLERS: list[Any] = [download, data_page]
