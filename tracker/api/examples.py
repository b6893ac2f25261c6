"""Request bodies as a Pemda, Kanwil or ministry officer would send them, shown in the
OpenAPI document (tracker/http/openapi.py). Real region codes (Kepmendagri), periods as
the schedule names them, narratives in Bahasa Indonesia. tests/unit/test_openapi.py checks
every example decodes into its type, so an example cannot drift from the schema."""

from __future__ import annotations

from typing import Any

from tracker.api import accounts, kkp, periods, schedule, schemas, webhooks

FORUM_ID = "7b89296c-6dcb-4c50-8857-7eb1924770d3"
COMMITMENT_ID = "2f0c5d1e-8a4b-4c3d-9e6f-1a2b3c4d5e6f"
EVIDENCE = {"title": "Daftar hadir pelatihan", "url": "https://jdih.blitarkota.go.id/ba-ham.pdf"}

REQUEST_EXAMPLES: dict[type, dict[str, Any]] = {
    schemas.ForumIn: {
        "kind": "rakernas",
        "title": "Rapat Kerja Pemerintah Daerah bidang HAM",
        "organisers": ["Kementerian HAM"],
        "host_region_code": "61.72",
        "starts_on": "2025-11-13",
        "ends_on": "2025-11-13",
        "theme": "Pemerintah Daerah dan HAM: dari komitmen ke implementasi",
        "venue": "Singkawang",
    },
    schemas.ForumCorrectionIn: {"reason": "Salah ketik nama tempat", "venue": "Singkawang"},
    schemas.ForumSessionIn: {
        "number": 1,
        "title": "Pleno I: Pemerintah Daerah dan HAM",
        "held_on": "2025-11-13",
        "speakers": [{"name": "Narasumber Kementerian HAM", "role": "speaker"}],
    },
    schemas.CommitmentIn: {
        "forum_id": FORUM_ID,
        "title": "Komitmen bersama Pemda bidang HAM selaras RPJMN 2025-2029",
        "made_on": "2025-11-13",
        "signatories": [
            {"region_code": "61.72", "office": "Wali Kota Singkawang"},
            {"region_code": "35.72", "office": "Wali Kota Blitar"},
        ],
        "rpjmn": [{"pn": "PN1"}],
        "kkp_criteria": [1, 5],
    },
    schemas.CommitmentAmendmentIn: {
        "reason": "Penandatangan tambahan menurut berita acara",
        "signatories": [{"region_code": "33.75", "office": "Wali Kota Pekalongan"}],
    },
    schemas.ReasonIn: {"reason": "Digantikan komitmen yang ditandatangani ulang"},
    schemas.ActionIn: {
        "commitment_id": COMMITMENT_ID,
        "region_code": "35.72",
        "title": "Pelatihan HAM bagi ASN Pemkot Blitar",
        "owner_opd": "Bagian Hukum Setda",
        "due_on": "2026-11-30",
        "description": "Empat angkatan, termasuk perangkat kelurahan",
        "partners": [{"name": "Kanwil Kementerian HAM Jawa Timur", "kind": "kanwil"}],
        "rpjmn": [{"pn": "PN1"}],
        "kkp_criterion": 1,
        "indicator_type": "process",
        "cadence": "four_monthly",
    },
    schemas.StepIn: {
        "title": "Angkatan pertama: 40 ASN",
        "owner_opd": "Bagian Hukum Setda",
        "due_on": "2026-04-30",
        "weight": 1,
    },
    schemas.ActionAmendmentIn: {
        "reason": "Dinas yang memimpin berganti setelah perubahan SOTK",
        "owner_opd": "DPMPPA",
    },
    schemas.ProgressIn: {
        "period": "2026-B08",
        "narrative": "Angkatan pertama selesai: 40 ASN mengikuti pelatihan dua hari.",
        "percent": 35,
        "evidence": [EVIDENCE],
    },
    schemas.ResubmissionIn: {
        "narrative": "Daftar hadir yang ditandatangani sudah dilampirkan.",
        "percent": 35,
        "evidence": [EVIDENCE],
    },
    schemas.VerificationIn: {"note": "Bukti sesuai; diverifikasi Kanwil Jawa Timur"},
    schemas.ReturnIn: {
        "reason_code": "insufficient_evidence",
        "note": "Lampirkan daftar hadir yang ditandatangani",
    },
    schemas.CompletionIn: {"evidence": [EVIDENCE], "note": "Seluruh angkatan selesai"},
    schemas.RescheduleIn: {
        "due_on": "2027-03-31",
        "reason": "Anggaran perubahan baru disahkan Oktober",
    },
    accounts.AccountIn: {
        "user_id": "hukum-blitar",
        "role": "pemda",
        "name": "Bagian Hukum Kota Blitar",
        "office": "Bagian Hukum Setda Kota Blitar",
        "region_code": "35.72",
    },
    accounts.TokenIn: {"name": "spreadsheet-bappeda", "expires_in_days": 90},
    periods.CloseIn: {"note": "Tenggat 2026-B08 telah lewat; laporan susulan lewat koreksi"},
    periods.ReopenIn: {"reason": "Ditutup sebelum semua OPD melapor"},
    kkp.SubmitIn: {
        "answers": [{"indicator_id": "5.S1", "answer": "met", "note": "Perwal adminduk 2022"}],
        "note": "Penilaian mandiri 2025",
    },
    kkp.VerifyIn: {"note": "Sesuai bukti"},
    kkp.ReturnIn: {"reason": "Bukti indikator 10.P1 belum dilampirkan"},
    kkp.ResultIn: {
        "predicate": True,
        "score": 82.5,
        "decree_number": "(nomor keputusan Menteri HAM)",
        "decree_date": "2025-12-10",
    },
    schedule.ScheduleIn: {
        "deadlines": [{"period": "2026-B08", "due_on": "2026-09-21"}],
        "reason": "Surat edaran: tenggat B08 diundur enam hari",
    },
    webhooks.WebhookIn: {
        "url": "https://lsm.example.org/hook/pelacak",
        "secret": "rahasia-yang-cukup-panjang",
        "scope": "35",
    },
}
