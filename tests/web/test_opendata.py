"""Open-data downloads (CSV and JSON) and the data dictionary at /data."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient
from openpyxl import load_workbook

from domain.regions import time_zone
from tests.api.conftest import FORUM, issue_tokens, ok
from tests.support import settings_for
from tests.web.conftest import Demo
from tracker import catalogue
from tracker.app import create_app
from tracker.web.opendata import DATASETS

# How many rows each dataset has, counted straight from the read models.
COUNTS = {
    "aksi": "SELECT count(*) FROM rm.action",
    "komitmen": "SELECT count(*) FROM rm.commitment",
    "forum": "SELECT count(*) FROM rm.forum",
    "wilayah": "SELECT count(DISTINCT region_code) FROM rm.action",
    "laporan": "SELECT coalesce(sum(reports_total), 0) FROM rm.action",
    "aktivitas": "SELECT count(*) FROM rm.activity",
    "kkp_ham": (  # region × data year: a tagged action's report years, or an assessment
        "SELECT count(*) FROM (SELECT region_code, jsonb_object_keys(public_doc->'figures'"
        "->'years')::int FROM rm.action WHERE kkp_criterion IS NOT NULL"
        " UNION SELECT region_code, data_year FROM rm.assessment) AS pairs"
    ),
}


def read_csv(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "\r\n" in response.text
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"), newline="")))


@pytest.mark.parametrize("slug", list(DATASETS))
def test_download_matches_the_read_models(demo: Demo, slug: str) -> None:
    expected = demo.sql(COUNTS[slug])[0][0]
    assert expected > 0
    names = [column.name for column in DATASETS[slug][0]]

    response = demo.client.get(f"/data/{slug}.csv")
    header, *rows = read_csv(response)
    assert header == names
    assert len(rows) == expected
    assert all(len(row) == len(header) for row in rows)
    disposition = response.headers["content-disposition"]
    assert disposition == f'attachment; filename="{slug}.csv"'

    response = demo.client.get(f"/data/{slug}.json")
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"] == f'attachment; filename="{slug}.json"'
    body = json.loads(response.content)
    assert body["dataset"] == slug and body["columns"] == names
    assert body["position"] == demo.sql("SELECT max(position) FROM rm.activity")[0][0]
    assert len(body["rows"]) == expected
    assert all(list(row) == names for row in body["rows"])


def test_values_are_those_of_the_read_models(demo: Demo) -> None:
    action = demo.sql("SELECT * FROM rm.action ORDER BY reports_total DESC, id LIMIT 1")[0]
    rows = demo.client.get("/data/aksi.json").json()["rows"]
    row = next(r for r in rows if r["id"] == str(action["id"]))
    assert row["title"] == action["title"] and row["status"] == action["status"]
    assert row["due_on"] == action["due_on"].isoformat()
    assert row["rpjmn_pns"] == list(action["rpjmn_pns"])
    assert row["reports_total"] == action["reports_total"]
    assert row["region_name"] and row["province_name"]

    reports = [
        r
        for r in demo.client.get("/data/laporan.json").json()["rows"]
        if r["action_id"] == row["id"]
    ]
    assert len(reports) == action["reports_total"]
    assert all(re.fullmatch(r"\d{4}-(B\d\d|Q\d|\d\d)", r["period"]) for r in reports)
    verified = [r for r in reports if r["status"] == "verified"]
    assert len(verified) == action["reports_verified"]
    assert all(r["reviewer_office"] and r["reviewed_at"] for r in verified)
    hours = time_zone(row["region_code"]).utc_offset_hours  # times in the region's local time
    assert all(r["submitted_at"].endswith(f"+{hours:02d}:00") for r in reports), [
        r["submitted_at"] for r in reports
    ]

    # Kota Pekalongan's correction after Jawa Tengah closed 2023-B08: both rows, linked
    every = demo.client.get("/data/laporan.json").json()["rows"]
    (fixed,) = [r for r in every if r["corrects"]]
    (original,) = [r for r in every if r["report_id"] == fixed["corrects"]]
    assert original["corrected_by"] == fixed["report_id"] and original["after_close"] is False
    assert fixed["after_close"] is True and fixed["correction_reason"]
    assert (original["percent"], fixed["percent"], fixed["period"]) == (61, 58, "2023-B08")
    csv_head = demo.client.get("/data/laporan.csv").text.splitlines()[0]
    assert "after_close,corrects,corrected_by" in csv_head

    regions = demo.client.get("/data/wilayah.json").json()["rows"]
    assert [r["rank"] for r in regions] == list(range(1, len(regions) + 1))
    blitar = next(r for r in regions if r["region_code"] == "35.72")
    summary = ok(demo.client.get("/api/v1/regions/35.72"))["summary"]
    assert blitar["completion"] == summary["completion"]
    assert blitar["verified_share"] == summary["verified_share"]
    assert blitar["region_name"] == "Kota Blitar" and blitar["province_code"] == "35"

    activity = demo.client.get("/data/aktivitas.json").json()["rows"]
    positions = [a["position"] for a in activity]
    assert positions == sorted(positions, reverse=True)


def test_no_private_evidence_or_account_id_in_any_download(demo: Demo) -> None:
    actor_ids = {r["actor_id"] for r in demo.sql("SELECT DISTINCT actor_id FROM rm.activity")}
    private = [
        value
        for row in demo.sql("SELECT doc FROM rm.action")
        for report in json.loads(row["doc"])["reports"]
        for evidence in report["evidence"]
        if evidence["public"] is False
        for value in (evidence["title"], evidence["url"])
    ]
    assert actor_ids and private, "the demo has account ids and private evidence"
    for slug in DATASETS:
        for extension in ("csv", "json"):
            body = demo.client.get(f"/data/{slug}.{extension}").text
            assert "actor_id" not in body and "user_id" not in body
            for secret in (*actor_ids, *private):
                assert secret not in body, (slug, extension, secret)


def dictionary(html: str, slug: str) -> str:
    start = html.index(f'<table data-dataset="{slug}">')
    return html[start : html.index("</table>", start)]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_dictionary_describes_every_column(demo: Demo, lang: str) -> None:
    response = demo.client.get(f"/data?lang={lang}")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    html = response.text
    index = 0 if lang == "id" else 1
    for slug, (columns, _) in DATASETS.items():
        assert f'href="/data/{slug}.csv"' in html and f'href="/data/{slug}.json"' in html
        header = read_csv(demo.client.get(f"/data/{slug}.csv"))[0]
        table = dictionary(html, slug)
        described = {column.name: column for column in columns}
        for name in header:
            column = described[name]
            assert all(catalogue.text(lang, column.text).strip() for lang in ("id", "en")), name
            assert f"<code>{name}</code>" in table, (slug, name)
            assert catalogue.text(catalogue.LANGUAGES[index], f"data.type.{column.type}") in table
    assert "cahyadsn/wilayah" in html and "MIT" in html and 'href="/schema"' in html
    assert catalogue.text(catalogue.LANGUAGES[index], "data.not_published") in html


def test_repeat_download_is_304(demo: Demo) -> None:
    for url in ("/data/aksi.csv", "/data/laporan.json", "/data"):
        etag = demo.client.get(url).headers["etag"]
        again = demo.client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""


def test_every_table_downloads_as_xlsx_with_the_csv_rows(demo: Demo) -> None:
    """On PostgreSQL: the XLSX holds the CSV's header and as many rows, and its dictionary."""
    for slug in ("aksi", "laporan", "kkp_ham"):
        text = demo.client.get(f"/data/{slug}.csv").text
        table = list(csv.reader(io.StringIO(text)))
        book = load_workbook(io.BytesIO(demo.client.get(f"/data/{slug}.xlsx").content))
        rows = [[c.value for c in r] for r in book.worksheets[0].iter_rows()]
        assert rows[0] == table[0] and len(rows) == len(table), slug
        assert book.worksheets[1].max_row == len(table[0]) + 1, slug  # header + a column each


@pytest.mark.parametrize("path", ["/data/rahasia.csv", "/data/aksi.xls", "/data/aksi"])
def test_unknown_download_is_404_problem(demo: Demo, path: str) -> None:
    response = demo.client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient[Any]]:
    """An empty application (no demo) with the API tests' accounts."""
    with TestClient(create_app(settings_for(database_url))) as test_client:
        test_client.app.state.tokens = issue_tokens(database_url)
        yield test_client


def test_spreadsheet_formulas_are_neutralised(client: TestClient[Any]) -> None:
    tokens = client.app.state.tokens
    formula = '=HYPERLINK("https://evil.example/","klik")'
    forum = ok(
        client.post("/api/v1/forums", json={**FORUM, "title": formula}, headers=tokens["admin"]),
        201,
    )
    commitment = ok(
        client.post(
            "/api/v1/commitments",
            headers=tokens["admin"],
            json={
                "forum_id": forum["id"],
                "title": "+cmd|' /C calc'!A0",
                "summary": "@SUM(1+1)",
                "made_on": "2025-11-13",
                "signatories": [{"region_code": "35.72", "office": "-2+3"}],
            },
        ),
        201,
    )
    action = ok(
        client.post(
            "/api/v1/actions",
            headers=tokens["pemda_blitar"],
            json={
                "commitment_id": commitment["id"],
                "region_code": "35.72",
                "title": "=1+1",
                "owner_opd": "Bagian Hukum",
                "due_on": "2026-12-31",
            },
        ),
        201,
    )
    ok(client.get(f"/api/v1/forums?after={action['position']}"))

    def cells(slug: str) -> dict[str, str]:
        header, *rows = read_csv(client.get(f"/data/{slug}.csv"))
        assert len(rows) == 1
        return dict(zip(header, rows[0], strict=True))

    assert cells("forum")["title"] == "'" + formula
    made = cells("komitmen")
    assert made["title"] == "'+cmd|' /C calc'!A0" and made["summary"] == "'@SUM(1+1)"
    assert made["signatory_offices"] == "'-2+3"
    assert cells("aksi")["title"] == "'=1+1"
    # JSON is data, not a spreadsheet: the text is given back unchanged.
    assert client.get("/data/aksi.json").json()["rows"][0]["title"] == "=1+1"
