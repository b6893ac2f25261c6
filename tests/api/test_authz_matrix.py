"""The authorization matrix: every write endpoint and every restricted read, for every kind
of principal, generated from the one declarative table MATRIX below.

Each row names a route (exactly as litestar lists it), the prerequisite state built fresh
for each case through the API by the accounts that own it, the body, who may call it, and,
for reads, who gets the full audit view (account ids, private evidence). Every case checks:

- allowed: a 2xx answer; a write appends events, a read appends none;
- refused: 401 with a `WWW-Authenticate` challenge (anonymous) or 403 (signed in), as
  `application/problem+json`, nothing appended, and no private data in the answer;
- reads: the full view only for the row's `full_view`, the redacted one for everybody else.

`test_every_route_is_decided` walks the application's routes so that no unsafe endpoint (and
no audit or ledger read) can be added without a row deciding who may call it.

Speed: one database and one application for the whole module (the per-test database of
`tests/conftest.py` costs ~0.7 s of set-up, times ~200 cases); each case still builds its
own prerequisite (a fresh forum, commitment or action), so cases do not depend on each other.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import psycopg
import pytest
from litestar.testing import TestClient

from adapters import sealer
from tests.api.conftest import ACCOUNTS, FORUM, issue_tokens
from tests.support import settings_for
from tracker.app import create_app
from tracker.bootstrap import Services, bootstrap

# -- principals -----------------------------------------------------------------------------
ANONYMOUS = "anonymous"  # no Authorization header, no cookie
PRINCIPALS = (
    ANONYMOUS,
    "pemda_blitar",  # Pemda of Kota Blitar (35.72), no OPD scope: owns the region
    "pemda_semarang",  # Pemda of Kota Semarang (33.74): another region
    "dinkes_blitar",  # Kota Blitar, scoped to the OPD "Dinkes": own region, other OPD
    "kanwil_jatim",  # Kanwil covering province 35 (Blitar's)
    "kanwil_jateng",  # Kanwil covering province 33 only
    "admin",  # Kementerian HAM central
)
EVERYONE = frozenset(PRINCIPALS)
NOBODY: frozenset[str] = frozenset()
ADMIN = frozenset({"admin"})
BLITAR = frozenset({"pemda_blitar"})
BLITAR_AND_DINKES = frozenset({"pemda_blitar", "dinkes_blitar"})
SEMARANG = frozenset({"pemda_semarang"})
JATIM = frozenset({"kanwil_jatim"})
JATENG = frozenset({"kanwil_jateng"})
# Whose scope covers Kota Blitar: they see account ids and private evidence of its records.
AUDITORS_BLITAR = frozenset({"admin", "kanwil_jatim", "pemda_blitar", "dinkes_blitar"})

# Whose actions the prerequisites are: (region, owner OPD, writer, reviewer).
OWNERS = {
    "blitar": ("35.72", "Bagian Hukum Setda", "pemda_blitar", "kanwil_jatim"),
    "blitar-dinkes": ("35.72", "Dinkes", "dinkes_blitar", "kanwil_jatim"),
    "semarang": ("33.74", "Bagian Hukum Setda", "pemda_semarang", "kanwil_jateng"),
}

PRIVATE_URL = "https://example.org/private.pdf"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32  # the first bytes are all the store checks
COMPLETION = {
    "note": "Selesai",
    "evidence": [{"title": "Berita acara", "url": "https://example.org/ba.pdf"}],
}
PRIVATE_EVIDENCE = {"title": "Catatan wawancara warga", "url": PRIVATE_URL, "public": False}

# -- bodies ("{name}" is filled from the prerequisite) ----------------------------------------
COMMITMENT = {
    "forum_id": "{forum_id}",
    "title": "Komitmen bersama Pemda bidang HAM",
    "made_on": "2025-11-13",
    "signatories": [
        {"region_code": "35.72", "office": "Wali Kota Blitar"},
        {"region_code": "33.74", "office": "Wali Kota Semarang"},
    ],
    "rpjmn": [{"pn": "PN1"}],
    "kkp_criteria": [1, 2],
}
ACTION = {
    "commitment_id": "{commitment_id}",
    "region_code": "35.72",
    "title": "Pelatihan HAM bagi ASN",
    "owner_opd": "Bagian Hukum Setda",
    "due_on": "2026-12-31",
}
REPORT_WITH_PRIVATE_EVIDENCE = {
    "period": "2025-Q4",
    "percent": 20,
    "narrative": "Wawancara warga",
    "evidence": [PRIVATE_EVIDENCE],
}
STEP = {"title": "Pelatihan kader", "owner_opd": "DPMPPA", "due_on": "2026-06-30", "weight": 2}
RETURN = {"reason_code": "insufficient_evidence", "note": "Lampirkan daftar hadir"}


class Row(NamedTuple):
    method: str
    path: str  # the route's path exactly as `app.routes` lists it (the meta-test compares)
    state: str  # prerequisite, built fresh per case: world|forum|commitment|planned|
    #             submitted (with private evidence)|returned|completed|sealed (submitted, and
    #             a signed checkpoint covers it)
    body: Any  # JSON body or None; "{name}" strings are filled from the prerequisite
    allowed: frozenset[str]
    on: str = "blitar"  # whose action the prerequisite is (OWNERS)
    variant: str = ""
    query: str = ""
    full_view: frozenset[str] = NOBODY  # reads: who sees account ids (and private evidence)
    shows_evidence: bool = False  # reads: the full view holds the private evidence item
    must_contain: str = ""  # reads: proof that the answer is about the prerequisite
    own_identity: bool = False  # reads: the answer names the caller (or nobody)
    appends: bool = True  # writes: an allowed call appends events (accounts live elsewhere)
    form: bool = False  # a workspace form: sent form-encoded, answered by a page or a redirect
    upload: bool = False  # sent as multipart with one evidence file (body: the other fields)
    sheet: bool = False  # sent as multipart with body["csv"] as the spreadsheet `file`


A = "/api/v1/actions/{action_id:uuid}"
R = A + "/progress/{report_id:uuid}"

MATRIX: tuple[Row, ...] = (
    # -- forums and commitments: the ministry centre only --------------------------------------
    Row("POST", "/api/v1/forums", "world", FORUM, ADMIN),
    Row(
        "PATCH",
        "/api/v1/forums/{forum_id:uuid}",
        "forum",
        {"reason": "Typo", "venue": "Aula"},
        ADMIN,
    ),
    Row(
        "POST",
        "/api/v1/forums/{forum_id:uuid}/archive",
        "forum",
        {"reason": "Forum selesai"},
        ADMIN,
    ),
    Row(
        "POST",
        "/api/v1/forums/{forum_id:uuid}/sessions",
        "forum",
        {"number": 1, "title": "Pleno I", "speakers": [{"name": "Mugiyanto"}]},
        ADMIN,
    ),
    Row("POST", "/api/v1/commitments", "world", COMMITMENT, ADMIN),
    Row(
        "PATCH",
        "/api/v1/commitments/{commitment_id:uuid}",
        "commitment",
        {"reason": "Salah ketik", "title": "Komitmen bersama (perbaikan)"},
        ADMIN,
    ),
    Row(
        "POST",
        "/api/v1/commitments/{commitment_id:uuid}/withdrawal",
        "commitment",
        {"reason": "Digantikan komitmen baru"},
        ADMIN,
    ),
    # -- actions: the owning Pemda (and its OPD); reviews: the Kanwil of the province ----------
    Row("POST", "/api/v1/actions", "world", ACTION, BLITAR),
    Row(
        "POST",
        "/api/v1/actions",
        "world",
        {**ACTION, "owner_opd": "Dinkes"},
        BLITAR_AND_DINKES,
        variant="dinkes-owned",
    ),
    Row(
        "POST",
        "/api/v1/actions",
        "world",
        {**ACTION, "region_code": "33.74"},
        SEMARANG,
        variant="semarang",
    ),
    Row(
        "POST",
        A + "/progress",
        "planned",
        {"period": "2026-Q1", "percent": 10, "narrative": "Tahap awal"},
        BLITAR,
    ),
    Row(
        "POST",
        A + "/progress",
        "planned",
        {"period": "2026-Q1", "percent": 10, "narrative": "Tahap awal"},
        BLITAR_AND_DINKES,
        on="blitar-dinkes",
        variant="dinkes-owned",
    ),
    Row("POST", R + "/verification", "submitted", {"note": "Sesuai"}, JATIM),
    Row(
        "POST",
        R + "/verification",
        "submitted",
        {"note": "Sesuai"},
        JATENG,
        on="semarang",
        variant="semarang",
    ),
    Row("POST", R + "/return", "submitted", RETURN, JATIM),
    Row(
        "POST",
        R + "/resubmission",
        "returned",
        {"percent": 25, "narrative": "Daftar hadir terlampir", "evidence": [PRIVATE_EVIDENCE]},
        BLITAR,
    ),
    Row("POST", A + "/start", "planned", None, BLITAR),
    Row("POST", A + "/completion", "submitted", COMPLETION, BLITAR),
    Row("POST", A + "/verification", "completed", {"note": "Sesuai"}, JATIM),
    Row(
        "POST",
        A + "/rescheduling",
        "planned",
        {"due_on": "2027-06-30", "reason": "Anggaran bergeser"},
        BLITAR,
    ),
    Row("POST", A + "/cancellation", "planned", {"reason": "Digabung dengan aksi lain"}, BLITAR),
    Row(
        "POST",
        A + "/amendment",
        "planned",
        {"reason": "Salah ketik", "title": "Judul yang benar"},
        BLITAR,
    ),
    Row("POST", A + "/completion/return", "completed", RETURN, JATIM),
    Row("POST", A + "/steps", "planned", STEP, BLITAR),
    Row(
        "POST",
        A + "/evidence-files",
        "planned",
        {"public": "false"},
        BLITAR,
        upload=True,
        appends=False,  # bytes are stored; events come with the report that cites them
    ),
    Row(
        "POST",
        "/api/v1/imports",
        "planned",
        {
            "csv": "ID aksi,Aksi (jangan diubah),ID tahapan,OPD penanggung jawab,Periode,"
            "Persen capaian,Nilai indikator,Narasi,Tautan bukti,Judul bukti\n"
            "{action_id},,,,2025-Q4,30,,Diimpor dari lembar kerja,,\n"
        },
        BLITAR_AND_DINKES,
        on="blitar-dinkes",  # a Dinkes action: the region's Pemda and its Dinkes may both
        query="region=35.72",
        sheet=True,
    ),
    # -- reporting periods (tracker/api/periods.py): the province's Kanwil or the ministry ------
    Row(
        "POST",
        "/api/v1/periods/{place_code:str}/{period:str}/close",
        "period-open",
        {"note": "Rekap dikirim"},
        JATIM | ADMIN,
    ),
    Row(
        "POST",
        "/api/v1/periods/{place_code:str}/{period:str}/reopen",
        "period-closed",
        {"reason": "Ditutup sebelum semua OPD melapor"},
        JATIM | ADMIN,
    ),
    # -- the reporting schedule (tracker/api/schedule.py): the ministry only --------------------
    Row(
        "POST",
        "/api/v1/schedule/{year:int}",
        "schedule",
        {"deadlines": [{"period": "2031-B04", "due_on": "2031-05-20"}], "reason": "Cuti bersama"},
        ADMIN,
    ),
    Row(
        "POST",
        "/kerja/jadwal",
        "schedule",
        {"year": "2031", "due-2031-B04": "2031-05-21", "reason": "Cuti bersama"},
        ADMIN,
        form=True,
    ),
    # -- an evidence file: private ones only for the region's auditors (tracker/web/evidence.py)
    Row("GET", "/bukti/{action_id:str}/{sha256:str}", "filed", None, AUDITORS_BLITAR),
    # -- the workspace's forms (tracker/web/workspace.py): the same commands, the same policy --
    Row(
        "POST",
        "/kerja/aksi/{action_id:str}/laporan",
        "planned",
        {"period": "2026-Q1", "percent": "10", "narrative": "Tahap awal"},
        BLITAR,
        form=True,
    ),
    Row(
        "POST",
        "/kerja/aksi/{action_id:str}/laporan/{report_id:str}/ulang",
        "returned",
        {"percent": "25", "narrative": "Daftar hadir terlampir"},
        BLITAR,
        form=True,
    ),
    Row(
        "POST",
        "/kerja/tinjau/{action_id:str}/{report_id:str}",
        "submitted",
        {"decision": "return", "reason_code": "insufficient_evidence", "note": "Lampirkan"},
        JATIM,
        form=True,
    ),
    Row(
        "POST",
        "/kerja/aksi/baru",
        "world",
        {**ACTION, "region_code": ""},  # the form plans for the account's own region
        frozenset({"pemda_blitar", "pemda_semarang"}),  # both signed the world's commitment
        form=True,
    ),
    Row(
        "POST",
        "/kerja/aksi/{action_id:str}/ubah",
        "planned",
        {
            "title": "Judul yang benar",
            "owner_opd": "Bagian Hukum Setda",
            "indicator_type": "process",
            "reason": "Salah ketik",
        },
        BLITAR,
        form=True,
    ),
    Row("POST", "/kerja/aksi/{action_id:str}/tahapan", "planned", STEP, BLITAR, form=True),
    Row(
        "POST",
        "/kerja/aksi/{action_id:str}/jadwal",
        "planned",
        {"due_on": "2027-06-30", "reason": "Anggaran bergeser"},
        BLITAR,
        form=True,
    ),
    Row(
        "POST",
        "/kerja/aksi/{action_id:str}/batal",
        "planned",
        {"reason": "Digabung dengan aksi lain"},
        BLITAR,
        form=True,
    ),
    Row(
        "POST",
        "/kerja/aksi/{action_id:str}/selesai",
        "submitted",
        {"note": "Selesai", "evidence_url": "https://example.org/ba.pdf"},
        BLITAR,
        form=True,
    ),
    Row(
        "POST",
        "/kerja/tinjau/{action_id:str}/selesai",
        "completed",
        {"decision": "return", **RETURN},
        JATIM,
        form=True,
    ),
    Row(
        "POST",
        "/kerja/kepatuhan/tutup",
        "period-open",
        {"periode": "{period}", "place_code": "{place_code}", "note": "Rekap dikirim"},
        JATIM | ADMIN,
        form=True,
    ),
    Row(
        "POST",
        "/kerja/kepatuhan/buka",
        "period-closed",
        {"periode": "{period}", "place_code": "{place_code}", "reason": "Ditutup terlalu dini"},
        JATIM | ADMIN,
        form=True,
    ),
    # -- the workspace's administration (tracker/web/workspace_admin.py): the ministry only --
    Row(
        "POST",
        "/kerja/admin/akun",
        "world",
        {
            "user_id": "{fresh}",
            "role": "pemda",
            "region_code": "33.74",
            "password": "sandi-awal-123",
        },
        ADMIN,
        form=True,
        appends=False,
    ),
    Row(
        "POST",
        "/kerja/admin/akun/{user_id:str}/nonaktif",
        "account",
        {},
        ADMIN,
        form=True,
        appends=False,
    ),
    # -- webhooks (tracker/api/webhooks.py): anyone registers; the management token reads ---
    Row(
        "POST",
        "/api/v1/webhooks",
        "world",
        {"url": "https://lsm.example.org/hook", "secret": "rahasia-yang-cukup-panjang"},
        EVERYONE,
        appends=False,
    ),
    # -- mail preferences: every account its own (the form names no other account) ------------
    Row(
        "POST",
        "/kerja/notifikasi",
        "world",
        {"email": "petugas@example.go.id", "lang": "id"},
        EVERYONE - {ANONYMOUS},
        form=True,
        appends=False,
    ),
    Row(
        "POST",
        "/kerja/admin/akun/{user_id:str}/sandi",
        "account",
        {"password": "kata-sandi-baru-123"},
        ADMIN,
        form=True,
        appends=False,
    ),
    Row(
        "POST",
        "/kerja/admin/akun/{user_id:str}/token",
        "account",
        {"name": "integrasi"},
        ADMIN,
        form=True,
        appends=False,
    ),
    Row(
        "POST",
        "/kerja/admin/akun/{user_id:str}/token/cabut",
        "token",
        {"token_id": "{token_id}"},
        BLITAR | ADMIN,  # the bus lets an owner revoke its own token, as the API does
        form=True,
        appends=False,
    ),
    Row(
        "POST",
        "/kerja/admin/forum",
        "world",
        {
            "kind": "raker",
            "title": "Rapat kerja HAM Jawa Timur",
            "organisers": "Kanwil Kementerian HAM Jawa Timur",
            "host_region_code": "35",
            "starts_on": "2026-02-10",
        },
        ADMIN,
        form=True,
    ),
    Row(
        "POST",
        "/kerja/admin/forum/{forum_id:str}/komitmen",
        "forum",
        {
            "title": "Komitmen bersama",
            "made_on": "2026-02-10",
            "signatories": "35.72 Wali Kota Blitar",
        },
        ADMIN,
        form=True,
    ),
    Row(
        "POST",
        "/kerja/admin/forum/{forum_id:str}/arsip",
        "forum",
        {"reason": "Forum selesai"},
        ADMIN,
        form=True,
    ),
    Row(
        "POST",
        "/kerja/admin/komitmen/{commitment_id:str}/tarik",
        "commitment",
        {"reason": "Digantikan komitmen baru"},
        ADMIN,
        form=True,
    ),
    # -- reads of one action: public, the audit view only for the region's auditors ------------
    Row(
        "GET",
        A,
        "submitted",
        None,
        EVERYONE,
        full_view=AUDITORS_BLITAR,
        shows_evidence=True,
        must_contain="{report_id}",
    ),
    Row(
        "GET",
        A + "/history",
        "submitted",
        None,
        EVERYONE,
        full_view=AUDITORS_BLITAR,
        shows_evidence=True,
        must_contain="{report_id}",
    ),
    Row("GET", "/api/v1/me", "world", None, EVERYONE, own_identity=True),
    # -- public read models: nobody gets account ids or private evidence from them -------------
    Row(
        "GET",
        "/api/v1/actions",
        "submitted",
        None,
        EVERYONE,
        query="after={position}",
        must_contain="{report_id}",
    ),
    Row(
        "GET",
        "/api/v1/regions/{code:str}/actions",
        "submitted",
        None,
        EVERYONE,
        query="after={position}",
        must_contain="{report_id}",
    ),
    Row(
        "GET",
        "/api/v1/regions/{code:str}/timeline",
        "submitted",
        None,
        EVERYONE,
        query="after={position}",
        must_contain="{action_id}",
    ),
    # -- audit trails (tracker/api/audit.py): the region's auditors only -----------------------
    Row(
        "GET",
        "/api/v1/audit/{kind:str}/{record_id:uuid}",
        "submitted",
        None,
        AUDITORS_BLITAR,
        full_view=AUDITORS_BLITAR,
        shows_evidence=True,
        must_contain="{report_id}",
    ),
    Row(
        "GET",
        "/api/v1/audit/regions/{code:str}/activity",
        "submitted",
        None,
        AUDITORS_BLITAR,
        query="after={position}",
        full_view=AUDITORS_BLITAR,
        must_contain="{action_id}",
    ),
    # -- tamper evidence (tracker/api/ledger.py): checkpoints and proofs are hashes only and
    # public; an event's stored bytes cannot be redacted, so only its region's auditors get them
    Row("GET", "/api/v1/ledger/checkpoints/latest", "sealed", None, EVERYONE),
    Row(
        "GET",
        "/api/v1/ledger/proofs/{position:int}",
        "sealed",
        None,
        EVERYONE,
        must_contain='"position":{position}',
    ),
    Row(
        "GET",
        "/api/v1/ledger/events/{position:int}",
        "submitted",
        None,
        AUDITORS_BLITAR,
        full_view=AUDITORS_BLITAR,
        shows_evidence=True,
        must_contain='"position":{position}',
    ),
)

# -- accounts (tracker/api/accounts.py): admins manage them; a token belongs to its owner ------
MATRIX += (
    Row(
        "GET", "/api/v1/users", "world", None, ADMIN, full_view=ADMIN, must_contain="t-pemda-blitar"
    ),
    Row(
        "POST",
        "/api/v1/users",
        "world",
        {"user_id": "{fresh}", "role": "pemda", "region_code": "35.72"},
        ADMIN,
        appends=False,
    ),
    Row("POST", "/api/v1/users/{user_id:str}/disable", "account", None, ADMIN, appends=False),
    Row(
        "POST",
        "/api/v1/users/{user_id:str}/tokens",
        "account",
        {"name": "matrix"},
        ADMIN,
        appends=False,
    ),
    Row(
        "POST",
        "/api/v1/users/{user_id:str}/tokens",
        "world",
        {"name": "own"},
        BLITAR | ADMIN,
        variant="own-account",
        appends=False,
    ),
    Row("DELETE", "/api/v1/tokens/{token_id:str}", "token", None, BLITAR | ADMIN, appends=False),
)

# -- KKP HAM assessment (tracker/api/kkp.py): coordinator, the Kanwil, the ministry -------------
K = "/api/v1/kkp-ham/{year:int}/{code:str}"
MATRIX += (
    Row("POST", K + "/self-assessment", "kkp-fresh", None, BLITAR),
    Row(
        "POST",
        K + "/self-assessment/submission",
        "kkp-open",
        {"answers": [{"indicator_id": "5.S1", "answer": "met", "note": "Perwal adminduk"}]},
        BLITAR,
    ),
    Row("POST", K + "/self-assessment/verification", "kkp-verifiable", {"note": "Lengkap"}, JATIM),
    Row("POST", K + "/self-assessment/return", "kkp-submitted", {"reason": "Bukti kurang"}, JATIM),
    Row(
        "POST",
        K + "/result",
        "kkp-result",
        {"predicate": True, "score": 80, "reason": "Dicatat ulang dalam uji"},
        ADMIN,
    ),
)
# the same commands from the workspace forms (tracker/web/workspace_kkp.py)
KW, PLACE = "/kerja/kkp-ham", {"region_code": "33.74", "data_year": "{year}"}
MATRIX += (
    Row("POST", KW + "/buka", "kkp-fresh", PLACE, SEMARANG, form=True, on="semarang"),
    Row(
        "POST",
        KW + "/ajukan",
        "kkp-open",
        {**PLACE, "ans-5.S1": "met", "note-5.S1": "Perwal adminduk"},
        SEMARANG,
        form=True,
        on="semarang",
    ),
    Row(
        "POST",
        KW + "/verifikasi",
        "kkp-verifiable",
        {**PLACE, "review_note": "Ok"},
        JATENG,
        form=True,
        on="semarang",
    ),
    Row(
        "POST",
        KW + "/kembalikan",
        "kkp-submitted",
        {**PLACE, "reason": "Ulang"},
        JATENG,
        form=True,
        on="semarang",
    ),
    Row(
        "POST",
        KW + "/hasil",
        "kkp-result",
        {**PLACE, "predicate": "on", "score": "80", "result_reason": "Dicatat ulang dalam uji"},
        ADMIN,
        form=True,
        on="semarang",
    ),
)

# Unsafe routes deliberately outside the matrix, each with the reason.
EXEMPT = {
    ("POST", "/masuk"): "the sign-in form: takes a password, not a principal (test_auth.py)",
    ("POST", "/keluar"): "ends the caller's own session only (test_auth.py)",
    ("POST", "/langganan"): "anyone may follow a place; a double-submit cookie and the "
    "confirmation link decide (test_subscriptions.py)",
    ("POST", "/langganan/konfirmasi"): "anyone holding the link's secret (test_subscriptions.py)",
    ("POST", "/langganan/berhenti"): "anyone holding the link's secret, also RFC 8058's one-click "
    "POST from a mail program (test_subscriptions.py)",
    ("POST", "/kerja/impor"): "imports into the caller's own region only, so another region's "
    "rows are refused one by one (422, nothing written: test_workspace_import.py, "
    "test_imports.py); the same policy over HTTP is the /api/v1/imports row",
}
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Reads that are never public: every route under these prefixes must have a row too.
RESTRICTED_READ_PREFIXES = ("/api/v1/audit", "/api/v1/ledger", "/bukti")

REFUSAL_CODES = frozenset(
    {"admin-only", "pemda-only", "other-region", "other-opd", "kanwil-only", "outside-jurisdiction"}
    | {"coordinator-only"}
)


# -- the shared world -------------------------------------------------------------------------
@dataclass
class World:
    client: TestClient[Any]
    tokens: dict[str, dict[str, str]]
    events: psycopg.Connection[Any]
    url: str
    services: Services
    forum_id: str = ""
    commitment_id: str = ""

    def call(
        self,
        method: str,
        url: str,
        who: str,
        body: Any = None,
        form: bool = False,
        upload: bool = False,
        sheet: bool = False,
    ) -> Any:
        headers = {} if who == ANONYMOUS else self.tokens[who]
        if sheet:
            files = [("file", ("laporan.csv", body["csv"].encode(), "text/csv"))]
            return self.client.request(method, url, files=files, headers=headers)
        if upload:
            files = [("evidence_file", ("foto-kegiatan.png", PNG, "image/png"))]
            return self.client.request(method, url, data=body, files=files, headers=headers)
        if form:
            return self.client.request(
                method, url, data=body, headers=headers, follow_redirects=False
            )
        return self.client.request(method, url, json=body, headers=headers)

    def write(self, method: str, url: str, who: str, body: Any = None) -> dict[str, Any]:
        response = self.call(method, url, who, body)
        assert response.is_success, f"setting up {method} {url} as {who}: {response.text}"
        result: dict[str, Any] = response.json()
        return result

    def sign_checkpoint(self) -> None:
        """What `tracker audit checkpoint` does: seal and sign now (the worker waits a minute
        between checkpoints; it shares the seal lock, so the two cannot interleave)."""

        async def sign() -> None:
            conn = await asyncpg.connect(self.url)
            try:
                await sealer.checkpoint(
                    conn,
                    self.services.signer,
                    self.services.settings.audit_origin,
                    datetime.now(UTC),
                )
            finally:
                await conn.close()

        asyncio.run(sign())

    def count_events(self) -> int:
        row = self.events.execute("SELECT count(*) FROM tracker_events").fetchone()
        assert row is not None
        return int(row[0])


def _on_server(server_url: str, sql: str) -> None:
    async def run() -> None:
        conn = await asyncpg.connect(server_url)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run())


@pytest.fixture(scope="module")
def world(postgres_server_url: str) -> Iterator[World]:
    """One database and application for the module, with a forum and a commitment signed
    by Kota Blitar and Kota Semarang that every case may plan actions under."""
    name = f"t_authz_{uuid.uuid4().hex[:12]}"
    url = urlunsplit(urlsplit(postgres_server_url)._replace(path=f"/{name}"))
    _on_server(postgres_server_url, f'CREATE DATABASE "{name}"')
    settings = settings_for(url)
    services = bootstrap(settings)
    try:
        with (
            TestClient(create_app(settings, services=services)) as client,
            psycopg.connect(url, autocommit=True) as events,
        ):
            shared = World(client, issue_tokens(url), events, url, services)
            shared.forum_id = shared.write("POST", "/api/v1/forums", "admin", FORUM)["id"]
            commitment = fill(COMMITMENT, {"forum_id": shared.forum_id})
            shared.commitment_id = shared.write("POST", "/api/v1/commitments", "admin", commitment)[
                "id"
            ]
            yield shared
    finally:
        _on_server(postgres_server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fill(template: Any, ctx: dict[str, Any]) -> Any:
    if isinstance(template, str):
        return template.format_map(ctx)
    if isinstance(template, dict):
        return {key: fill(value, ctx) for key, value in template.items()}
    if isinstance(template, list):
        return [fill(value, ctx) for value in template]
    return template


def target(row: Row, ctx: dict[str, Any]) -> str:
    path = re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: str(ctx[m[1]]), row.path)
    return f"{path}?{fill(row.query, ctx)}" if row.query else path


def file_cited(world: World, ctx: dict[str, Any], base: str, writer: str) -> dict[str, Any]:
    """A report citing a private file uploaded through the API."""
    upload = world.call("POST", f"{base}/evidence-files", writer, {"public": "false"}, upload=True)
    assert upload.status_code == 201, upload.text
    (item,) = upload.json()["items"]
    ctx["sha256"] = item["sha256"]
    body = {"period": "2025-Q4", "percent": 20, "narrative": "Foto", "evidence": [item]}
    ctx["position"] = world.write("POST", f"{base}/progress", writer, body)["position"]
    return ctx


BEFORE_ANY_ACTION = frozenset(
    {"world", "account", "token", "forum", "commitment", "period-open", "period-closed"}
    | {"schedule"}
    | {"kkp-fresh", "kkp-open", "kkp-submitted", "kkp-verifiable", "kkp-result"}
)
# Kota Blitar's KKP HAM data years: a fresh one where the allowed call ends the cycle (open,
# verify); one year each that the builder brings back to the state its row needs.
# per region (the form rows use Kota Semarang, the API rows Kota Blitar): 23 years each
FRESH_YEARS = {code: iter(range(2000, 2023)) for code, *_ in OWNERS.values()}
KKP_YEAR = {"kkp-open": 2023, "kkp-submitted": 2024, "kkp-result": 2025}
# A month of its own for every period case: a closure lives on in the shared world.
ENDED_MONTHS = (f"{2000 + n // 12}-{n % 12 + 1:02d}" for n in itertools.count(12))


def registry_state(world: World, state: str, ctx: dict[str, Any]) -> dict[str, Any]:
    """Prerequisites made before any action: accounts, tokens, forums, commitments."""
    if state == "world":
        return ctx
    if state == "account":  # someone else's account, made by an admin
        body = {"user_id": ctx["fresh"], "role": "pemda", "region_code": "33.74"}
        ctx["user_id"] = world.call("POST", "/api/v1/users", "admin", body).json()["user_id"]
        return ctx
    if state == "token":  # a token of the Pemda of Kota Blitar
        made = world.call("POST", f"/api/v1/users/{ctx['user_id']}/tokens", "admin", {})
        ctx["token_id"] = made.json()["id"]
        return ctx
    if state == "forum":
        ctx["forum_id"] = world.write("POST", "/api/v1/forums", "admin", FORUM)["id"]
        return ctx
    if state == "commitment":
        made = world.write("POST", "/api/v1/commitments", "admin", fill(COMMITMENT, ctx))
        ctx["commitment_id"] = made["id"]
        return ctx
    if state.startswith("kkp-"):
        return kkp_state(world, state, ctx)
    if state == "schedule":  # a year no other row or the demo touches
        ctx["year"] = 2031
        return ctx
    if state.startswith("period-"):  # Kota Blitar's own period, closed by the ministry
        ctx["place_code"], ctx["period"] = "35.72", next(ENDED_MONTHS)
        if state == "period-closed":
            world.write("POST", "/api/v1/periods/35.72/{period}/close".format_map(ctx), "admin", {})
        return ctx
    return ctx


def kkp_state(world: World, state: str, ctx: dict[str, Any]) -> dict[str, Any]:
    """The owner region's assessment of a data year in the state the row needs. Steps that
    the year is already past answer 409 and are ignored: a refused case leaves it as it was."""
    region = ctx["code"]
    _, _, coordinator, reviewer = next(o for o in OWNERS.values() if o[0] == region)
    ctx["year"] = year = KKP_YEAR.get(state) or next(FRESH_YEARS[region])
    base = f"/api/v1/kkp-ham/{year}/{region}/self-assessment"
    answers = {"answers": [{"indicator_id": "5.S1", "answer": "partial"}]}
    if state in {"kkp-fresh", "kkp-result"}:
        return ctx
    world.call("POST", base, coordinator)
    if state == "kkp-open":  # open, or returned after the last case submitted it
        world.call("POST", f"{base}/return", reviewer, {"reason": "Ulang"})
    else:  # submitted: the last case may have returned it
        world.call("POST", f"{base}/submission", coordinator, answers)
    return ctx


def build_state(world: World, row: Row) -> dict[str, Any]:
    """The row's prerequisite, made through the API by the accounts whose job it is."""
    region, opd, writer, reviewer = OWNERS[row.on]
    ctx: dict[str, Any] = {
        "forum_id": world.forum_id,
        "commitment_id": world.commitment_id,
        "code": region,
        "kind": "actions",
        "fresh": f"matrix-{uuid.uuid4().hex[:12]}",
        "user_id": ACCOUNTS["pemda_blitar"].user_id,
    }
    if row.state in BEFORE_ANY_ACTION:
        return registry_state(world, row.state, ctx)
    planned = world.write(
        "POST",
        "/api/v1/actions",
        writer,
        fill({**ACTION, "region_code": region, "owner_opd": opd}, ctx),
    )
    ctx["action_id"] = ctx["record_id"] = planned["id"]
    ctx["position"] = planned["position"]
    base = f"/api/v1/actions/{planned['id']}"
    if row.state == "planned":
        return ctx
    if row.state == "filed":
        return file_cited(world, ctx, base, writer)
    submitted = world.write("POST", f"{base}/progress", writer, REPORT_WITH_PRIVATE_EVIDENCE)
    ctx["report_id"] = report_id = submitted["data"]["reports"][0]["id"]
    ctx["position"] = submitted["position"]
    if row.state == "returned":
        ctx["position"] = world.write(
            "POST", f"{base}/progress/{report_id}/return", reviewer, RETURN
        )["position"]
    elif row.state == "completed":
        ctx["position"] = world.write("POST", f"{base}/completion", writer, COMPLETION)["position"]
    elif row.state == "sealed":
        world.sign_checkpoint()
    else:
        assert row.state == "submitted", f"unknown prerequisite {row.state!r}"
    return ctx


# -- checks -----------------------------------------------------------------------------------
def account_id(who: str) -> str | None:
    return None if who == ANONYMOUS else ACCOUNTS[who].user_id


def pairs(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, item
            yield from pairs(item)
    elif isinstance(value, list):
        for item in value:
            yield from pairs(item)


def readable(response: Any) -> str:
    """All the caller can read in the answer: its text, plus the stored event bytes that
    /ledger/events hands out base64-encoded (`state`)."""
    text: str = response.text
    if response.headers.get("content-type", "").startswith("application/"):
        for key, value in pairs(response.json()):
            if key == "state" and isinstance(value, str):
                with contextlib.suppress(ValueError):
                    text += "\n" + base64.b64decode(value, validate=True).decode(errors="replace")
    return text


def assert_no_leak(response: Any, who: str) -> None:
    """No private evidence, and no account id but the caller's own, anywhere in the answer
    (the problem's `instance` only echoes the path the caller sent)."""
    text = readable(response)
    if response.headers.get("content-type", "").startswith("application/problem+json"):
        text = text.replace(urlsplit(str(response.url)).path, "")
    assert PRIVATE_URL not in text, f"private evidence leaked to {who}: {text}"
    own = account_id(who)
    for account in ACCOUNTS.values():
        if account.user_id != own:
            assert account.user_id not in text, f"{account.user_id} leaked to {who}: {text}"
    if response.headers.get("content-type", "").startswith("application/"):
        for key, value in pairs(response.json()):
            if key in ("user_id", "actor_id"):
                assert value in (None, own), f"{key}={value!r} leaked to {who}"


def assert_refused(response: Any, who: str) -> None:
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    body = response.json()
    if who == ANONYMOUS:
        assert response.status_code == 401, response.text
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert body["code"] == "sign-in-required"
    else:
        assert response.status_code == 403, response.text
        assert body["code"] in REFUSAL_CODES, body
    assert body["status"] == response.status_code


def assert_full_view(response: Any, row: Row, ctx: dict[str, Any]) -> None:
    """The audit view: the account that acted, and the private evidence where there is one."""
    writer = OWNERS[row.on][2]
    text = readable(response)
    assert ACCOUNTS[writer].user_id in text, text
    if row.shows_evidence:
        assert PRIVATE_URL in text, text


def paged_text(world: World, response: Any, who: str, wanted: str) -> str:
    """The pages of a list read up to the one holding `wanted`: the shared world grows with every
    case, so what a case just wrote need not sort onto the first page."""
    text: str = response.text
    url = str(response.request.url)
    while wanted not in text and response.headers.get("content-type", "").startswith(
        "application/json"
    ):
        cursor = response.json().get("next_cursor") if text.startswith("{") else None
        if not cursor:
            break
        separator = "&" if "?" in url else "?"
        response = world.call("GET", f"{url}{separator}cursor={cursor}", who)
        assert response.is_success, response.text
        text = response.text
    return text


def case_id(row: Row, who: str) -> str:
    path = re.sub(r":\w+\}", "}", row.path.removeprefix("/api/v1"))
    return f"{row.method} {path}{f' [{row.variant}]' if row.variant else ''} as {who}"


CASES = [pytest.param(row, who, id=case_id(row, who)) for row in MATRIX for who in PRINCIPALS]


@pytest.mark.parametrize(("row", "who"), CASES)
def test_authorization(world: World, row: Row, who: str) -> None:
    ctx = build_state(world, row)
    before = world.count_events()
    response = world.call(
        row.method, target(row, ctx), who, fill(row.body, ctx), row.form, row.upload, row.sheet
    )
    after = world.count_events()
    if who not in row.allowed and row.form:  # a page in the visitor's language, not JSON
        assert response.status_code == (401 if who == ANONYMOUS else 403), response.text
        assert after == before, "a refused form wrote events"
        return
    if who not in row.allowed:
        assert_refused(response, who)
        assert after == before, "a refused request wrote events"
        assert_no_leak(response, who)
        return
    succeeded = response.is_success or (row.form and response.status_code == 303)
    assert succeeded, f"{who} was refused: {response.status_code} {response.text}"
    if row.method == "GET" or not row.appends:
        assert after == before, "a read (or an account change) wrote events"
    else:
        assert after > before, "an allowed write wrote nothing"
    if row.must_contain:
        wanted = fill(row.must_contain, ctx)
        assert wanted in paged_text(world, response, who, wanted), response.text
    if who in row.full_view:
        assert_full_view(response, row, ctx)
    elif row.method == "GET":
        assert_no_leak(response, who)
    if row.own_identity:
        assert response.json()["user_id"] == account_id(who)


# -- the table is complete and consistent -----------------------------------------------------
def test_every_route_is_decided(world: World) -> None:
    """A new unsafe endpoint (or audit or ledger read) fails here until a MATRIX row decides
    who may call it; a row whose route disappeared fails too."""
    declared = {(row.method, row.path) for row in MATRIX}
    routed = {(method, route.path) for route in world.client.app.routes for method in route.methods}
    undecided = sorted(
        (method, path)
        for method, path in routed
        if (method in UNSAFE or (method == "GET" and path.startswith(RESTRICTED_READ_PREFIXES)))
        and (method, path) not in declared
        and (method, path) not in EXEMPT
    )
    assert not undecided, f"add these routes to MATRIX (or, with a reason, to EXEMPT): {undecided}"
    assert declared <= routed, f"MATRIX rows without a route: {sorted(declared - routed)}"
    assert set(EXEMPT) <= routed, f"stale exemptions: {sorted(set(EXEMPT) - routed)}"
    assert not any(path.startswith("/api/") for _, path in EXEMPT), "the API is never exempt"


def test_matrix_is_well_formed() -> None:
    keys = [(row.method, row.path, row.variant) for row in MATRIX]
    assert len(keys) == len(set(keys)), "duplicate rows"
    for row in MATRIX:
        assert row.allowed <= EVERYONE and row.full_view <= row.allowed, row
        assert row.on in OWNERS, row
        assert row.method in UNSAFE or (row.method == "GET" and row.body is None), row
