"""Claimed and verified completion side by side, on the in-memory application: a region's
own report and its completion declaration raise what it claims; only a Kanwil's verification
raises what is verified, and both show on the API and the public pages."""

from __future__ import annotations

from typing import Any

from tests.unit.sites import Site, plan_action


def _wait(site: Site, written: dict[str, Any]) -> None:
    site.client.get(f"/api/v1/forums?after={written['position']}")


def test_a_claim_is_shown_as_a_claim_until_a_kanwil_verifies_it(site: Site) -> None:
    pemda, kanwil = site.as_("pemda_blitar"), site.as_("kanwil_jatim")
    _, action_id = plan_action(site)
    base = f"/api/v1/actions/{action_id}"
    report = {"period": "2025-Q4", "percent": 20, "narrative": "Tahap 1"}
    written = site.ok(site.client.post(f"{base}/progress", json=report, headers=pemda), 201)
    declared = {"evidence": [{"title": "Laporan", "url": "https://example.org/l.pdf"}]}
    written = site.ok(site.client.post(f"{base}/completion", json=declared, headers=pemda))
    _wait(site, written)

    figures = site.ok(site.client.get(base))["figures"]
    reporting = figures.pop("reporting")  # what it owes: the one report, then none after
    assert [(r["period"]["number"], r["status"]) for r in reporting["reports"]] == [
        (4, "submitted")
    ]
    assert reporting["stops_on"] is not None
    assert figures == {
        "completion": 100.0,
        "verified_completion": 0.0,
        "overdue_from": None,
        "steps": [],
        "series": [{"period": "2025-Q4", "ends_on": "2025-12-31", "completion": 20.0}],
        "years": {  # the data year's own figures: the declaration counts in no year
            "2025": {
                "claimed": 20.0,
                "verified": 0.0,
                "reports": 1,
                "reports_verified": 0,
                "evidence": 0,
                "evidence_verified": 0,
            }
        },
    }
    region = site.ok(site.client.get("/api/v1/regions/35.72"))["summary"]
    assert region["completion"] == 100.0 and region["verified_completion"] == 0.0
    page = site.client.get(f"/aksi/{action_id}").text
    assert "Capaian terverifikasi" in page and "Capaian dilaporkan" in page

    report_id = site.ok(site.client.get(base))["reports"][0]["id"]
    written = site.ok(
        site.client.post(f"{base}/progress/{report_id}/verification", json={}, headers=kanwil)
    )
    _wait(site, written)
    assert site.ok(site.client.get(base))["figures"]["verified_completion"] == 20.0
    written = site.ok(site.client.post(f"{base}/verification", json={}, headers=kanwil))
    _wait(site, written)
    figures = site.ok(site.client.get(base))["figures"]
    assert figures["completion"] == figures["verified_completion"] == 100.0
    assert figures["overdue_from"] is None
    region = site.ok(site.client.get("/api/v1/regions/35.72"))["summary"]
    assert region["verified_completion"] == 100.0
