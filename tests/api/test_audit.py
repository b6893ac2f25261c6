"""Audit trails and region activity for those who oversee a region (issue #4, point 4)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from tests.api.conftest import ok

Client = Any


def anonymous_get(client: Client, url: str) -> Any:
    """The client sends the Blitar Pemda's token by default; drop it for this request."""
    request = client.build_request("GET", url)
    del request.headers["authorization"]
    return client.send(request)


def report_verified(client: Client, seeded: dict[str, Any]) -> dict[str, Any]:
    """Blitar submits a report, Kanwil Jatim verifies it; returns ids and the last position."""
    base = f"/api/v1/actions/{seeded['action']['id']}"
    submitted = ok(
        client.post(
            f"{base}/progress", json={"period": "2025-Q4", "percent": 40, "narrative": "x"}
        ),
        201,
    )
    report_id = submitted["data"]["reports"][0]["id"]
    verified = ok(
        client.post(
            f"{base}/progress/{report_id}/verification",
            json={"note": "Sesuai"},
            headers=client.app.state.tokens["kanwil_jatim"],
        )
    )
    return {"report_id": report_id, "position": verified["position"]}


def test_kanwil_sees_field_level_changes_with_actor_ids(
    client: Client, seeded: dict[str, Any]
) -> None:
    done = report_verified(client, seeded)
    url = f"/api/v1/audit/actions/{seeded['action']['id']}"
    trail = ok(client.get(url, headers=client.app.state.tokens["kanwil_jatim"]))
    assert trail["kind"] == "action" and trail["region_codes"] == ["35.72"]
    items = trail["items"]
    assert [i["type"] for i in items] == [
        "ActionPlanned",
        "ActionStarted",
        "ProgressReportSubmitted",
        "ProgressReportVerified",
    ]
    assert [i["version"] for i in items] == [1, 2, 3, 4]
    assert items[-1]["position"] == done["position"]
    assert items[2]["actor"]["user_id"] == "t-pemda-blitar"
    verify = items[3]
    assert verify["actor"] == {
        "user_id": "t-kanwil-jatim",
        "role": "kanwil",
        "office": "Kanwil Jawa Timur",
    }
    changes = {c["path"]: (c["before"], c["after"]) for c in verify["changes"]}
    status = f"reports[{done['report_id']}].status"
    assert changes[status] == ("submitted", "verified")
    assert changes[f"reports[{done['report_id']}].reviewer"][1]["user_id"] == "t-kanwil-jatim"
    assert "version" not in changes and "updated_at" not in changes
    started = {c["path"]: (c["before"], c["after"]) for c in items[1]["changes"]}
    assert started == {"status": ("planned", "in_progress")}


def test_trail_authorization(client: Client, seeded: dict[str, Any]) -> None:
    tokens = client.app.state.tokens
    action = f"/api/v1/audit/actions/{seeded['action']['id']}"
    commitment = f"/api/v1/audit/commitments/{seeded['commitment']['id']}"
    forum = f"/api/v1/audit/forums/{seeded['forum']['id']}"
    refused = client.get(action, headers=tokens["kanwil_jateng"])
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "outside-jurisdiction"
    assert anonymous_get(client, action).status_code == 401
    assert ok(client.get(action))["items"][0]["type"] == "ActionPlanned"  # own region
    assert client.get(action, headers=tokens["pemda_semarang"]).status_code == 403
    # A commitment is audited by any signatory's overseers, not by others.
    assert ok(client.get(commitment, headers=tokens["kanwil_jateng"]))["region_codes"] == [
        "35.72",
        "33.74",
    ]
    assert ok(client.get(commitment, headers=tokens["pemda_semarang"]))["items"]
    assert client.get(commitment, headers=tokens["pemda_pekalongan"]).status_code == 403
    # The forum was hosted by 61.72 (Kalimantan Barat): only the admin oversees it here.
    assert client.get(forum, headers=tokens["kanwil_jatim"]).status_code == 403
    assert ok(client.get(forum, headers=tokens["admin"]))["items"][0]["type"] == "ForumConvened"


def test_trail_unknown_record_and_kind(client: Client, seeded: dict[str, Any]) -> None:
    admin = client.app.state.tokens["admin"]
    missing = client.get(f"/api/v1/audit/actions/{seeded['forum']['id']}", headers=admin)
    assert missing.status_code == 404 and missing.json()["code"] == "unknown-action"
    other = "/api/v1/audit/actions/00000000-0000-0000-0000-000000000000"
    assert client.get(other, headers=admin).status_code == 404
    wrong = client.get(f"/api/v1/audit/widgets/{seeded['action']['id']}", headers=admin)
    assert wrong.status_code == 404


def activity(client: Client, code: str, after: int, token: str = "", **params: Any) -> Any:
    headers = client.app.state.tokens[token] if token else {}
    return client.get(
        f"/api/v1/audit/regions/{code}/activity",
        params={"after": after, **params},
        headers=headers,
    )


def test_activity_authorization(client: Client, seeded: dict[str, Any]) -> None:
    position = seeded["action"]["position"]
    own = ok(activity(client, "35.72", position))["items"]
    assert [i["type"] for i in own] == ["ActionPlanned", "CommitmentMade"]
    assert own[0]["actor_id"] == "t-pemda-blitar" and own[1]["actor_id"] == "t-admin"
    assert activity(client, "33.74", position).status_code == 403
    assert activity(client, "35", position).status_code == 403  # the province, not its Pemda
    assert activity(client, "35.72", position, "kanwil_jateng").status_code == 403
    assert ok(activity(client, "33.74", position, "kanwil_jateng"))["items"][0]["type"] == (
        "CommitmentMade"
    )
    province = ok(activity(client, "35", position, "kanwil_jatim"))["items"]
    assert [i["type"] for i in province] == ["ActionPlanned", "CommitmentMade"]
    assert activity(client, "33", position, "kanwil_jatim").status_code == 403
    assert ok(activity(client, "61.72", position, "admin"))["items"][0]["type"] == "ForumConvened"
    url = f"/api/v1/audit/regions/35.72/activity?after={position}"
    assert anonymous_get(client, url).status_code == 401
    unknown = activity(client, "99.99", position, "admin")
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown-region"


def test_activity_filters_and_pages(client: Client, seeded: dict[str, Any]) -> None:
    position = report_verified(client, seeded)["position"]
    everything = ok(activity(client, "35.72", position, "kanwil_jatim"))
    items = everything["items"]
    assert [i["type"] for i in items] == [
        "ProgressReportVerified",
        "ProgressReportSubmitted",
        "ActionStarted",
        "ActionPlanned",
        "CommitmentMade",
    ]
    assert everything["next_before"] is None
    assert [i["position"] for i in items] == sorted((i["position"] for i in items), reverse=True)

    by_kanwil = ok(activity(client, "35.72", position, actor="t-kanwil-jatim"))["items"]
    assert [i["type"] for i in by_kanwil] == ["ProgressReportVerified"]
    by_admin = ok(activity(client, "35.72", position, actor="t-admin"))["items"]
    assert [i["type"] for i in by_admin] == ["CommitmentMade"]
    by_type = ok(activity(client, "35.72", position, type="ProgressReportSubmitted"))["items"]
    assert [i["position"] for i in by_type] == [items[1]["position"]]
    both = ok(activity(client, "35.72", position, actor="t-admin", type="ActionPlanned"))
    assert both["items"] == []

    # A window from the action's planning (inclusive) to the report's verification
    # (exclusive) holds exactly what happened in between.
    since, until = items[3]["at"], items[0]["at"]
    window = ok(activity(client, "35.72", position, since=since, until=until))["items"]
    lo, hi = datetime.fromisoformat(since), datetime.fromisoformat(until)
    expected = [i for i in items if lo <= datetime.fromisoformat(i["at"]) < hi]
    assert window == expected
    assert {i["type"] for i in window} >= {"ActionPlanned", "ProgressReportSubmitted"}
    assert "ProgressReportVerified" not in {i["type"] for i in window}
    day = until[:10]
    assert ok(activity(client, "35.72", position, until=day))["items"] == items  # whole day
    assert ok(activity(client, "35.72", position, since="2999-01-01"))["items"] == []

    first = ok(activity(client, "35.72", position, limit=2))
    assert first["items"] == items[:2] and first["next_before"] == items[1]["position"]
    rest = ok(activity(client, "35.72", position, limit=3, before=first["next_before"]))
    assert rest["items"] == items[2:] and rest["next_before"] is None

    bad = activity(client, "35.72", position, since="kemarin")
    assert bad.status_code == 400
    assert bad.headers["content-type"].startswith("application/problem+json")


def test_activity_csv_export(client: Client, seeded: dict[str, Any]) -> None:
    base = seeded["action"]
    formula = ok(
        client.post(
            "/api/v1/actions",
            json={
                "commitment_id": seeded["commitment"]["id"],
                "region_code": "35.72",
                "title": '=HYPERLINK("https://evil.example","klik")',
                "owner_opd": "Dinas Sosial",
                "due_on": "2026-06-30",
            },
        ),
        201,
    )
    position = max(formula["position"], base["position"])
    items = ok(activity(client, "35.72", position))["items"]
    response = activity(client, "35.72", position, format="csv")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="aktivitas-35.72.csv"'
    assert response.text.startswith("position,aggregate,aggregate_id,type,at,")
    assert "\r\n" in response.text
    rows = list(csv.DictReader(io.StringIO(response.text, newline="")))
    assert len(rows) == len(items) == 3
    for row, item in zip(rows, items, strict=True):
        for key, value in item.items():
            if isinstance(value, list):
                assert row[key] == " ".join(value)
            elif key == "title" and value.startswith("="):
                assert row[key] == "'" + value
            else:
                assert row[key] == str(value), key
    assert rows[0]["title"] == '\'=HYPERLINK("https://evil.example","klik")'

    by_accept = client.get(
        f"/api/v1/audit/regions/35.72/activity?after={position}", headers={"Accept": "text/csv"}
    )
    assert by_accept.status_code == 200 and by_accept.text == response.text
    paged = activity(client, "35.72", position, format="csv", limit=1)
    assert paged.headers["x-next-before"] == str(items[0]["position"])
    assert len(list(csv.reader(io.StringIO(paged.text, newline="")))) == 2
