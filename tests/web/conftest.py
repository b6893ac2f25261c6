"""Shared by the portal tests: one demo-loaded application per test module, on a database
of its own, with its read models caught up."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from litestar.testing import TestClient

from tests.api.conftest import ok
from tests.support import settings_for
from tracker.app import create_app


def run_sql(url: str, sql: str, *args: Any) -> list[Any]:
    async def run() -> list[Any]:
        conn = await asyncpg.connect(url)
        try:
            return list(await conn.fetch(sql, *args))
        finally:
            await conn.close()

    return asyncio.run(run())


class Demo:
    def __init__(self, client: TestClient[Any], url: str) -> None:
        self.client = client
        self.url = url

    def sql(self, sql: str, *args: Any) -> list[Any]:
        return run_sql(self.url, sql, *args)


@pytest.fixture(scope="module")
def demo(postgres_server_url: str, request: pytest.FixtureRequest) -> Iterator[Demo]:
    """One demo-loaded application for the module, its read models caught up."""
    module = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    name = f"t_{module}_{uuid.uuid4().hex[:12]}"
    url = urlunsplit(urlsplit(postgres_server_url)._replace(path=f"/{name}"))
    run_sql(postgres_server_url, f'CREATE DATABASE "{name}"')
    try:
        with TestClient(create_app(settings_for(url, demo=True))) as client:
            head = client.get("/ready").json()["head_position"]  # 200 or 503 (catching up)
            ok(client.get(f"/api/v1/national?after={head}"))
            yield Demo(client, url)
    finally:
        run_sql(postgres_server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
