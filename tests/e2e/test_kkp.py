"""KKP HAM in a real browser, on a phone: a reader opens the national table for data year
2022, filters it by Kanwil with the keyboard-usable form, follows Kota Pekalongan to its
region page's KKP HAM section, and checks the grid's links lead to the actions behind a
cell. Screenshots go to test-artifacts/screenshots/kkp-*.png."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from tests.e2e.browsing import PHONE, Site, shot, signed_in


def test_a_reader_follows_the_kkp_table_to_pekalongans_grid(site: Site, browser: Browser) -> None:
    reader = browser.new_page(viewport=PHONE)
    reader.goto(f"{site.base}/kkp-ham?tahun=2022")
    expect(reader.get_by_role("heading", level=1)).to_have_text("KKP HAM — tahun data 2022")
    expect(reader.locator(".notice").first).to_contain_text("bukan nilai resmi")
    row = reader.locator("tr", has_text="Kota Pekalongan")
    expect(row).to_contain_text("diverifikasi Kanwil")
    shot(reader, "kkp-01-tabel-2022")

    filters = reader.get_by_role("form", name="Saring tabel KKP HAM")
    reader.get_by_label("Kanwil").select_option(label="Kanwil Jawa Timur")
    filters.get_by_role("button", name="Tampilkan").click()
    expect(reader).to_have_url(re.compile(r"kanwil=35"))
    expect(reader.locator("tr", has_text="Kota Pekalongan")).to_have_count(0)
    reader.get_by_label("Kanwil").select_option(label="Kanwil Jawa Tengah")
    reader.get_by_role("textbox", name="Tahun data").fill("20x2")
    filters.get_by_role("button", name="Tampilkan").click()
    expect(reader.locator("#tahun-error")).to_contain_text("tidak sah")
    reader.get_by_role("textbox", name="Tahun data").fill("2022")
    filters.get_by_role("button", name="Tampilkan").click()

    reader.get_by_role("link", name="Kota Pekalongan").click()
    expect(reader).to_have_url(re.compile(r"/wilayah/33\.75\?tahun=2022"))
    section = reader.locator("section", has=reader.locator("#kkp-judul"))
    expect(section).to_contain_text("Penilaian mandiri: diverifikasi Kanwil")
    expect(section).to_contain_text("Kanwil Kementerian Hukum dan HAM Jawa Tengah (Bidang HAM)")
    history = section.locator("table", has_text="Riwayat penilaian")
    expect(history.locator("tr", has_text="2021")).to_contain_text("Tidak memperoleh predikat")
    shot(reader, "kkp-02-pekalongan-2022")

    # 2022 has no verified work in the tracker (the demo's reports are of 2023): every cell is
    # a gap; 2023's grid links each covered cell to its actions.
    expect(section.locator("td.covered")).to_have_count(0)
    section.get_by_role("textbox", name="Tahun data").fill("2023")
    section.get_by_role("button", name="Tampilkan").click()
    grid = reader.locator("table.kkp-grid")
    links = grid.locator("td.covered a")
    expect(links.first).to_be_visible()
    assert links.count() >= 5
    first = links.first
    title = first.inner_text()
    first.click()
    expect(reader).to_have_url(re.compile(r"/aksi/[0-9a-f-]+$"))
    expect(reader.get_by_role("heading", level=1)).to_have_text(title)
    shot(reader, "kkp-03-aksi-dari-sel")


def test_the_coordinator_submits_the_sheet_and_the_kanwil_returns_it(
    site: Site, browser: Browser
) -> None:
    """Kota Pekalongan's Bagian Hukum answers data year 2023 on a phone, is refused beside the
    indicator for a bad evidence link, submits; the Kanwil Jawa Tengah returns it with a
    reason; the coordinator finds the reason and the sheet as it was sent."""
    pemda = signed_in(browser, site, "demo-pemda-3375", phone=True)
    pemda.locator(".worknav").get_by_role("link", name="KKP HAM").click()
    pemda.get_by_role("textbox", name="Tahun data").fill("2023")
    pemda.get_by_role("button", name="Tampilkan").click()
    expect(pemda.get_by_role("heading", level=1)).to_have_text("Penilaian mandiri KKP HAM · 2023")
    pemda.get_by_role("button", name="Buka penilaian mandiri tahun data 2023").click()
    sheet = pemda.locator("form.kkp-sheet")
    expect(sheet).to_be_visible()
    box = sheet.locator("input[type=checkbox][name^='act-']").first
    indicator = (box.get_attribute("name") or "").split("-")[1]
    pemda.locator(f"[id='ans-{indicator}']").select_option(label="Terpenuhi")
    box.check()
    pemda.locator(f"[id='evurl-{indicator}']").fill("ftp://arsip.pekalongan/perwal")
    pemda.locator(f"[id='evtitle-{indicator}']").fill("Perwal 2023")
    pemda.get_by_role("button", name="Ajukan penilaian mandiri ke Kanwil").click()
    expect(pemda.locator(f"[id='ans-{indicator}-error']")).to_be_visible()
    expect(pemda.locator(".error-summary")).to_be_visible()
    shot(pemda, "kkp-04-lembar-ditolak")
    pemda.locator(f"[id='evurl-{indicator}']").fill("https://jdih.pekalongankota.go.id/perwal")
    pemda.get_by_role("button", name="Ajukan penilaian mandiri ke Kanwil").click()
    expect(pemda.get_by_text("diajukan, menunggu verifikasi Kanwil")).to_be_visible()
    expect(pemda.get_by_role("link", name="Perwal 2023")).to_be_visible()

    kanwil = signed_in(browser, site, "demo-kanwil-jateng")
    kanwil.goto(f"{site.base}/kerja/kkp-ham?tahun=2023")
    kanwil.get_by_role("link", name="Kota Pekalongan").click()
    back = kanwil.get_by_role("button", name="Kembalikan ke Pemda")
    back.click()
    expect(kanwil.locator("#reason-error")).to_be_visible()
    kanwil.get_by_label("Alasan pengembalian").fill("Lampirkan SK tim KKP HAM")
    kanwil.get_by_role("button", name="Kembalikan ke Pemda").click()
    expect(kanwil.get_by_text("dikembalikan Kanwil").first).to_be_visible()
    shot(kanwil, "kkp-05-dikembalikan")

    pemda.goto(f"{site.base}/kerja/kkp-ham?tahun=2023")
    expect(pemda.get_by_role("status")).to_contain_text("Lampirkan SK tim KKP HAM")
    expect(pemda.locator(f"[id='ans-{indicator}']")).to_have_value("met")
    expect(pemda.locator(f"input[name='{box.get_attribute('name')}']")).to_be_checked()
    shot(pemda, "kkp-06-lembar-kembali")
