"""The browser tests' shared parts: a real server (uvicorn on a free port, demo data, real
PostgreSQL) and Debian's Chromium driven by Playwright; screenshots of every page go to
test-artifacts/screenshots/ (kept as CI artifacts)."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, sync_playwright

from adapters.passwords import Argon2Hasher
from tests.e2e.browsing import CHROMIUM, FLAGS, PASSWORD, SHOTS, Site
from tests.support import account_store, settings_for
from tracker.app import create_app
from tracker.web.live import StreamingServer


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


SIGNING_IN = (
    "demo-pemda-3572",
    "demo-pemda-3374",
    "demo-kanwil-jatim",
    "demo-pemda-3375",
    "demo-kanwil-jateng",
)


async def _tokens(database_url: str) -> dict[str, str]:
    """Tokens for the API calls a test makes, and a known password for the sign-in pages."""
    async with account_store(database_url) as store:
        now = datetime.now(UTC)
        hashed = Argon2Hasher().hash(PASSWORD)
        for user in SIGNING_IN:
            await store.set_password_hash(user, hashed)
        return {
            user: (await store.issue_token(user, "e2e", None, now))[1]
            for user in ("demo-pemda-3572", "demo-kanwil-jatim")
        }


@pytest.fixture
def site(database_url: str) -> Iterator[Site]:
    port = _free_port()
    app = create_app(settings_for(database_url, demo=True))
    server = StreamingServer(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = datetime.now(UTC).timestamp() + 60
    while not server.started:  # uvicorn sets it once the app's start-up (demo load) is done
        assert datetime.now(UTC).timestamp() < deadline, "server did not start"
        thread.join(0.05)
    head = httpx.get(f"{base}/ready").json()["head_position"]
    httpx.get(f"{base}/api/v1/actions?after={head}", timeout=30).raise_for_status()
    try:
        yield Site(base, asyncio.run(_tokens(database_url)))
    finally:
        server.should_exit = True
        thread.join(30)


@pytest.fixture
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "run tests/e2e/install-browser.sh (Debian's chromium)"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield launched
        finally:
            launched.close()
