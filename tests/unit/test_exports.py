"""XLSX downloads on the in-memory application: the open-data tables as the CSV has them,
the data dictionary as a second sheet, and text that looks like a formula kept as text (in
the exports and in the import template that prefills the region's actions)."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from tests.unit.sites import Site, plan_action


def test_open_data_downloads_as_xlsx_with_its_dictionary(site: Site) -> None:
    _, first = plan_action(site)
    commitment_id = site.ok(site.client.get(f"/api/v1/actions/{first}"))["commitment_id"]
    body = {
        "commitment_id": commitment_id,
        "region_code": "35.72",
        "title": '=HYPERLINK("http://x.example","klik")',
        "owner_opd": "Dinkes",
        "due_on": "2026-12-31",
    }
    site.ok(site.client.post("/api/v1/actions", json=body, headers=site.as_("pemda_blitar")), 201)
    head = site.store.head()
    text = site.client.get(f"/data/aksi.csv?after={head}").text
    table = list(csv.reader(io.StringIO(text)))
    answer = site.client.get(f"/data/aksi.xlsx?after={head}")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(answer.content))
    data, words = book.worksheets
    rows = [[c.value for c in r] for r in data.iter_rows()]
    assert rows[0] == table[0] and len(rows) == len(table)
    title = rows[0].index("title")
    cells = [data.cell(row=n, column=title + 1) for n in range(2, data.max_row + 1)]
    tricky = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert tricky.data_type == "s"  # stored as text: no spreadsheet runs it
    assert words.title == "Kamus data"
    dictionary = [[c.value for c in r] for r in words.iter_rows()]
    assert dictionary[0] == ["Kolom", "Jenis", "Arti"]
    assert [r[0] for r in dictionary[1:]] == table[0]
    english = load_workbook(io.BytesIO(site.client.get("/data/aksi.xlsx?lang=en").content))
    assert english.worksheets[1].title == "Data dictionary"

    template = site.client.get("/api/v1/imports/templates/laporan.xlsx?region=35.72")
    prefilled = load_workbook(io.BytesIO(template.content)).worksheets[0]
    titles = [prefilled.cell(row=n, column=2) for n in range(2, prefilled.max_row + 1)]
    assert all(c.data_type == "s" for c in titles if c.value)  # titles as text, "=…" too
    assert any(str(c.value).startswith("=HYPERLINK") for c in titles)


def _xlsx_rows(content: bytes) -> tuple[list[list[object]], list[list[object]]]:
    book = load_workbook(io.BytesIO(content))
    data, words = book.worksheets
    return [[c.value for c in r] for r in data.iter_rows()], [
        [c.value for c in r] for r in words.iter_rows()
    ]


def test_the_workspace_lists_download_with_the_same_columns(site: Site) -> None:
    _, action_id = plan_action(site)
    pemda = site.as_("pemda_blitar")
    report = {"period": "2025-Q4", "percent": 20, "narrative": "Tahap 1"}
    site.ok(
        site.client.post(f"/api/v1/actions/{action_id}/progress", json=report, headers=pemda), 201
    )
    site.browser("pemda_blitar")
    home = site.client.get("/kerja").text
    assert 'href="/kerja?format=xlsx"' in home
    plan_csv = list(csv.reader(io.StringIO(site.client.get("/kerja?format=csv").text)))
    plan, words = _xlsx_rows(site.client.get("/kerja?format=xlsx").content)
    assert plan[0] == plan_csv[0] and plan[0][:3] == ["id", "title", "owner_opd"]
    assert [r[1] for r in plan[1:]] == ["Pelatihan HAM bagi ASN"]
    assert [r[0] for r in words[1:]] == plan[0]

    site.browser("kanwil_jatim")
    queue_csv = list(csv.reader(io.StringIO(site.client.get("/kerja?format=csv").text)))
    assert queue_csv[0][:3] == ["region_code", "action_id", "action_title"]
    assert queue_csv[1][1] == action_id and queue_csv[1][4] == "report"
    queue, _ = _xlsx_rows(site.client.get("/kerja?format=xlsx").content)
    assert queue[0] == queue_csv[0] and len(queue) == len(queue_csv)
    page = site.client.get("/kerja/kepatuhan?periode=2026-Q1").text
    assert "format=xlsx" in page
    compliance = site.client.get("/kerja/kepatuhan?periode=2026-Q1&format=csv").text
    lines = list(csv.reader(io.StringIO(compliance)))
    assert lines[0] == [
        "region_code",
        "region_name",
        "period",
        "due",
        "reported",
        "returned",
        "missing",
    ]
    blitar = next(line for line in lines if line[0] == "35.72")
    assert blitar[2:] == ["2026-Q1", "1", "0", "0", "1"]  # its one report is of 2025-Q4


def test_the_public_board_downloads_every_action_its_filters_select(site: Site) -> None:
    plan_action(site)
    plan_action(site)
    head = site.store.head()
    page = site.client.get(f"/aksi?wilayah=35.72&after={head}").text
    assert "format=xlsx" in page and "wilayah=35.72" in page
    lines = list(csv.reader(io.StringIO(site.client.get("/aksi?wilayah=35.72&format=csv").text)))
    api = site.ok(site.client.get("/api/v1/actions?region=35.72"))["items"]
    assert lines[0][:3] == ["region_code", "id", "title"]
    assert sorted(line[1] for line in lines[1:]) == sorted(a["id"] for a in api) and len(api) == 2
    rows, words = _xlsx_rows(site.client.get("/aksi?wilayah=35.72&format=xlsx").content)
    assert rows[0] == lines[0] and len(rows) == len(lines)
    assert [w[0] for w in words[1:]] == lines[0]  # the dictionary names every column
    none = list(csv.reader(io.StringIO(site.client.get("/aksi?wilayah=33.74&format=csv").text)))
    assert none == [lines[0]]  # the header alone
