"""Closing a reporting period over the API, and reports after the close as corrections, on
the in-memory bootstrap (the real application, bus and policy)."""

from __future__ import annotations

from tests.unit.sites import Site, plan_action


def _report(site: Site, action_id: str, **body: object) -> object:
    sent = {"period": "2025-Q4", "percent": 40, "narrative": "Tahap 1", **body}
    return site.client.post(
        f"/api/v1/actions/{action_id}/progress", json=sent, headers=site.as_("pemda_blitar")
    )


def test_a_kanwil_closes_a_period_and_a_later_report_is_a_correction(site: Site) -> None:
    _, action_id = plan_action(site)
    first = site.ok(_report(site, action_id), 201)["data"]["reports"][-1]
    base = f"/api/v1/actions/{action_id}/progress/{first['id']}"
    site.ok(site.client.post(f"{base}/verification", json={}, headers=site.as_("kanwil_jatim")))

    close = "/api/v1/periods/35/2025-Q4/close"
    other = site.client.post(close, json={}, headers=site.as_("kanwil_jateng"))
    assert other.status_code == 403 and other.json()["code"] == "outside-jurisdiction"
    pemda = site.client.post(close, json={}, headers=site.as_("pemda_blitar"))
    assert pemda.status_code == 403
    closed = site.ok(
        site.client.post(close, json={"note": "Rekap Q4"}, headers=site.as_("kanwil_jatim"))
    )
    assert closed["data"]["closed"] is True and closed["data"]["place_code"] == "35"
    listed = site.ok(site.client.get("/api/v1/periods?place=35.72"))["items"]
    assert [(c["place_code"], c["title"], c["closed"]) for c in listed] == [("35", "2025-Q4", True)]
    assert "user_id" not in listed[0]["closed_by"]  # the public sees the office, not the person
    assert site.ok(site.client.get("/api/v1/periods?place=33.74"))["items"] == []
    again = site.client.post(close, json={}, headers=site.as_("admin"))
    assert again.status_code == 409 and again.json()["code"] == "period-already-closed"

    refused = _report(site, action_id, percent=45)
    assert refused.status_code == 409  # type: ignore[attr-defined]
    assert refused.json()["code"] == "correction-needs-reason"  # type: ignore[attr-defined]
    corrected = site.ok(
        _report(site, action_id, percent=35, correction_reason="Data Dinkes diperbarui"), 201
    )["data"]
    original, correction = corrected["reports"]
    assert (original["percent"], original["corrected_by"]) == (40, correction["id"])
    assert (correction["after_close"], correction["corrects"]) == (True, original["id"])
    figures = site.ok(site.client.get(f"/api/v1/actions/{action_id}"))["figures"]
    assert (figures["completion"], figures["verified_completion"]) == (35.0, 40.0)

    reopened = site.client.post(
        "/api/v1/periods/35/2025-Q4/reopen", json={"reason": " "}, headers=site.as_("admin")
    )
    assert reopened.status_code == 422 and reopened.json()["code"] == "reason-required"
    reopen = {"reason": "Ditutup terlalu dini"}
    site.ok(
        site.client.post(
            "/api/v1/periods/35/2025-Q4/reopen", json=reopen, headers=site.as_("admin")
        )
    )
    assert site.events()[-2:] == ["ProgressReportSubmitted", "ReportingPeriodReopened"]


def test_bad_periods_and_places_are_refused_with_their_reason(site: Site) -> None:
    kanwil = site.as_("kanwil_jatim")
    bad = site.client.post("/api/v1/periods/35/2025-13/close", json={}, headers=kanwil)
    assert bad.status_code == 422 and bad.json()["code"] == "period-format"
    running = site.client.post("/api/v1/periods/35/2026-B04/close", json={}, headers=kanwil)
    assert running.status_code == 422 and running.json()["code"] == "period-not-ended"
    extra = site.client.post("/api/v1/periods/35/2025-B12/close", json={"x": 1}, headers=kanwil)
    assert extra.status_code == 422  # an unknown body field, as on every write
    never = site.client.post(
        "/api/v1/periods/35/2025-B12/reopen", json={"reason": "Salah"}, headers=kanwil
    )
    assert never.status_code == 409 and never.json()["code"] == "period-not-closed"
    anonymous = site.client.post("/api/v1/periods/35/2025-B12/close", json={})
    assert anonymous.status_code == 401
    assert "ReportingPeriodClosed" not in site.events()
