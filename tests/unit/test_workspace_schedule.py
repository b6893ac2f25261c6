"""What is due when, in the workspace, on the in-memory application: the Pemda sees what its
actions owe and what is late; the Kanwil sees the late reports of its provinces; the ministry
sets the year's table through a CSRF-protected, POST-redirect-GET form whose refusals come
back beside the period they concern, writing nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.unit.sites import Site, plan_action

W = "/kerja/jadwal"
NO_REDIRECTS: dict[str, Any] = {"follow_redirects": False}


def test_the_pemda_sees_what_is_due_and_the_kanwil_what_is_late(site: Site) -> None:
    assert site.clock is not None
    plan_action(site)
    site.browser("pemda_blitar")
    page = site.client.get(W)
    assert page.status_code == 200
    assert "Tidak ada laporan yang menunggu." in page.text  # nothing ended yet on 2 March
    everything = site.client.get(f"{W}?semua=1")
    assert everything.text.count("Belum jatuh tempo</span>") == 3  # B04, B08, B12
    assert 'name="due-2026-B04"' not in everything.text  # only the ministry edits the table

    site.clock.now = datetime(2026, 5, 16, 3, tzinfo=UTC)
    site.browser("pemda_blitar")  # a new session: the old one has expired by then
    late = site.client.get(W)
    assert "Terlambat</span>" in late.text and "Pelatihan HAM bagi ASN" in late.text
    site.browser("kanwil_jatim")
    kanwil = site.client.get(W)
    assert "Terlambat</span>" in kanwil.text and "Kota Blitar" in kanwil.text
    site.browser("kanwil_jateng")
    assert "Pelatihan HAM bagi ASN" not in site.client.get(W).text  # not its jurisdiction
    site.client.cookies.clear()
    assert site.client.get(W, **NO_REDIRECTS).status_code in (302, 303)  # sign in first


def test_the_ministry_sets_the_table_with_refusals_beside_the_period(site: Site) -> None:
    csrf = site.browser("admin")
    form = site.client.get(f"{W}?tahun=2026")
    assert 'name="due-2026-B08"' in form.text and 'value="2026-09-15"' in form.text
    fields = {"csrf_token": csrf, "year": "2026", "due-2026-B08": "2026-08-01"}
    assert (
        site.client.post(W, data={**fields, "csrf_token": "x"}, **NO_REDIRECTS).status_code == 403
    )
    refused = site.client.post(W, data=fields, **NO_REDIRECTS)
    assert refused.status_code == 422
    assert 'id="due-2026-B08-error"' in refused.text and 'value="2026-08-01"' in refused.text
    assert site.events() == []

    fields["due-2026-B08"] = "2026-09-21"
    done = site.client.post(W, data=fields, **NO_REDIRECTS)
    assert done.status_code == 303 and done.headers["location"].startswith(f"{W}?tahun=2026&after=")
    shown = site.client.get(done.headers["location"])
    assert 'value="2026-09-21"' in shown.text and "diubah" in shown.text
    again = site.client.post(W, data=fields, **NO_REDIRECTS)
    assert again.status_code == 422 and 'id="reason-error"' in again.text
    assert site.events() == ["ReportingScheduleSet"]
