"""Every read the OpenAPI document describes answers a typed schema, and the demo's own
answers fit the hand-written ones (tracker/http/openapi_reads.py): public and as the
accounts that see more, with a KKP HAM self-assessment and a webhook so no part of a
schema goes unchecked for want of data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import pytest

from tests.unit.sites import Site, make_site

TEXT = ("text/csv", "text/plain", "application/x-pem-file", "application/vnd.openxml")


@pytest.fixture(scope="module")
def demo_site() -> Iterator[Site]:
    yield from make_site(demo=True)


@pytest.fixture(scope="module")
def document(demo_site: Site) -> dict[str, Any]:
    answer: dict[str, Any] = demo_site.client.get("/schema/openapi.json").json()
    return answer


def fits(document: dict[str, Any], path: str, body: Any, media: str = "application/json") -> None:
    schema = document["paths"][path]["get"]["responses"]["200"]["content"][media]["schema"]
    jsonschema_rs.validate({**schema, "components": document["components"]}, body)


def says_something(schema: dict[str, Any]) -> bool:
    """A schema a generated client can use: a reference, an object with named or typed
    properties, a typed array, or a plain string (a file)."""
    if "$ref" in schema or schema.get("properties") or "items" in schema:
        return True
    if isinstance(schema.get("additionalProperties"), dict):
        return bool(schema["additionalProperties"])
    return schema.get("type") == "string"


def test_every_read_documents_a_typed_answer(document: dict[str, Any]) -> None:
    untyped = []
    reads = 0
    for path, item in document["paths"].items():
        if "get" not in item:
            continue
        reads += 1
        content = item["get"]["responses"]["200"].get("content", {})
        assert content, path
        for media, entry in content.items():
            if media == "application/json" and not says_something(entry["schema"]):
                untyped.append(path)
            if media.startswith(TEXT):
                assert entry["schema"]["type"] == "string", (path, media)
    assert reads >= 40
    assert untyped == []


def test_the_spreadsheet_and_csv_answers_are_documented_with_their_media_types(
    demo_site: Site, document: dict[str, Any]
) -> None:
    template = document["paths"]["/api/v1/imports/templates/{name}"]["get"]["responses"]
    for name in ("rencana-aksi.csv", "laporan.xlsx"):
        answer = demo_site.client.get(f"/api/v1/imports/templates/{name}?region=35.72")
        assert answer.status_code == 200, answer.text
        media = answer.headers["content-type"].split(";")[0]
        assert media in template["200"]["content"], media
    csv = demo_site.client.get(
        "/api/v1/audit/regions/35.72/activity?format=csv", headers=demo_site.as_("admin")
    )
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    path = document["paths"]["/api/v1/audit/regions/{code}/activity"]["get"]
    assert "text/csv" in path["responses"]["200"]["content"]


def _assess(site: Site) -> None:
    """Kota Blitar's 2025 self-assessment, submitted (the demo has none)."""
    base = "/api/v1/kkp-ham/2025/35.72/self-assessment"
    pemda = site.as_("pemda_blitar")
    site.ok(site.client.post(base, headers=pemda))
    answers = {"answers": [{"indicator_id": "5.S1", "answer": "partial"}], "note": "Dihimpun"}
    site.ok(site.client.post(f"{base}/submission", json=answers, headers=pemda))


def test_the_plain_reads_answer_what_their_schemas_say(
    demo_site: Site, document: dict[str, Any]
) -> None:
    client, admin = demo_site.client, demo_site.as_("admin")
    _assess(demo_site)
    forum = client.get("/api/v1/forums").json()["items"][0]["id"]
    action = client.get("/api/v1/regions/35.72/actions").json()["items"][0]["id"]
    hook = {"url": "https://lsm.example.org/hook", "secret": "s" * 32, "scope": "35.72"}
    made = demo_site.ok(client.post("/api/v1/webhooks", json=hook), 201)
    reads = {
        "/api/v1/regions/{code}/changes": "/api/v1/regions/35.72/changes"
        "?dari=2025-11-01&sampai=2026-03-01",
        "/api/v1/regions/{code}/due": "/api/v1/regions/35.72/due",
        "/api/v1/regions/{code}/timeline": "/api/v1/regions/35.72/timeline?limit=5",
        "/api/v1/forums/{forum_id}/progress": f"/api/v1/forums/{forum}/progress",
        "/api/v1/indicators": "/api/v1/indicators",
        "/api/v1/matrices/{dimension}": "/api/v1/matrices/kkp",
        "/api/v1/kkp-ham/method": "/api/v1/kkp-ham/method",
        "/api/v1/kkp-ham/{year}": "/api/v1/kkp-ham/2025",
        "/api/v1/kkp-ham/{year}/{code}": "/api/v1/kkp-ham/2025/35.72",
        "/api/v1/schedule/{year}": "/api/v1/schedule/2026",
        "/ready": "/ready",
    }
    for path, url in reads.items():
        for headers in ({}, admin):
            answer = demo_site.ok(client.get(url, headers=headers))
            fits(document, path, answer)
    fits(document, "/api/v1/matrices/{dimension}", client.get("/api/v1/matrices/rpjmn").json())
    region = client.get("/api/v1/kkp-ham/2025/35.72").json()
    assert region["assessment"]["status"] == "submitted"  # the Assessment schema is used
    audited = {
        "/api/v1/audit/regions/{code}/activity": "/api/v1/audit/regions/35.72/activity?limit=5",
        "/api/v1/audit/{kind}/{record_id}": f"/api/v1/audit/actions/{action}",
        "/api/v1/ledger/events/{position}": "/api/v1/ledger/events/1",
    }
    for path, url in audited.items():
        fits(document, path, demo_site.ok(client.get(url, headers=admin)))
    token = {"tracker-webhook-token": made["token"]}
    hooked = demo_site.ok(client.get(f"/api/v1/webhooks/{made['id']}", headers=token))
    fits(document, "/api/v1/webhooks/{webhook_id}", hooked)


def test_a_hand_written_schema_refuses_a_wrong_answer(
    demo_site: Site, document: dict[str, Any]
) -> None:
    due = demo_site.ok(demo_site.client.get("/api/v1/regions/35.72/due"))
    assert due["items"], "the demo has reports due"
    for wrong in (
        {**due, "on": 20260302},
        {**due, "items": [{**due["items"][0], "state": "lost"}]},
        {key: value for key, value in due.items() if key != "counts"},
    ):
        with pytest.raises(jsonschema_rs.ValidationError):
            fits(document, "/api/v1/regions/{code}/due", wrong)
