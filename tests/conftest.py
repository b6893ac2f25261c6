"""Real PostgreSQL for every test that needs one: the embedded server started once per
session (or TRACKER_TEST_DATABASE_URL), and a fresh database per test."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

SERVER_FIXTURES = frozenset({"postgres_server_url", "nats_server_url"})
SERVER_FOLDERS = ("integration", "e2e")  # start servers themselves (subprocesses, browsers)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Whatever needs a real PostgreSQL or NATS is `integration`, so that
    `pytest -m "not integration"` starts neither."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        folder = item.path.parent.name
        if fixtures & SERVER_FIXTURES or folder in SERVER_FOLDERS:
            item.add_marker(pytest.mark.integration)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _external_or_embedded(env_var: str, server_class: Any, directory: Path) -> Iterator[str]:
    """The server named by `env_var`, or an embedded one for the whole session."""
    external = os.environ.get(env_var)
    if external:
        yield external
        return
    server = server_class(directory)
    url = server.start()
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from adapters.embedded import EmbeddedPostgres

    directory = Path(tmp_path_factory.mktemp("pg")) / "postgres"
    yield from _external_or_embedded("TRACKER_TEST_DATABASE_URL", EmbeddedPostgres, directory)


@contextlib.contextmanager
def _fresh_database(server_url: str) -> Iterator[str]:
    """A database of its own on the session's server, dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(server_url)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        yield _with_database(server_url, name)
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def database_url(postgres_server_url: str) -> Iterator[str]:
    """A database of its own for each test, dropped afterwards."""
    with _fresh_database(postgres_server_url) as url:
        yield url


@pytest.fixture
def second_database(postgres_server_url: str) -> Iterator[str]:
    """Another empty database on the same server (a copy, a restore, a comparison)."""
    with _fresh_database(postgres_server_url) as url:
        yield url


@pytest.fixture(scope="session")
def nats_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real NATS server with JetStream (or TRACKER_TEST_NATS_URL)."""
    from adapters.embedded import EmbeddedNats

    directory = Path(tmp_path_factory.mktemp("nats")) / "nats"
    yield from _external_or_embedded("TRACKER_TEST_NATS_URL", EmbeddedNats, directory)


@pytest.fixture
def fresh_stream(nats_server_url: str) -> None:
    """Each test starts without the event streams or their consumers."""
    import nats
    from nats.js.errors import NotFoundError

    from adapters.messages import CHANNELS

    async def drop() -> None:
        nc = await nats.connect(nats_server_url)
        try:
            for channel in CHANNELS:
                with contextlib.suppress(NotFoundError):
                    await nc.jetstream().delete_stream(channel.stream)
        finally:
            await nc.close()

    asyncio.run(drop())
