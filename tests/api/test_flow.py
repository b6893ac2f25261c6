"""A progress report's life through the API: submit, return, resubmit, verify, complete."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.api.conftest import FORUM, issue_tokens, ok
from tests.support import settings_for
from tracker.app import create_app

EVIDENCE = [{"title": "Daftar hadir", "url": "https://example.org/hadir.pdf", "sha256": "a" * 64}]


def test_report_lifecycle_and_history(client: Any, seeded: dict[str, Any]) -> None:
    action_id = seeded["action"]["id"]
    base = f"/api/v1/actions/{action_id}"

    got = client.get(base)
    assert got.status_code == 200 and got.headers["etag"] == '"1"'

    submitted = ok(
        client.post(
            f"{base}/progress",
            json={"period": "2025-Q4", "percent": 20, "narrative": "Tahap 1"},
            headers={"If-Match": '"1"'},
        ),
        201,
    )
    # The first report of a planned action also starts it: two events, version 3.
    assert submitted["version"] == 3
    assert submitted["data"]["status"] == "in_progress"
    report_id = submitted["data"]["reports"][0]["id"]

    kanwil = client.app.state.tokens["kanwil_jatim"]
    returned = ok(
        client.post(
            f"{base}/progress/{report_id}/return",
            json={"reason_code": "insufficient_evidence", "note": "Lampirkan daftar hadir"},
            headers={**kanwil, "If-Match": '"3"'},
        )
    )
    assert returned["data"]["reports"][0]["status"] == "returned"

    resubmitted = ok(
        client.post(
            f"{base}/progress/{report_id}/resubmission",
            json={
                "percent": 20,
                "narrative": "Tahap 1, daftar hadir terlampir",
                "evidence": EVIDENCE,
            },
        )
    )
    assert resubmitted["data"]["reports"][0]["status"] == "resubmitted"
    verified = ok(
        client.post(
            f"{base}/progress/{report_id}/verification", json={"note": "Sesuai"}, headers=kanwil
        )
    )
    assert verified["data"]["reports"][0]["status"] == "verified"

    final = ok(
        client.post(
            f"{base}/progress",
            json={
                "period": "2026-Q1",
                "percent": 100,
                "indicator_value": 500,
                "narrative": "Selesai",
            },
        ),
        201,
    )
    completed = ok(
        client.post(
            f"{base}/completion",
            json={
                "note": "Selesai",
                "evidence": [{"title": "BA", "url": "https://example.org/ba.pdf"}],
            },
            headers={"If-Match": f'"{final["version"]}"'},
        )
    )
    assert completed["data"]["status"] == "completed"

    history = ok(client.get(f"{base}/history"))["items"]
    assert [h["type"] for h in history] == [
        "ActionPlanned",
        "ActionStarted",
        "ProgressReportSubmitted",
        "ProgressReportReturned",
        "ProgressReportResubmitted",
        "ProgressReportVerified",
        "ProgressReportSubmitted",
        "ActionCompleted",
    ]
    assert [h["version"] for h in history] == list(range(1, 9))
    assert history[2]["actor"] == {
        "user_id": "t-pemda-blitar",
        "role": "pemda",
        "office": "Bag. Hukum Kota Blitar",
    }
    assert history[3]["actor"]["role"] == "kanwil"
    assert history[3]["data"]["reason_code"] == "insufficient_evidence"
    positions = [h["position"] for h in history]
    assert positions == sorted(positions)


def test_read_your_writes_in_region_lists(client: Any, seeded: dict[str, Any]) -> None:
    action_id = seeded["action"]["id"]
    written = ok(
        client.post(
            f"/api/v1/actions/{action_id}/progress",
            json={"period": "2025-B12", "percent": 35, "narrative": "Sosialisasi"},
        ),
        201,
    )
    position = written["position"]
    assert written["position"] > seeded["action"]["position"]
    listed = ok(client.get(f"/api/v1/regions/35.72/actions?after={position}"))
    assert [a["id"] for a in listed["items"]] == [action_id]
    assert listed["items"][0]["reports"][0]["percent"] == 35

    region = ok(client.get("/api/v1/regions/35.72", headers={"X-Tracker-Position": str(position)}))
    assert region["region"]["name"] == "Kota Blitar"
    assert region["province"]["name"] == "Jawa Timur"
    assert region["summary"]["actions"] == 1
    assert region["summary"]["by_status"] == {"in_progress": 1}
    assert region["summary"]["completion"] == 35.0

    province = ok(client.get(f"/api/v1/regions/35/actions?after={position}"))
    assert len(province["items"]) == 1
    board = ok(client.get(f"/api/v1/actions?pn=PN1&kkp=1&status=in_progress&after={position}"))
    assert len(board["items"]) == 1
    assert ok(client.get(f"/api/v1/actions?kkp=2&after={position}"))["items"] == []


def test_a_position_beyond_the_log_is_refused_at_once(
    client: Any, as_: dict[str, dict[str, str]]
) -> None:
    written = client.post("/api/v1/forums", json=FORUM, headers=as_["admin"])
    head = int(written.headers["x-tracker-position"])  # the last write: the log's head
    reads = ("/api/v1/actions", "/api/v1/regions/35.72", "/api/v1/national")
    for url in reads:
        response = client.get(f"{url}?after={head + 1}")
        assert response.status_code == 400, response.text
        body = response.json()
        assert body["code"] == "position-beyond-log"
        assert str(head + 1) in body["detail"] and str(head) in body["detail"]
    refused = client.get("/api/v1/actions", headers={"X-Tracker-Position": str(head + 50)})
    assert refused.status_code == 400
    assert ok(client.get(f"/api/v1/actions?after={head}"))["items"] == []


def test_read_waits_are_bounded(database_url: str) -> None:
    """A position the log holds but the read models have not reached (here no projector
    runs): 503 with Retry-After once the wait is over, not a 400."""
    with TestClient(create_app(settings_for(database_url, workers=False))) as client:
        admin = issue_tokens(database_url)["admin"]
        created = client.post("/api/v1/forums", json=FORUM, headers=admin)
        assert created.status_code == 201, created.text
        position = int(created.headers["x-tracker-position"])
        response = client.get(f"/api/v1/actions?after={position}")
        assert response.status_code == 503
        assert response.json()["code"] == "read-model-behind"
        assert response.headers["retry-after"] == "1"
        assert client.get(f"/api/v1/actions?after={position + 1}").status_code == 400


def test_forum_and_commitment_reads(client: Any, seeded: dict[str, Any]) -> None:
    forum_id = seeded["forum"]["id"]
    commitment = seeded["commitment"]
    position = seeded["action"]["position"]
    forums = ok(client.get(f"/api/v1/forums?after={position}"))["items"]
    assert [f["id"] for f in forums] == [forum_id]
    assert ok(client.get(f"/api/v1/forums/{forum_id}"))["host_region_code"] == "61.72"
    listed = ok(client.get(f"/api/v1/commitments?forum_id={forum_id}&region=33.74"))["items"]
    assert [c["id"] for c in listed] == [commitment["id"]]
    one = client.get(f"/api/v1/commitments/{commitment['id']}")
    assert one.headers["etag"] == '"1"'
    assert one.json()["kkp_criteria"] == [1, 2]

    amended = ok(
        client.patch(
            f"/api/v1/commitments/{commitment['id']}",
            json={"reason": "Salah ketik", "title": "Komitmen bersama (perbaikan)"},
            headers={"If-Match": '"1"', **client.app.state.tokens["admin"]},
        )
    )
    assert amended["version"] == 2
    history = ok(client.get(f"/api/v1/commitments/{commitment['id']}/history"))["items"]
    assert [h["type"] for h in history] == ["CommitmentMade", "CommitmentAmended"]
    assert history[1]["data"]["reason"] == "Salah ketik"
    assert history[1]["actor"]["role"] == "admin"
    forum_history = ok(client.get(f"/api/v1/forums/{forum_id}/history"))["items"]
    assert [h["type"] for h in forum_history] == ["ForumConvened"]
    assert client.get(f"/api/v1/forums/{commitment['id']}/history").status_code == 404
    stale = client.post(
        f"/api/v1/commitments/{commitment['id']}/withdrawal",
        json={"reason": "Dibatalkan"},
        headers={"If-Match": '"1"', **client.app.state.tokens["admin"]},
    )
    assert stale.status_code == 412
    assert ok(client.get(f"/api/v1/commitments/{commitment['id']}"))["status"] == "active"


def test_openapi_schema_has_examples(client: Any) -> None:
    schema = ok(client.get("/schema/openapi.json"))
    assert "/api/v1/actions/{action_id}/progress" in schema["paths"]
    assert "/api/v1/regions/{code}/actions" in schema["paths"]
    progress = schema["components"]["schemas"]["ProgressIn"]
    assert progress["properties"]["period"]["examples"]
    assert ok(client.get("/health")) == {"status": "ok"}
    assert ok(client.get("/ready"))["status"] == "ready"
