"""/api/v1/imports: spreadsheet templates to download, and uploading one for a dry run or
to apply it (tracker/imports/service.py does the work for every front door)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery

from adapters.reference_data import region_catalogue
from domain import access
from domain.access import Target
from domain.commands import ApplyImport
from domain.errors import InvalidInput
from tracker import catalogue
from tracker.errors import NotFound
from tracker.http.deps import Bus, Reader
from tracker.http.openapi_docs import RESPONDS
from tracker.http.principal import Who
from tracker.http.problems import problem
from tracker.imports import service, sheets
from tracker.imports.prefill import template_file
from tracker.imports.templates import TEMPLATES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Region = Annotated[str, msgspec.Meta(examples=["35.72"])]
BODY_LIMIT = sheets.MAX_BYTES + (1 << 20)  # the file and the form around it


def _lang(request: Request[Any, Any, Any], lang: str | None) -> str:
    if lang in catalogue.LANGUAGES:
        return str(lang)
    accepted = request.headers.get("accept-language", "").strip().lower()
    return "en" if accepted.startswith("en") else catalogue.DEFAULT


def report_response(request: Request[Any, Any, Any], report: service.ImportReport) -> Any:
    """200 for a dry run or a file already applied, 201 once applied; 422 when rows were
    refused (nothing written), with every refusal by row and column."""
    body = msgspec.to_builtins(report)
    if report.applied:
        return Response(body, status_code=201)
    if report.errors and not report.dry_run:
        n = len(report.errors)
        return problem(request, 422, "import-refused", "error.import-refused", {"n": n}, **body)
    return Response(body, status_code=200)


class ImportController(Controller):
    path = "/imports"
    tags = ("imports",)

    @get(
        "/templates/{name:str}",
        summary="Unduh templat impor / download an import template",
        opt={RESPONDS: ("read", "template")},
        description="`rencana-aksi.xlsx`, `rencana-aksi.csv`, `laporan.xlsx` or `laporan.csv`; "
        "with `region` the plan lists the commitments it signed and the progress sheet its "
        "open actions.",
    )
    async def download(
        self,
        request: Request[Any, Any, Any],
        reader: Reader,
        name: FromPath[str],
        region: FromQuery[Region],
        lang: FromQuery[str | None] = None,
    ) -> Response[bytes]:
        stem, _, ext = name.partition(".")
        template = TEMPLATES.get(stem)
        if template is None or ext not in ("xlsx", "csv"):
            raise NotFound("template", name)
        code = region_catalogue().require(region).code
        content = await template_file(reader, template, code, _lang(request, lang), ext == "xlsx")
        filename = f"{stem}-{code}.{ext}"
        return Response(
            content,
            media_type=XLSX if ext == "xlsx" else "text/csv",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    @post(
        "/",
        summary="Impor lembar kerja / import a spreadsheet",
        description="Multipart `file` (.xlsx or .csv from a template). `dry_run=true` checks "
        "every row with the same rules and policy as the API and writes nothing; otherwise all "
        "rows are applied as one batch or, if any is refused, none. The same file again is "
        "answered `already_applied`.",
        request_max_body_size=BODY_LIMIT,
        status_code=200,
    )
    async def upload(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        reader: Reader,
        who: Who,
        region: FromQuery[Region],
        dry_run: FromQuery[bool] = False,
        lang: FromQuery[str | None] = None,
    ) -> Any:
        access.authorize(ApplyImport.RULE, who, Target(region_code=region))  # before the body
        form = await request.form()
        chosen = form.get("file")
        if not isinstance(chosen, UploadFile):
            raise InvalidInput("import-empty")
        content = await chosen.read(sheets.MAX_BYTES + 1)
        report = await service.run(
            bus,
            reader,
            who,
            region,
            content,
            chosen.filename or "impor",
            dry_run=dry_run,
            lang=_lang(request, lang),
        )
        return report_response(request, report)
