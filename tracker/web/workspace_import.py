"""Spreadsheet import in the workspace (/kerja/impor): download a template for the region,
upload it to check (a dry run: every row's refusal listed by row and column, nothing
written), then apply the file just checked without choosing it again (it is kept in the
file store by its SHA-256). Success redirects to the batch's summary (POST-redirect-GET).
A file that takes longer than TRACKER_IMPORT_WAIT_SECONDS goes on in the background and
the browser is sent to its job's page, which shows the rows done until the result."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any, NamedTuple
from urllib.parse import urlencode
from uuid import UUID

from litestar import MediaType, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect

from domain.access import NotAllowed, Principal, SignInRequired
from domain.errors import DomainError, InvalidInput
from domain.values import Role
from tracker import catalogue
from tracker.bus import MessageBus
from tracker.http.deps import Bus, Config, Files, Jobs
from tracker.http.principal import Who
from tracker.http.reading import Reads, wait_after
from tracker.imports import service, sheets
from tracker.imports.jobs import Job
from tracker.web.render import lang_of
from tracker.web.workspace_common import missing, refused_page, render, sign_in_first

PATH = "/kerja/impor"
KEPT = "application/vnd.tracker.import"  # the media type an upload is kept under
KEEP_CHECKED = timedelta(days=1)  # how long a checked file waits to be applied


async def _page(
    request: Request[Any, Any, Any],
    reads: Reads,
    who: Principal,
    report: service.ImportReport | None = None,
    error: str = "",
    status: int = 200,
) -> Response[Any]:
    if not who.signed_in:
        return sign_in_first(request)
    if who.role is not Role.PEMDA or not who.region_code:
        return refused_page(request, who, NotAllowed("pemda-only"))
    await wait_after(request, reads)
    batch = None
    raw = request.query_params.get("batch", "")
    try:
        batch = await reads.data.load_state("import_batch", UUID(raw)) if raw else None
    except ValueError:
        batch = None
    return render(
        request,
        who,
        "kerja_import.html",
        status,
        region=who.region_code,
        report=report,
        batch=batch,
        already=request.query_params.get("sudah") == "1",
        error=error,
    )


@get(PATH, include_in_schema=False, media_type=MediaType.HTML)
async def import_page(request: Request[Any, Any, Any], reads: Reads, who: Who) -> Response[Any]:
    return await _page(request, reads, who)


async def _content(form: Any, files: Files) -> tuple[bytes, str]:
    """The file chosen now, or the one checked a moment ago (by its fingerprint)."""
    chosen = form.get("file")
    if isinstance(chosen, UploadFile) and chosen.filename:
        return await chosen.read(sheets.MAX_BYTES + 1), chosen.filename
    kept = str(form.get("sha256", ""))
    stored = await files.get(kept) if len(kept) == 64 else None
    if stored is None or stored.media_type != KEPT:
        raise InvalidInput("import-empty")
    return stored.content, str(form.get("file_name", "")) or "impor"


class _Upload(NamedTuple):
    content: bytes
    name: str
    dry_run: bool
    lang: str


async def _work(
    bus: MessageBus, reads: Reads, files: Files, who: Principal, upload: _Upload, job: Job
) -> service.ImportReport:
    """The check or the application, reporting progress to its job; a file that passed its
    check is kept, so that "apply" needs no second upload."""
    content, name, dry_run, lang = upload
    region = who.region_code or ""  # not a Pemda account: the policy refuses it
    report = await service.run(
        bus,
        reads.data,
        who,
        region,
        content,
        name,
        dry_run=dry_run,
        lang=lang,
        progress=job.progress,
    )
    if dry_run and not report.errors:
        await files.put(content, KEPT, transient=True)
    await files.forget_transient(reads.clock() - KEEP_CHECKED)  # checked, never applied
    return report


async def _show(
    request: Request[Any, Any, Any], reads: Reads, who: Principal, result: Any
) -> Response[Any]:
    """A finished job's page: the batch (POST-redirect-GET), the check's rows, or the
    reason the file as a whole was refused, beside the file field."""
    if isinstance(result, NotAllowed | SignInRequired):
        return refused_page(request, who, result)
    if isinstance(result, DomainError):
        message = catalogue.refusal(result, lang_of(request))
        return await _page(request, reads, who, error=message, status=422)
    if isinstance(result, BaseException):
        raise result  # not the file's fault: the application's error handler answers
    report: service.ImportReport = result
    if report.applied or report.already_applied:
        shown = {"batch": report.batch_id, "lang": lang_of(request)}
        if report.already_applied:
            shown["sudah"] = "1"
        if report.position:
            shown["after"] = str(report.position)
        return Redirect(f"{PATH}?{urlencode(shown)}", status_code=303)
    status = 422 if report.errors else 200
    return await _page(request, reads, who, report=report, status=status)


@post(
    PATH,
    include_in_schema=False,
    status_code=303,
    request_max_body_size=sheets.MAX_BYTES + (1 << 20),
)
async def import_upload(
    request: Request[Any, Any, Any],
    reads: Reads,
    bus: Bus,
    files: Files,
    jobs: Jobs,
    config: Config,
    who: Who,
) -> Response[Any]:
    form = await request.form()
    try:  # read now: the request's files are closed once it is answered
        content, name = await _content(form, files)
    except DomainError as error:
        return await _show(request, reads, who, error)
    upload = _Upload(content, name, form.get("decision") != "apply", lang_of(request))
    job, task = jobs.start(
        who.user_id,
        lambda job: _work(bus, reads, files, who, upload, job),
        name=name,
        apply=not upload.dry_run,
    )
    await asyncio.wait({task}, timeout=config.import_wait_seconds)
    if not task.done():  # a long file: its page shows the rows done until it ends
        shown = urlencode({"lang": upload.lang})
        return Redirect(f"{PATH}/tugas/{job.id}?{shown}", status_code=303)
    return await _show(request, reads, who, job.result)


@get(f"{PATH}/tugas/{{job_id:str}}", include_in_schema=False, media_type=MediaType.HTML)
async def import_job(
    request: Request[Any, Any, Any], reads: Reads, jobs: Jobs, who: Who, job_id: FromPath[str]
) -> Response[Any]:
    if not who.signed_in:
        return sign_in_first(request)
    job = jobs.get(job_id, who.user_id)
    if job is None:  # another account's, or ended long ago (or on another server)
        return missing(request, who)
    if job.finished.is_set():
        return await _show(request, reads, who, job.result)
    response = render(request, who, "kerja_import_job.html", job=job)
    response.headers["Refresh"] = "1"
    response.headers["Cache-Control"] = "no-store"
    return response


HANDLERS: list[Any] = [import_page, import_upload, import_job]
