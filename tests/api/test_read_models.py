"""Every read model answers through the API; repeat reads are cheap (304)."""

from __future__ import annotations

import itertools
from typing import Any

from tests.api.conftest import ok


def report(client: Any, action_id: str, period: str, percent: float, **extra: Any) -> Any:
    return ok(
        client.post(
            f"/api/v1/actions/{action_id}/progress",
            json={"period": period, "percent": percent, "narrative": "laporan", **extra},
        ),
        201,
    )


def test_region_summary_ranking_and_national(client: Any, seeded: dict[str, Any]) -> None:
    action_id = seeded["action"]["id"]
    written = report(client, action_id, "2025-Q4", 40, indicator_value=200)
    report_id = written["data"]["reports"][0]["id"]
    verified = ok(
        client.post(
            f"/api/v1/actions/{action_id}/progress/{report_id}/verification",
            json={"note": "ok"},
            headers=client.app.state.tokens["kanwil_jatim"],
        )
    )
    after = verified["position"]

    blitar = ok(client.get(f"/api/v1/regions/35.72?after={after}"))["summary"]
    assert blitar["actions"] == 1
    assert blitar["completion"] == 40.0
    assert blitar["verified_share"] == 1.0
    assert blitar["overdue"] == 0
    assert blitar["on_time_share"] is None  # nothing finished yet
    assert blitar["last_activity"] is not None

    province = ok(client.get(f"/api/v1/regions/35?after={after}"))
    assert [r["code"] for r in province["ranking"]] == ["35.72"]
    assert province["ranking"][0]["rank"] == 1

    national = ok(client.get(f"/api/v1/national?after={after}"))
    assert national["summary"]["actions"] == 1
    assert [p["code"] for p in national["provinces"]] == ["35"]
    assert national["regions"][0]["name"] == "Kota Blitar"


def test_forum_progress_per_signatory(client: Any, seeded: dict[str, Any]) -> None:
    written = report(client, seeded["action"]["id"], "2025-Q4", 60)
    body = ok(
        client.get(f"/api/v1/forums/{seeded['forum']['id']}/progress?after={written['position']}")
    )
    assert body["forum"]["title"].startswith("Rapat Kerja")
    (commitment,) = body["commitments"]
    progress = {s["region_code"]: s["progress"] for s in commitment["signatories"]}
    assert progress["35.72"]["completion"] == 60.0
    assert progress["33.74"]["actions"] == 0  # Semarang signed but has not acted yet
    assert progress["33.74"]["completion"] is None
    assert commitment["progress"]["actions"] == 1
    unknown = client.get("/api/v1/forums/6f1c1d52-4b8a-4c55-9b43-1a1d6f0f0000/progress")
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown-forum"


def test_matrices_and_indicators(client: Any, seeded: dict[str, Any]) -> None:
    written = report(client, seeded["action"]["id"], "2025-Q4", 25, indicator_value=125)
    after = written["position"]
    rpjmn = ok(client.get(f"/api/v1/matrices/rpjmn?after={after}"))
    cell = {"actions": 1, "completion": 25.0, "verified_completion": 0.0}  # claimed only
    assert rpjmn["regions"]["35.72"]["PN1"] == cell
    kkp = ok(client.get(f"/api/v1/matrices/kkp?province=35&after={after}"))
    assert kkp["regions"]["35.72"]["1"]["actions"] == 1
    assert client.get("/api/v1/matrices/colours").status_code == 404

    (row,) = ok(client.get(f"/api/v1/indicators?after={after}"))["items"]
    assert row["indicator_name"] == "ASN terlatih"
    assert row["reported"] == 125 and row["regional_target"] == 500
    assert row["national_target"] is None  # not one of the ministry's named indicators


def test_timeline_newest_first(client: Any, seeded: dict[str, Any]) -> None:
    written = report(client, seeded["action"]["id"], "2025-Q4", 10)
    items = ok(client.get(f"/api/v1/regions/35.72/timeline?after={written['position']}"))["items"]
    types = [i["type"] for i in items]
    assert types[:3] == ["ProgressReportSubmitted", "ActionStarted", "ActionPlanned"]
    assert "CommitmentMade" in types  # Blitar signed it
    assert all(a["position"] > b["position"] for a, b in itertools.pairwise(items))
    older = ok(client.get(f"/api/v1/regions/35.72/timeline?limit=1&before={items[0]['position']}"))
    assert older["items"][0]["position"] == items[1]["position"]


def test_cursor_pagination_walks_the_board(client: Any, seeded: dict[str, Any]) -> None:
    commitment_id = seeded["commitment"]["id"]
    last = None
    for n in range(5):
        last = ok(
            client.post(
                "/api/v1/actions",
                json={
                    "commitment_id": commitment_id,
                    "region_code": "33.74",
                    "title": f"Aksi Semarang {n}",
                    "owner_opd": "Kesbangpol",
                    "due_on": f"2026-0{n + 1}-15",
                },
                headers=client.app.state.tokens["pemda_semarang"],
            ),
            201,
        )
    assert last is not None
    seen: list[str] = []
    url = f"/api/v1/actions?limit=2&after={last['position']}"
    while url:
        page = ok(client.get(url))
        seen += [a["id"] for a in page["items"]]
        url = f"/api/v1/actions?limit=2&cursor={page['next_cursor']}" if page["next_cursor"] else ""
    assert len(seen) == len(set(seen)) == 6
    assert client.get("/api/v1/actions?cursor=bm9wZQ").status_code == 400


def test_conditional_reads_answer_304_until_something_changes(
    client: Any, seeded: dict[str, Any]
) -> None:
    url = f"/api/v1/regions/35.72/actions?after={seeded['action']['position']}"
    first = client.get(url)
    tag = first.headers["etag"]
    assert first.headers["last-modified"]
    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    written = report(client, seeded["action"]["id"], "2025-Q4", 5)
    changed = client.get(
        f"/api/v1/regions/35.72/actions?after={written['position']}",
        headers={"If-None-Match": tag},
    )
    assert changed.status_code == 200 and changed.headers["etag"] != tag
