"""The reporting schedule through the API, on the in-memory application: a year's table set by
the ministry moves what is due when; a report keeps the due day it was filed against when
the table changes again; the region's due list says how each period stands on the day."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.unit.sites import Site, plan_action


def _due(site: Site, written: dict[str, Any] | None = None, **query: str) -> dict[str, Any]:
    params = {**query, **({"after": str(written["position"])} if written else {})}
    return site.ok(site.client.get("/api/v1/regions/35.72/due", params=params))


def _states(body: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(i["period"]["number"], i["due_on"], i["state"]) for i in body["items"]]


def _set(site: Site, body: dict[str, Any], who: str = "admin") -> Any:
    return site.client.post("/api/v1/schedule/2026", json=body, headers=site.as_(who))


def test_what_is_due_follows_the_years_table_and_a_filed_report_keeps_its_due_day(
    site: Site,
) -> None:
    assert site.clock is not None
    _, action_id = plan_action(site)  # 2 March 2026, due 31 Dec 2026, no cadence: four-monthly
    assert _states(_due(site)) == [
        (4, "2026-05-15", "upcoming"),
        (8, "2026-09-15", "upcoming"),
        (12, "2027-01-15", "upcoming"),
    ]
    later_b04 = {"deadlines": [{"period": "2026-B04", "due_on": "2026-05-25"}]}
    written = site.ok(_set(site, later_b04))
    table = site.ok(site.client.get("/api/v1/schedule/2026", params={"after": written["position"]}))
    b04 = next(p for p in table["periods"] if p["period"] == "2026-B04")
    assert (table["set"], b04["due_on"], b04["default"]) == (True, "2026-05-25", False)
    assert len(table["periods"]) == 3 + 4 + 12

    site.clock.now = datetime(2026, 5, 20, 3, tzinfo=UTC)  # past the default day, not the table's
    assert _states(_due(site))[0] == (4, "2026-05-25", "open")
    report = {"period": "2026-B04", "percent": 30, "narrative": "Modul disusun"}
    base = f"/api/v1/actions/{action_id}"
    written = site.ok(
        site.client.post(f"{base}/progress", json=report, headers=site.as_("pemda_blitar")), 201
    )

    # The table goes back to the default: the filed report stays on time against 25 May.
    written = site.ok(_set(site, {"deadlines": [], "reason": "Surat edaran dicabut"}))
    filed = site.ok(site.client.get(base))["reports"][0]
    assert (filed["late"], filed["due_on"]) == (False, "2026-05-25")
    assert _states(_due(site, written))[0] == (4, "2026-05-25", "filed")

    site.clock.now = datetime(2026, 9, 16, 3, tzinfo=UTC)
    waiting = _due(site, waiting="true")
    assert _states(waiting) == [(8, "2026-09-15", "late")]
    assert (waiting["counts"]["late"], waiting["counts"]["filed"]) == (1, 1)


def test_a_schedule_that_cannot_be_meant_is_refused_with_its_reason(site: Site) -> None:
    cases = [
        (
            {"deadlines": [{"period": "2026-B05", "due_on": "2026-06-01"}]},
            "admin",
            422,
            "period-format",
        ),
        (
            {"deadlines": [{"period": "2026-B08", "due_on": "2026-08-01"}]},
            "admin",
            422,
            "schedule-due-before-end",
        ),
        (
            {"deadlines": [{"period": "2025-B08", "due_on": "2025-09-20"}]},
            "admin",
            422,
            "schedule-period-year",
        ),
        ({"deadlines": []}, "pemda_blitar", 403, None),
        ({"deadlines": []}, "kanwil_jatim", 403, None),
    ]
    for body, who, status, code in cases:
        refused = _set(site, body, who)
        assert refused.status_code == status, (body, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        if code is not None:
            assert refused.json()["code"] == code
    assert site.events() == []  # nothing written by any of them
    site.ok(_set(site, {"deadlines": []}))
    again = _set(site, {"deadlines": []})
    assert again.status_code == 422 and again.json()["code"] == "reason-required"
    assert site.events() == ["ReportingScheduleSet"]


def test_the_schedule_reads_as_of_a_day(site: Site) -> None:
    written = site.ok(_set(site, {"deadlines": [{"period": "2026-Q1", "due_on": "2026-04-30"}]}))
    now = site.ok(site.client.get("/api/v1/schedule/2026", params={"after": written["position"]}))
    before = site.ok(site.client.get("/api/v1/schedule/2026", params={"pada": "2026-03-01"}))
    q1 = [p["due_on"] for p in (now, before) for p in p["periods"] if p["period"] == "2026-Q1"]
    assert (now["set"], before["set"], q1) == (True, False, ["2026-04-30", "2026-04-15"])
    assert site.client.get("/api/v1/schedule/1999").json()["code"] == "schedule-year"
