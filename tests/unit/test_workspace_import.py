"""Spreadsheet import in the workspace on the in-memory application: a Pemda account
downloads the progress template, checks the filled file (a dry run: errors by row and
column, nothing written), applies the checked file without choosing it again, and sees the
batch; the same file again is shown as already applied; a bad file is refused beside the
file field; other roles get a 403 page."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from tests.unit.sites import Site, make_site, plan_action
from tests.unit.world import ACCOUNTS
from tracker.imports.jobs import KEPT_FOR, ImportJobs, Job

W = "/kerja/impor"
NO_REDIRECTS: dict[str, Any] = {"follow_redirects": False}


def _send(site: Site, csrf: str, content: bytes | None = None, **fields: str) -> Any:
    files = {"file": ("laporan-B04.csv", content, "text/csv")} if content is not None else None
    return site.client.post(W, data={"csrf_token": csrf, **fields}, files=files, **NO_REDIRECTS)


def _filled(site: Site, action_id: str, percent: str) -> bytes:
    template = site.client.get("/api/v1/imports/templates/laporan.csv?region=35.72")
    header = template.content.decode("utf-8-sig").splitlines()[0]
    return f"{header}\n{action_id},,,,2026-Q1,{percent},,Tahap pertama,,\n".encode()


def test_check_then_apply_the_checked_file_then_see_it_once(site: Site) -> None:
    _, action_id = plan_action(site)
    csrf = site.browser("pemda_blitar")
    page = site.client.get(W)
    assert page.status_code == 200
    assert 'href="/api/v1/imports/templates/laporan.xlsx?region=35.72&amp;lang=id"' in page.text
    assert 'enctype="multipart/form-data"' in page.text

    before = site.events()
    wrong = _send(site, csrf, _filled(site, action_id, "140"), decision="check")
    assert wrong.status_code == 422 and "Persen capaian" in wrong.text
    assert re.search(r"<td[^>]*>2</td>", wrong.text)  # the spreadsheet's row number
    bad = _send(site, csrf, b"%PDF-1.7\x00", decision="check")
    assert bad.status_code == 422 and 'id="file-error"' in bad.text
    assert site.events() == before

    checked = _send(site, csrf, _filled(site, action_id, "40"), decision="check")
    assert checked.status_code == 200 and "1 baris siap diterapkan" in checked.text
    assert site.events() == before
    sha = re.search(r'name="sha256" value="([0-9a-f]{64})"', checked.text)
    assert sha is not None
    fields = {"sha256": sha.group(1), "file_name": "laporan-B04.csv", "decision": "apply"}
    applied = _send(site, csrf, **fields)
    assert applied.status_code == 303, applied.text
    assert applied.headers["location"].startswith(f"{W}?batch=")
    assert site.events()[len(before) :] == [
        "ActionStarted",
        "ProgressReportSubmitted",
        "ImportApplied",
    ]
    shown = site.client.get(applied.headers["location"]).text
    assert "Diterapkan: 1 baris, 2 peristiwa" in shown and sha.group(1) in shown

    again = _send(site, csrf, **fields)
    assert again.status_code == 303 and "sudah=1" in again.headers["location"]
    assert "sudah pernah diterapkan" in site.client.get(again.headers["location"]).text
    assert len(site.events()) == len(before) + 3


def test_other_roles_and_forms_without_the_token_are_refused(site: Site) -> None:
    _, action_id = plan_action(site)
    csrf = site.browser("kanwil_jatim")
    assert site.client.get(W).status_code == 403
    before = site.events()
    assert _send(site, csrf, _filled(site, action_id, "40")).status_code == 403
    site.browser("pemda_blitar")
    assert _send(site, "not-the-token", _filled(site, action_id, "40")).status_code == 403
    assert site.events() == before


def _job(site: Site, location: str) -> Job:
    job_id = location.split("/tugas/")[1].split("?", maxsplit=1)[0]
    job = site.services.imports.get(job_id, ACCOUNTS["pemda_blitar"].user_id)
    assert job is not None
    assert job.finished.wait(10)  # the background task ends; its page then shows the result
    return job


def test_a_long_import_goes_on_in_the_background_with_a_page_that_shows_its_result() -> None:
    for site in make_site(import_wait_seconds=0):
        _, action_id = plan_action(site)
        csrf = site.browser("pemda_blitar")
        before = site.events()
        checking = _send(site, csrf, _filled(site, action_id, "40"), decision="check")
        assert checking.status_code == 303
        assert checking.headers["location"].startswith(f"{W}/tugas/")
        _job(site, checking.headers["location"])
        checked = site.client.get(checking.headers["location"])
        assert checked.status_code == 200 and "1 baris siap diterapkan" in checked.text
        sha = re.search(r'name="sha256" value="([0-9a-f]{64})"', checked.text)
        assert sha is not None and site.events() == before

        fields = {"sha256": sha.group(1), "file_name": "laporan-B04.csv", "decision": "apply"}
        applying = _send(site, csrf, **fields)
        assert applying.status_code == 303 and "/tugas/" in applying.headers["location"]
        _job(site, applying.headers["location"])
        done = site.client.get(applying.headers["location"], **NO_REDIRECTS)
        assert done.status_code == 303 and done.headers["location"].startswith(f"{W}?batch=")
        assert site.events()[len(before) :][-1] == "ImportApplied"

        site.browser("pemda_semarang")  # another account does not see the job
        assert site.client.get(applying.headers["location"]).status_code == 404


def test_a_running_import_shows_the_rows_done_and_refreshes_itself(site: Site) -> None:
    site.browser("pemda_blitar")
    owner = ACCOUNTS["pemda_blitar"].user_id
    job = Job(id="berjalan", owner=owner, about={"name": "rencana.xlsx", "apply": False})
    site.services.imports.add(job)
    reading = site.client.get(f"{W}/tugas/berjalan")
    assert reading.status_code == 200 and "Membaca berkas" in reading.text
    job.progress(1234, 5000)
    page = site.client.get(f"{W}/tugas/berjalan")
    assert page.status_code == 200 and page.headers["refresh"] == "1"
    assert '<meta http-equiv="refresh" content="1">' in page.text
    assert '<progress id="baris" max="5000" value="1234">' in page.text
    assert "Memeriksa rencana.xlsx" in page.text
    assert "1.234 dari 5.000 baris diperiksa (24%)" in page.text
    english = site.client.get(f"{W}/tugas/berjalan?lang=en").text
    assert "1,234 of 5,000 rows checked (24%)" in english
    assert site.client.get(f"{W}/tugas/tidak-ada").status_code == 404


def test_finished_jobs_are_forgotten_a_quarter_of_an_hour_after_they_end() -> None:
    now = [0.0]
    jobs = ImportJobs(clock=lambda: now[0])

    async def two() -> None:
        async def work(job: Job) -> str:
            job.progress(1, 1)
            return "selesai"

        first, task = jobs.start("a", work)
        await task
        assert first.result == "selesai" and first.percent == 100
        assert jobs.get(first.id, "b") is None  # only its owner's
        now[0] = KEPT_FOR + 1
        second, task = jobs.start("a", work)  # starting one prunes the stale
        await task
        assert jobs.get(first.id, "a") is None and jobs.get(second.id, "a") is second

    asyncio.run(two())
