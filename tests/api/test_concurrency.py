"""Many writers, one If-Match: exactly one wins, the rest get 412 and write nothing."""

from __future__ import annotations

import asyncio
from typing import Any

from litestar.testing import AsyncTestClient

from tests.api.conftest import create_tokens
from tests.support import settings_for
from tracker.app import create_app


def test_concurrent_writes_with_same_if_match(database_url: str) -> None:
    async def scenario() -> tuple[list[int], int, dict[str, Any]]:
        async with AsyncTestClient(create_app(settings_for(database_url))) as client:
            tokens = await create_tokens(database_url)
            client.headers.update(tokens["pemda_blitar"])
            forum = (
                await client.post(
                    "/api/v1/forums",
                    headers=tokens["admin"],
                    json={
                        "kind": "fgd",
                        "title": "FGD KKP HAM",
                        "organisers": ["Bagian Hukum"],
                        "host_region_code": "35.72",
                        "starts_on": "2023-06-21",
                        "ends_on": "2023-06-21",
                    },
                )
            ).json()
            commitment = (
                await client.post(
                    "/api/v1/commitments",
                    headers=tokens["admin"],
                    json={
                        "forum_id": forum["id"],
                        "title": "Predikat Peduli HAM",
                        "made_on": "2023-06-21",
                        "signatories": [{"region_code": "35.72", "office": "Wali Kota"}],
                    },
                )
            ).json()
            action = (
                await client.post(
                    "/api/v1/actions",
                    json={
                        "commitment_id": commitment["id"],
                        "region_code": "35.72",
                        "title": "Kuesioner kriteria 5",
                        "owner_opd": "Dindukcapil",
                        "due_on": "2023-12-31",
                    },
                )
            ).json()
            url = f"/api/v1/actions/{action['id']}/progress"

            async def write(n: int) -> int:
                response = await client.post(
                    url,
                    json={"period": f"2023-{n + 1:02d}", "percent": n, "narrative": f"writer {n}"},
                    headers={"If-Match": '"1"'},
                )
                return response.status_code

            statuses = await asyncio.gather(*(write(n) for n in range(12)))
            final = (await client.get(f"/api/v1/actions/{action['id']}")).json()
            history = (await client.get(f"/api/v1/actions/{action['id']}/history")).json()
            return list(statuses), len(history["items"]), final

    statuses, events, final = asyncio.run(scenario())
    assert sorted(statuses) == [201] + [412] * 11
    assert len(final["reports"]) == 1
    # planned + started + one report: the losers left nothing behind.
    assert events == 3
    assert final["version"] == 3
