"""Spreadsheet import in the workspace (/kerja/impor): download a template for the region,
upload it to check (a dry run: every row's refusal listed by row and column, nothing
written), then apply the file just checked without choosing it again (it is kept in the
file store by its SHA-256). Success redirects to the batch's summary (POST-redirect-GET)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import MediaType, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.response import Redirect

from domain.access import NotAllowed, Principal, SignInRequired
from domain.errors import DomainError, InvalidInput
from domain.values import Role
from tracker import catalogue
from tracker.http.deps import Bus, Files
from tracker.http.principal import Who
from tracker.http.reading import Reads, wait_after
from tracker.imports import service, sheets
from tracker.web.render import lang_of
from tracker.web.workspace_common import refused_page, render, sign_in_first

PATH = "/kerja/impor"
KEPT = "application/vnd.tracker.import"  # the media type an upload is kept under


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


@post(
    PATH,
    include_in_schema=False,
    status_code=303,
    request_max_body_size=sheets.MAX_BYTES + (1 << 20),
)
async def import_upload(
    request: Request[Any, Any, Any], reads: Reads, bus: Bus, files: Files, who: Who
) -> Response[Any]:
    form = await request.form()
    dry_run = form.get("decision") != "apply"
    lang = lang_of(request)
    try:
        content, name = await _content(form, files)
        region = who.region_code or ""  # not a Pemda account: the policy refuses it
        report = await service.run(
            bus, reads.data, who, region, content, name, dry_run=dry_run, lang=lang
        )
    except (NotAllowed, SignInRequired) as refusal:
        return refused_page(request, who, refusal)
    except DomainError as error:  # the file as a whole: the reason beside the file field
        message = catalogue.refusal(error, lang)
        return await _page(request, reads, who, error=message, status=422)
    if report.applied or report.already_applied:
        shown = {"batch": report.batch_id, "lang": lang}
        if report.already_applied:
            shown["sudah"] = "1"
        if report.position:
            shown["after"] = str(report.position)
        return Redirect(f"{PATH}?{urlencode(shown)}", status_code=303)
    if dry_run and not report.errors:
        await files.put(content, KEPT)  # so "apply" needs no second upload
    status = 422 if report.errors else 200
    return await _page(request, reads, who, report=report, status=status)


HANDLERS: list[Any] = [import_page, import_upload]
