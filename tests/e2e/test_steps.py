"""Steps and weights in a real browser: a Kota Blitar officer plans a weighted action, splits
it into two steps from the workspace (a weight out of range is refused beside its field, what
was typed is kept), reports on one step choosing it from the list, and the public action page
shows each step with its owner, share and figures. Screenshots go to
test-artifacts/screenshots/tahapan-*.png."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from tests.e2e.browsing import PHONE, Site, shot, signed_in

TITLE = "Layanan ramah anak di puskesmas"


def test_an_officer_splits_an_action_into_weighted_steps_and_reports_one(
    site: Site, browser: Browser
) -> None:
    pemda = signed_in(browser, site, "demo-pemda-3572", phone=True)
    assert pemda.viewport_size == PHONE
    pemda.get_by_role("link", name="Rencanakan aksi baru").click()
    pemda.get_by_label("Komitmen").select_option(index=1)
    pemda.get_by_label("Judul aksi").fill(TITLE)
    pemda.get_by_label("OPD penanggung jawab").fill("Dinas Kesehatan")
    pemda.get_by_label("Bobot", exact=True).fill("2")
    pemda.get_by_label("Tenggat").fill("2027-06-30")
    pemda.get_by_role("button", name="Rencanakan aksi").click()
    row = pemda.locator("tr", has_text=TITLE)
    expect(row).to_be_visible()

    row.get_by_role("link", name="Tambah tahapan").click()
    pemda.get_by_label("Tahapan").fill("Pelatihan tenaga kesehatan")
    pemda.get_by_label("OPD penanggung jawab").fill("Dinas Kesehatan")
    pemda.get_by_label("Tenggat").fill("2027-01-31")
    pemda.get_by_label("Bobot (porsi)").fill("0")
    pemda.get_by_role("button", name="Simpan").click()
    error = pemda.locator("#weight-error")
    expect(error).to_contain_text("1–100")
    expect(pemda.get_by_label("Tahapan")).to_have_value("Pelatihan tenaga kesehatan")
    shot(pemda, "tahapan-01-bobot-ditolak")
    pemda.get_by_label("Bobot (porsi)").fill("1")
    pemda.get_by_role("button", name="Simpan").click()
    expect(pemda).to_have_url(re.compile(r"/aksi/[0-9a-f-]+\?after="))
    action_url = pemda.url.split("?")[0]
    action_id = action_url.rsplit("/", 1)[1]

    pemda.goto(f"{site.base}/kerja/aksi/{action_id}/tahapan")
    pemda.get_by_label("Tahapan").fill("Ruang tunggu ramah anak")
    pemda.get_by_label("OPD penanggung jawab").fill("DPMPPA")
    pemda.get_by_label("Tenggat").fill("2027-06-30")
    pemda.get_by_label("Bobot (porsi)").fill("3")
    pemda.get_by_role("button", name="Simpan").click()
    expect(pemda).to_have_url(re.compile(r"/aksi/[0-9a-f-]+\?after="))

    pemda.goto(f"{site.base}/kerja/aksi/{action_id}/laporan")
    pemda.get_by_label("Tahapan").select_option(
        label="Pelatihan tenaga kesehatan · Dinas Kesehatan"
    )
    pemda.get_by_label("Periode").fill("2026-B12")
    pemda.get_by_label("Persen").fill("80")
    pemda.get_by_label("Uraian").fill("24 tenaga kesehatan dilatih.")
    pemda.get_by_label("Tautan bukti").fill("https://jdih.example.go.id/dokumen/pelatihan.pdf")
    shot(pemda, "tahapan-02-laporan-tahapan")
    pemda.get_by_role("button", name="Kirim laporan").click()
    expect(pemda).to_have_url(re.compile(r"/kerja\?after="))

    pemda.goto(action_url)
    steps = pemda.locator("table.steps")
    expect(steps).to_contain_text("Pelatihan tenaga kesehatan")
    expect(steps).to_contain_text("DPMPPA")
    expect(steps.locator("tr", has_text="Ruang tunggu")).to_contain_text("75%")
    # claimed: (1 × 80 + 3 × 0) / 4 = 20 %, nothing verified yet
    expect(pemda.locator("dl.facts")).to_contain_text("20%")
    expect(pemda.locator("table.reports")).to_contain_text("Pelatihan tenaga kesehatan")
    shot(pemda, "tahapan-03-halaman-aksi")
