"""The KKP HAM cycle through the API on the in-memory application: readiness from verified
work of the data year only, the self-assessment opened, returned, resubmitted and verified,
the central result beside the estimate, feeds and the audit trail."""

from __future__ import annotations

from typing import Any

from tests.unit.sites import Site, kkp_action

K = "/api/v1/kkp-ham/2025/35.72"


def _after(site: Site, written: dict[str, Any]) -> str:
    return f"?after={written['position']}"


def test_readiness_counts_verified_work_of_the_data_year_only(site: Site) -> None:
    action_id = kkp_action(site)
    head = site.store.head()
    grid = site.ok(site.client.get(f"{K}?after={head}"))["readiness"]
    cell = next(c for c in grid["cells"] if (c["criterion"], c["type"]) == (5, "structure"))
    assert cell["verified"] == 60.0 and cell["claimed"] == 60.0 and cell["weight"] == 3
    assert cell["actions"][0]["id"] == action_id
    assert grid["readiness"] == 1.8  # 3 × 60 ÷ 100 (the shipped list weighs 100)
    assert grid["illustrative"] and grid["threshold"] == 75
    later = site.ok(site.client.get("/api/v1/kkp-ham/2026/35.72"))["readiness"]
    assert later["readiness"] == 0.0 and later["claimed_readiness"] == 2.7  # 3 × 90 ÷ 100
    table = site.ok(site.client.get("/api/v1/kkp-ham/2025"))
    (row,) = table["items"]
    assert (row["region_code"], row["readiness"], row["assessment_status"]) == (
        "35.72",
        1.8,
        "none",
    )
    assert site.ok(site.client.get("/api/v1/kkp-ham/2025?province=33"))["items"] == []
    assert site.ok(site.client.get("/api/v1/kkp-ham/2025?kanwil=35"))["items"] == [row]
    assert site.ok(site.client.get("/api/v1/kkp-ham/method"))["indicator_set"]
    assert "demo" not in table  # a tracker without the demo says nothing of the kind


def test_the_cycle_from_opening_to_the_central_result(site: Site) -> None:
    action_id = kkp_action(site)
    pemda, kanwil = site.as_("pemda_blitar"), site.as_("kanwil_jatim")
    admin, dinkes = site.as_("admin"), site.as_("dinkes_blitar")
    base = f"{K}/self-assessment"
    refused = site.client.post(base, headers=dinkes)
    assert refused.status_code == 403 and refused.json()["code"] == "coordinator-only"
    site.ok(site.client.post(base, headers=pemda))
    answers = {
        "answers": [
            {"indicator_id": "5.S1", "answer": "partial", "action_ids": [action_id]},
            {"indicator_id": "10.P1", "answer": "not_met", "note": "UPTD PPA belum ada"},
        ],
        "note": "Dihimpun Bagian Hukum dari OPD",
    }
    bad = {"answers": [{"indicator_id": "99.X1", "answer": "met"}]}
    problem = site.client.post(f"{base}/submission", json=bad, headers=pemda)
    assert problem.status_code == 422 and problem.json()["code"] == "unknown-kkp-indicator"
    assert problem.json()["subject"] == "99.X1"  # which answer of the sheet
    site.ok(site.client.post(f"{base}/submission", json=answers, headers=pemda))
    again = site.client.post(f"{base}/submission", json=answers, headers=pemda)
    assert again.status_code == 409 and again.json()["code"] == "assessment-submitted"
    site.ok(site.client.post(f"{base}/return", json={"reason": "Bukti 5.S1"}, headers=kanwil))
    site.ok(site.client.post(f"{base}/submission", json=answers, headers=pemda))
    site.ok(site.client.post(f"{base}/verification", json={}, headers=kanwil))
    result = {"predicate": False, "score": 62.5, "decree_date": "2025-06-01"}
    early = site.client.post(f"{K}/result", json=result, headers=admin)
    assert early.status_code == 422 and early.json()["code"] == "decree-before-assessment"
    result["decree_date"] = "2026-02-10"
    written = site.ok(site.client.post(f"{K}/result", json=result, headers=admin))
    shown = site.ok(site.client.get(f"{K}{_after(site, written)}"))
    assert shown["assessment"]["status"] == "verified"
    assert shown["assessment"]["reviewed_by"]["office"]
    assert "user_id" not in shown["assessment"]["reviewed_by"]  # the public view
    assert shown["history"][0]["result"]["score"] == 62.5
    assert shown["readiness"]["readiness"] == 1.8  # the result never rewrites the estimate
    row = site.ok(site.client.get("/api/v1/kkp-ham/2025"))["items"][0]
    assert row["assessment_status"] == "verified" and row["result"]["predicate"] is False

    audit = f"/api/v1/audit/assessments/{written['id']}"
    trail = site.ok(site.client.get(audit, headers=kanwil))
    assert trail["region_codes"] == ["35.72"]
    assert [i["type"] for i in trail["items"]] == [
        "SelfAssessmentOpened",
        "SelfAssessmentSubmitted",
        "SelfAssessmentReturned",
        "SelfAssessmentSubmitted",
        "SelfAssessmentVerified",
        "AssessmentResultRecorded",
    ]
    outsider = site.client.get(
        f"/api/v1/audit/assessments/{written['id']}", headers=site.as_("kanwil_jateng")
    )
    assert outsider.status_code == 403
    feed = site.client.get("/umpan/wilayah/35.72.atom").text
    assert "Penilaian mandiri diverifikasi Kanwil: KKP HAM 2025" in feed
    assert "Hasil penilaian pusat dicatat: KKP HAM 2025" in feed
    assert '/wilayah/35.72?tahun=2025"' in feed  # the entry links to the year on the region page
    english = site.client.get("/umpan/wilayah/35.72.json?lang=en").json()
    assert any(i["url"].endswith("/wilayah/35.72?tahun=2025&lang=en") for i in english["items"])


def test_the_pages_show_the_grid_the_table_and_refuse_a_bad_year(site: Site) -> None:
    action_id = kkp_action(site)
    head = site.store.head()
    region = site.client.get(f"/wilayah/35.72?tahun=2025&after={head}").text
    assert "bukan nilai resmi" in region and "ilustratif" in region
    assert f'href="/aksi/{action_id}"' in region and "60% terverifikasi" in region
    assert "Perkiraan kesiapan: 1,8 dari 100 (ambang 75)" in region
    table = site.client.get("/kkp-ham?tahun=2025").text
    assert 'href="/wilayah/35.72?tahun=2025#kkp-judul"' in table and "Kota Blitar" in table
    assert "Kota Blitar" not in site.client.get("/kkp-ham?tahun=2025&provinsi=33").text
    bad = site.client.get("/kkp-ham?tahun=20x5").text
    assert 'aria-invalid="true"' in bad and "Tahun data 20x5 tidak sah" in bad
    method = site.client.get("/kkp-ham/cara?lang=en").text
    assert "10.O1" in method and "illustrative" in method


def test_open_data_has_a_row_per_region_and_data_year(site: Site) -> None:
    kkp_action(site)
    head = site.store.head()
    body = site.ok(site.client.get(f"/data/kkp_ham.json?after={head}"))
    rows = {(r["region_code"], r["data_year"]): r for r in body["rows"]}
    assert rows[("35.72", 2025)]["readiness"] == 1.8
    assert rows[("35.72", 2026)]["readiness"] == 0.0
    assert rows[("35.72", 2026)]["claimed_readiness"] == 2.7
    assert rows[("35.72", 2025)]["assessment_status"] == "none"
    csv = site.client.get("/data/kkp_ham.csv").text.splitlines()
    assert csv[0].startswith("region_code,region_name,province_code,data_year,indicator_set")
    assert len(csv) == 3
    assert "Perkiraan kesiapan pelacak ini" in site.client.get("/data").text
