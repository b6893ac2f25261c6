"""The workspace's action forms on the in-memory application: plan, amend, reschedule,
cancel, declare completion (with a file) and the Kanwil's review of a completion. Each one
valid, refused by the domain (the reason beside its field, what was typed kept), refused by
policy (a 403 page), and without the CSRF field; a refusal writes nothing."""

from __future__ import annotations

from typing import Any

from tests.unit.sites import Site, plan_action

NO_REDIRECTS: dict[str, Any] = {"follow_redirects": False}
PDF = b"%PDF-1.4\n% berita acara serah terima\n" + bytes(range(128))


def _post(site: Site, url: str, data: dict[str, str], **extra: Any) -> Any:
    return site.client.post(url, data=data, **NO_REDIRECTS, **extra)


def _state(site: Site, action_id: str) -> dict[str, Any]:
    found: dict[str, Any] = site.ok(
        site.client.get(f"/api/v1/actions/{action_id}", headers=site.as_("pemda_blitar"))
    )
    return found


def test_planning_an_action_in_a_form(site: Site) -> None:
    _, first = plan_action(site)
    commitment_id = _state(site, first)["commitment_id"]
    csrf = site.browser("pemda_blitar")
    page = site.client.get("/kerja/aksi/baru")
    assert page.status_code == 200
    assert f'value="{commitment_id}"' in page.text and 'name="kkp_criterion"' in page.text
    plan = {
        "csrf_token": csrf,
        "commitment_id": commitment_id,
        "title": "Layanan adminduk keliling untuk penyandang disabilitas",
        "owner_opd": "Dindukcapil",
        "partners": "Forum Disabilitas Blitar (OMS)\nPuskesmas Sananwetan",
        "rpjmn_pn": "PN1",
        "rpjmn_code": "1.3.2",
        "kkp_criterion": "1",
        "indicator_type": "outcome",
        "indicator_name": "KTP-el penyandang disabilitas",
        "indicator_unit": "orang",
        "indicator_baseline": "0",
        "indicator_target": "250",
        "due_on": "2026-12-31",
    }
    before = site.events()
    no_title = _post(site, "/kerja/aksi/baru", {**plan, "title": ""})
    assert no_title.status_code == 422 and 'id="title-error"' in no_title.text
    assert "Forum Disabilitas Blitar" in no_title.text  # what was typed is kept
    half = _post(site, "/kerja/aksi/baru", {**plan, "indicator_target": ""})
    assert half.status_code == 422 and 'id="indicator_name-error"' in half.text
    early = _post(site, "/kerja/aksi/baru", {**plan, "due_on": "2020-01-01"})
    assert early.status_code == 422 and 'id="due_on-error"' in early.text
    forged = _post(site, "/kerja/aksi/baru", {**plan, "csrf_token": "x"})
    assert forged.status_code == 403
    assert site.events() == before
    made = _post(site, "/kerja/aksi/baru", plan)
    assert made.status_code == 303, made.text
    assert site.events()[-1] == "ActionPlanned"
    listed = site.ok(site.client.get("/api/v1/actions?region=35.72"))["items"]
    new = next(a for a in listed if a["owner_opd"] == "Dindukcapil")
    assert new["partners"] == [
        {"name": "Forum Disabilitas Blitar", "kind": "OMS"},
        {"name": "Puskesmas Sananwetan", "kind": "mitra"},
    ]
    assert new["rpjmn"] == [{"pn": "PN1", "code": "1.3.2"}] and new["kkp_criterion"] == 1
    assert new["indicator"]["target"] == 250 and new["indicator_type"] == "outcome"

    # A Kanwil has no plan form; another region cannot plan under Blitar's commitment.
    site.browser("kanwil_jatim")
    assert site.client.get("/kerja/aksi/baru").status_code == 403
    other = site.browser("pemda_semarang")
    before = site.events()
    refused = _post(site, "/kerja/aksi/baru", {**plan, "csrf_token": other})
    assert refused.status_code == 409 and 'id="commitment_id-error"' in refused.text
    assert site.events() == before


def test_amend_reschedule_and_cancel_in_forms(site: Site) -> None:
    _, action_id = plan_action(site)
    csrf = site.browser("pemda_blitar")
    amend_url = f"/kerja/aksi/{action_id}/ubah"
    page = site.client.get(amend_url)
    assert page.status_code == 200 and "Pelatihan HAM bagi ASN" in page.text
    shown = {
        "csrf_token": csrf,
        "title": "Pelatihan HAM bagi ASN",
        "owner_opd": "Bagian Hukum Setda",
        "indicator_type": "process",
        "indicator_name": "ASN terlatih",
        "indicator_unit": "orang",
        "indicator_baseline": "0",
        "indicator_target": "9",
        "reason": "Tidak ada yang berubah",
    }
    unchanged = _post(site, amend_url, shown)
    assert unchanged.status_code == 422 and 'id="kesalahan"' in unchanged.text
    no_reason = _post(site, amend_url, {**shown, "title": "Pelatihan HAM ASN", "reason": ""})
    assert no_reason.status_code == 422 and 'id="reason-error"' in no_reason.text
    fixed = {**shown, "indicator_target": "90", "reason": "Target salah ketik"}
    assert _post(site, amend_url, fixed).status_code == 303
    assert site.events()[-1] == "ActionAmended"
    assert _state(site, action_id)["indicator"]["target"] == 90

    later = f"/kerja/aksi/{action_id}/jadwal"
    assert 'value="2026-12-31"' in site.client.get(later).text
    bad = _post(site, later, {"csrf_token": csrf, "due_on": "31/12/2027", "reason": "Banjir"})
    assert bad.status_code == 422 and 'id="due_on-error"' in bad.text
    moved = _post(site, later, {"csrf_token": csrf, "due_on": "2027-06-30", "reason": "Banjir"})
    assert moved.status_code == 303 and site.events()[-1] == "ActionRescheduled"

    site.browser("pemda_semarang")
    assert site.client.get(f"/kerja/aksi/{action_id}/batal").status_code == 403
    csrf = site.browser("pemda_blitar")
    cancel = f"/kerja/aksi/{action_id}/batal"
    silent = _post(site, cancel, {"csrf_token": csrf, "reason": ""})
    assert silent.status_code == 422 and 'id="reason-error"' in silent.text
    done = _post(site, cancel, {"csrf_token": csrf, "reason": "Digabung dengan aksi lain"})
    assert done.status_code == 303 and site.events()[-1] == "ActionCancelled"
    again = _post(site, cancel, {"csrf_token": csrf, "reason": "Sekali lagi"})
    assert again.status_code == 409 and "Digabung" not in again.text


def test_a_completion_is_declared_with_a_file_returned_and_verified(site: Site) -> None:
    _, action_id = plan_action(site)
    csrf = site.browser("pemda_blitar")
    report = {"csrf_token": csrf, "period": "2025-Q4", "percent": "80", "narrative": "Hampir"}
    assert _post(site, f"/kerja/aksi/{action_id}/laporan", report).status_code == 303
    complete = f"/kerja/aksi/{action_id}/selesai"
    page = site.client.get(complete)
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text
    none = _post(site, complete, {"csrf_token": csrf, "note": "Selesai"})
    assert none.status_code == 409 and 'id="evidence_file-error"' in none.text
    files = [("evidence_file", ("berita-acara.pdf", PDF, "application/pdf"))]
    declared = _post(site, complete, {"csrf_token": csrf, "note": "Selesai"}, files=files)
    assert declared.status_code == 303, declared.text
    state = _state(site, action_id)
    assert state["status"] == "completed"
    assert state["completion_evidence"][0]["media_type"] == "application/pdf"

    # The Kanwil Jawa Timur finds it in its queue and returns it; Jawa Tengah may not.
    review = f"/kerja/tinjau/{action_id}/selesai"
    site.browser("kanwil_jateng")
    assert site.client.get(review).status_code == 403
    kanwil = site.browser("kanwil_jatim")
    assert review in site.client.get("/kerja").text
    page = site.client.get(review)
    assert "berita-acara.pdf" in page.text and "Selesai" in page.text
    no_code = _post(site, review, {"csrf_token": kanwil, "decision": "return", "note": "Kurang"})
    assert no_code.status_code == 422 and 'id="reason_code-error"' in no_code.text
    back = {
        "csrf_token": kanwil,
        "decision": "return",
        "reason_code": "insufficient_evidence",
        "note": "Lampirkan daftar hadir",
    }
    assert _post(site, review, back).status_code == 303
    assert site.events()[-1] == "ActionCompletionReturned"
    assert _state(site, action_id)["status"] == "in_progress"

    csrf = site.browser("pemda_blitar")
    again = _post(site, complete, {"csrf_token": csrf, "note": "Dengan daftar hadir"}, files=files)
    assert again.status_code == 303
    kanwil = site.browser("kanwil_jatim")
    ok = _post(site, review, {"csrf_token": kanwil, "decision": "verify", "note": "Sesuai"})
    assert ok.status_code == 303 and site.events()[-1] == "ActionVerified"
