"""The in-memory application as a test site: the real app, bus and policy with in-memory
stores; `site` (a fixture in tests/unit/conftest.py) and `plan_action` for the HTTP tests."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

from litestar.testing import TestClient

from adapters.memory.accounts import MemoryAccounts
from adapters.memory.eventstore import MemoryEventStore
from tests.unit.world import ACCOUNTS, Clock
from tracker.app import create_app
from tracker.bootstrap import bootstrap
from tracker.settings import Settings

FORUM = {
    "kind": "rakernas",
    "title": "Rapat Kerja Pemerintah Daerah bidang HAM",
    "organisers": ["Kementerian HAM"],
    "host_region_code": "61.72",
    "starts_on": "2025-11-13",
    "ends_on": "2025-11-13",
}


class Site:
    def __init__(self, client: TestClient[Any], store: MemoryEventStore, tokens: Any) -> None:
        self.client, self.store, self.tokens = client, store, tokens
        self.accounts: MemoryAccounts | None = None
        self.clock: Clock | None = None
        self.services: Any = None

    def browser(self, name: str) -> str:
        """Sign `name` in as a browser would be (a session cookie); returns its CSRF token."""
        assert self.accounts is not None and self.clock is not None
        user_id = ACCOUNTS[name].user_id
        session, csrf = asyncio.run(self.accounts.open_session(user_id, self.clock()))
        self.client.cookies.set("tracker_session", session)
        return csrf

    def as_(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[name]}"}

    def ok(self, response: Any, status: int = 200) -> Any:
        assert response.status_code == status, response.text
        return response.json()

    def log(self) -> list[Any]:
        return self.store.notifications(0, self.store.head())

    def events(self) -> list[str]:
        return [n.topic.rpartition(":")[2].rpartition(".")[2] for n in self.log()]


def make_site(**settings_given: Any) -> Iterator[Site]:
    clock, store, accounts = Clock(), MemoryEventStore(), MemoryAccounts()
    settings = Settings(data_dir=None, database_url=None, workers=False, **settings_given)
    services = bootstrap(settings, clock=clock, store=store, accounts=accounts)
    tokens = {}
    for name, account in ACCOUNTS.items():
        asyncio.run(accounts.add(account, None, "tests", clock()))
        _, tokens[name] = asyncio.run(accounts.issue_token(account.user_id, "t", None, clock()))
    with TestClient(create_app(settings, services=services)) as client:
        made = Site(client, store, tokens)
        made.accounts, made.clock, made.services = accounts, clock, services
        yield made


def plan_action(site: Site) -> tuple[str, str]:
    admin = site.as_("admin")
    forum = site.ok(site.client.post("/api/v1/forums", json=FORUM, headers=admin), 201)
    commitment = site.ok(
        site.client.post(
            "/api/v1/commitments",
            headers=admin,
            json={
                "forum_id": forum["id"],
                "title": "Komitmen bersama Pemda bidang HAM",
                "made_on": "2025-11-13",
                "signatories": [{"region_code": "35.72", "office": "Wali Kota Blitar"}],
                "rpjmn": [{"pn": "PN1"}],
                "kkp_criteria": [1],
            },
        ),
        201,
    )
    action = site.ok(
        site.client.post(
            "/api/v1/actions",
            headers=site.as_("pemda_blitar"),
            json={
                "commitment_id": commitment["id"],
                "region_code": "35.72",
                "title": "Pelatihan HAM bagi ASN",
                "owner_opd": "Bagian Hukum Setda",
                "due_on": "2026-12-31",
                "indicator": {"name": "ASN terlatih", "unit": "orang", "baseline": 0, "target": 9},
            },
        ),
        201,
    )
    return forum["id"], action["id"]


def kkp_action(site: Site) -> str:
    """A Dindukcapil structure-type action on right 5, reported 60% in 2025-Q4 (verified)
    and 90% in 2026-Q1 (a claim, and in another data year)."""
    _, first = plan_action(site)
    commitment_id = site.ok(site.client.get(f"/api/v1/actions/{first}"))["commitment_id"]
    pemda, kanwil = site.as_("pemda_blitar"), site.as_("kanwil_jatim")
    body = {
        "commitment_id": commitment_id,
        "region_code": "35.72",
        "title": "Perwal layanan adminduk inklusif",
        "owner_opd": "Dindukcapil",
        "due_on": "2026-12-31",
        "kkp_criterion": 5,
        "indicator_type": "structure",
    }
    action = site.ok(site.client.post("/api/v1/actions", json=body, headers=pemda), 201)
    base = f"/api/v1/actions/{action['id']}"
    report = {"period": "2025-Q4", "percent": 60, "narrative": "Rancangan perwal dibahas"}
    written = site.ok(site.client.post(f"{base}/progress", json=report, headers=pemda), 201)
    report_id = written["data"]["reports"][0]["id"]
    verify = f"{base}/progress/{report_id}/verification"
    site.ok(site.client.post(verify, json={}, headers=kanwil))
    later = {"period": "2026-Q1", "percent": 90, "narrative": "Perwal ditetapkan"}
    site.ok(site.client.post(f"{base}/progress", json=later, headers=pemda), 201)
    return str(action["id"])
