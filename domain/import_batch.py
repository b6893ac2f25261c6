"""An import batch: a spreadsheet applied as one all-or-nothing unit, and the record of it.

Its id is derived from the region, the template and the file's SHA-256, so the same file
applied twice meets the same stream: the first application records `ImportApplied`, a second
is refused (`import-already-applied`) and the front doors answer it as the no-op it is. The
event names every event the batch caused (aggregate id and version), written in the same
transaction, so an auditor can tell which actions and reports came from which file.
"""

from __future__ import annotations

import re
from datetime import datetime
from uuid import UUID, uuid5

import msgspec

from domain.errors import InvalidInput, RuleViolated
from domain.events import DomainEvent
from domain.regions import RegionCatalogue
from domain.values import Actor, require_text

_NAMESPACE = UUID("5f3a1d2e-7c4b-4e8a-9b61-2d0f8e7a6c15")
_SHA256 = re.compile(r"[0-9a-f]{64}")
TEMPLATES = ("rencana-aksi", "laporan")  # a region's action plan; a period's progress


def batch_id(region_code: str, template: str, sha256: str) -> UUID:
    return uuid5(_NAMESPACE, f"import/{region_code}/{template}/{sha256}")


class EventRef(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One event a batch caused: its aggregate, its version there and its type."""

    aggregate_id: UUID
    version: int
    type: str


class ImportApplied(DomainEvent, frozen=True, kw_only=True):
    batch_id: UUID
    region_code: str
    province_code: str
    template: str
    template_version: str
    file_name: str
    file_size: int
    sha256: str
    rows: int
    caused: tuple[EventRef, ...]


ImportEvent = ImportApplied


class ImportBatch(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    version: int
    region_code: str
    province_code: str
    title: str  # what lists and feeds name it by
    template: str
    template_version: str
    file_name: str
    file_size: int
    sha256: str
    rows: int
    caused: tuple[EventRef, ...]
    applied_by: Actor
    created_at: datetime
    updated_at: datetime


def record(
    state: ImportBatch | None,
    *,
    region_code: str,
    template: str,
    template_version: str,
    file_name: str,
    file_size: int,
    sha256: str,
    rows: int,
    caused: tuple[EventRef, ...],
    regions: RegionCatalogue,
    actor: Actor,
    at: datetime,
) -> ImportApplied:
    if state is not None:
        raise RuleViolated("import-already-applied", when=state.created_at.date().isoformat())
    region = regions.require(region_code)
    if template not in TEMPLATES:
        raise InvalidInput("import-template", template=template)
    if not _SHA256.fullmatch(sha256):
        raise InvalidInput("import-sha256")
    if file_size <= 0 or rows <= 0 or not caused:
        raise InvalidInput("import-empty")
    return ImportApplied(
        batch_id=batch_id(region.code, template, sha256),
        region_code=region.code,
        province_code=region.province_code,
        template=template,
        template_version=template_version,
        file_name=require_text(file_name, "file_name", max_length=255),
        file_size=file_size,
        sha256=sha256,
        rows=rows,
        caused=caused,
        actor=actor,
        at=at,
    )


def evolve(state: ImportBatch | None, event: ImportEvent) -> ImportBatch:
    return ImportBatch(
        id=event.batch_id,
        version=(state.version if state else 0) + 1,
        region_code=event.region_code,
        province_code=event.province_code,
        title=f"{event.template}: {event.rows} baris",  # no file name in public lists
        template=event.template,
        template_version=event.template_version,
        file_name=event.file_name,
        file_size=event.file_size,
        sha256=event.sha256,
        rows=event.rows,
        caused=event.caused,
        applied_by=event.actor,
        created_at=event.at,
        updated_at=event.at,
    )
