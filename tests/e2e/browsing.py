"""What the browser journeys share besides fixtures: where Chromium and the screenshots are,
the running site's address with a little API client, signing in, and taking a screenshot."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, BrowserContext, Page, expect

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
PHONE = {"width": 390, "height": 844}
PASSWORD = "kata-sandi-uji-e2e"  # set on the demo accounts the journeys sign in with


@dataclass
class Site:
    base: str
    tokens: dict[str, str]

    def api(self, method: str, path: str, who: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        response = httpx.request(method, self.base + path, headers=headers, timeout=30, **kwargs)
        assert response.status_code < 300, response.text
        return response.json()


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def signed_in(browser: Browser, site: Site, user: str, phone: bool = False) -> Page:
    context: BrowserContext = browser.new_context(viewport=PHONE if phone else None)
    page = context.new_page()
    page.goto(site.base + "/kerja")  # not signed in: sent to the sign-in page, then back
    expect(page).to_have_url(re.compile(r"/masuk\?next=%2Fkerja"))
    page.get_by_label("Nama pengguna").fill(user)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(r"/kerja"))
    expect(page.locator(".who")).to_contain_text(user)
    return page
