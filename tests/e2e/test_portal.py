"""The portal in a real browser: Debian's Chromium driven by Playwright against a real
server (uvicorn on a free port, demo data, real PostgreSQL). Screenshots of every page go to
test-artifacts/screenshots/ so a reviewer can see what a citizen sees."""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.support import account_store, settings_for
from tracker.app import create_app
from tracker.web.live import StreamingServer

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 15_000


@dataclass
class Site:
    base: str
    tokens: dict[str, str]

    def api(self, method: str, path: str, who: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        response = httpx.request(method, self.base + path, headers=headers, timeout=30, **kwargs)
        assert response.status_code < 300, response.text
        return response.json()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _tokens(database_url: str) -> dict[str, str]:
    async with account_store(database_url) as store:
        now = datetime.now(UTC)
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


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_newcomer_finds_blitar_reads_its_progress_and_follows_it(
    site: Site, browser: Browser
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    page.goto(site.base + "/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("h1")).to_be_visible()
    shot(page, "01-nasional")

    search = page.locator("input[name=q]").first
    search.fill("Blitar")
    search.press("Enter")
    page.get_by_role("link", name="Kota Blitar").first.click()
    expect(page).to_have_url(f"{site.base}/wilayah/35.72")
    main = page.locator("main")
    expect(main).to_contain_text("Terverifikasi")
    shot(page, "02-wilayah-kota-blitar")

    atom = page.locator('link[rel=alternate][type="application/atom+xml"]').get_attribute("href")
    assert atom is not None
    feed = feedparser.parse(httpx.get(site.base + atom).text)
    assert feed.bozo == 0 and feed.entries, feed.get("bozo_exception")

    page.locator("main a[href^='/aksi/']", has_text="Pemetaan").first.click()
    fingerprint = hashlib.sha256(b"blitar-pemetaan").hexdigest()  # the demo's evidence
    expect(page.locator("main")).to_contain_text(fingerprint)
    expect(page.locator("main")).not_to_contain_text("wawancara")  # private evidence
    shot(page, "03-aksi")

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    shot(page, "04-action-english")
    page.goto(site.base + "/wilayah/35.72")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the choice is remembered
    page.get_by_role("link", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")

    for path, name in (
        ("/provinsi/35", "05-provinsi-jawa-timur"),
        ("/aksi?kkp=3", "06-papan-aksi"),
        ("/data", "07-data-terbuka"),
    ):
        page.goto(site.base + path)
        expect(page.locator("h1")).to_be_visible()
        shot(page, name)
    page.goto(site.base + "/")
    page.locator("main a[href^='/forum/']").first.click()
    expect(page.locator("h1")).to_be_visible()
    shot(page, "08-forum")


def test_a_verification_appears_live_on_the_region_page(site: Site, browser: Browser) -> None:
    actions = httpx.get(f"{site.base}/api/v1/actions?region=35.72&status=in_progress").json()
    action = actions["items"][0]
    submitted = site.api(
        "POST",
        f"/api/v1/actions/{action['id']}/progress",
        "demo-pemda-3572",
        json={"period": "2026-10", "percent": 100, "narrative": "Laporan uji langsung"},
    )
    report_id = submitted["data"]["reports"][-1]["id"]

    page = browser.new_page()
    page.goto(f"{site.base}/wilayah/35.72?after={submitted['position']}")
    verified = page.locator("main ol.timeline li", has_text="Laporan diverifikasi")
    before = verified.count()
    expect(page.locator("main ol.timeline li").first).to_contain_text("Laporan")
    shot(page, "09-sebelum-verifikasi")

    site.api(
        "POST",
        f"/api/v1/actions/{action['id']}/progress/{report_id}/verification",
        "demo-kanwil-jatim",
        json={"note": "Diverifikasi saat uji"},
    )
    # No reload from the test: the page's own script hears the SSE event and refreshes.
    expect(verified).to_have_count(before + 1, timeout=WAIT_MS)
    expect(page.locator("main ol.timeline li").first).to_contain_text("Laporan diverifikasi")
    shot(page, "10-setelah-verifikasi-langsung")
