"""Bahasa Indonesia first, English on request: `?lang=en` switches and a cookie remembers.

Every user-facing string of the portal has both languages here; templates call `t(key)`.
A missing key is an error in tests, never an empty string on a page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tracker.web import pages_texts

Translate = Callable[..., str]  # t(key, **values) -> text in the chosen language

LANGUAGES = ("id", "en")
DEFAULT = "id"
COOKIE = "lang"

TEXTS: dict[str, tuple[str, str]] = {
    "site.name": ("Pelacak Komitmen HAM Pemda", "Regional Human-Rights Commitment Tracker"),
    "site.tagline": (
        "Dari komitmen ke implementasi: apa yang dijanjikan pemerintah daerah, dan sejauh mana "
        "sudah dikerjakan.",
        "From commitment to implementation: what regional governments promised, and how far "
        "they got.",
    ),
    "nav.national": ("Nasional", "National"),
    "nav.actions": ("Aksi", "Actions"),
    "nav.data": ("Data terbuka", "Open data"),
    "nav.sign_in": ("Masuk", "Sign in"),
    "nav.skip": ("Langsung ke isi", "Skip to content"),
    "lang.switch": ("English", "Bahasa Indonesia"),
    "footer.sources": (
        "Kode wilayah Kepmendagri dari cahyadsn/wilayah (MIT). Angka kemajuan adalah laporan "
        "Pemda; hanya yang ditandai terverifikasi telah diperiksa Kanwil Kementerian HAM.",
        "Region codes (Kepmendagri) from cahyadsn/wilayah (MIT). Progress figures are reported "
        "by the Pemda; only those marked verified were checked by a Kanwil of Kementerian HAM.",
    ),
    "status.planned": ("Direncanakan", "Planned"),
    "status.in_progress": ("Berjalan", "In progress"),
    "status.completed": ("Selesai (belum diverifikasi)", "Completed (not verified)"),
    "status.verified": ("Selesai dan terverifikasi", "Completed and verified"),
    "status.cancelled": ("Dibatalkan", "Cancelled"),
    "report.submitted": ("Belum diverifikasi", "Not verified yet"),
    "report.resubmitted": ("Diajukan ulang, belum diverifikasi", "Resubmitted, not verified yet"),
    "report.returned": ("Dikembalikan", "Returned"),
    "report.verified": ("Terverifikasi", "Verified"),
    # Feeds (tracker/web/feeds.py): one title per event type, {title} is the record's title.
    "feed.event.ForumConvened": ("Forum diselenggarakan: {title}", "Forum convened: {title}"),
    "feed.event.ForumCorrected": ("Data forum dikoreksi: {title}", "Forum corrected: {title}"),
    "feed.event.CommitmentMade": ("Komitmen dibuat: {title}", "Commitment made: {title}"),
    "feed.event.CommitmentAmended": ("Komitmen diubah: {title}", "Commitment amended: {title}"),
    "feed.event.CommitmentWithdrawn": (
        "Komitmen ditarik: {title}",
        "Commitment withdrawn: {title}",
    ),
    "feed.event.ActionPlanned": ("Aksi direncanakan: {title}", "Action planned: {title}"),
    "feed.event.ActionStarted": ("Aksi dimulai: {title}", "Action started: {title}"),
    "feed.event.ActionRescheduled": (
        "Tenggat aksi diubah: {title}",
        "Action rescheduled: {title}",
    ),
    "feed.event.ActionCompleted": (
        "Aksi dilaporkan selesai: {title}",
        "Action reported completed: {title}",
    ),
    "feed.event.ActionVerified": (
        "Penyelesaian aksi diverifikasi: {title}",
        "Action completion verified: {title}",
    ),
    "feed.event.ActionCancelled": ("Aksi dibatalkan: {title}", "Action cancelled: {title}"),
    "feed.event.ProgressReportSubmitted": (
        "Laporan kemajuan diajukan: {title}",
        "Progress report submitted: {title}",
    ),
    "feed.event.ProgressReportVerified": (
        "Laporan kemajuan diverifikasi: {title}",
        "Progress report verified: {title}",
    ),
    "feed.event.ProgressReportReturned": (
        "Laporan kemajuan dikembalikan: {title}",
        "Progress report returned: {title}",
    ),
    "feed.event.ProgressReportResubmitted": (
        "Laporan kemajuan diajukan ulang: {title}",
        "Progress report resubmitted: {title}",
    ),
    "feed.event.other": ("{type}: {title}", "{type}: {title}"),
    "feed.role.pemda": ("Pemda", "regional government"),
    "feed.role.kanwil": ("Kanwil", "ministry regional office"),
    "feed.role.admin": ("admin pusat", "central administrator"),
    "feed.role.system": ("Sistem", "System"),
    "feed.summary": (
        "{what}. Oleh {office} ({role}) pada {at}. Wilayah: {places}.",
        "{what}. By {office} ({role}) on {at}. Regions: {places}.",
    ),
    "feed.scope.national": ("Kegiatan nasional", "National activity"),
    "feed.scope.province": ("Kegiatan {name}", "Activity in {name}"),
    "feed.scope.region": ("Kegiatan {name}", "Activity in {name}"),
    "feed.scope.forum": ("Forum: {title}", "Forum: {title}"),
    "feed.scope.action": ("Aksi: {title}", "Action: {title}"),
    "feed.description": (
        "Peristiwa terbaru: komitmen, aksi, laporan kemajuan dan verifikasinya (data publik).",
        "Latest events: commitments, actions, progress reports and their verification "
        "(public data).",
    ),
    # Open data (tracker/web/opendata.py, templates/data.html).
    "data.title": ("Data terbuka", "Open data"),
    "data.intro": (
        "Semua data publik pelacak ini dapat diunduh sebagai CSV (RFC 4180, UTF-8, baris "
        "judul) atau JSON, dan dipakai ulang dengan menyebut sumbernya. Isinya sama dengan yang "
        "tampil di portal dan API, diperbarui setiap ada peristiwa baru.",
        "All public data of this tracker can be downloaded as CSV (RFC 4180, UTF-8, header row) "
        "or JSON and reused with attribution. It is what the portal and the API show, updated "
        "with every new event.",
    ),
    "data.downloads": ("Unduhan", "Downloads"),
    "data.dataset": ("Set data", "Dataset"),
    "data.dictionary": ("Kamus data", "Data dictionary"),
    "data.column": ("Kolom", "Column"),
    "data.type": ("Jenis", "Type"),
    "data.meaning": ("Arti", "Meaning"),
    "data.rows": ("Satu baris per", "One row per"),
    "data.formats": (
        "Format berkas",
        "File formats",
    ),
    "data.csv_notes": (
        "CSV: pemisah koma, baris diakhiri CRLF, nilai kosong berarti tidak ada. Daftar ditulis "
        "dalam satu sel, dipisah titik koma dan spasi. Teks yang diawali = + - @ diberi awalan "
        "apostrof (') agar tidak dijalankan sebagai rumus oleh aplikasi lembar kerja.",
        "CSV: comma-separated, CRLF line ends, an empty value means none. Lists are written in "
        "one cell, separated by a semicolon and a space. Text starting with = + - @ is prefixed "
        "with an apostrophe (') so spreadsheet programs do not run it as a formula.",
    ),
    "data.json_notes": (
        "JSON: satu objek {dataset, position, columns, rows}; columns adalah nama kolom "
        "berurutan, rows adalah daftar objek dengan kunci yang sama. Daftar tetap berupa larik, "
        "nilai kosong adalah null. position adalah posisi log peristiwa yang tercakup.",
        "JSON: one object {dataset, position, columns, rows}; columns are the column names in "
        "order, rows a list of objects with those keys. Lists stay arrays, empty values are "
        "null. position is the event-log position the data includes.",
    ),
    "data.times": (
        "Waktu dalam UTC (ISO 8601, mis. 2026-01-05T10:00:00Z), tanggal YYYY-MM-DD.",
        "Times are UTC (ISO 8601, e.g. 2026-01-05T10:00:00Z), dates YYYY-MM-DD.",
    ),
    "data.feeds": ("Umpan berita", "Feeds"),
    "data.feeds_intro": (
        "Umpan Atom dan JSON Feed berisi 50 peristiwa terbaru untuk nasional, satu provinsi, "
        "satu kabupaten/kota, satu forum atau satu aksi:",
        "Atom and JSON Feed feeds carry the 50 newest events for the nation, a province, a "
        "regency/city, a forum or an action:",
    ),
    "data.licence": ("Lisensi dan atribusi", "Licence and attribution"),
    "data.licence_text": (
        "Kode dan nama wilayah (Kepmendagri) berasal dari cahyadsn/wilayah, lisensi MIT, "
        "© 2017-2025 Cahya DSN. Angka kemajuan dilaporkan oleh Pemda; hanya laporan berstatus "
        "terverifikasi yang telah diperiksa Kanwil Kementerian HAM.",
        "Region codes and names (Kepmendagri) come from cahyadsn/wilayah, MIT licence, "
        "© 2017-2025 Cahya DSN. Progress figures are reported by the Pemda; only reports with "
        "the status verified were checked by a Kanwil of Kementerian HAM.",
    ),
    "data.not_published": ("Yang tidak diterbitkan", "What is not published"),
    "data.not_published_text": (
        "Bukti yang ditandai privat (judul, tautan dan sidik jari), misalnya catatan wawancara "
        "yang menyebut nama warga, dan ID akun orang yang bertindak (hanya peran dan kantornya "
        "yang diterbitkan). Keduanya hanya terlihat oleh auditor wilayah melalui API.",
        "Evidence marked private (title, link and fingerprint), e.g. interview notes naming "
        "residents, and the account id of whoever acted (only their role and office are "
        "published). Both are visible only to the region's auditors through the API.",
    ),
    "data.api": (
        "Untuk kueri dengan filter, gunakan API publik /api/v1; dokumentasinya di",
        "For filtered queries use the public API /api/v1; its documentation is at",
    ),
    "data.type.uuid": ("UUID", "UUID"),
    "data.type.text": ("teks", "text"),
    "data.type.int": ("bilangan bulat", "integer"),
    "data.type.number": ("angka", "number"),
    "data.type.date": ("tanggal", "date"),
    "data.type.datetime": ("waktu (UTC)", "time (UTC)"),
    "data.type.bool": ("benar/salah", "true/false"),
    "data.type.list": ("daftar teks", "list of text"),
    "data.type.list_int": ("daftar bilangan bulat", "list of integers"),
    "data.set.aksi": ("Aksi", "Actions"),
    "data.set.komitmen": ("Komitmen", "Commitments"),
    "data.set.forum": ("Forum", "Forums"),
    "data.set.wilayah": ("Ringkasan per wilayah", "Summary per region"),
    "data.set.laporan": ("Laporan kemajuan", "Progress reports"),
    "data.set.aktivitas": ("Aktivitas", "Activity"),
    "data.row.aksi": ("aksi", "action"),
    "data.row.komitmen": ("komitmen", "commitment"),
    "data.row.forum": ("forum", "forum"),
    "data.row.wilayah": (
        "kabupaten/kota (atau pemerintah provinsi) yang punya aksi",
        "regency/city (or provincial government) with actions",
    ),
    "data.row.laporan": ("laporan kemajuan", "progress report"),
    "data.row.aktivitas": ("peristiwa, terbaru dahulu", "event, newest first"),
}

# The pages' strings live in their own module; a key may be defined only once.
if TEXTS.keys() & pages_texts.TEXTS.keys():
    raise RuntimeError(f"defined twice: {sorted(TEXTS.keys() & pages_texts.TEXTS.keys())}")
TEXTS.update(pages_texts.TEXTS)


def language(query_lang: str | None, cookie_lang: str | None) -> str:
    for candidate in (query_lang, cookie_lang):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT


def translator(lang: str) -> Translate:
    index = LANGUAGES.index(lang)

    def t(key: str, **values: Any) -> str:
        text = TEXTS[key][index]  # KeyError: a string was not written in both languages
        return text.format(**values) if values else text

    return t
