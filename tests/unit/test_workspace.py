"""The workspace's form handlers on the in-memory application: a Pemda reports progress
from a form, a refusal comes back beside its field with what was typed kept, the Kanwil
returns and verifies from its queue; forms without the CSRF field and other regions'
accounts are refused and write nothing."""

from __future__ import annotations

from typing import Any

from tests.unit.sites import Site, plan_action

NO_REDIRECTS: dict[str, Any] = {"follow_redirects": False}


def test_workspace_needs_a_session(site: Site) -> None:
    response = site.client.get("/kerja", **NO_REDIRECTS)
    assert response.status_code in (302, 303, 307)
    assert response.headers["location"].startswith("/masuk?next=%2Fkerja")


def test_a_pemda_reports_progress_in_a_form_and_a_kanwil_reviews_it(site: Site) -> None:
    _, action_id = plan_action(site)
    csrf = site.browser("pemda_blitar")
    home = site.client.get("/kerja")
    assert home.status_code == 200
    assert "t-pemda-blitar" in home.text and "Kota Blitar" in home.text
    assert f"/kerja/aksi/{action_id}/laporan" in home.text
    form_url = f"/kerja/aksi/{action_id}/laporan"
    page = site.client.get(form_url)
    assert page.status_code == 200 and 'name="csrf_token"' in page.text
    before = site.events()

    # Refused by the domain: the reason beside the period field, the narrative kept.
    typed = {"csrf_token": csrf, "period": "2025-Q9", "percent": "30", "narrative": "Tahap satu"}
    refused = site.client.post(form_url, data=typed, **NO_REDIRECTS)
    assert refused.status_code == 422
    assert 'id="period-error"' in refused.text and "2025-Q9" in refused.text
    assert "Tahap satu" in refused.text and 'aria-invalid="true"' in refused.text
    # Without the CSRF field: refused, nothing written.
    forged = site.client.post(form_url, data={**typed, "csrf_token": "x"}, **NO_REDIRECTS)
    assert forged.status_code == 403
    assert site.events() == before

    sent = site.client.post(form_url, data={**typed, "period": "2025-Q4"}, **NO_REDIRECTS)
    assert sent.status_code == 303 and sent.headers["location"].startswith("/kerja?after=")
    assert site.events()[-1] == "ProgressReportSubmitted"
    report_id = (
        site.log()[-1].originator_id
        and site.client.get(
            f"/api/v1/actions/{action_id}", headers=site.as_("pemda_blitar")
        ).json()["reports"][0]["id"]
    )

    # Another region's Pemda is refused on the form and on the post.
    other_csrf = site.browser("pemda_semarang")
    assert site.client.get(form_url).status_code == 403
    again = {**typed, "period": "2025-Q3", "csrf_token": other_csrf}
    assert site.client.post(form_url, data=again, **NO_REDIRECTS).status_code == 403

    # The Kanwil Jawa Timur finds it in the queue and returns it with a reason.
    kanwil_csrf = site.browser("kanwil_jatim")
    queue = site.client.get("/kerja")
    review_url = f"/kerja/tinjau/{action_id}/{report_id}"
    assert review_url in queue.text
    no_reason = {"csrf_token": kanwil_csrf, "decision": "return", "note": "Lampirkan daftar hadir"}
    missing = site.client.post(review_url, data=no_reason, **NO_REDIRECTS)
    assert missing.status_code == 422 and 'id="reason_code-error"' in missing.text
    returned = {**no_reason, "reason_code": "insufficient_evidence"}
    assert site.client.post(review_url, data=returned, **NO_REDIRECTS).status_code == 303
    assert site.events()[-1] == "ProgressReportReturned"

    # The Pemda sees the reason and resubmits; the Kanwil verifies.
    csrf = site.browser("pemda_blitar")
    home = site.client.get("/kerja")
    assert "Lampirkan daftar hadir" in home.text
    resubmit_url = f"/kerja/aksi/{action_id}/laporan/{report_id}/ulang"
    assert resubmit_url in home.text
    fixed = {
        "csrf_token": csrf,
        "percent": "30",
        "narrative": "Dengan daftar hadir",
        "evidence_title": "Daftar hadir",
        "evidence_url": "https://example.org/hadir.pdf",
    }
    assert site.client.post(resubmit_url, data=fixed, **NO_REDIRECTS).status_code == 303
    kanwil_csrf = site.browser("kanwil_jatim")
    verify = {"csrf_token": kanwil_csrf, "decision": "verify", "note": "Sesuai"}
    assert site.client.post(review_url, data=verify, **NO_REDIRECTS).status_code == 303
    assert site.events()[-2:] == ["ProgressReportResubmitted", "ProgressReportVerified"]
    # Another Kanwil may not open the review page.
    site.browser("kanwil_jateng")
    assert site.client.get(review_url).status_code == 403


def test_english_switch_and_unknown_records(site: Site) -> None:
    site.browser("pemda_blitar")
    assert "Your region" in site.client.get("/kerja?lang=en").text
    missing = site.client.get("/kerja/aksi/00000000-0000-0000-0000-000000000000/laporan")
    assert missing.status_code == 404
    assert site.client.get("/kerja/aksi/bukan-uuid/laporan").status_code == 404


def test_the_queue_filters_and_the_compliance_view(site: Site) -> None:
    _, action_id = plan_action(site)  # planned on 2 March 2026 (the test clock)
    blitar = site.as_("pemda_blitar")
    report = {"period": "2026-B04", "percent": 20, "narrative": "Tahap satu"}
    progress = f"/api/v1/actions/{action_id}/progress"
    site.ok(site.client.post(progress, json=report, headers=blitar), 201)
    site.browser("kanwil_jatim")
    link = f"/kerja/tinjau/{action_id}/"
    assert link in site.client.get("/kerja").text
    assert link in site.client.get("/kerja?periode=2026-B04&wilayah=35.72").text
    assert link not in site.client.get("/kerja?periode=2026-Q1").text
    assert link not in site.client.get("/kerja?wilayah=33.74").text
    assert link not in site.client.get("/kerja?kkp=7").text
    assert link not in site.client.get("/kerja?umur=30").text  # submitted today
    assert link in site.client.get("/kerja?umur=0").text

    def blitar_row(period: str) -> list[str]:
        page = site.client.get(f"/kerja/kepatuhan?periode={period}")
        assert page.status_code == 200
        row = page.text.split("Kota Blitar", 1)[1].split("</tr>", 1)[0]
        return [cell.rsplit(">", 1)[-1].strip() for cell in row.split("</td>")[1:5]]

    # Due, reported, returned, not reported; an action planned after a period is not due.
    assert blitar_row("2026-B04") == ["1", "1", "0", "0"]
    assert blitar_row("2026-Q1")[:3] == ["1", "0", "0"]
    assert 'class="badge overdue">1<' in site.client.get("/kerja/kepatuhan?periode=2026-Q1").text
    assert blitar_row("2025-B12") == ["0", "0", "0", "0"]
    assert site.client.get("/kerja/kepatuhan?periode=2026-X1").status_code == 422
    site.browser("pemda_blitar")
    assert site.client.get("/kerja/kepatuhan").status_code == 403


def test_the_pemda_home_shows_what_is_due_commitments_and_recent_activity(site: Site) -> None:
    _, action_id = plan_action(site)  # 2 March 2026: the current period is 2026-B04
    site.browser("pemda_blitar")
    home = site.client.get("/kerja").text
    assert "2026-B04" in home and "1 aksi belum melapor" in home
    assert "Komitmen bersama Pemda bidang HAM" in home  # the commitment Blitar signed
    assert "Aksi direncanakan" in home  # recent activity, labelled in Bahasa Indonesia
    report = {"period": "2026-B04", "percent": 10, "narrative": "Mulai"}
    progress = f"/api/v1/actions/{action_id}/progress"
    site.ok(site.client.post(progress, json=report, headers=site.as_("pemda_blitar")), 201)
    assert "0 aksi belum melapor" in site.client.get("/kerja").text


def test_a_tracker_without_the_demo_shows_no_demo_banner(site: Site) -> None:
    plan_action(site)
    for path in ("/", "/aksi", "/wilayah/35.72"):
        assert "demo-banner" not in site.client.get(path).text, path
