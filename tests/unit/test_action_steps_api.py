"""Steps and weights through the API, on the in-memory application: an action split into
weighted steps reports per step, shows each step's claimed and verified figure, and counts
in its region's figure by its own weight."""

from __future__ import annotations

from typing import Any

from tests.unit.sites import Site, plan_action

EVIDENCE = [{"title": "Daftar hadir", "url": "https://example.org/hadir.pdf"}]


def _wait(site: Site, written: dict[str, Any]) -> None:
    site.client.get(f"/api/v1/forums?after={written['position']}")


def _report(site: Site, base: str, step: str | None, percent: float) -> Any:
    body: dict[str, Any] = {"period": "2025-Q4", "percent": percent, "narrative": "Tahap"}
    body |= {"evidence": EVIDENCE} | ({"step_id": step} if step else {})
    return site.client.post(f"{base}/progress", json=body, headers=site.as_("pemda_blitar"))


def test_a_split_action_rolls_its_steps_up_and_weighs_in_its_region(site: Site) -> None:
    pemda, kanwil = site.as_("pemda_blitar"), site.as_("kanwil_jatim")
    _, action_id = plan_action(site)
    base = f"/api/v1/actions/{action_id}"
    amended = {"reason": "Prioritas RPJMD", "weight": 3}
    site.ok(site.client.post(f"{base}/amendment", json=amended, headers=pemda))
    first = {"title": "Modul pelatihan", "owner_opd": "BKPSDM", "due_on": "2026-03-31"}
    site.ok(site.client.post(f"{base}/steps", json=first, headers=pemda), 201)
    second = {"title": "Pelatihan angkatan 1", "owner_opd": "Bagian Hukum", "due_on": "2026-09-30"}
    added = site.ok(
        site.client.post(f"{base}/steps", json=second | {"weight": 3}, headers=pemda), 201
    )
    steps = [s["id"] for s in added["data"]["steps"]]
    assert [s["weight"] for s in added["data"]["steps"]] == [1, 3]

    refused = _report(site, base, None, 50)
    assert refused.status_code == 422 and refused.json()["code"] == "report-needs-step"
    site.ok(_report(site, base, steps[0], 100), 201)
    written = site.ok(_report(site, base, steps[1], 20), 201)
    _wait(site, written)

    action = site.ok(site.client.get(base))
    report = next(r for r in action["reports"] if r["step_id"] == steps[0])
    written = site.ok(
        site.client.post(f"{base}/progress/{report['id']}/verification", json={}, headers=kanwil)
    )
    _wait(site, written)
    figures = site.ok(site.client.get(base))["figures"]
    assert figures["completion"] == (100 * 1 + 20 * 3) / 4  # 40.0
    assert figures["verified_completion"] == 100 / 4  # 25.0: the second step is only claimed
    assert [(s["completion"], s["verified_completion"], s["share"]) for s in figures["steps"]] == [
        (100.0, 100.0, 0.25),
        (20.0, 0.0, 0.75),
    ]
    assert figures["series"] == [{"period": "2025-Q4", "ends_on": "2025-12-31", "completion": 40.0}]

    # A second, unweighted action with nothing reported: the region's mean weighs 3 to 1.
    other = dict(first, title="Aksi kecil", due_on="2026-12-31")
    commitment_id = site.ok(site.client.get(base))["commitment_id"]
    site.ok(
        site.client.post(
            "/api/v1/actions",
            json=other | {"commitment_id": commitment_id, "region_code": "35.72"},
            headers=pemda,
        ),
        201,
    )
    summary = site.ok(site.client.get("/api/v1/regions/35.72"))["summary"]
    assert summary["completion"] == 30.0 and summary["verified_completion"] == 18.8

    page = site.client.get(f"/aksi/{action_id}").text
    assert "Modul pelatihan" in page and "Pelatihan angkatan 1" in page and "BKPSDM" in page


def test_a_step_with_a_bad_weight_or_due_date_is_refused_with_its_reason(site: Site) -> None:
    pemda = site.as_("pemda_blitar")
    _, action_id = plan_action(site)
    url = f"/api/v1/actions/{action_id}/steps"
    step = {"title": "Tahap", "owner_opd": "Dinkes", "due_on": "2026-03-31"}
    bad_weight = site.client.post(url, json=step | {"weight": 0}, headers=pemda)
    assert bad_weight.status_code == 422 and bad_weight.json()["code"] == "weight-range"
    late = site.client.post(url, json=step | {"due_on": "2027-01-31"}, headers=pemda)
    assert late.status_code == 422 and late.json()["code"] == "step-due-after-action"
    unknown = site.client.post(url, json=step | {"bobot": 2}, headers=pemda)
    assert unknown.status_code in (400, 422), unknown.text
    anonymous = site.client.post(url, json=step)
    assert anonymous.status_code == 401
    assert site.client.post(url, json=step, headers=site.as_("pemda_semarang")).status_code == 403


def test_a_pemda_splits_an_action_and_reports_a_step_from_the_workspace(site: Site) -> None:
    _, action_id = plan_action(site)
    csrf = site.browser("pemda_blitar")
    assert f"/kerja/aksi/{action_id}/tahapan" in site.client.get("/kerja").text
    url = f"/kerja/aksi/{action_id}/tahapan"
    typed = {"csrf_token": csrf, "title": "Modul", "owner_opd": "BKPSDM", "due_on": "2026-03-31"}
    before = site.events()
    refused = site.client.post(url, data=typed | {"weight": "0"}, follow_redirects=False)
    assert refused.status_code == 422 and 'id="weight-error"' in refused.text
    assert "Modul" in refused.text and site.events() == before
    done = site.client.post(url, data=typed | {"weight": "2"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith(f"/aksi/{action_id}?")
    assert site.events()[-1] == "ActionStepAdded"

    report_url = f"/kerja/aksi/{action_id}/laporan"
    form = site.client.get(report_url).text
    assert 'name="step_id"' in form and "Modul · BKPSDM" in form
    report = {"csrf_token": csrf, "period": "2025-Q4", "percent": "50", "narrative": "Modul"}
    report |= {"evidence_url": "https://example.org/modul.pdf"}
    refused = site.client.post(report_url, data=report, follow_redirects=False)
    assert refused.status_code == 422 and 'id="step_id-error"' in refused.text
    step_id = site.ok(site.client.get(f"/api/v1/actions/{action_id}"))["steps"][0]["id"]
    sent = site.client.post(report_url, data=report | {"step_id": step_id}, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    figures = site.ok(site.client.get(f"/api/v1/actions/{action_id}"))["figures"]
    assert figures["completion"] == 50.0 and figures["steps"][0]["completion"] == 50.0
