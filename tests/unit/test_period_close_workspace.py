"""A Kanwil closes and reopens a reporting period for its province from the compliance page:
the same commands as /api/v1/periods, refusals beside their field, nothing written when
refused."""

from __future__ import annotations

from typing import Any

from tests.unit.sites import Site

NO_REDIRECTS: dict[str, Any] = {"follow_redirects": False}


def test_a_kanwil_closes_and_reopens_a_period_from_the_compliance_page(site: Site) -> None:
    csrf = site.browser("kanwil_jatim")
    page = site.client.get("/kerja/kepatuhan?periode=2025-B12")
    assert page.status_code == 200
    assert 'action="/kerja/kepatuhan/tutup"' in page.text and "Jawa Timur" in page.text
    form = {"csrf_token": csrf, "periode": "2025-B12", "place_code": "35", "note": "Rekap"}
    before = site.events()

    # Without the CSRF field: refused, nothing written.
    forged = site.client.post("/kerja/kepatuhan/tutup", data={**form, "csrf_token": "x"})
    assert forged.status_code == 403 and site.events() == before
    # A period that has not ended (the site's clock is 2 March 2026): beside the period.
    early = site.client.post("/kerja/kepatuhan/tutup", data={**form, "periode": "2026-B04"})
    assert early.status_code == 422 and 'id="periode-error"' in early.text
    assert site.events() == before

    closed = site.client.post("/kerja/kepatuhan/tutup", data=form, **NO_REDIRECTS)
    assert closed.status_code == 303, closed.text
    assert closed.headers["location"].startswith("/kerja/kepatuhan?periode=2025-B12&provinsi=35")
    assert site.events()[-1] == "ReportingPeriodClosed"
    shown = site.client.get(closed.headers["location"]).text
    assert 'action="/kerja/kepatuhan/buka"' in shown and "Rekap" in shown
    again = site.client.post("/kerja/kepatuhan/tutup", data=form)
    assert again.status_code == 409 and 'id="periode-error"' in again.text

    # Reopening needs a reason, shown beside the reason field.
    reopen = {"csrf_token": csrf, "periode": "2025-B12", "place_code": "35", "reason": ""}
    refused = site.client.post("/kerja/kepatuhan/buka", data=reopen)
    assert refused.status_code == 422 and 'id="reason-error"' in refused.text
    reason = "Ditutup sebelum semua OPD melapor"
    opened = site.client.post(
        "/kerja/kepatuhan/buka", data={**reopen, "reason": reason}, **NO_REDIRECTS
    )
    assert opened.status_code == 303 and site.events()[-1] == "ReportingPeriodReopened"
    assert reason in site.client.get(opened.headers["location"]).text


def test_only_the_kanwil_of_the_province_closes_it(site: Site) -> None:
    before = site.events()
    for name in ("kanwil_jateng", "pemda_blitar"):
        csrf = site.browser(name)
        form = {"csrf_token": csrf, "periode": "2025-B12", "place_code": "35"}
        assert site.client.post("/kerja/kepatuhan/tutup", data=form).status_code == 403
    assert site.events() == before
