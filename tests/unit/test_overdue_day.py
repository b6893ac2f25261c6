""" "Overdue on day D" uses the place's own calendar day: at 16:30 UTC it is still
1 March in Kota Blitar (WIB, 23:30) and already 2 March in Kota Jayapura (WIT, 01:30),
so an action due on 1 March is overdue in Jayapura and not yet in Blitar."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from adapters.account_types import Account
from domain.values import Role
from tests.unit.sites import FORUM, Site

JAYAPURA = Account(
    "t-pemda-jayapura", "Jayapura", Role.PEMDA, "Bag. Hukum Kota Jayapura", region_code="91.71"
)


def _plan(site: Site, commitment_id: str, region: str, token: str) -> str:
    body = {
        "commitment_id": commitment_id,
        "region_code": region,
        "title": f"Layanan pengaduan HAM {region}",
        "owner_opd": "Bagian Hukum Setda",
        "due_on": "2026-03-01",
        "indicator": {"name": "Pengaduan ditangani", "unit": "kasus", "baseline": 0, "target": 5},
    }
    headers = {"Authorization": f"Bearer {token}"}
    made = site.client.post("/api/v1/actions", json=body, headers=headers)
    return str(site.ok(made, 201)["id"])


def _overdue(site: Site, query: str) -> list[str]:
    body: dict[str, Any] = site.ok(site.client.get(f"/api/v1/actions?overdue=true&{query}"))
    return [item["region_code"] for item in body["items"]]


def test_overdue_follows_the_regions_own_day(site: Site) -> None:
    assert site.clock is not None
    admin = site.as_("admin")
    forum = site.ok(site.client.post("/api/v1/forums", json=FORUM, headers=admin), 201)
    commitment = site.ok(
        site.client.post(
            "/api/v1/commitments",
            headers=admin,
            json={
                "forum_id": forum["id"],
                "title": "Komitmen layanan pengaduan",
                "made_on": "2025-11-13",
                "signatories": [
                    {"region_code": "35.72", "office": "Wali Kota Blitar"},
                    {"region_code": "91.71", "office": "Wali Kota Jayapura"},
                ],
                "rpjmn": [{"pn": "PN1"}],
            },
        ),
        201,
    )
    assert site.accounts is not None
    asyncio.run(site.accounts.add(JAYAPURA, None, "tests", site.clock()))
    _, token = asyncio.run(site.accounts.issue_token(JAYAPURA.user_id, "t", None, site.clock()))
    _plan(site, commitment["id"], "35.72", site.tokens["pemda_blitar"])
    last = _plan(site, commitment["id"], "91.71", token)
    site.client.get(f"/api/v1/actions/{last}")  # the in-memory projector is caught up

    site.clock.now = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)
    assert _overdue(site, "region=91.71") == ["91.71"]
    assert _overdue(site, "region=35.72") == []
    jayapura = site.ok(site.client.get("/api/v1/regions/91.71"))
    blitar = site.ok(site.client.get("/api/v1/regions/35.72"))
    assert (jayapura["summary"]["overdue"], blitar["summary"]["overdue"]) == (1, 0)

    site.clock.now = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)  # midnight has passed in WIB
    assert _overdue(site, "region=35.72") == ["35.72"]
    national = site.ok(site.client.get("/api/v1/national"))
    assert national["summary"]["overdue"] == 2
