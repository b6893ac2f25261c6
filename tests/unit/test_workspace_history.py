"""Staff history in the workspace: a region's activity log with filters and the CSV link,
one action's audit trail with field-level changes (and as CSV); only the region's own
accounts, its Kanwil and the ministry; drafts only in the region's own view."""

from __future__ import annotations

import csv
import io

from tests.unit.sites import Site, plan_action


def test_region_activity_and_an_action_trail(site: Site) -> None:
    _, action_id = plan_action(site)
    blitar = site.as_("pemda_blitar")
    amend = {
        "reason": "Target salah ketik",
        "indicator": {"name": "ASN terlatih", "unit": "orang", "baseline": 0, "target": 90},
    }
    site.ok(site.client.post(f"/api/v1/actions/{action_id}/amendment", json=amend, headers=blitar))
    site.browser("kanwil_jatim")
    page = site.client.get("/kerja/riwayat?wilayah=35.72")
    assert page.status_code == 200
    assert "Pelatihan HAM bagi ASN" in page.text and f"/kerja/riwayat/aksi/{action_id}" in page.text
    assert "t-pemda-blitar" in page.text  # auditors see who acted
    assert "/api/v1/audit/regions/35.72/activity?format=csv" in page.text.replace("&amp;", "&")
    only = site.client.get("/kerja/riwayat?wilayah=35.72&jenis=ActionAmended").text
    assert only.count("<tr>") == 2  # the header and the amendment
    none = site.client.get("/kerja/riwayat?wilayah=35.72&sampai=2020-01-01").text
    assert "Pelatihan HAM bagi ASN" not in none
    exported = site.client.get("/api/v1/audit/regions/35.72/activity?format=csv")
    assert exported.status_code == 200 and "ActionAmended" in exported.text

    trail = site.client.get(f"/kerja/riwayat/aksi/{action_id}")
    assert trail.status_code == 200
    assert "<code>indicator.target</code>" in trail.text and "90" in trail.text
    rows = list(
        csv.DictReader(
            io.StringIO(site.client.get(f"/kerja/riwayat/aksi/{action_id}?format=csv").text)
        )
    )
    target = next(row for row in rows if row["field"] == "indicator.target")
    assert (target["type"], target["before"], target["after"]) == ("ActionAmended", "9.0", "90.0")

    # Outside the jurisdiction: refused; a Pemda sees its own region only.
    site.browser("kanwil_jateng")
    assert site.client.get("/kerja/riwayat?wilayah=35.72").status_code == 403
    assert site.client.get(f"/kerja/riwayat/aksi/{action_id}").status_code == 403
    site.browser("pemda_semarang")
    assert site.client.get("/kerja/riwayat?wilayah=35.72").status_code == 403
    assert "Pelatihan HAM" not in site.client.get("/kerja/riwayat").text
