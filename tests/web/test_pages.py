"""The public portal's pages, server-rendered, on the demo data and on hostile input: every
page in Bahasa Indonesia and in English, search, the action board's filters, 404 pages,
escaping, no private evidence or account id anywhere, and 304 from the ETag."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest
from litestar.testing import TestClient

from tests.api.conftest import FORUM, client, ok  # noqa: F401  (client: a pytest fixture)
from tests.conftest import _with_database
from tests.support import account_store, settings_for
from tracker.app import create_app
from tracker.web import pages_action

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_ATTR = '"><img src=x onerror=alert(1)>'
FINGERPRINT = "ab" * 32
USER_IDS = ("demo-admin", "demo-pemda-", "demo-kanwil-", "t-pemda-blitar", "t-admin")


async def _admin(url: str, sql: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def _token(url: str, user_id: str) -> str:
    async with account_store(url) as store:
        _, token = await store.issue_token(user_id, "tests", None, datetime.now(UTC))
        return token


@pytest.fixture(scope="module")
def demo(postgres_server_url: str) -> Iterator[dict[str, Any]]:
    """The demo loaded once for this module, its read models caught up with the log."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(postgres_server_url, f'CREATE DATABASE "{name}"'))
    url = _with_database(postgres_server_url, name)
    try:
        with TestClient(create_app(settings_for(url, demo=True))) as site:
            head = site.get("/ready").json()["head_position"]
            actions = ok(site.get(f"/api/v1/actions?after={head}&limit=500"))["items"]
            forums = ok(site.get("/api/v1/forums"))["items"]
            yield {
                "client": site,
                "actions": actions,
                "forums": forums,
                "blitar_token": asyncio.run(_token(url, "demo-pemda-3572")),
            }
    finally:
        asyncio.run(_admin(postgres_server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def site(demo: dict[str, Any]) -> TestClient[Any]:
    """The demo client with no language cookie left over from another test."""
    demo_client: TestClient[Any] = demo["client"]
    demo_client.cookies.clear()
    return demo_client


def blitar_action(demo: dict[str, Any], status: str) -> dict[str, Any]:
    return next(a for a in demo["actions"] if a["region_code"] == "35.72" and a["status"] == status)


def page_urls(demo: dict[str, Any]) -> dict[str, str]:
    rakernas = next(f for f in demo["forums"] if f["kind"] == "rakernas")
    action = blitar_action(demo, "verified")
    return {
        "/": "/umpan/nasional",
        "/cari?q=blitar": "",
        "/provinsi/35": "/umpan/provinsi/35",
        "/wilayah/35.72": "/umpan/wilayah/35.72",
        f"/forum/{rakernas['id']}": f"/umpan/forum/{rakernas['id']}",
        f"/aksi/{action['id']}": f"/umpan/aksi/{action['id']}",
        "/aksi": "",
    }


def html(response: Any, status: int = 200) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    text: str = response.text
    return text


def action_links(text: str) -> set[str]:
    return set(re.findall(r'href="/aksi/([0-9a-f-]{36})"', text))


def test_every_page_in_indonesian_then_english(demo: dict[str, Any], site: TestClient[Any]) -> None:
    for url, feed in page_urls(demo).items():
        text = html(site.get(url))
        assert '<html lang="id">' in text, url
        assert "Langsung ke isi" in text, url
        if feed:
            assert f'type="application/atom+xml" href="{feed}.atom"' in text, url
            assert f'type="application/feed+json" href="{feed}.json"' in text, url
            assert "Ikuti lewat Atom" in text, url

        english = html(site.get(url, params={"lang": "en"}))
        assert '<html lang="en">' in english, url
        assert "Skip to content" in english, url
        if feed:
            assert "Follow via Atom" in english, url
        site.cookies.clear()


def test_places_without_actions_have_pages_too(site: TestClient[Any]) -> None:
    for url, name in (("/wilayah/11.01", "Kabupaten Aceh Selatan"), ("/provinsi/11", "Aceh")):
        text = html(site.get(url))
        assert f"<h1>{name}</h1>" in text and "Belum ada" in text, url


def test_the_language_cookie_keeps_english(site: TestClient[Any]) -> None:
    english = html(site.get("/wilayah/35.72?lang=en"))
    assert "Commitments and their actions" in english
    again = html(site.get("/wilayah/35.72"))
    assert '<html lang="en">' in again and "Recent activity" in again
    back = html(site.get("/?lang=id"))
    assert '<html lang="id">' in back and "Ringkasan nasional" in back
    assert '<html lang="id">' in html(site.get("/aksi"))


def test_national_overview(demo: dict[str, Any], site: TestClient[Any]) -> None:
    text = html(site.get("/"))
    assert "Dari komitmen ke implementasi" in text
    assert '<form action="/cari"' in text and 'name="q"' in text
    for province in ("33", "35", "61"):
        assert f'href="/provinsi/{province}"' in text
    assert re.search(r'<span class="bar"><span style="width:[\d.]+%"></span></span>', text)
    assert 'href="/wilayah/33.75"' in text and 'href="/wilayah/35.72"' in text
    for forum in demo["forums"]:
        assert f'href="/forum/{forum["id"]}"' in text
    assert "<svg" in text and "<title" in text  # the status breakdown, with its text


def test_search_finds_kota_blitar(site: TestClient[Any]) -> None:
    for query in ("blitar", "Blitar", "BLITAR", "kota blitar"):
        text = html(site.get("/cari", params={"q": query}))
        assert '<a href="/wilayah/35.72">Kota Blitar</a>' in text, query
    assert 'href="/wilayah/35.05"' in html(site.get("/cari?q=blitar"))  # Kabupaten Blitar
    assert 'href="/provinsi/35"' in html(site.get("/cari?q=jawa+timur"))
    assert "Tidak ada wilayah" in html(site.get("/cari?q=zzzz"))
    assert "No region, action, commitment or forum matches" in html(
        site.get("/cari?q=zzzz&lang=en")
    )


def test_kota_blitar_shows_its_actions_and_their_verification(
    demo: dict[str, Any], site: TestClient[Any]
) -> None:
    text = html(site.get("/wilayah/35.72"))
    assert 'data-live-region="35.72" data-live-position=' in text
    assert '<script src="/statis/live.js" defer></script>' in text
    blitar = {a["id"] for a in demo["actions"] if a["region_code"] == "35.72"}
    assert action_links(text) == blitar
    assert '<span class="badge verified">Terverifikasi</span>' in text
    assert '<span class="badge submitted">Belum diverifikasi</span>' in text
    assert '<span class="badge returned">Dikembalikan</span>' in text
    assert "Komitmen bersama Pemerintah Daerah" in text  # the Singkawang commitment
    assert "Bagian Hukum Setda Kota Blitar" in text  # the timeline: office, not account
    assert text.count("<svg") == 2  # status breakdown, completion over time
    english = html(site.get("/wilayah/35.72?lang=en"))
    assert '<span class="badge verified">Verified</span>' in english
    assert '<span class="badge submitted">Not verified yet</span>' in english


def test_province_page(demo: dict[str, Any], site: TestClient[Any]) -> None:
    text = html(site.get("/provinsi/33"))
    assert "<h1>Jawa Tengah</h1>" in text
    assert 'href="/wilayah/33.74"' in text and 'href="/wilayah/33.75"' in text
    central_java = {a["id"] for a in demo["actions"] if a["province_code"] == "33"}
    assert action_links(text) == central_java
    assert "<svg" in text


def test_forum_page_follows_each_signatory(demo: dict[str, Any], site: TestClient[Any]) -> None:
    rakernas = next(f for f in demo["forums"] if f["kind"] == "rakernas")
    text = html(site.get(f"/forum/{rakernas['id']}"))
    assert rakernas["title"] in text
    assert "Dari komitmen ke implementasi" in text
    for code in ("61.72", "35.72", "33.74", "33.75"):
        assert f'href="/wilayah/{code}"' in text
    assert 'href="/provinsi/61"' in text  # the province signed too
    assert "Wali Kota Singkawang" in text and "Gubernur Kalimantan Barat" in text


def test_action_page_shows_reports_evidence_and_history(
    demo: dict[str, Any], site: TestClient[Any]
) -> None:
    action = blitar_action(demo, "verified")
    text = html(site.get(f"/aksi/{action['id']}"))
    assert action["title"] in text and action["owner_opd"] in text
    assert "Pemetaan selesai dan dipaparkan kepada Wali Kota." in text  # a narrative
    assert '<span class="badge verified">Terverifikasi</span>' in text
    assert 'href="https://jdih.example.go.id/dokumen/blitar-pemetaan.pdf"' in text
    for report in action["reports"]:
        for evidence in report["evidence"]:
            assert evidence["title"] in text
            assert (evidence["sha256"] or "tanpa sidik jari") in text
    assert "Riwayat" in text
    history = text[text.index("Riwayat") :]
    order = ["Aksi direncanakan", "Laporan kemajuan dikirim", "Laporan diverifikasi"]
    assert [history.index(step) for step in order] == sorted(history.index(s) for s in order)
    assert "Kanwil Kementerian HAM Jawa Timur" in history
    assert "Hak" in text and "PN1" in text  # KKP criterion name, RPJMN PN
    assert "<svg" in text


def test_the_demo_action_in_weighted_steps_rolls_up_and_weighs_in_blitar(
    demo: dict[str, Any], site: TestClient[Any]
) -> None:
    split = next(a for a in demo["actions"] if a["steps"])
    assert split["weight"] == 2 and [s["weight"] for s in split["steps"]] == [1, 3]
    figures = split["figures"]
    assert (figures["completion"], figures["verified_completion"]) == (70.0, 25.0)
    assert [p["completion"] for p in figures["series"]] == [40.0, 70.0]  # B04, B08
    text = html(site.get(f"/aksi/{split['id']}"))
    assert "Tahapan" in text and "SOP pengaduan ditetapkan" in text and "DPMPPA" in text
    assert "25%" in text and "75%" in text  # each step's share of the action

    live = [a for a in demo["actions"] if a["region_code"] == "35.72"]
    live = [a for a in live if a["status"] != "cancelled"]
    weights = sum(a["weight"] for a in live)
    expected = sum(a["weight"] * a["figures"]["verified_completion"] for a in live) / weights
    summary = ok(site.get("/api/v1/regions/35.72"))["summary"]
    assert summary["verified_completion"] == round(expected, 1)
    assert weights == len(live) + 1  # the one action of weight 2


def test_the_search_uses_indonesian_stems(site: TestClient[Any]) -> None:
    """PostgreSQL's Indonesian configuration: `latih` finds the SNP *pelatihan* forum and
    `mengadu` the complaint-service (*pengaduan*) action."""
    found = html(site.get("/cari?q=latih&lang=id"))
    assert "Pelatihan Kota Semarang sebagai Kota HAM" in found and 'href="/forum/' in found
    assert "Layanan pengaduan pelanggaran HAM terpadu" in html(site.get("/cari?q=mengadu"))
    # a forum is found by the people its programme names, and the page shows them
    speakers = html(site.get("/cari?q=Soegiharti&lang=id"))
    assert "Rapat Kerja Pemerintah Daerah bidang HAM" in speakers


def test_board_filters_narrow_like_the_api(demo: dict[str, Any], site: TestClient[Any]) -> None:
    everything = action_links(html(site.get("/aksi")))
    assert everything == {a["id"] for a in demo["actions"]}
    cases = {
        "kkp=3": "kkp=3",
        "pn=PN1&kkp=3": "pn=PN1&kkp=3",
        "opd=bkpsdm": "owner_opd=bkpsdm",
        "status=verified": "status=verified",
        "terlambat=1": "overdue=true",
        "provinsi=33": "province=33",
        "wilayah=35.72": "region=35.72",
        "provinsi=33&status=in_progress&terlambat=1": "province=33&status=in_progress&overdue=1",
    }
    for page_query, api_query in cases.items():
        shown = action_links(html(site.get(f"/aksi?{page_query}")))
        expected = {a["id"] for a in ok(site.get(f"/api/v1/actions?{api_query}"))["items"]}
        assert shown == expected, page_query
        assert 0 < len(shown) < len(everything), page_query
    # Every demo action is tagged PN1: another PN shows none (and says so).
    assert action_links(html(site.get("/aksi?pn=PN1"))) == everything
    empty = html(site.get("/aksi?pn=PN2"))
    assert not action_links(empty) and "Tidak ada aksi yang cocok" in empty
    chosen = html(site.get("/aksi?kkp=3&terlambat=1"))
    assert '<option value="3" selected>' in chosen and 'value="1" checked' in chosen
    # Nonsense filters are ignored, never an error page.
    assert action_links(html(site.get("/aksi?kkp=99&pn=PN9&status=x&halaman=zz"))) == everything


def test_board_pages_with_a_next_link(
    demo: dict[str, Any], site: TestClient[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages_action, "BOARD_PAGE", 5)
    seen: list[str] = []
    url: str | None = "/aksi?lang=en"
    while url is not None:
        text = html(site.get(url))
        seen += sorted(action_links(text))
        found = re.search(r'<a href="([^"]+)" rel="next">Next', text)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert sorted(seen) == sorted(a["id"] for a in demo["actions"]) and len(seen) > 5


def test_unknown_things_are_404_pages_in_the_visitors_language(site: TestClient[Any]) -> None:
    missing = uuid.uuid4()
    for url in (
        "/wilayah/99.99",
        "/provinsi/99",
        f"/forum/{missing}",
        "/forum/not-an-id",
        f"/aksi/{missing}",
        "/aksi/not-an-id",
    ):
        text = html(site.get(url), 404)
        assert '<html lang="id">' in text and "Tidak ditemukan" in text, url
        english = html(site.get(url, params={"lang": "en"}), 404)
        assert '<html lang="en">' in english and "Not found" in english, url
    assert site.get("/wilayah/35", follow_redirects=False).headers["location"] == "/provinsi/35"


def test_no_private_evidence_or_account_id_on_any_page(
    demo: dict[str, Any], site: TestClient[Any]
) -> None:
    """Whether or not the visitor is signed in: here as the Pemda of Kota Blitar, whose
    action holds the private interview notes."""
    signed_in = {"Authorization": f"Bearer {demo['blitar_token']}"}
    urls = [
        *page_urls(demo),
        *(f"/aksi/{a['id']}" for a in demo["actions"]),
        *(f"/forum/{f['id']}" for f in demo["forums"]),
        *(f"/wilayah/{code}" for code in ("33.74", "33.75", "61.72")),
        "/provinsi/33",
        "/provinsi/61",
    ]
    for headers in ({}, signed_in):
        for url in urls:
            for lang in ("id", "en"):
                text = html(site.get(url, params={"lang": lang}, headers=headers))
                assert "wawancara" not in text and "blitar-wawancara" not in text, url
                assert not [u for u in USER_IDS if u in text], url


def test_a_repeat_request_with_the_etag_is_304(site: TestClient[Any]) -> None:
    for url in ("/", "/wilayah/35.72", "/aksi"):
        first = site.get(url)
        tag = first.headers["etag"]
        again = site.get(url, headers={"If-None-Match": tag})
        assert again.status_code == 304, url
        english = site.get(url, params={"lang": "en"})
        assert english.status_code == 200 and english.headers["etag"] != tag
        site.cookies.clear()


def test_user_supplied_text_is_escaped_everywhere(client: TestClient[Any]) -> None:  # noqa: F811
    admin = client.app.state.tokens["admin"]
    forum = ok(
        client.post("/api/v1/forums", json={**FORUM, "title": XSS_SCRIPT}, headers=admin), 201
    )
    commitment = ok(
        client.post(
            "/api/v1/commitments",
            headers=admin,
            json={
                "forum_id": forum["id"],
                "title": XSS_ATTR,
                "summary": XSS_SCRIPT,
                "made_on": "2025-11-13",
                "signatories": [{"region_code": "35.72", "office": XSS_ATTR}],
            },
        ),
        201,
    )
    action = ok(
        client.post(
            "/api/v1/actions",
            json={
                "commitment_id": commitment["id"],
                "region_code": "35.72",
                "title": XSS_SCRIPT,
                "owner_opd": XSS_ATTR,
                "description": XSS_SCRIPT,
                "due_on": "2026-12-31",
            },
        ),
        201,
    )
    report = ok(
        client.post(
            f"/api/v1/actions/{action['id']}/progress",
            json={
                "period": "2025-B12",
                "percent": 30,
                "narrative": XSS_ATTR + XSS_SCRIPT,
                "evidence": [
                    {
                        "title": XSS_SCRIPT,
                        "url": "https://example.org/a.pdf",
                        "sha256": FINGERPRINT,
                    },
                    {"title": XSS_ATTR, "url": "https://example.org/b.pdf", "public": False},
                ],
            },
        ),
        201,
    )
    # ?after= waits for the read models to hold the write, as the API does.
    assert XSS_SCRIPT.replace("<", "&lt;").replace(">", "&gt;") in html(
        client.get(f"/wilayah/35.72?after={report['position']}")
    )

    pages = {
        f"/aksi/{action['id']}": True,
        "/wilayah/35.72": True,
        "/provinsi/35": True,
        "/aksi": True,
        "/aksi?opd=img": True,
        f"/forum/{forum['id']}": True,
        "/": False,
    }
    for url, shows_action in pages.items():
        text = html(client.get(url))
        assert XSS_SCRIPT not in text and "<img src=x" not in text, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, url
        if shows_action:
            assert "&lt;img src=x onerror=alert(1)&gt;" in text, url
    action_page = html(client.get(f"/aksi/{action['id']}"))
    assert FINGERPRINT in action_page  # public evidence with its fingerprint
    assert "https://example.org/b.pdf" not in action_page  # private: never shown
    assert "Laporan kemajuan dikirim" in action_page  # the history
    assert "t-pemda-blitar" not in action_page
