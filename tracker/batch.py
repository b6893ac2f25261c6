"""The unit of work of a spreadsheet import (`ApplyImport`): every row is the command it
would be through the API, decided in order against the states the earlier rows leave, with
its own policy and rules; a refused row is listed with its reason and never stops the check.
A dry run writes nothing. An application writes only when no row is refused: every row's
events and the batch's `ImportApplied` (naming each of them) in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from uuid import UUID

import msgspec
import structlog

from adapters.errors import ConcurrencyConflict
from adapters.store_types import Write
from domain import access, import_batch
from domain.access import Principal, Target
from domain.commands import ApplyImport, Command
from domain.errors import DomainError, InvalidInput, Refusal
from domain.evidence_files import stored_file_of
from domain.import_batch import EventRef, ImportBatch
from domain.registry import EVOLVERS
from tracker.errors import NotFound, StaleVersion

if TYPE_CHECKING:
    from tracker.bus import MessageBus

Progress = Callable[[int, int], None]  # (rows done, rows in all)


class RowRefusal(msgspec.Struct, frozen=True):
    index: int  # 0-based, in the order the rows were given
    error: Refusal


class ImportOutcome(msgspec.Struct, frozen=True, kw_only=True):
    batch_id: UUID
    dry_run: bool
    rows: int
    refused: tuple[RowRefusal, ...]
    applied: bool = False
    already: ImportBatch | None = None  # the earlier application of the same file
    events: int = 0
    position: int = 0  # the batch event's position: what readers wait for


class _Pending:
    """States as the rows so far leave them, over the event store's."""

    def __init__(self, bus: MessageBus) -> None:
        self.bus = bus
        self.writes: dict[UUID, Write] = {}  # first state loaded, every event since
        self.current: dict[UUID, Any] = {}

    def find(self, kind: str, aggregate_id: UUID) -> Any | None:
        if aggregate_id in self.current:
            return self.current[aggregate_id]
        return self.bus.find(kind, aggregate_id)

    def add(self, kind: str, aggregate_id: UUID, state: Any | None, events: list[Any]) -> None:
        base = self.writes.get(aggregate_id) or Write(kind, aggregate_id, state, [])
        self.writes[aggregate_id] = base._replace(events=[*base.events, *events])
        for event in events:
            state = EVOLVERS[kind](state, event)
        self.current[aggregate_id] = state

    def caused(self) -> tuple[EventRef, ...]:
        refs = []
        for write in self.writes.values():
            first = write.state.version if write.state is not None else 0
            refs += [
                EventRef(aggregate_id=write.aggregate_id, version=first + n, type=type(e).__name__)
                for n, e in enumerate(write.events, start=1)
            ]
        return tuple(refs)


def _links_only(row: Command) -> None:
    """A spreadsheet links evidence; a file stored by the tracker is attached in the form."""
    if any(stored_file_of(e.url) is not None for e in getattr(row, "evidence", ())):
        raise InvalidInput("evidence-file")


def apply_import(
    bus: MessageBus, command: ApplyImport, who: Principal, progress: Progress | None = None
) -> ImportOutcome:
    access.authorize(command.RULE, who, Target(region_code=command.region_code))
    ident = import_batch.batch_id(command.region_code, command.template, command.sha256)
    earlier = bus.find("import_batch", ident)
    if earlier is not None:
        rows = len(command.rows)
        return ImportOutcome(
            batch_id=ident, dry_run=command.dry_run, rows=rows, refused=(), already=earlier
        )
    pending, refused = _Pending(bus), []
    for index, row in enumerate(command.rows):
        try:
            _links_only(row)
            kind, aggregate_id, state, events = bus.decide(row, who, find=pending.find)
        except DomainError as error:  # a rule, or the row's policy (NotAllowed)
            refused.append(RowRefusal(index, error))
        except NotFound as missing:
            refused.append(RowRefusal(index, InvalidInput("import-not-found", id=missing.ident)))
        else:
            pending.add(kind, aggregate_id, state, events)
        if progress is not None:
            progress(index + 1, len(command.rows))
    outcome = ImportOutcome(
        batch_id=ident, dry_run=command.dry_run, rows=len(command.rows), refused=tuple(refused)
    )
    if command.dry_run or refused:
        return outcome
    at = bus.clock()
    applied = import_batch.record(
        None,
        region_code=command.region_code,
        template=command.template,
        template_version=command.template_version,
        file_name=command.file_name,
        file_size=command.file_size,
        sha256=command.sha256,
        rows=len(command.rows),
        caused=pending.caused(),
        regions=bus.regions,
        actor=bus.actor_of(who, at),
        at=at,
    )
    writes = [*pending.writes.values(), Write("import_batch", ident, None, [applied])]
    try:
        written = bus.store.append_all(writes)
    except ConcurrencyConflict:
        again = bus.find("import_batch", ident)
        if again is not None:  # the same file, applied by a double click a moment earlier
            return msgspec.structs.replace(outcome, already=again)
        raise StaleVersion(None, None) from None
    position = written[-1][1]
    structlog.get_logger("bus").info(
        "command.handled",
        command="ApplyImport",
        user_id=who.user_id,
        aggregate_id=str(ident),
        rows=len(command.rows),
        events=len(applied.caused) + 1,
        position=position,
    )
    return msgspec.structs.replace(
        outcome, applied=True, events=len(applied.caused), position=position
    )
