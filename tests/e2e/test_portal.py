"""The portal in a real browser: Debian's Chromium driven by Playwright against a real
server (uvicorn on a free port, demo data, real PostgreSQL). Screenshots of every page go to
test-artifacts/screenshots/ so a reviewer can see what a citizen sees."""

from __future__ import annotations

import hashlib

import feedparser
import httpx
from playwright.sync_api import Browser, expect

from tests.e2e.browsing import WAIT_MS, Site, shot


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


def test_a_journalist_reads_semarang_as_it_stood_on_a_past_day(
    site: Site, browser: Browser
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site.base + "/wilayah/33.74")
    picker = page.get_by_role("textbox", name="Keadaan pada tanggal")
    picker.fill("2023-01-31")  # a date input is typed into with the keyboard alone
    picker.press("Enter")
    expect(page).to_have_url(f"{site.base}/wilayah/33.74?pada=2023-01-31")
    note = page.locator(".as-of-note")
    expect(note).to_contain_text("31 Jan 2023 (WIB)")
    expect(page.locator("body")).not_to_have_attribute("data-live-region", "33.74")
    shot(page, "11-wilayah-pada-tanggal")
    page.get_by_role("link", name="Kembali ke hari ini").click()
    expect(page.locator(".as-of-note")).to_have_count(0)


def test_a_verification_appears_live_on_the_region_page(site: Site, browser: Browser) -> None:
    actions = httpx.get(f"{site.base}/api/v1/actions?region=35.72&status=in_progress").json()
    action = actions["items"][0]
    submitted = site.api(
        "POST",
        f"/api/v1/actions/{action['id']}/progress",
        "demo-pemda-3572",
        json={"period": "2026-B12", "percent": 100, "narrative": "Laporan uji langsung"},
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
