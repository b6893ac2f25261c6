"""Atom and JSON feeds of public activity, on the demo data and on hostile titles."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import feedparser
import pytest
from litestar.testing import TestClient

from tests.api.conftest import FORUM, issue_tokens, ok
from tests.support import settings_for
from tests.web.conftest import Demo
from tracker import catalogue
from tracker.app import create_app

HOSTILE = "<script>alert(1)</script> & \"kutip\" 'tunggal'"


def scopes(demo: Demo) -> dict[str, tuple[str, str, list[Any]]]:
    """Feed path (without extension) -> (HTML path, expected activity rows newest first)."""
    newest = "ORDER BY position DESC LIMIT 50"
    activity = (
        "SELECT position, type, title, aggregate, region_codes, province_codes, detail"
        " FROM rm.activity"
    )
    forum = demo.sql("SELECT id FROM rm.forum WHERE host_region_code = '61.72'")[0]["id"]
    action = demo.sql("SELECT id FROM rm.action ORDER BY reports_total DESC, id LIMIT 1")[0]["id"]
    members = " OR aggregate_id IN (SELECT id FROM rm.{0} WHERE forum_id = $1)"
    return {
        "/umpan/nasional": ("/", demo.sql(f"{activity} ORDER BY position DESC LIMIT 50")),
        "/umpan/provinsi/35": (
            "/provinsi/35",
            demo.sql(f"{activity} WHERE '35' = ANY(province_codes) ORDER BY position DESC"),
        ),
        "/umpan/provinsi/33": (  # holds the demo's period closure for Jawa Tengah
            "/provinsi/33",
            demo.sql(f"{activity} WHERE '33' = ANY(province_codes) {newest}"),
        ),
        "/umpan/wilayah/33.75": (  # holds Kota Pekalongan's correction after the close
            "/wilayah/33.75",
            demo.sql(f"{activity} WHERE '33.75' = ANY(region_codes) {newest}"),
        ),
        "/umpan/wilayah/35.72": (
            "/wilayah/35.72",
            demo.sql(f"{activity} WHERE '35.72' = ANY(region_codes) ORDER BY position DESC"),
        ),
        f"/umpan/forum/{forum}": (
            f"/forum/{forum}",
            demo.sql(
                f"{activity} WHERE aggregate_id = $1"
                + members.format("commitment")
                + members.format("action")
                + " ORDER BY position DESC",
                forum,
            ),
        ),
        f"/umpan/aksi/{action}": (
            f"/aksi/{action}",
            demo.sql(f"{activity} WHERE aggregate_id = $1 ORDER BY position DESC", action),
        ),
    }


def entry_id(position: int) -> str:
    name = f"urn:pelacak-komitmen-ham:peristiwa/{position}"
    return uuid.uuid5(uuid.NAMESPACE_URL, name).urn


def title_of(row: Any, lang: int = 0) -> str:
    if row["detail"]:  # a correction after its period closed names both values
        facts = json.loads(row["detail"])
        shown = {k: "-" if facts[k] is None else f"{facts[k]:g}%" for k in ("before", "after")}
        return catalogue.text(
            catalogue.LANGUAGES[lang],
            "feed.event.correction",
            title=row["title"],
            period=facts["period"],
            **shown,
        )
    return catalogue.text(
        catalogue.LANGUAGES[lang], f"feed.event.{row['type']}", title=row["title"]
    )


def test_every_atom_feed_parses_with_its_entries(demo: Demo) -> None:
    for path, (html, rows) in scopes(demo).items():
        response = demo.client.get(f"{path}.atom")
        assert response.status_code == 200, (path, response.text)
        assert response.headers["content-type"].startswith("application/atom+xml")
        parsed = feedparser.parse(response.content)
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert 0 < len(rows) <= 50
        assert len(parsed.entries) == len(rows), path
        assert [e.title for e in parsed.entries] == [title_of(r) for r in rows]
        assert [e.id for e in parsed.entries] == [entry_id(r["position"]) for r in rows]
        assert parsed.feed.language == "id"
        assert parsed.feed.link == f"http://testserver.local{html}"
        links = {link.rel: link.href for link in parsed.feed.links if link.rel == "self"}
        assert links["self"] == f"http://testserver.local{path}.atom"
        assert parsed.feed.updated == parsed.entries[0].updated
        newest = parsed.entries[0]
        assert newest.link.startswith("http://testserver.local/")
        assert newest.author and "(" in newest.author
        assert newest.summary.startswith(newest.title)
        # an action's or a forum's page; a period closure's place (region or province)
        pages = ("aksi", "forum", "wilayah", "provinsi", "jadwal?tahun=2026")
        assert all(e.link.split("/")[3] in pages for e in parsed.entries), path
        for entry, row in zip(parsed.entries, rows, strict=True):
            if row["aggregate"] == "period":
                codes = row["region_codes"] or row["province_codes"]
                assert entry.link.endswith(f"/{codes[0]}"), (entry.link, codes)


def test_a_closure_and_a_correction_read_as_such(demo: Demo) -> None:
    """The demo closes Jawa Tengah's 2023-B08 and Kota Pekalongan then corrects 61% to 58%."""
    province = feedparser.parse(demo.client.get("/umpan/provinsi/33.atom").content)
    closed = [e for e in province.entries if e.link.endswith("/provinsi/33")]
    assert closed and "2023-B08" in closed[0].title, [e.title for e in province.entries]
    region = feedparser.parse(demo.client.get("/umpan/wilayah/33.75.atom").content)
    (fixed,) = [e for e in region.entries if "58%" in e.title]
    assert "61%" in fixed.title and "2023-B08" in fixed.title, fixed.title


def test_every_json_feed_is_json_feed_1_1(demo: Demo) -> None:
    for path, (html, rows) in scopes(demo).items():
        response = demo.client.get(f"{path}.json")
        assert response.status_code == 200, (path, response.text)
        assert response.headers["content-type"].startswith("application/feed+json")
        feed = response.json()
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert feed["home_page_url"] == f"http://testserver.local{html}"
        assert feed["feed_url"] == f"http://testserver.local{path}.json"
        assert [item["title"] for item in feed["items"]] == [title_of(r) for r in rows]
        assert [item["id"] for item in feed["items"]] == [entry_id(r["position"]) for r in rows]
        for item in feed["items"]:
            assert item["id"] and item["url"].startswith("http://testserver.local/")
            assert item["date_published"].endswith("Z") and item["content_text"]
        assert feed["language"] == "id" and feed["title"] and feed["authors"]


def test_commitment_entries_link_to_their_forum(demo: Demo) -> None:
    forum, commitment = demo.sql(
        "SELECT c.forum_id, c.id FROM rm.commitment c JOIN rm.forum f ON f.id = c.forum_id"
        " WHERE f.host_region_code = '61.72'"
    )[0]
    items = demo.client.get(f"/umpan/forum/{forum}.json").json()["items"]
    made = [i for i in items if i["_pelacak"]["aggregate_id"] == str(commitment)]
    assert made and all(i["url"] == f"http://testserver.local/forum/{forum}" for i in made)


def test_english_titles_with_lang_en(demo: Demo) -> None:
    html, rows = scopes(demo)["/umpan/wilayah/35.72"]
    parsed = feedparser.parse(demo.client.get("/umpan/wilayah/35.72.atom?lang=en").content)
    assert parsed.bozo == 0 and parsed.feed.language == "en"
    assert [e.title for e in parsed.entries] == [title_of(r, 1) for r in rows]
    assert [e.id for e in parsed.entries] == [entry_id(r["position"]) for r in rows]
    assert parsed.feed.link == f"http://testserver.local{html}?lang=en"
    assert all(e.link.endswith("?lang=en") for e in parsed.entries)
    verified = [e for e in parsed.entries if e.title.startswith("Progress report verified: ")]
    assert verified, "the demo has verified Blitar reports"
    feed = demo.client.get("/umpan/wilayah/35.72.json?lang=en").json()
    assert feed["language"] == "en" and feed["items"][0]["title"] == title_of(rows[0], 1)


def test_no_account_id_or_private_evidence_in_any_feed(demo: Demo) -> None:
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
    for path in scopes(demo):
        for extension in ("atom", "json"):
            body = demo.client.get(f"{path}.{extension}").text
            for secret in (*actor_ids, *private):
                assert secret not in body, (path, extension, secret)


def test_repeat_request_is_304(demo: Demo) -> None:
    for url in ("/umpan/nasional.atom", "/umpan/provinsi/33.json"):
        first = demo.client.get(url)
        etag = first.headers["etag"]
        again = demo.client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        english = demo.client.get(f"{url}?lang=en", headers={"If-None-Match": etag})
        assert english.status_code == 200  # another language, another representation


@pytest.mark.parametrize(
    "path",
    [
        "/umpan/provinsi/99.atom",
        "/umpan/provinsi/35.72.atom",  # a kota is not a province
        "/umpan/wilayah/99.99.json",
        f"/umpan/forum/{uuid.uuid4()}.atom",
        "/umpan/forum/bukan-uuid.json",
        f"/umpan/aksi/{uuid.uuid4()}.json",
        "/umpan/wilayah/35.72.rss",
        "/umpan/wilayah/35.72",
    ],
)
def test_unknown_scope_is_404_problem(demo: Demo, path: str) -> None:
    response = demo.client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 404


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient[Any]]:
    """An empty application (no demo) with the API tests' accounts."""
    with TestClient(create_app(settings_for(database_url))) as test_client:
        test_client.app.state.tokens = issue_tokens(database_url)
        yield test_client


def test_hostile_title_is_escaped_and_round_trips(client: TestClient[Any]) -> None:
    admin = client.app.state.tokens["admin"]
    forum = ok(client.post("/api/v1/forums", json={**FORUM, "title": HOSTILE}, headers=admin), 201)
    ok(client.get(f"/api/v1/forums?after={forum['position']}"))
    expected = catalogue.text("id", "feed.event.ForumConvened", title=HOSTILE)
    for path in (f"/umpan/forum/{forum['id']}", "/umpan/wilayah/61.72", "/umpan/nasional"):
        atom = client.get(f"{path}.atom")
        assert b"<script>" not in atom.content and b"&lt;script&gt;" in atom.content
        parsed = feedparser.parse(atom.content)
        assert parsed.bozo == 0
        assert parsed.entries[0].title == expected
        assert parsed.entries[0].title_detail.type == "text/plain"
        assert client.get(f"{path}.json").json()["items"][0]["title"] == expected
    assert parsed.feed.title.startswith("Kegiatan nasional")

    first = client.get(f"/umpan/forum/{forum['id']}.atom")
    correction = {"reason": "Judul diperbaiki", "title": "Rapat Kerja HAM"}
    headers = {**admin, "If-Match": f'"{forum["version"]}"'}
    fixed = ok(client.patch(f"/api/v1/forums/{forum['id']}", json=correction, headers=headers))
    ok(client.get(f"/api/v1/forums?after={fixed['position']}"))
    changed = client.get(
        f"/umpan/forum/{forum['id']}.atom", headers={"If-None-Match": first.headers["etag"]}
    )
    assert changed.status_code == 200
    titles = [e.title for e in feedparser.parse(changed.content).entries]
    assert titles[0] == catalogue.text("id", "feed.event.ForumCorrected", title="Rapat Kerja HAM")


def test_every_public_event_type_has_a_title_in_both_languages() -> None:
    """Drafts never reach a feed (projections.public), so only public types need a title."""
    from domain.registry import EVENT_TYPES
    from projections.public import PRIVATE_EVENTS

    public = [name for name in EVENT_TYPES if name not in PRIVATE_EVENTS]
    assert len(public) == len(EVENT_TYPES) - len(PRIVATE_EVENTS) > 0
    for name in public:
        indonesian, english = (
            catalogue.messages(lang)[f"feed.event.{name}"] for lang in ("id", "en")
        )
        assert "{title}" in indonesian and "{title}" in english and indonesian != english
