from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import asyncpg
import pytest
from litestar.testing import TestClient

from tracker.api.app import create_app
from tracker.container import Container

FORUM = {
    "kind": "rakernas",
    "title": "Rapat Kerja Pemerintah Daerah bidang HAM",
    "organisers": ["Kementerian HAM"],
    "host_region_code": "61.72",
    "starts_on": "2025-11-13",
    "ends_on": "2025-11-13",
    "theme": "Pemerintah Daerah dan HAM: Dari Komitmen ke Implementasi",
}


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(Container(database_url))) as test_client:
        yield test_client


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
    """A forum, a commitment signed by Kota Blitar and Kota Semarang, and one Blitar action."""
    forum = ok(client.post("/api/v1/forums", json=FORUM), 201)
    commitment = ok(
        client.post(
            "/api/v1/commitments",
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
