from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest
from litestar.testing import TestClient

from adapters.account_types import Account
from domain.values import Role
from tests.support import account_store, settings_for
from tracker.app import create_app

FORUM = {
    "kind": "rakernas",
    "title": "Rapat Kerja Pemerintah Daerah bidang HAM",
    "organisers": ["Kementerian HAM"],
    "host_region_code": "61.72",
    "starts_on": "2025-11-13",
    "ends_on": "2025-11-13",
    "theme": "Pemerintah Daerah dan HAM: Dari Komitmen ke Implementasi",
}


# Accounts every API test can act as: (user id, role, scope).
ACCOUNTS = {
    "admin": Account("t-admin", "Admin", Role.ADMIN, "Kementerian HAM"),
    "kanwil_jatim": Account(
        "t-kanwil-jatim", "Kanwil", Role.KANWIL, "Kanwil Jawa Timur", provinces=("35",)
    ),
    "kanwil_jateng": Account(
        "t-kanwil-jateng", "Kanwil", Role.KANWIL, "Kanwil Jawa Tengah", provinces=("33",)
    ),
    "pemda_blitar": Account(
        "t-pemda-blitar", "Blitar", Role.PEMDA, "Bag. Hukum Kota Blitar", region_code="35.72"
    ),
    "pemda_semarang": Account(
        "t-pemda-semarang", "Semarang", Role.PEMDA, "Bag. Hukum Kota Semarang", region_code="33.74"
    ),
    "pemda_pekalongan": Account(
        "t-pemda-pekalongan", "Pekalongan", Role.PEMDA, "Bag. Hukum", region_code="33.75"
    ),
    "dinkes_blitar": Account(
        "t-dinkes-blitar", "Dinkes", Role.PEMDA, "Dinkes Kota Blitar", "35.72", opd="Dinkes"
    ),
}


async def create_tokens(database_url: str) -> dict[str, dict[str, str]]:
    """Create the accounts straight in PostgreSQL and one bearer token each."""
    async with account_store(database_url) as accounts:
        now = datetime.now(UTC)
        headers = {}
        for name, account in ACCOUNTS.items():
            await accounts.add(account, None, "tests", now)
            _, token = await accounts.issue_token(account.user_id, "tests", None, now)
            headers[name] = {"Authorization": f"Bearer {token}"}
        return headers


def issue_tokens(database_url: str) -> dict[str, dict[str, str]]:
    return asyncio.run(create_tokens(database_url))


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient[Any]]:
    """Acts as the Pemda of Kota Blitar unless a request passes other credentials
    (`AS[...]` headers from the `as_` fixture)."""
    with TestClient(create_app(settings_for(database_url))) as test_client:
        test_client.app.state.tokens = tokens = issue_tokens(database_url)
        test_client.headers.update(tokens["pemda_blitar"])
        yield test_client


@pytest.fixture
def as_(client: TestClient[Any]) -> dict[str, dict[str, str]]:
    """Authorization headers by account name (see ACCOUNTS)."""
    tokens: dict[str, dict[str, str]] = client.app.state.tokens
    return tokens


@pytest.fixture
def count_events(database_url: str) -> Any:
    """How many events the store holds, read straight from PostgreSQL."""

    async def count() -> int:
        conn = await asyncpg.connect(database_url)
        try:
            return int(await conn.fetchval("SELECT count(*) FROM tracker_events"))
        finally:
            await conn.close()

    return lambda: asyncio.run(count())


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@pytest.fixture
def seeded(client: TestClient[Any]) -> dict[str, Any]:
    return seed(client)


def seed(client: TestClient[Any]) -> dict[str, Any]:
    """A forum, a commitment signed by Kota Blitar and Kota Semarang, and one Blitar action,
    each made by the account whose job it is."""
    admin = client.app.state.tokens["admin"]
    forum = ok(client.post("/api/v1/forums", json=FORUM, headers=admin), 201)
    commitment = ok(
        client.post(
            "/api/v1/commitments",
            headers=admin,
            json={
                "forum_id": forum["id"],
                "title": "Komitmen bersama Pemda bidang HAM",
                "made_on": "2025-11-13",
                "signatories": [
                    {"region_code": "35.72", "office": "Wali Kota Blitar"},
                    {"region_code": "33.74", "office": "Wali Kota Semarang"},
                ],
                "rpjmn": [{"pn": "PN1"}],
                "kkp_criteria": [1, 2],
            },
        ),
        201,
    )
    action = ok(
        client.post(
            "/api/v1/actions",
            headers=client.app.state.tokens["pemda_blitar"],
            json={
                "commitment_id": commitment["id"],
                "region_code": "35.72",
                "title": "Pelatihan HAM bagi ASN Pemkot Blitar",
                "owner_opd": "Bagian Hukum Setda",
                "due_on": "2026-12-31",
                "kkp_criterion": 1,
                "rpjmn": [{"pn": "PN1"}],
                "indicator": {
                    "name": "ASN terlatih",
                    "unit": "orang",
                    "baseline": 0,
                    "target": 500,
                },
            },
        ),
        201,
    )
    return {"forum": forum, "commitment": commitment, "action": action}
