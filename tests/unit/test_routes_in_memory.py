"""Every GET route of the application on the in-memory bootstrap with the demo loaded: the
API, the portal pages, the feeds, open data and the audit endpoints answer from the
in-memory read store, with no PostgreSQL or NATS. What each answer says is tested in
tests/api and tests/web on PostgreSQL; the contract suite (tests/contracts/
test_read_store.py) shows both stores answer alike."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from adapters.memory.accounts import MemoryAccounts
from adapters.memory.eventstore import MemoryEventStore
from tracker.app import create_app
from tracker.bootstrap import Services, bootstrap
from tracker.settings import Settings

# What the sweep does not fetch, and why.
NOT_SWEPT = {
    "/langsung": "a stream that stays open: tests/web/test_live.py",
    "/statis/{file_path:path}": "static files: fetched below by name",
    "/schema/{path:str}": "the OpenAPI plugin's own pages: /schema/openapi.json is swept",
    "/schema/oauth2-redirect.html": "the OpenAPI plugin's own page",
}
# Routes that answer with something else than 200 here, and what they must answer.
EXPECTED = {
    "/api/v1/ledger/checkpoints/latest": 409,  # nothing is sealed and signed in memory
    "/api/v1/ledger/proofs/{position:int}": 409,
    # The sweep reads as a Kanwil: it reviews, it does not write reports.
    "/kerja/aksi/{action_id:str}/laporan": 403,
    "/kerja/aksi/{action_id:str}/laporan/{report_id:str}/ulang": 403,
    "/kerja/tinjau/{action_id:str}/{report_id:str}": 404,
    "/bukti/{action_id:str}/{sha256:str}": 404,
    "/kerja/aksi/baru": 403,
    "/kerja/impor": 403,  # a Pemda imports its own region's sheets
    "/kerja/impor/tugas/{job_id:str}": 404,  # only the account that started the import
    "/kerja/admin/akun": 403,  # the ministry centre only
    "/kerja/admin/akun/{user_id:str}": 403,
    "/kerja/admin/forum": 403,
    "/kerja/admin/pengiriman": 403,
    "/api/v1/webhooks/{webhook_id:uuid}": 404,  # only with its management token
    "/kerja/admin/forum/{forum_id:str}": 403,
    "/akun": 302,  # kept for old bookmarks: it sends a signed-in account to /kerja
    "/kerja/aksi/{action_id:str}/ubah": 403,
    "/kerja/aksi/{action_id:str}/jadwal": 403,
    "/kerja/aksi/{action_id:str}/tahapan": 403,
    "/kerja/aksi/{action_id:str}/batal": 403,
    "/kerja/aksi/{action_id:str}/selesai": 403,
}


class Demo:
    def __init__(self, client: TestClient[Any], services: Services) -> None:
        self.client, self.services = client, services
        reads: Any = services.data
        reads.catch_up()
        self.tables = reads.tables

    def first(self, table: str, **where: Any) -> str:
        rows = [r for r in self.tables[table].values() if all(r[k] == v for k, v in where.items())]
        return str(min(rows, key=lambda r: str(r["id"]))["id"])


@pytest.fixture(scope="module")
def demo() -> Iterator[Demo]:
    settings = Settings(data_dir=None, database_url=None, workers=False, demo=True)
    services = bootstrap(settings, store=MemoryEventStore(), accounts=MemoryAccounts())
    with TestClient(create_app(settings, services=services)) as client:
        yield Demo(client, services)


def _path(template: str, demo: Demo) -> str:
    action = demo.first("action", region_code="33.74")
    values = {
        "forum_id": demo.first("forum"),
        "commitment_id": demo.first("commitment"),
        "action_id": action,
        "record_id": action,
        "kind": "actions",
        "code": "33.74",
        "position": "3",
        "dimension": "kkp",
        "year": "2022",
        "webhook_id": "00000000-0000-4000-8000-000000000000",
        "job_id": "tidak-ada",
    }
    if template.startswith("/provinsi/"):
        values["code"] = "33"
    path = re.sub(r"\{(\w+):\w+\}", lambda m: values.get(m.group(1), m.group(0)), template)
    if template.startswith("/umpan/") and "{name" in template:
        scope = template.split("/")[2]
        key = {"provinsi": "33", "wilayah": "33.74", "forum": values["forum_id"]}.get(scope, action)
        path = path.replace("{name:str}", f"{key}.atom")
    if template.startswith("/api/v1/imports/templates/"):
        return "/api/v1/imports/templates/laporan.xlsx?region=33.74"
    if template.endswith("/changes"):  # its two dates are required
        path += "?dari=2022-01-01&sampai=2024-01-01"
    return path.replace("/data/{name:str}", "/data/aksi.csv")


def _token(demo: Demo, user_id: str) -> dict[str, str]:
    async def issue() -> str:
        _, token = await demo.services.accounts.issue_token(
            user_id, "sweep", None, demo.services.clock()
        )
        return token

    return {"Authorization": f"Bearer {asyncio.run(issue())}"}


def test_every_get_route_answers_on_the_in_memory_read_store(demo: Demo) -> None:
    kanwil = _token(demo, "demo-kanwil-jateng")
    admin = _token(demo, "demo-admin")
    swept = []
    for route in demo.client.app.routes:
        if "GET" not in (getattr(route, "methods", None) or ()) or route.path in NOT_SWEPT:
            continue
        path = _path(route.path, demo)
        headers = admin if route.path == "/api/v1/users" else kanwil
        response = demo.client.get(path, headers=headers, follow_redirects=False)
        expected = EXPECTED.get(route.path, 200)
        assert response.status_code == expected, (path, response.text[:300])
        swept.append(route.path)
    assert len(swept) >= 45
    assert demo.client.get("/statis/site.css").status_code == 200


def test_the_in_memory_pages_show_the_demo(demo: Demo) -> None:
    region = demo.client.get("/wilayah/35.72")
    assert region.status_code == 200 and "Kota Blitar" in region.text
    national = demo.client.get("/api/v1/national").json()
    assert national["summary"]["actions"] == len(demo.tables["action"]) > 10
    board = demo.client.get("/api/v1/actions?region=33.75&limit=2").json()
    assert len(board["items"]) == 2 and board["next_cursor"]
    after = demo.client.get(f"/api/v1/actions?after={demo.services.store.head()}")
    assert after.status_code == 200
    csv = demo.client.get("/data/aksi.csv").text.splitlines()
    assert len(csv) == len(demo.tables["action"]) + 1


def test_the_demo_names_each_kanwil_as_it_was_called_on_the_day(demo: Demo) -> None:
    """Kota Pekalongan's 2023 reports were verified by the Bidang HAM of the Kanwil
    Kementerian Hukum dan HAM Jawa Tengah; Kota Blitar's in 2025 by the Kanwil Kementerian
    HAM Jawa Timur (reference data: adapters/reference/kanwil_offices.csv)."""
    reviewers: dict[tuple[str, str], set[str]] = {}
    for doc in demo.client.get("/api/v1/actions?limit=500").json()["items"]:
        for report in doc["reports"]:
            if report["reviewer"]:
                key = (doc["region_code"], report["reviewed_at"][:4])
                reviewers.setdefault(key, set()).add(report["reviewer"]["office"])
    assert reviewers[("33.75", "2023")] == {
        "Kanwil Kementerian Hukum dan HAM Jawa Tengah (Bidang HAM)"
    }
    assert reviewers[("35.72", "2026")] == {"Kanwil Kementerian HAM Jawa Timur"}


def test_every_page_of_the_demo_says_its_data_is_illustrative(demo: Demo) -> None:
    for path in (
        "/",
        "/wilayah/35.72",
        "/aksi",
        "/data",
        "/forum/88030546-702d-563f-8268-d231c364c1d7",
    ):
        text = demo.client.get(path).text
        assert 'class="demo-banner" role="note"' in text and "Data contoh." in text, path
    assert "Demo data." in demo.client.get("/?lang=en").text


def test_demo_forums_cite_their_sources_and_names_only_where_sourced(demo: Demo) -> None:
    forums = demo.client.get("/api/v1/forums").json()["items"]
    assert all(f["sources"] for f in forums)
    rakernas = next(f for f in forums if f["kind"] == "rakernas")
    assert rakernas["sources"] == [
        {
            "publisher": "Disway Sulsel",
            "title": "Hadiri Rapat Kerja Bidang HAM, Kakanwil KemenHAM Sulsel Ikut Dorong "
            "Penguatan Implementasi HAM di Daerah",
            "published_on": "2025-11-13",
            "url": None,
        }
    ]
    page = demo.client.get(f"/forum/{rakernas['id']}?lang=id").text
    assert "Sumber" in page and "Disway Sulsel" in page and "Tjhai Chui Mie" in page
    named = {
        (s["region_code"], s["name"])
        for c in demo.client.get("/api/v1/commitments").json()["items"]
        for s in c["signatories"]
        if s["name"]
    }
    assert named == {("35.72", "Syauqul Muhibbin"), ("61.72", "Tjhai Chui Mie")}


def test_demo_forums_carry_the_sessions_and_speakers_their_sources_name(demo: Demo) -> None:
    forums = {f["kind"]: f for f in demo.client.get("/api/v1/forums").json()["items"]}
    rakernas = forums["rakernas"]
    assert [s["title"].split(":")[0] for s in rakernas["sessions"]] == [
        "Pleno I",
        "Pleno II",
        "Pleno III",
    ]
    third = rakernas["sessions"][2]["speakers"]
    assert {(p["name"], p["role"]) for p in third} == {
        ("Novie Soegiharti", "facilitator"),
        ("Zainal Abidin", "facilitator"),
    }
    assert next(p for p in third if p["name"] == "Zainal Abidin")["office"] == ""  # not given
    fgd = forums["fgd"]
    (only,) = fgd["sessions"]
    assert only["title"] == "" and [p["name"] for p in only["speakers"]] == [
        "Lista Widyastuti",
        "Soesilo",
        "Rofieq",
    ]
    assert only["sources"][0]["publisher"] == "JDIH Kota Pekalongan"
    assert all(s["sources"] for f in forums.values() for s in f["sessions"])
    assert forums["festival_ham"]["sessions"] == []  # its source names no speaker
    page = demo.client.get(f"/forum/{fgd['id']}?lang=id").text
    assert "Acara dan pembicara" in page and "Sesi (tanpa judul dalam sumber)" in page
    assert "Lista Widyastuti, Kepala Bidang HAM Kanwil Kementerian Hukum dan HAM" in page
    en = demo.client.get(f"/forum/{rakernas['id']}?lang=en").text
    assert "Programme and speakers" in en and "Novie Soegiharti" in en and "facilitator" in en
    found = demo.client.get("/cari?q=Widyastuti&lang=id").text
    assert f'href="/forum/{fgd["id"]}"' in found


def test_a_commitment_page_shows_its_signatories_sources_and_actions(demo: Demo) -> None:
    commitments = demo.client.get("/api/v1/commitments").json()["items"]
    joint = next(c for c in commitments if c["title"].startswith("Komitmen bersama"))
    page = demo.client.get(f"/komitmen/{joint['id']}?lang=id")
    assert page.status_code == 200
    text = page.text
    assert f"<h1>{joint['title']}</h1>" in text and "Disway Sulsel" in text
    assert "Tjhai Chui Mie" in text and 'href="/wilayah/61.72"' in text
    under = demo.client.get(f"/api/v1/actions?commitment_id={joint['id']}").json()["items"]
    assert under and all(f'href="/aksi/{a["id"]}"' in text for a in under)
    forum = demo.client.get(f"/forum/{joint['forum_id']}").text
    assert f'href="/komitmen/{joint["id"]}"' in forum
    action = demo.client.get(f"/aksi/{under[0]['id']}").text
    assert f'href="/komitmen/{joint["id"]}"' in action
    assert demo.client.get("/komitmen/not-a-uuid").status_code == 404
    missing = "/komitmen/00000000-0000-4000-8000-000000000000"
    assert demo.client.get(missing).status_code == 404


def test_the_portal_search_finds_actions_commitments_and_forums(demo: Demo) -> None:
    text = demo.client.get("/cari?q=pengaduan&lang=id").text
    assert "Layanan pengaduan pelanggaran HAM terpadu" in text and 'href="/aksi/' in text
    people = demo.client.get("/cari?q=Tjhai&lang=id").text
    assert 'href="/komitmen/' in people and "Komitmen bersama" in people
    both = demo.client.get("/cari?q=Blitar&lang=id").text
    assert 'href="/wilayah/35.72"' in both and "Aksi, komitmen dan forum" in both
    nothing = demo.client.get("/cari?q=tidakadasamasekali&lang=id").text
    assert "Tidak ada wilayah, aksi, komitmen atau forum" in nothing


def test_the_demo_tells_pekalongans_kkp_ham_history_as_the_source_does(demo: Demo) -> None:
    """Lost in the 2022 assessment (data year 2021; no score or decree: the source gives
    none); the 2023 assessment is on data year 2022, coordinated by Bagian Hukum with the
    eleven OPD of the source and verified by the Kanwil under its name of the day; no
    central result for 2022 is invented."""
    body = demo.client.get("/api/v1/kkp-ham/2022/33.75").json()
    assessment = body["assessment"]
    assert assessment["status"] == "verified" and len(assessment["answers"]) == 10
    assert assessment["reviewed_by"]["office"] == (
        "Kanwil Kementerian Hukum dan HAM Jawa Tengah (Bidang HAM)"
    )
    assert "sebelas OPD" in assessment["note"] and "ilustratif" in assessment["note"]
    assert assessment["submitted_at"].startswith("2023-")
    history = {h["data_year"]: h for h in body["history"]}
    assert history[2022]["result"] is None
    lost = history[2021]["result"]
    assert lost["predicate"] is False and lost["score"] is None and lost["decree_number"] == ""
    # the estimate for data year 2022 counts nothing: the demo's reports are of 2023
    assert body["readiness"]["readiness"] == 0.0
    later = demo.client.get("/api/v1/kkp-ham/2023/33.75").json()["readiness"]
    assert later["claimed_readiness"] >= later["readiness"] > 0  # 2023 work counts for 2023
    table = demo.client.get("/api/v1/kkp-ham/2022?kanwil=33").json()["items"]
    states = {i["region_code"]: i["assessment_status"] for i in table}
    assert states == {"33.74": "none", "33.75": "verified"}  # Semarang: tagged work, no cycle


def test_the_demos_api_answers_say_they_are_demo_data(demo: Demo) -> None:
    for path in ("/api/v1/national", "/api/v1/kkp-ham/2022", "/api/v1/forums", "/api/v1/actions"):
        assert demo.client.get(path).json()["demo"] is True, path
