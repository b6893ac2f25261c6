"""On PostgreSQL: a run under an Idempotency-Key whose process died after its events were
stored (the claim left without an answer) is never run again. Within the lease a retry is
told to wait; after it, that the first run was stored (409 `idempotency-key-applied`)."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
from litestar.testing import TestClient

from tests.api.conftest import FORUM, ok

KEY = "7d2f0c9e-4b7a-4f7e-9a51-3a1e2c9b8d40"


def _sql(database_url: str, statement: str, *args: Any) -> Any:
    async def run() -> Any:
        conn = await asyncpg.connect(database_url)
        try:
            return await conn.fetch(statement, *args)
        finally:
            await conn.close()

    return asyncio.run(run())


def test_a_stored_run_that_died_before_answering_is_not_run_again(
    client: TestClient[Any], as_: dict[str, dict[str, str]], database_url: str, count_events: Any
) -> None:
    headers = {**as_["admin"], "Idempotency-Key": KEY}
    ok(client.post("/api/v1/forums", json=FORUM, headers=headers), 201)
    applied = _sql(database_url, "SELECT account FROM idem.applied WHERE key = $1", KEY)
    assert [row["account"] for row in applied] == ["t-admin"]  # written with the events
    before = count_events()
    # What kill -9 between the commit and the answer leaves: the claim, with no answer.
    _sql(
        database_url,
        "UPDATE idem.request SET status = NULL, headers = NULL, body = NULL WHERE key = $1",
        KEY,
    )
    waiting = client.post("/api/v1/forums", json=FORUM, headers=headers)
    assert waiting.status_code == 409 and waiting.headers["retry-after"] == "1"
    assert waiting.json()["code"] == "idempotency-key-in-use"
    _sql(  # the lease runs out
        database_url,
        "UPDATE idem.request SET created_at = created_at - interval '1 hour' WHERE key = $1",
        KEY,
    )
    told = client.post("/api/v1/forums", json=FORUM, headers=headers)
    assert told.status_code == 409 and "retry-after" not in told.headers
    assert told.json()["code"] == "idempotency-key-applied"
    assert count_events() == before
