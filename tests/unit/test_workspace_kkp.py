"""The KKP HAM cycle in the workspace on the in-memory application: the Bagian Hukum
coordinator opens and submits the sheet, the Kanwil returns and verifies it, the ministry
records the result. Every form is CSRF-protected and POST-redirect-GET; a refusal comes back
beside its indicator or field with what was typed, and writes nothing."""

from __future__ import annotations

import re
from typing import Any

from tests.unit.sites import Site, kkp_action

W = "/kerja/kkp-ham"
NO_REDIRECTS: dict[str, Any] = {"follow_redirects": False}
PLACE = {"region_code": "35.72", "data_year": "2025"}


def _post(site: Site, path: str, csrf: str, **fields: str) -> Any:
    return site.client.post(
        f"{W}/{path}", data={"csrf_token": csrf, **PLACE, **fields}, **NO_REDIRECTS
    )


def _redirected(response: Any) -> str:
    assert response.status_code == 303, response.text
    location: str = response.headers["location"]
    assert location.startswith(f"{W}?tahun=2025&wilayah=35.72&after="), location
    return location


def test_the_coordinator_opens_and_submits_with_refusals_beside_the_indicator(site: Site) -> None:
    action_id = kkp_action(site)
    csrf = site.browser("pemda_blitar")
    first = site.client.get(f"{W}?tahun=2025")
    assert first.status_code == 200 and "Buka penilaian mandiri tahun data 2025" in first.text
    assert 'name="csrf_token"' in first.text
    assert site.client.post(f"{W}/buka", data=PLACE, **NO_REDIRECTS).status_code == 403
    sheet = site.client.get(_redirected(_post(site, "buka", csrf)))
    assert 'id="ans-5.S1"' in sheet.text and "Lembar jawaban" in sheet.text
    linked = f"act-5.S1-{action_id}"
    assert f'name="{linked}"' in sheet.text  # the region's action in that right × type cell
    assert 'name="act-5.P1-' not in sheet.text  # a process cell with no action offers none

    before = site.events()
    answers = {"ans-5.S1": "met", linked: "on", "note-5.S1": "Perwal adminduk", "ans-10.P1": ""}
    bad = _post(site, "ajukan", csrf, **answers, **{"evurl-5.S1": "ftp://x", "evtitle-5.S1": "B"})
    assert bad.status_code == 422
    assert 'id="ans-5.S1-error"' in bad.text and 'href="#ans-5.S1"' in bad.text
    assert 'value="Perwal adminduk"' in bad.text and 'value="ftp://x"' in bad.text  # kept
    assert site.events() == before
    tampered = _post(site, "ajukan", csrf, **{"ans-5.S1": "yes"})
    assert tampered.status_code == 422 and "tidak dikenal" in tampered.text
    none = _post(site, "ajukan", csrf)
    assert none.status_code == 422 and site.events() == before

    untitled = _post(site, "ajukan", csrf, **answers, **{"evurl-5.S1": "https://jdih.example/p"})
    assert untitled.status_code == 422 and 'id="ans-5.S1-error"' in untitled.text
    evidence = {"evurl-5.S1": "https://jdih.example/p.pdf", "evtitle-5.S1": "Perwal (PDF)"}
    ok = _post(site, "ajukan", csrf, **answers, **evidence)
    done = site.client.get(_redirected(ok))
    assert "Jawaban yang diajukan" in done.text and 'href="https://jdih.example/p.pdf"' in done.text
    assert "Status penilaian mandiri 2025: diajukan, menunggu verifikasi Kanwil" in done.text
    assert site.events()[-1] == "SelfAssessmentSubmitted"
    state = site.ok(site.client.get("/api/v1/kkp-ham/2025/35.72?after=" + str(site.store.head())))
    (answer,) = state["assessment"]["answers"]
    assert answer["indicator_id"] == "5.S1" and answer["action_ids"] == [action_id]
    assert answer["evidence"][0]["title"] == "Perwal (PDF)"


def test_an_opd_account_sees_the_state_but_cannot_coordinate(site: Site) -> None:
    kkp_action(site)
    csrf = site.browser("dinkes_blitar")
    page = site.client.get(f"{W}?tahun=2025")
    assert page.status_code == 200 and "Hanya akun koordinator" in page.text
    assert f'action="{W}/buka"' not in page.text
    before = site.events()
    refused = _post(site, "buka", csrf)
    assert refused.status_code == 403 and site.events() == before


def _submitted(site: Site) -> str:
    action_id = kkp_action(site)
    csrf = site.browser("pemda_blitar")
    _redirected(_post(site, "buka", csrf))
    answers = {"ans-5.S1": "partial", f"act-5.S1-{action_id}": "on", "note-5.S1": "Draf perwal"}
    _redirected(_post(site, "ajukan", csrf, **answers))
    return action_id


def test_the_kanwil_returns_with_a_reason_and_the_coordinator_sees_it_prefilled(
    site: Site,
) -> None:
    action_id = _submitted(site)
    csrf = site.browser("kanwil_jatim")
    queue = site.client.get(f"{W}?tahun=2025")
    assert "Kota Blitar" in queue.text and "wilayah=35.72" in queue.text
    review = site.client.get(f"{W}?tahun=2025&wilayah=35.72")
    assert f'action="{W}/verifikasi"' in review.text and f'action="{W}/kembalikan"' in review.text
    before = site.events()
    empty = _post(site, "kembalikan", csrf, reason="  ")
    assert empty.status_code == 422 and 'id="reason-error"' in empty.text
    assert site.events() == before
    _redirected(_post(site, "kembalikan", csrf, reason="Lampirkan rancangan perwal"))
    assert site.events()[-1] == "SelfAssessmentReturned"

    site.browser("pemda_blitar")
    again = site.client.get(f"{W}?tahun=2025").text
    assert "Kanwil Jawa Timur: Lampirkan rancangan perwal" in again
    assert re.search(r'<option value="partial" selected>', again)
    assert re.search(rf'name="act-5.S1-{action_id}" checked', again)
    assert 'value="Draf perwal"' in again


def test_another_kanwil_neither_sees_the_forms_nor_may_verify(site: Site) -> None:
    _submitted(site)
    csrf = site.browser("kanwil_jateng")
    page = site.client.get(f"{W}?tahun=2025&wilayah=35.72")
    assert page.status_code == 200 and f'action="{W}/verifikasi"' not in page.text
    assert "Kota Blitar" not in page.text
    before = site.events()
    assert _post(site, "verifikasi", csrf).status_code == 403
    assert site.events() == before
    site.browser("kanwil_jatim")
    csrf = site.browser("kanwil_jatim")
    _redirected(_post(site, "verifikasi", csrf, review_note="Sesuai dokumen"))
    assert site.events()[-1] == "SelfAssessmentVerified"


def test_the_ministry_records_the_result_and_replacing_it_needs_a_reason(site: Site) -> None:
    _submitted(site)
    csrf = site.browser("admin")
    page = site.client.get(f"{W}?tahun=2025&wilayah=35.72")
    assert f'action="{W}/hasil"' in page.text and "Hasil resmi penilaian" in page.text
    before = site.events()
    early = _post(site, "hasil", csrf, predicate="on", decree_date="2025-06-01")
    assert early.status_code == 422 and 'id="decree_date-error"' in early.text
    wrong = _post(site, "hasil", csrf, score="sembilan")
    assert wrong.status_code == 422 and 'id="score-error"' in wrong.text
    assert site.events() == before
    result = {"predicate": "on", "score": "80,5", "decree_number": "M.HA-01", "decree_date": ""}
    _redirected(_post(site, "hasil", csrf, **result))
    again = _post(site, "hasil", csrf, score="70")
    assert again.status_code == 422 and 'id="result_reason-error"' in again.text
    _redirected(_post(site, "hasil", csrf, score="70", result_reason="Ralat keputusan"))
    assert site.events()[-2:] == ["AssessmentResultRecorded", "AssessmentResultRecorded"]
    shown = site.client.get(f"{W}?tahun=2025&wilayah=35.72").text
    assert "Tidak memperoleh predikat · nilai 70" in shown  # the replacement, not 80,5
