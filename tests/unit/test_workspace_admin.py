"""Administration in the workspace on the in-memory application: accounts with their scope,
password reset, a token shown once and revoked, disabling; a forum, a commitment with its
signatories, and withdrawing it with a reason. Refusals beside their field, nothing written;
other roles get a 403 page."""

from __future__ import annotations

import re
from typing import Any

from tests.unit.sites import Site

NO_REDIRECTS: dict[str, Any] = {"follow_redirects": False}


def test_accounts_are_created_and_administered(site: Site) -> None:
    csrf = site.browser("admin")
    page = site.client.get("/kerja/admin/akun")
    assert page.status_code == 200 and "t-pemda-blitar" in page.text
    new = {
        "csrf_token": csrf,
        "user_id": "Dinkes Blitar!",
        "role": "pemda",
        "office": "Dinas Kesehatan Kota Blitar",
        "region_code": "35.72",
        "opd": "Dinkes",
        "password": "sandi-awal-123",
    }
    bad = site.client.post("/kerja/admin/akun", data=new, **NO_REDIRECTS)
    assert bad.status_code == 422 and 'id="user_id-error"' in bad.text
    assert "sandi-awal-123" not in bad.text and "Dinas Kesehatan Kota Blitar" in bad.text
    made = site.client.post(
        "/kerja/admin/akun", data={**new, "user_id": "dinkes.blitar"}, **NO_REDIRECTS
    )
    assert made.status_code == 303
    again = site.client.post(
        "/kerja/admin/akun", data={**new, "user_id": "dinkes.blitar"}, **NO_REDIRECTS
    )
    assert again.status_code == 409 and 'id="user_id-error"' in again.text
    detail = site.client.get("/kerja/admin/akun/dinkes.blitar")
    assert detail.status_code == 200 and "Dinkes" in detail.text

    short = site.client.post(
        "/kerja/admin/akun/dinkes.blitar/sandi", data={"csrf_token": csrf, "password": "x"},
        **NO_REDIRECTS,
    )  # fmt: skip
    assert short.status_code == 422 and 'id="password-error"' in short.text
    reset = {"csrf_token": csrf, "password": "kata-sandi-baru-456"}
    assert (
        site.client.post(
            "/kerja/admin/akun/dinkes.blitar/sandi", data=reset, **NO_REDIRECTS
        ).status_code
        == 303
    )

    issued = site.client.post(
        "/kerja/admin/akun/dinkes.blitar/token", data={"csrf_token": csrf, "name": "sheet"}
    )
    assert issued.status_code == 200 and "no-store" in issued.headers["cache-control"]
    token = re.search(r'<code class="fingerprint">([^<]+)</code>', issued.text)
    assert token is not None
    me = site.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token.group(1)}"})
    assert me.json()["user_id"] == "dinkes.blitar"
    token_id = re.search(r'name="token_id" value="([^"]+)"', issued.text)
    assert token_id is not None
    site.client.get("/kerja/admin/akun/dinkes.blitar")
    assert token.group(1) not in site.client.get("/kerja/admin/akun/dinkes.blitar").text
    revoke = {"csrf_token": csrf, "token_id": token_id.group(1)}
    assert (
        site.client.post(
            "/kerja/admin/akun/dinkes.blitar/token/cabut", data=revoke, **NO_REDIRECTS
        ).status_code
        == 303
    )
    refused = site.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token.group(1)}"})
    assert refused.status_code == 401

    off = site.client.post(
        "/kerja/admin/akun/dinkes.blitar/nonaktif", data={"csrf_token": csrf}, **NO_REDIRECTS
    )
    assert off.status_code == 303
    assert "Nonaktif" in site.client.get("/kerja/admin/akun/dinkes.blitar").text

    # Every administration above is on the record, newest first, with no secret in it.
    log = site.client.get("/kerja/admin/akun").text
    section = log[log.index('id="perubahan"') :]
    shown = [
        label.strip()
        for label in re.findall(r'<td data-label="Perubahan">([^<]+)', section)
        if "dinkes" not in label
    ]
    assert shown[:5] == [
        "Akun dinonaktifkan",
        "Token dicabut",
        "Token diterbitkan",
        "Kata sandi diatur ulang",
        "Akun dibuat",
    ]
    assert token.group(1) not in section and "kata-sandi-baru-456" not in section
    history = site.client.get("/kerja/riwayat?wilayah=35.72").text
    assert "Token diterbitkan" in history and "dinkes.blitar" in history

    site.browser("kanwil_jatim")
    assert site.client.get("/kerja/admin/akun").status_code == 403


def test_forums_and_commitments_are_recorded_and_withdrawn(site: Site) -> None:
    csrf = site.browser("admin")
    forum = {
        "csrf_token": csrf,
        "kind": "rakernas",
        "title": "Rapat Kerja Pemerintah Daerah bidang HAM",
        "organisers": "Kementerian HAM\nPemerintah Kota Singkawang",
        "host_region_code": "61.72",
        "starts_on": "13/11/2025",
    }
    before = site.events()
    bad = site.client.post("/kerja/admin/forum", data=forum, **NO_REDIRECTS)
    assert bad.status_code == 422 and 'id="starts_on-error"' in bad.text
    assert site.events() == before
    source = "Disway Sulsel | Hadiri Rapat Kerja Bidang HAM | 2025-11-13 | ftp://x"
    bad_link = {**forum, "starts_on": "2025-11-13", "sources": source}
    refused = site.client.post("/kerja/admin/forum", data=bad_link, **NO_REDIRECTS)
    assert refused.status_code == 422 and 'id="sources-error"' in refused.text
    assert "ftp://x" in refused.text and site.events() == before
    sourced = {**bad_link, "sources": source.replace(" | ftp://x", "")}
    made = site.client.post("/kerja/admin/forum", data=sourced, **NO_REDIRECTS)
    assert made.status_code == 303 and site.events()[-1] == "ForumConvened"
    recorded = site.ok(site.client.get("/api/v1/forums"))["items"][0]["sources"]
    assert recorded == [
        {
            "publisher": "Disway Sulsel",
            "title": "Hadiri Rapat Kerja Bidang HAM",
            "published_on": "2025-11-13",
            "url": None,
        }
    ]
    listing = site.client.get("/kerja/admin/forum").text
    forum_id = re.search(r'href="/kerja/admin/forum/([0-9a-f-]{36})"', listing)
    assert forum_id is not None
    url = f"/kerja/admin/forum/{forum_id.group(1)}"
    commitment = {
        "csrf_token": csrf,
        "title": "Komitmen bersama Pemda bidang HAM",
        "made_on": "2025-11-13",
        "signatories": "61.72 Wali Kota Singkawang | Tjhai Chui Mie\n35.72 Wali Kota Blitar",
    }
    unknown = site.client.post(
        f"{url}/komitmen", data={**commitment, "signatories": "99.99 Entah"}, **NO_REDIRECTS
    )
    assert unknown.status_code == 422 and "99.99" in unknown.text
    assert site.client.post(f"{url}/komitmen", data=commitment, **NO_REDIRECTS).status_code == 303
    signed = site.ok(site.client.get("/api/v1/commitments"))["items"][0]["signatories"]
    assert [(x["office"], x["name"]) for x in signed] == [
        ("Wali Kota Singkawang", "Tjhai Chui Mie"),
        ("Wali Kota Blitar", ""),
    ]
    page = site.client.get(url)
    assert "Kota Singkawang" in page.text and "Wali Kota Blitar" in page.text
    commitment_id = re.search(r'action="/kerja/admin/komitmen/([0-9a-f-]{36})/tarik"', page.text)
    assert commitment_id is not None
    withdraw = f"/kerja/admin/komitmen/{commitment_id.group(1)}/tarik"
    silent = site.client.post(withdraw, data={"csrf_token": csrf, "reason": ""}, **NO_REDIRECTS)
    assert silent.status_code == 422
    gone = site.client.post(
        withdraw, data={"csrf_token": csrf, "reason": "Digantikan"}, **NO_REDIRECTS
    )
    assert gone.status_code == 303 and site.events()[-1] == "CommitmentWithdrawn"
    assert "ditarik" in site.client.get(url).text

    # Archiving the forum: a reason beside its own field, then no new commitment form.
    before = site.events()
    unexplained = site.client.post(
        f"{url}/arsip", data={"csrf_token": csrf, "reason": " "}, **NO_REDIRECTS
    )
    assert unexplained.status_code == 422 and 'id="archive_reason-error"' in unexplained.text
    assert site.events() == before
    archived = site.client.post(
        f"{url}/arsip", data={"csrf_token": csrf, "reason": "Rangkaian selesai"}, **NO_REDIRECTS
    )
    assert archived.status_code == 303 and site.events()[-1] == "ForumArchived"
    page = site.client.get(url).text
    assert "diarsipkan" in page and "Rangkaian selesai" in page and '/komitmen"' not in page
    late = site.client.post(f"{url}/komitmen", data=commitment, **NO_REDIRECTS)
    assert late.status_code in (409, 422) and "diarsipkan" in late.text
    assert site.events()[-1] == "ForumArchived"
    assert "diarsipkan" in site.client.get("/kerja/admin/forum").text

    other = site.browser("pemda_blitar")
    before = site.events()
    assert site.client.get("/kerja/admin/forum").status_code == 403
    refused = site.client.post(
        "/kerja/admin/forum",
        data={**forum, "csrf_token": other, "starts_on": "2025-11-13"},
        **NO_REDIRECTS,
    )
    assert refused.status_code == 403 and site.events() == before
