"""The workspace journey in a real browser, as issue 12 describes it: a Kota Blitar Pemda
officer signs in, plans an action, saves a report as a draft with a PDF, comes back and
submits it; the Kanwil Jawa Timur verifier returns it from the queue with a reason; the
officer reads the reason and resubmits; the verifier verifies. The public action page then
shows *Terverifikasi* and the file's fingerprint, and the downloaded file has that SHA-256.
Kota Semarang's Pemda is refused on every one of these pages and writes nothing.
Screenshots go to test-artifacts/screenshots/kerja-*.png."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import httpx
from playwright.sync_api import Browser, expect

from tests.e2e.browsing import PHONE, Site, shot, signed_in

TITLE = "Sosialisasi HAM di sekolah dasar"
PDF = b"%PDF-1.4\n% Daftar hadir sosialisasi HAM, SD Negeri Sananwetan 1\n" + bytes(range(256))


def _head(site: Site) -> int:
    return int(httpx.get(site.base + "/ready").json()["head_position"])


def test_report_draft_upload_return_resubmit_verify(
    site: Site, browser: Browser, tmp_path: Path
) -> None:
    pdf = tmp_path / "daftar-hadir.pdf"
    pdf.write_bytes(PDF)
    sha = hashlib.sha256(PDF).hexdigest()

    # The Pemda officer, on a phone: home, plan an action.
    pemda = signed_in(browser, site, "demo-pemda-3572", phone=True)
    expect(pemda.locator(".who")).to_contain_text("Kota Blitar")
    shot(pemda, "kerja-01-beranda-pemda")
    pemda.get_by_role("link", name="Rencanakan aksi baru").click()
    pemda.get_by_label("Komitmen").select_option(index=1)
    pemda.get_by_label("Judul aksi").fill(TITLE)
    pemda.get_by_label("OPD penanggung jawab").fill("Dinas Pendidikan")
    pemda.get_by_label("Tenggat").fill("2027-06-30")
    shot(pemda, "kerja-02-rencana-aksi")
    pemda.get_by_role("button", name="Rencanakan aksi").click()
    row = pemda.locator("tr", has_text=TITLE)
    expect(row).to_be_visible()

    # A draft with the PDF, then back to it, then submitted.
    row.get_by_role("link", name="Laporkan kemajuan").click()
    action_id = pemda.url.split("/kerja/aksi/")[1].split("/")[0]
    pemda.get_by_label("Periode").fill("2026-B12")
    pemda.get_by_label("Persen").fill("40")
    pemda.get_by_label("Uraian").fill("Sosialisasi di 12 SD; daftar hadir terlampir.")
    pemda.get_by_label("Unggah berkas bukti").set_input_files(str(pdf))
    pemda.get_by_role("button", name="Simpan sebagai draf").click()
    drafts = pemda.locator("section[aria-labelledby=draf]")
    expect(drafts).to_contain_text(TITLE)
    shot(pemda, "kerja-03-draf-tersimpan")
    drafts.get_by_role("link", name="Lanjutkan draf").click()
    expect(pemda.get_by_label("Uraian")).to_have_value(
        "Sosialisasi di 12 SD; daftar hadir terlampir."
    )
    expect(pemda.locator("form.work")).to_contain_text(sha)
    shot(pemda, "kerja-04-lanjutkan-draf")
    pemda.get_by_role("button", name="Kirim laporan").click()
    expect(pemda.locator("section[aria-labelledby=draf]")).to_have_count(0)

    # The verifier returns it from the queue, with a reason.
    kanwil = signed_in(browser, site, "demo-kanwil-jatim")
    queued = kanwil.locator("tr", has_text=TITLE)
    expect(queued).to_be_visible()
    shot(kanwil, "kerja-05-antrean-kanwil")
    queued.get_by_role("link", name="Tinjau").click()
    review_url = kanwil.url
    expect(kanwil.locator("main")).to_contain_text(sha)
    file_link = kanwil.get_by_role("link", name="daftar-hadir.pdf")
    href = file_link.get_attribute("href")
    assert href is not None
    opened = kanwil.request.get(site.base + href)
    assert opened.status == 200 and opened.headers["content-type"] == "application/pdf"
    kanwil.get_by_label("Alasan pengembalian").select_option("insufficient_evidence")
    kanwil.get_by_label("Catatan pemeriksa").fill("Lampirkan foto kegiatan per sekolah.")
    shot(kanwil, "kerja-06-tinjau-laporan")
    kanwil.get_by_role("button", name="Kembalikan").click()
    expect(kanwil.locator("tr", has_text=TITLE)).to_have_count(0)

    # The officer reads the reason and resubmits.
    pemda.goto(site.base + "/kerja")
    returned = pemda.locator("section[aria-labelledby=dikembalikan] li", has_text=TITLE)
    expect(returned).to_contain_text("Lampirkan foto kegiatan per sekolah.")
    shot(pemda, "kerja-07-dikembalikan")
    returned.get_by_role("link", name="Perbaiki dan kirim ulang").click()
    pemda.get_by_label("Uraian").fill("Sosialisasi di 12 SD; daftar hadir dan foto terlampir.")
    pemda.get_by_label("Unggah berkas bukti").set_input_files(str(pdf))
    pemda.get_by_role("button", name="Kirim laporan").click()
    expect(pemda).to_have_url(re.compile(r"/kerja\?after="))

    # The verifier verifies.
    kanwil.goto(review_url)
    kanwil.get_by_label("Catatan pemeriksa").fill("Sesuai.")
    kanwil.get_by_role("button", name="Verifikasi").click()
    expect(kanwil).to_have_url(re.compile(r"/kerja\?after="))

    # Another region's Pemda: a 403 page on every one of these pages, nothing written.
    semarang = signed_in(browser, site, "demo-pemda-3374")
    before = _head(site)
    report_path = review_url.split("/kerja/tinjau/")[1]
    for path in (
        f"/kerja/aksi/{action_id}/laporan",
        f"/kerja/aksi/{action_id}/ubah",
        f"/kerja/aksi/{action_id}/selesai",
        f"/kerja/tinjau/{report_path}",
    ):
        answered = semarang.goto(site.base + path)
        assert answered is not None and answered.status == 403, path
        expect(semarang.locator("main")).to_contain_text("Tidak diizinkan")
    csrf = semarang.locator("input[name=csrf_token]").first.get_attribute("value")
    assert csrf
    forged = semarang.request.post(
        f"{site.base}/kerja/aksi/{action_id}/laporan",
        form={"csrf_token": csrf, "period": "2026-B12", "percent": "90", "narrative": "Bukan"},
        max_redirects=0,
    )
    assert forged.status == 403
    shot(semarang, "kerja-08-ditolak-daerah-lain")
    assert _head(site) == before

    # The public page: verified, with the file's fingerprint, which the download matches.
    public = browser.new_page(viewport=PHONE)
    public.goto(f"{site.base}/aksi/{action_id}")
    main = public.locator("main")
    expect(main).to_contain_text("Terverifikasi")
    expect(main).to_contain_text(sha)
    shot(public, "kerja-09-publik-terverifikasi")
    link = public.locator(f"main a[href$='{sha}']").first.get_attribute("href")
    assert link is not None
    downloaded = httpx.get(site.base + link)
    assert downloaded.status_code == 200
    assert hashlib.sha256(downloaded.content).hexdigest() == sha


def test_a_pemda_checks_and_applies_a_progress_sheet(
    site: Site, browser: Browser, tmp_path: Path
) -> None:
    """Kota Blitar's officer downloads the progress template (its open actions listed), fills
    one row, checks the file (a dry run), applies it, and sees the batch once."""
    pemda = signed_in(browser, site, "demo-pemda-3572", phone=True)
    pemda.locator(".worknav").get_by_role("link", name="Impor").click()
    expect(pemda.get_by_role("heading", level=1)).to_have_text("Impor lembar kerja")
    link = pemda.get_by_role("link", name="CSV").nth(1)  # the progress template
    template = httpx.get(site.base + (link.get_attribute("href") or ""), timeout=30)
    lines = template.content.decode("utf-8-sig").splitlines()
    assert len(lines) > 1, "the region's open actions are listed"
    action_id = lines[1].split(",")[0]
    sheet = tmp_path / "laporan-2026-B12.csv"
    sheet.write_text(f"{lines[0]}\n{action_id},,,,2026-B12,55,,Diimpor dari lembar kerja,,\n")
    pemda.get_by_label("Berkas (.xlsx atau .csv, paling besar 10 MB)").set_input_files(str(sheet))
    pemda.get_by_role("button", name="Periksa (uji coba)").click()
    expect(pemda.get_by_text("1 baris siap diterapkan")).to_be_visible()
    shot(pemda, "kerja-impor-01-diperiksa")
    pemda.get_by_role("button", name="Terapkan 1 baris").click()
    expect(pemda.get_by_role("status")).to_contain_text("Diterapkan: 1 baris")
    shot(pemda, "kerja-impor-02-diterapkan")
    report = site.api("GET", f"/api/v1/actions/{action_id}", "demo-pemda-3572")
    assert any(r["narrative"] == "Diimpor dari lembar kerja" for r in report["reports"])


def test_the_pemda_reads_its_reminders_and_what_is_due(site: Site, browser: Browser) -> None:
    """On a phone: Kota Blitar's coordinator opens the inbox from the workspace menu, finds
    the notice of its returned 2025-B12 report and follows it to the action; the schedule
    page lists what is late, and the 2026 table marks the B08 due day the ministry moved."""
    page = signed_in(browser, site, "demo-pemda-3572", phone=True)
    menu = page.get_by_role("navigation", name="Ruang kerja")
    menu.get_by_role("link", name="Kotak masuk").click()
    expect(page).to_have_url(re.compile(r"/kerja/kotak-masuk"))
    returned = page.locator("li.reminder", has_text="Laporan 2025-B12 dikembalikan")
    expect(returned).to_have_count(1)
    expect(page.locator("li.reminder", has_text="terlambat").first).to_be_visible()
    shot(page, "inbox-01-kotak-masuk")
    returned.get_by_role("link", name="Perbaiki dan ajukan ulang").click()
    expect(page).to_have_url(re.compile(r"/kerja/aksi/[0-9a-f-]+/laporan/[0-9a-f-]+/ulang"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(site.base + "/kerja/jadwal?tahun=2026")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jadwal pelaporan dan tenggat")
    expect(page.locator("tr", has_text="2026-B08").locator(".badge")).to_have_text("diubah")
    expect(page.locator("span.due-late").first).to_be_visible()
    shot(page, "inbox-02-jadwal")
