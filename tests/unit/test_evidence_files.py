"""Evidence files end to end on the in-memory application: a Pemda uploads files with a
report form, the server fingerprints and stores them, the event records title, media type,
size and fingerprint; public files download for anyone with the same SHA-256 the public page
shows, private ones only for the region's auditors; bad files are refused beside the field
and nothing is written. The API uploads the same way, and cannot reference a file it did
not store."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from domain.errors import InvalidInput
from domain.evidence_files import MAX_BYTES, media_type_of
from domain.values import Evidence, check_evidence
from tests.unit.sites import Site, plan_action

NO_REDIRECTS: dict[str, Any] = {"follow_redirects": False}
PDF = b"%PDF-1.4\n% Daftar hadir pelatihan HAM\n" + bytes(range(256)) * 8
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


# -- the type and size rules (domain) ---------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "head", "size", "expected"),
    [
        ("daftar-hadir.pdf", PDF[:16], len(PDF), "application/pdf"),
        ("Foto Kegiatan.JPG", b"\xff\xd8\xff\xe0", 10, "image/jpeg"),
        (
            "rekap.xlsx",
            b"PK\x03\x04",
            10,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("catatan.txt", b"Rapat koordinasi", 16, "text/plain"),
    ],
)
def test_accepted_types_are_decided_by_name_and_first_bytes(
    name: str, head: bytes, size: int, expected: str
) -> None:
    assert media_type_of(name, head, size) == expected


@pytest.mark.parametrize(
    ("name", "head", "size", "code"),
    [
        ("kosong.pdf", b"", 0, "evidence-empty"),
        ("besar.pdf", b"%PDF-", MAX_BYTES + 1, "evidence-too-large"),
        ("setup.exe", b"MZ", 10, "evidence-type"),
        ("tanpa-ekstensi", b"%PDF-", 10, "evidence-type"),
        ("palsu.pdf", b"MZ\x90\x00", 10, "evidence-content"),
        ("biner.txt", b"ab\x00cd", 5, "evidence-content"),
    ],
)
def test_refused_files_name_the_reason(name: str, head: bytes, size: int, code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        media_type_of(name, head, size)
    assert refused.value.code == code and refused.value.params["name"] == name


def test_the_type_refusal_names_the_type_and_what_is_accepted() -> None:
    with pytest.raises(InvalidInput) as refused:
        media_type_of("setup.exe", b"MZ", 10)
    assert refused.value.params["kind"] == "EXE"
    assert "PDF" in refused.value.params["accepted"] and "XLSX" in refused.value.params["accepted"]


def test_a_stored_file_link_must_carry_its_own_fingerprint_type_and_size() -> None:
    sha = hashlib.sha256(PDF).hexdigest()
    url = f"/bukti/00000000-0000-0000-0000-000000000001/{sha}"
    ok = Evidence(title="a.pdf", url=url, sha256=sha, media_type="application/pdf", size=9)
    check_evidence((ok,))
    for wrong in (
        Evidence(title="a.pdf", url=url, sha256="0" * 64, media_type="application/pdf", size=9),
        Evidence(title="a.pdf", url=url, sha256=sha),
        Evidence(title="a.pdf", url="/bukti/x/y", sha256=sha, media_type="text/plain", size=1),
    ):
        with pytest.raises(InvalidInput) as refused:
            check_evidence((wrong,))
        assert refused.value.code in ("evidence-file", "evidence-url")


# -- the workspace form -----------------------------------------------------------------------
def _report(site: Site, action_id: str, csrf: str, files: list[Any], **fields: str) -> Any:
    data = {"csrf_token": csrf, "period": "2025-Q4", "percent": "20", "narrative": "Tahap 1"}
    return site.client.post(
        f"/kerja/aksi/{action_id}/laporan",
        data={**data, **fields},
        files=[("evidence_file", item) for item in files],
        **NO_REDIRECTS,
    )


def _evidence(site: Site, action_id: str) -> list[dict[str, Any]]:
    found = site.client.get(f"/api/v1/actions/{action_id}", headers=site.as_("kanwil_jatim"))
    items: list[dict[str, Any]] = site.ok(found)["reports"][0]["evidence"]
    return items


def test_an_uploaded_public_file_downloads_with_the_fingerprint_the_page_shows(
    site: Site,
) -> None:
    _, action_id = plan_action(site)
    csrf = site.browser("pemda_blitar")
    sent = _report(site, action_id, csrf, [("daftar-hadir.pdf", PDF, "application/pdf")])
    assert sent.status_code == 303, sent.text
    (item,) = _evidence(site, action_id)
    sha = hashlib.sha256(PDF).hexdigest()
    assert item == {
        "title": "daftar-hadir.pdf",
        "url": f"/bukti/{action_id}/{sha}",
        "sha256": sha,
        "public": True,
        "media_type": "application/pdf",
        "size": len(PDF),
    }
    site.client.cookies.clear()
    page = site.client.get(f"/aksi/{action_id}")
    assert sha in page.text and item["url"] in page.text
    download = site.client.get(item["url"])
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == sha
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-disposition"].startswith("inline;")
    # A fingerprint the action does not reference, or another action's path: 404.
    assert site.client.get(f"/bukti/{action_id}/{'0' * 64}").status_code == 404
    _, other = plan_action(site)
    assert site.client.get(f"/bukti/{other}/{sha}").status_code == 404


def test_a_private_file_is_served_only_to_the_regions_auditors(site: Site) -> None:
    _, action_id = plan_action(site)
    csrf = site.browser("pemda_blitar")
    sent = _report(site, action_id, csrf, [("foto.png", PNG, "image/png")], evidence_private="on")
    assert sent.status_code == 303, sent.text
    (item,) = _evidence(site, action_id)
    assert item["public"] is False and item["media_type"] == "image/png"
    assert site.client.get(item["url"]).status_code == 200  # the region's own session
    site.client.cookies.clear()
    assert site.client.get(item["url"]).status_code == 401
    assert site.client.get(item["url"], headers=site.as_("kanwil_jateng")).status_code == 403
    assert site.client.get(item["url"], headers=site.as_("pemda_semarang")).status_code == 403
    allowed = site.client.get(item["url"], headers=site.as_("kanwil_jatim"))
    assert allowed.status_code == 200 and allowed.content == PNG
    assert "no-store" in allowed.headers["cache-control"]
    assert item["url"] not in site.client.get(f"/aksi/{action_id}").text


@pytest.mark.parametrize(
    ("upload", "shown"),
    [
        (("setup.exe", b"MZ\x90\x00", "application/octet-stream"), "EXE"),
        (("laporan.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"), "laporan.pdf"),
        (("kosong.pdf", b"", "application/pdf"), "kosong.pdf"),
    ],
)
def test_a_bad_file_is_refused_beside_the_field_and_nothing_is_written(
    site: Site, upload: tuple[str, bytes, str], shown: str
) -> None:
    _, action_id = plan_action(site)
    csrf = site.browser("pemda_blitar")
    before = site.events()
    refused = _report(site, action_id, csrf, [("ok.pdf", PDF, "application/pdf"), upload])
    assert refused.status_code == 422
    assert 'id="evidence_file-error"' in refused.text and shown in refused.text
    assert "Tahap 1" in refused.text  # what was typed is kept
    assert site.events() == before


def test_the_api_uploads_files_and_cannot_reference_one_it_did_not_store(site: Site) -> None:
    _, action_id = plan_action(site)
    blitar = site.as_("pemda_blitar")
    url = f"/api/v1/actions/{action_id}/evidence-files"
    pdf = [("evidence_file", ("notulen.pdf", PDF, "application/pdf"))]
    refused = site.client.post(url, files=pdf, headers=site.as_("pemda_semarang"))
    assert refused.status_code == 403
    assert site.client.post(url, files=pdf).status_code == 401
    none = site.client.post(url, data={"public": "false"}, headers=blitar)
    assert none.status_code == 422 and none.json()["code"] == "evidence-none"
    made = site.ok(site.client.post(url, files=pdf, data={"public": "false"}, headers=blitar), 201)
    (item,) = made["items"]
    assert item["public"] is False and item["sha256"] == hashlib.sha256(PDF).hexdigest()
    report = {"period": "2025-Q4", "percent": 10, "narrative": "Notulen", "evidence": [item]}
    progress = f"/api/v1/actions/{action_id}/progress"
    forged = {**item, "url": item["url"][:-64] + "a" * 64, "sha256": "a" * 64}
    bad = site.client.post(progress, json={**report, "evidence": [forged]}, headers=blitar)
    assert bad.status_code == 422 and bad.json()["code"] == "evidence-file"
    resized = {**item, "size": item["size"] + 1}
    bad = site.client.post(progress, json={**report, "evidence": [resized]}, headers=blitar)
    assert bad.status_code == 422 and bad.json()["code"] == "evidence-file"
    site.ok(site.client.post(progress, json=report, headers=blitar), 201)
    assert site.client.get(item["url"], headers=site.as_("kanwil_jatim")).content == PDF
