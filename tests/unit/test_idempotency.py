"""`Idempotency-Key` on the in-memory application: a report sent twice with one key (a
retry after a timeout) is written once and the retry gets the first answer, marked as
replayed; the key with another body is 422; another account's same key is its own; no key,
two writes; a refused first try is kept as refused; a bad key is 400 before anything runs."""

from __future__ import annotations

from typing import Any

from tests.unit.sites import Site, plan_action
from tests.unit.test_action_forms import PDF
from tests.unit.world import ACCOUNTS

KEY = "4c1f3a52-9a8e-4d0e-9a5f-2c0b7d1e6f10"


def _report(site: Site, action_id: str, percent: int, **headers: str) -> Any:
    body = {"period": "2026-Q1", "percent": percent, "narrative": "Tahap pertama"}
    return site.client.post(
        f"/api/v1/actions/{action_id}/progress",
        json=body,
        headers={**site.as_("pemda_blitar"), **headers},
    )


def test_a_retried_report_is_written_once_and_answered_the_same(site: Site) -> None:
    _, action_id = plan_action(site)
    before = len(site.events())
    first = _report(site, action_id, 40, **{"Idempotency-Key": KEY})
    assert first.status_code == 201, first.text
    retry = _report(site, action_id, 40, **{"Idempotency-Key": KEY})
    assert retry.status_code == 201 and retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.headers.get("etag") == first.headers.get("etag")
    assert retry.headers["x-request-id"] != first.headers["x-request-id"]
    assert len(site.events()) == before + 2  # ActionStarted + ProgressReportSubmitted, once

    other = _report(site, action_id, 50, **{"Idempotency-Key": KEY})
    assert other.status_code == 422 and other.json()["code"] == "idempotency-key-reused"
    assert len(site.events()) == before + 2


def test_keys_are_per_account_and_a_refusal_is_kept(site: Site) -> None:
    _, action_id = plan_action(site)
    as_kanwil = {**site.as_("kanwil_jatim"), "Idempotency-Key": KEY}
    body = {"period": "2026-Q1", "percent": 40, "narrative": "Tahap pertama"}
    refused = site.client.post(
        f"/api/v1/actions/{action_id}/progress", json=body, headers=as_kanwil
    )
    assert refused.status_code == 403
    again = site.client.post(f"/api/v1/actions/{action_id}/progress", json=body, headers=as_kanwil)
    assert again.status_code == 403 and again.headers["idempotent-replayed"] == "true"
    mine = _report(site, action_id, 40, **{"Idempotency-Key": KEY})  # Blitar's own key space
    assert mine.status_code == 201 and "idempotent-replayed" not in mine.headers


def test_without_a_key_two_sends_are_two_writes_and_a_bad_key_is_refused(site: Site) -> None:
    _, action_id = plan_action(site)
    assert _report(site, action_id, 40).status_code == 201
    second = _report(site, action_id, 40)
    assert second.status_code == 409  # the period already has an open report: a real second try
    before = len(site.events())
    bad = _report(site, action_id, 45, **{"Idempotency-Key": "x" * 300})
    assert bad.status_code == 400 and bad.json()["code"] == "idempotency-key-invalid"
    assert len(site.events()) == before


def test_a_double_clicked_form_writes_once_and_shows_the_first_answer(site: Site) -> None:
    _, action_id = plan_action(site)
    csrf = site.browser("pemda_blitar")
    form_url = f"/kerja/aksi/{action_id}/laporan"
    page = site.client.get(form_url).text
    key = page.split('name="idempotency_key" value="')[1].split('"')[0]
    assert len(key) == 32 and key not in site.client.get(form_url).text  # fresh per render
    typed = {"csrf_token": csrf, "idempotency_key": key, "period": "2025-Q4", "percent": "30"}
    typed["narrative"] = "Tahap satu"
    before = len(site.events())
    first = site.client.post(form_url, data=typed, follow_redirects=False)
    second = site.client.post(form_url, data=typed, follow_redirects=False)
    assert first.status_code == second.status_code == 303
    assert second.headers["location"] == first.headers["location"]
    assert second.headers["idempotent-replayed"] == "true"
    assert site.events()[before:] == ["ActionStarted", "ProgressReportSubmitted"]
    # Back, changed and sent again under the old key: a new submission, not an error page.
    changed = {**typed, "period": "2026-Q1", "percent": "40"}
    third = site.client.post(form_url, data=changed, follow_redirects=False)
    assert third.status_code == 303 and "idempotent-replayed" not in third.headers
    assert site.events()[-1] == "ProgressReportSubmitted" and len(site.events()) == before + 3


def test_a_double_clicked_upload_writes_once_whatever_the_boundaries(site: Site) -> None:
    """A browser draws a new multipart boundary for each submission of the same form."""
    _, action_id = plan_action(site)
    csrf = site.browser("pemda_blitar")
    form_url = f"/kerja/aksi/{action_id}/laporan"
    key = site.client.get(form_url).text.split('name="idempotency_key" value="')[1].split('"')[0]
    typed = {"csrf_token": csrf, "idempotency_key": key, "period": "2025-Q4", "percent": "30"}
    typed["narrative"] = "Dengan daftar hadir"
    files = [("evidence_file", ("daftar-hadir.pdf", PDF, "application/pdf"))]
    before = len(site.events())
    sent = [site.client.post(form_url, data=typed, files=files, follow_redirects=False)]
    sent.append(site.client.post(form_url, data=typed, files=files, follow_redirects=False))
    assert [s.status_code for s in sent] == [303, 303], sent[0].text
    assert sent[1].headers["idempotent-replayed"] == "true"
    assert site.events()[before:] == ["ActionStarted", "ProgressReportSubmitted"]


def test_the_key_is_stored_with_the_events_of_its_first_run(site: Site) -> None:
    """What lets a retry after a crash know whether the first run was stored: the event
    store holds the key exactly when the run wrote events (a refusal writes none)."""
    _, action_id = plan_action(site)
    refused = site.client.post(
        f"/api/v1/actions/{action_id}/progress",
        json={"period": "2026-Q1", "percent": 40, "narrative": "Tahap pertama"},
        headers={**site.as_("kanwil_jatim"), "Idempotency-Key": "k-refused"},
    )
    assert refused.status_code == 403
    assert _report(site, action_id, 40, **{"Idempotency-Key": KEY}).status_code == 201
    assert site.store.applied(ACCOUNTS["pemda_blitar"].user_id, KEY)
    assert not site.store.applied(ACCOUNTS["kanwil_jatim"].user_id, "k-refused")
