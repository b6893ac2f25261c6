"""Import a spreadsheet for a region: who may is decided first, then the file is read, each
row becomes its command, and the bus checks (dry run) or applies them as one batch. Every
refusal is listed by spreadsheet row and column in the caller's language; nothing is written
unless every row passes. The same file applied again is answered as already applied.

The API, the workspace page and `tracker import` all call `run`.
"""

from __future__ import annotations

import hashlib

import anyio.to_thread
import msgspec

from domain import access
from domain.access import Principal, Target
from domain.commands import ApplyImport, Command
from domain.errors import DomainError, InvalidInput, Refusal
from tracker import catalogue, queries
from tracker.batch import ImportOutcome, Progress
from tracker.bus import MessageBus
from tracker.fields.reports import field_of
from tracker.imports import sheets
from tracker.imports.rows import COLUMN_OF_FIELD, command_of
from tracker.imports.templates import PLAN, Template, header, identify
from tracker.ports import ReadStore


class RowError(msgspec.Struct, frozen=True):
    row: int  # as the spreadsheet numbers it (the header is row 1)
    column: str  # the column's header in the caller's language; "" for the whole row
    code: str
    message: str


class ImportReport(msgspec.Struct, frozen=True, kw_only=True):
    template: str
    template_version: str
    file_name: str
    size: int
    sha256: str
    rows: int
    skipped_empty_rows: int
    dry_run: bool
    errors: list[RowError]
    applied: bool
    already_applied: bool
    batch_id: str
    events: int = 0
    position: int = 0
    applied_at: str | None = None  # when the same file was first applied


def _error(row: int, error: Refusal, template: Template, lang: str) -> RowError:
    field = field_of(error)
    key = COLUMN_OF_FIELD.get(field, field)
    names = dict(zip(template.keys(), header(template, lang), strict=True))
    return RowError(row, names.get(key, ""), error.code, catalogue.refusal(error, lang))


async def run(
    bus: MessageBus,
    data: ReadStore,
    who: Principal,
    region_code: str,
    content: bytes,
    file_name: str,
    *,
    dry_run: bool,
    lang: str = catalogue.DEFAULT,
    progress: Progress | None = None,
) -> ImportReport:
    access.authorize(ApplyImport.RULE, who, Target(region_code=region_code))
    region = bus.regions.require(region_code)
    sha256 = await anyio.to_thread.run_sync(lambda: hashlib.sha256(content).hexdigest())
    sheet = await anyio.to_thread.run_sync(sheets.read, content)
    template = identify(sheet.header, sheet.meta)
    if not sheet.rows:
        raise InvalidInput("import-empty")
    commitments = (
        await queries.commitments(data, region_code=region.code) if template is PLAN else []
    )
    commands: list[Command] = []
    numbers: list[int] = []
    errors: list[RowError] = []
    for number, cells in sheet.rows:
        try:
            commands.append(command_of(template, region.code, cells, commitments))
            numbers.append(number)
        except DomainError as error:
            errors.append(_error(number, error, template, lang))
    command = ApplyImport(
        region_code=region.code,
        template=template.name,
        template_version=template.version,
        file_name=file_name.strip() or "impor",
        file_size=len(content),
        sha256=sha256,
        rows=tuple(commands),
        dry_run=dry_run or bool(errors),
    )
    outcome: ImportOutcome = await anyio.to_thread.run_sync(bus.run_import, command, who, progress)
    errors += [_error(numbers[r.index], r.error, template, lang) for r in outcome.refused]
    errors.sort(key=lambda e: e.row)
    already = outcome.already
    return ImportReport(
        template=template.name,
        template_version=template.version,
        file_name=command.file_name,
        size=len(content),
        sha256=sha256,
        rows=len(sheet.rows),
        skipped_empty_rows=sheet.skipped,
        dry_run=dry_run,
        errors=errors,
        applied=outcome.applied,
        already_applied=already is not None,
        batch_id=str(outcome.batch_id),
        events=outcome.events,
        position=outcome.position,
        applied_at=already.created_at.isoformat() if already is not None else None,
    )
