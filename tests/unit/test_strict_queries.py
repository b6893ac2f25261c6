"""The JSON API refuses what it would otherwise ignore: an unknown query parameter, a filter
value outside its list, a date in the wrong format, an unknown field inside a nested object.
Each is a problem document naming what is accepted, and nothing is written."""

from __future__ import annotations

import pytest

from tests.unit.sites import Site, plan_action


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("status=bogus", "invalid-query"),
        ("bogus=1", "unknown-query-parameter"),
        ("stauts=verified", "unknown-query-parameter"),
        ("due_before=31-12-2025", "invalid-query"),
        ("kkp=11", "invalid-query"),
    ],
)
def test_a_bad_query_is_a_400_problem(site: Site, query: str, code: str) -> None:
    answer = site.client.get(f"/api/v1/actions?{query}")
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert body["code"] == code and body["detail_id"] and body["detail_en"]
    if code == "unknown-query-parameter":
        assert "status" in body["accepted"] and body["unknown"] == [query.split("=", maxsplit=1)[0]]


def test_a_known_filter_value_still_filters(site: Site) -> None:
    plan_action(site)
    planned = site.client.get("/api/v1/actions?status=planned")
    assert planned.status_code == 200 and len(planned.json()["items"]) == 1
    assert site.client.get("/api/v1/actions?status=verified").json()["items"] == []


def test_pages_keep_working_with_tracking_parameters(site: Site) -> None:
    assert site.client.get("/wilayah/35.72?utm_source=wa").status_code == 200


def test_an_unknown_nested_field_is_refused_and_nothing_written(site: Site) -> None:
    _, action_id = plan_action(site)
    before = site.events()
    commitment_id = site.ok(site.client.get(f"/api/v1/actions/{action_id}"))["commitment_id"]
    body = {
        "commitment_id": commitment_id,
        "region_code": "35.72",
        "title": "Aksi kedua",
        "owner_opd": "Dinkes",
        "due_on": "2026-12-31",
        "indicator": {
            "name": "Posyandu",
            "unit": "unit",
            "baseline": 0,
            "target": 5,
            "frequency": "monthly",
        },
    }
    refused = site.client.post("/api/v1/actions", json=body, headers=site.as_("pemda_blitar"))
    assert refused.status_code == 422 and "frequency" in refused.text
    assert site.events() == before
