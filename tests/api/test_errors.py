"""Every refusal answers RFC 9457 problem details and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest

REPORT = {"period": "2025-Q4", "percent": 20, "narrative": "Sosialisasi tahap pertama"}


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"/problems/{code}"
    assert body["title"] and body["detail"] and body["detail_en"] and body["detail_id"]
    return body


@pytest.mark.parametrize(
    ("make_request", "status", "code"),
    [
        pytest.param(
            lambda c, s: c.post(
                "/api/v1/forums",
                json={
                    "kind": "fgd",
                    "title": "x",
                    "organisers": ["Kementerian HAM"],
                    "host_region_code": "99.99",
                    "starts_on": "2026-01-01",
                    "ends_on": "2026-01-01",
                },
                headers=c.app.state.tokens["admin"],
            ),
            422,
            "unknown-region",
            id="invalid-region-code",
        ),
        pytest.param(
            lambda c, s: c.post(
                f"/api/v1/actions/{s['action']['id']}/progress", json={**REPORT, "percent": 140}
            ),
            422,
            "percent-range",
            id="percent-140",
        ),
        pytest.param(
            lambda c, s: c.post(
                f"/api/v1/actions/{s['action']['id']}/progress",
                content=b'{"period": "2025-Q4", "percent": ',
                headers={"content-type": "application/json"},
            ),
            400,
            "malformed-json",
            id="malformed-json",
        ),
        pytest.param(
            lambda c, s: c.post(
                "/api/v1/actions/6f1c1d52-4b8a-4c55-9b43-1a1d6f0f0000/progress", json=REPORT
            ),
            404,
            "unknown-action",
            id="unknown-action",
        ),
        pytest.param(
            lambda c, s: c.post(
                f"/api/v1/actions/{s['action']['id']}/progress",
                json=REPORT,
                headers={"If-Match": '"7"'},
            ),
            412,
            "stale-version",
            id="stale-if-match",
        ),
        pytest.param(
            lambda c, s: c.post(
                f"/api/v1/actions/{s['action']['id']}/progress",
                content=b'{"narrative": "' + b"a" * (5 * 1024 * 1024) + b'"}',
                headers={"content-type": "application/json"},
            ),
            413,
            "body-too-large",
            id="5MB-body",
        ),
        pytest.param(
            lambda c, s: c.post(
                f"/api/v1/actions/{s['action']['id']}/progress", json={"period": "2025-Q4"}
            ),
            422,
            "invalid-data",
            id="missing-field",
        ),
        pytest.param(
            lambda c, s: c.post(
                f"/api/v1/actions/{s['action']['id']}/progress",
                json={**REPORT, "period": "2025-B05"},
            ),
            422,
            "period-format",
            id="bad-period",
        ),
        pytest.param(
            lambda c, s: c.post(
                f"/api/v1/actions/{s['action']['id']}/progress",
                json=REPORT,
                headers={"If-Match": "yesterday"},
            ),
            400,
            "bad-request",
            id="garbled-if-match",
        ),
        pytest.param(
            lambda c, s: c.post(
                f"/api/v1/actions/{s['action']['id']}/cancellation", json={"reason": "  "}
            ),
            422,
            "reason-required",
            id="blank-reason",
        ),
    ],
)
def test_refusal_is_a_problem_and_writes_nothing(
    client: Any,
    seeded: dict[str, Any],
    count_events: Any,
    make_request: Any,
    status: int,
    code: str,
) -> None:
    before = count_events()
    assert_problem(make_request(client, seeded), status, code)
    assert count_events() == before


def test_rule_broken_is_409_and_writes_nothing(
    client: Any, seeded: dict[str, Any], count_events: Any
) -> None:
    url = f"/api/v1/actions/{seeded['action']['id']}/progress"
    assert client.post(url, json=REPORT).status_code == 201
    before = count_events()
    body = assert_problem(client.post(url, json=REPORT), 409, "period-has-open-report")
    assert "2025-Q4" in body["detail"]
    assert count_events() == before


def test_english_on_request(client: Any, seeded: dict[str, Any]) -> None:
    response = client.post(
        f"/api/v1/actions/{seeded['action']['id']}/progress",
        json={**REPORT, "percent": 140},
        headers={"Accept-Language": "en-GB,en;q=0.8"},
    )
    body = assert_problem(response, 422, "percent-range")
    assert body["detail"] == body["detail_en"]
    assert body["title"] == "Invalid data"


def test_unknown_route_and_region_are_404_problems(client: Any) -> None:
    assert_problem(client.get("/api/v1/nothing-here"), 404, "not-found")
    assert_problem(client.get("/api/v1/regions/99.99"), 404, "unknown-region")


def test_region_not_signatory_is_409(
    client: Any, seeded: dict[str, Any], count_events: Any
) -> None:
    before = count_events()
    response = client.post(
        "/api/v1/actions",
        json={
            "commitment_id": seeded["commitment"]["id"],
            "region_code": "33.75",
            "title": "Aksi Kota Pekalongan",
            "owner_opd": "Bagian Hukum",
            "due_on": "2026-01-01",
        },
        headers=client.app.state.tokens["pemda_pekalongan"],
    )
    assert_problem(response, 409, "region-not-signatory")
    assert count_events() == before
