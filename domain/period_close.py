"""Period closure: a Kanwil (or the ministry) closes a reporting period for a province or one
region, after which a report for that period is a correction, kept beside the original.

One aggregate per place and period, with an id derived from both (`closure_id`), so the
report decider can look it up without an index and two closers of one period meet on
the same stream (the second is refused, not duplicated).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid5

import msgspec

from domain.errors import InvalidInput, RuleViolated
from domain.events import DomainEvent
from domain.period import ReportingPeriod
from domain.regions import RegionCatalogue, time_zone
from domain.values import Actor, require_reason

_NAMESPACE = UUID("6f1d3a52-3c1e-4c41-9d7e-2b8f0c5a9e11")


def closure_id(place_code: str, period: ReportingPeriod) -> UUID:
    return uuid5(_NAMESPACE, f"period-closure/{place_code}/{period.label}")


class ReportingPeriodClosed(DomainEvent, frozen=True, kw_only=True):
    closure_id: UUID
    place_code: str  # a province ("33") or one kab/kota ("33.75")
    province_code: str
    period: ReportingPeriod
    note: str


class ReportingPeriodReopened(DomainEvent, frozen=True, kw_only=True):
    """Closed by mistake or too early; reports are ordinary again until it closes anew."""

    reason: str


PeriodClosureEvent = ReportingPeriodClosed | ReportingPeriodReopened


class PeriodClosure(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    version: int
    place_code: str
    province_code: str
    period: ReportingPeriod
    title: str  # the period's label: what lists and feeds name it by
    closed: bool
    note: str
    closed_by: Actor
    closed_at: datetime
    reopen_reason: str | None
    created_at: datetime
    updated_at: datetime


def close(
    state: PeriodClosure | None,
    *,
    place_code: str,
    period: ReportingPeriod,
    note: str,
    regions: RegionCatalogue,
    actor: Actor,
    at: datetime,
) -> ReportingPeriodClosed:
    place = regions.require(place_code)
    if state is not None and state.closed:
        raise RuleViolated("period-already-closed", period_label=period.label)
    if time_zone(place.code).local(at).date() <= period.ends_on:
        raise InvalidInput("period-not-ended", period_label=period.label)
    return ReportingPeriodClosed(
        closure_id=closure_id(place.code, period),
        place_code=place.code,
        province_code=place.province_code,
        period=period,
        note=note.strip(),
        actor=actor,
        at=at,
    )


def reopen(
    state: PeriodClosure, *, reason: str | None, actor: Actor, at: datetime
) -> ReportingPeriodReopened:
    if not state.closed:
        raise RuleViolated("period-not-closed", period_label=state.period.label)
    return ReportingPeriodReopened(reason=require_reason(reason), actor=actor, at=at)


def evolve(state: PeriodClosure | None, event: PeriodClosureEvent) -> PeriodClosure:
    if isinstance(event, ReportingPeriodClosed):
        if state is None:
            return PeriodClosure(
                id=event.closure_id,
                version=1,
                place_code=event.place_code,
                province_code=event.province_code,
                period=event.period,
                title=event.period.label,
                closed=True,
                note=event.note,
                closed_by=event.actor,
                closed_at=event.at,
                reopen_reason=None,
                created_at=event.at,
                updated_at=event.at,
            )
        return msgspec.structs.replace(
            state,
            version=state.version + 1,
            closed=True,
            note=event.note,
            closed_by=event.actor,
            closed_at=event.at,
            reopen_reason=None,
            updated_at=event.at,
        )
    assert state is not None
    return msgspec.structs.replace(
        state,
        version=state.version + 1,
        closed=False,
        reopen_reason=event.reason,
        updated_at=event.at,
    )


def holds_for(closure_place: str, place: str) -> bool:
    """A province's closure holds for each of its regions; a region's only for itself."""
    return closure_place in (place, place.split(".", 1)[0])


def closed_for(
    closures: tuple[PeriodClosure | None, ...],
) -> PeriodClosure | None:
    """The closure in force among a region's own and its province's, if any."""
    return next((c for c in closures if c is not None and c.closed), None)
