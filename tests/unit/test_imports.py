"""Spreadsheet import on the in-memory application, through the API: the templates round-trip
(download → fill → dry run → 0 errors → apply → one batch), the batch event carries the file's
SHA-256 and names every event it caused, the same file twice is one batch, a refused row in a
1,000-row file writes nothing, and every kind of bad file gets its own clear answer."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date
from typing import Any

import msgspec
import pytest
from openpyxl import Workbook, load_workbook

from adapters import codec
from tests.unit.sites import Site, plan_action

IMPORTS = "/api/v1/imports"


def _upload(site: Site, content: bytes, who: str = "pemda_blitar", **query: Any) -> Any:
    params = {"region": "35.72", **query}
    return site.client.post(
        IMPORTS,
        params=params,
        files={"file": ("rencana.xlsx", content, "application/octet-stream")},
        headers=site.as_(who),
    )


def _template(site: Site, name: str) -> bytes:
    response = site.client.get(f"{IMPORTS}/templates/{name}", params={"region": "35.72"})
    assert response.status_code == 200, response.text
    assert "attachment" in response.headers["content-disposition"]
    return bytes(response.content)


def _plan_sheet(site: Site, rows: list[list[Any]]) -> bytes:
    """The downloaded plan template with `rows` typed into its first sheet."""
    book = load_workbook(io.BytesIO(_template(site, "rencana-aksi.xlsx")))
    sheet = book.worksheets[0]
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row(title: str, due: Any = None) -> list[Any]:
    return [
        "Komitmen bersama Pemda bidang HAM",  # the commitment plan_action records
        title,
        "Dinkes",
        due or date(2026, 12, 31),
        "Uraian",
        "LBH Surabaya (CSO)",
        "PN1",
        None,
        6,
        "Hasil",  # indicator type by its Indonesian label
        "Balita terimunisasi",
        "persen",
        70,
        95,
        "Triwulanan (Q1–Q4)",
        2,
    ]


def test_the_plan_template_round_trips_and_applies_once(site: Site) -> None:
    plan_action(site)
    book = load_workbook(io.BytesIO(_template(site, "rencana-aksi.xlsx")))
    assert book.sheetnames[0] == "Rencana aksi" and "Petunjuk" in book.sheetnames
    column = book["Daftar"].iter_rows(min_col=1, max_col=1, values_only=True)
    lists = [v for (v,) in column if v is not None]
    assert lists == ["Komitmen bersama Pemda bidang HAM"]  # the commitments it signed
    content = _plan_sheet(site, [_row("Imunisasi dasar lengkap"), [], _row("Posyandu ramah anak")])
    before = site.events()

    dry = _upload(site, content, dry_run="true")
    assert dry.status_code == 200, dry.text
    body = dry.json()
    assert body["errors"] == [] and body["rows"] == 2 and body["skipped_empty_rows"] == 1
    assert body["dry_run"] and not body["applied"] and site.events() == before

    applied = _upload(site, content)
    assert applied.status_code == 201, applied.text
    report = applied.json()
    assert site.events() == [*before, "ActionPlanned", "ActionPlanned", "ImportApplied"]
    batch = codec.decode_event(site.log()[-1].topic, site.log()[-1].state)
    assert batch.sha256 == hashlib.sha256(content).hexdigest() == report["sha256"]
    assert batch.file_size == len(content) and batch.rows == 2
    assert [(r.type, r.version) for r in batch.caused] == [("ActionPlanned", 1)] * 2
    actions = [site.ok(site.client.get(f"/api/v1/actions/{r.aggregate_id}")) for r in batch.caused]
    assert [a["title"] for a in actions] == ["Imunisasi dasar lengkap", "Posyandu ramah anak"]
    assert actions[0]["indicator_type"] == "outcome" and actions[0]["cadence"] == "quarter"
    assert actions[0]["kkp_criterion"] == 6 and actions[0]["weight"] == 2

    again = _upload(site, content)
    assert again.status_code == 200 and again.json()["already_applied"]
    assert again.json()["applied_at"] is not None and len(site.events()) == len(before) + 3


def test_the_progress_template_lists_the_regions_open_actions(site: Site) -> None:
    _, action_id = plan_action(site)
    raw = _template(site, "laporan.csv").decode("utf-8-sig").splitlines()
    assert raw[0].startswith("ID aksi,Aksi (jangan diubah)")
    assert raw[1].startswith(f"{action_id},Pelatihan HAM bagi ASN")
    filled = "\n".join(
        [raw[0], f"{action_id},Pelatihan HAM bagi ASN,,Bagian Hukum Setda,2026-Q1,40,4,Tahap 1,,"]
    ).encode()
    written = _upload(site, filled)
    assert written.status_code == 201, written.text
    assert site.events()[-3:] == ["ActionStarted", "ProgressReportSubmitted", "ImportApplied"]


def test_a_refused_row_in_a_thousand_writes_nothing(site: Site) -> None:
    plan_action(site)
    rows = [_row(f"Aksi {n}") for n in range(1000)]
    rows[499] = _row("Aksi bertanggal teks", due="31 Desember 2026")
    rows[700][2] = ""  # no OPD
    content = _plan_sheet(site, rows)
    before = site.events()
    refused = _upload(site, content)
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["code"] == "import-refused" and "2 baris ditolak" in problem["detail"]
    assert [(e["row"], e["column"]) for e in problem["errors"]] == [
        (501, "Tenggat"),
        (702, "OPD penanggung jawab"),
    ]
    assert site.events() == before
    english = _upload(site, content, lang="en").json()
    assert english["errors"][0]["column"] == "Due date"


def test_dates_typed_as_dd_mm_yyyy_are_read(site: Site) -> None:
    plan_action(site)
    content = _plan_sheet(site, [_row("Aksi", due="31/12/2026")])
    assert _upload(site, content, dry_run="true").json()["errors"] == []


def _xlsx(fill: Any) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    fill(book, sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    return out.getvalue()


def _old_template(book: Any, sheet: Any) -> None:
    meta = book.create_sheet("_templat")
    meta.append(["tracker-templat", "rencana-aksi"])
    meta.append(["versi", "0"])


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BAD_FILES: dict[str, tuple[Any, str, str]] = {  # each file is made when its case runs
    "pdf": (lambda: b"%PDF-1.7\n\x00\x01binary", "not-a-spreadsheet", "bukan lembar kerja"),
    "encrypted": (lambda: OLE + b"\0" * 600, "file-protected", "kata sandi"),
    "docx": (lambda: b"PK\x03\x04" + b"x" * 10, "not-a-spreadsheet", "bukan lembar kerja"),
    "zip-bomb": (_zip_bomb, "zip-bomb", "membesar"),
    "old-version": (lambda: _xlsx(_old_template), "template-version", "versi 0"),
    "formula": (
        lambda: _xlsx(lambda b, s: (s.append(["Komitmen"]), s.append(["=A1"]))),
        "formula-cell",
        "Sel A2 berisi rumus",
    ),
    "merged": (
        lambda: _xlsx(lambda b, s: (s.append(["a", "b"]), s.merge_cells("A2:B2"))),
        "merged-cells",
        "A2:B2",
    ),
    "wrong-headers": (lambda: b"nama;umur\nBudi;30\n", "import-header", "tidak sesuai"),
    "empty": (lambda: b"   ", "import-empty", "tidak berisi baris"),
    "too-large": (lambda: b"a,b\n" + b"x" * (10 * 1024 * 1024), "file-too-large", "10 MB"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_file_gets_a_clear_answer_and_writes_nothing(site: Site, name: str) -> None:
    make, code, words = BAD_FILES[name]
    content = make()
    before = site.events()
    answer = _upload(site, content)
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == code and words in answer.json()["detail"], answer.json()
    assert site.events() == before


def test_who_may_import_is_decided_before_the_file_is_read(site: Site) -> None:
    anonymous = site.client.post(IMPORTS, params={"region": "35.72"}, content=b"not a form")
    assert anonymous.status_code == 401
    for who in ("pemda_semarang", "kanwil_jatim"):
        refused = _upload(site, b"whatever", who=who)
        assert refused.status_code == 403, refused.text


def test_an_opd_account_imports_its_own_rows_only(site: Site) -> None:
    plan_action(site)
    mine, other = _row("Milik Dinkes"), _row("Milik Disdik")
    other[2] = "Disdik"
    content = _plan_sheet(site, [mine, other])
    answer = _upload(site, content, who="dinkes_blitar", dry_run="true").json()
    assert [(e["row"], e["code"]) for e in answer["errors"]] == [(3, "other-opd")]


def test_two_rows_on_one_action_follow_each_other(site: Site) -> None:
    """The second row is decided on the state the first leaves (one period, then the next)."""
    _, action_id = plan_action(site)
    header = _template(site, "laporan.csv").decode("utf-8-sig").splitlines()[0]
    lines = [
        header,
        f"{action_id},,,,2025-Q4,20,,Tahap 1,,",
        f"{action_id},,,,2026-Q1,50,,Tahap 2,,",
    ]
    written = _upload(site, "\n".join(lines).encode())
    assert written.status_code == 201, written.text
    state = site.ok(site.client.get(f"/api/v1/actions/{action_id}"))
    assert [r["percent"] for r in state["reports"]] == [20, 50]
    batch = codec.decode_event(site.log()[-1].topic, site.log()[-1].state)
    assert [r.version for r in batch.caused] == [2, 3, 4]  # started, two reports
    assert msgspec.json.decode(written.content)["events"] == 3
