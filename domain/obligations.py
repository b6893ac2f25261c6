"""What an action owes: one progress report per period of its cadence, due on the day the
year's reporting schedule gives (domain/schedule.py), and how each stands on a given day.

An action owes the periods from the one it was planned in up to its due date — and on past
it while it stays open, since an overdue action still reports —, but none that ends after it
was declared complete or cancelled. An action split into steps owes per step, from the step's
addition to its own due date, and the step's OPD is the one reminded. A period with a report
on it always shows, whatever these bounds say.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

import msgspec

from domain.action_state import Action, ActionStatus, ReportStatus
from domain.period import PeriodKind, ReportingPeriod
from domain.regions import time_zone
from domain.schedule import DEFAULT_CADENCE


class DueState(StrEnum):
    UPCOMING = "upcoming"  # the period has not ended yet
    OPEN = "open"  # it has ended and the report is due, not yet late
    LATE = "late"  # the due day has passed with no report
    RETURNED = "returned"  # the Kanwil returned the report: it must be submitted again
    FILED = "filed"  # a report stands, filed on time
    FILED_LATE = "filed_late"  # a report stands, filed after its due day
    VERIFIED = "verified"  # the standing report is verified


WAITING = (DueState.OPEN, DueState.LATE, DueState.RETURNED)  # the region has to act


class Due(msgspec.Struct, frozen=True, kw_only=True):
    action_id: UUID
    step_id: UUID | None
    region_code: str
    owner_opd: str
    title: str  # the action's, or the step's on an action split into steps
    period: ReportingPeriod
    due_on: date
    state: DueState
    report_id: UUID | None = None


DueDay = Callable[[ReportingPeriod], date]  # the schedule's due day of a period


class Unit(msgspec.Struct, frozen=True, kw_only=True):
    """What owes reports: the action itself, or each of its steps."""

    step_id: UUID | None
    title: str
    owner_opd: str
    starts_on: date  # the day it was planned or added, on the region's calendar
    due_on: date


class Filed(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    period: ReportingPeriod
    step_id: UUID | None
    status: ReportStatus
    late: bool
    due_on: date | None  # as its event recorded it
    returned_at: datetime | None = None  # when the Kanwil returned it, while it stands returned


class ReportingFacts(msgspec.Struct, frozen=True, kw_only=True):
    """The part of an action that says what it owes, stored with its read model so a reader
    needs neither the whole state nor the log to answer "what is due"."""

    action_id: UUID
    region_code: str
    cadence: PeriodKind
    units: tuple[Unit, ...]
    stops_on: date | None  # completed or cancelled that day: no period ending later is owed
    reports: tuple[Filed, ...]

    @classmethod
    def of(cls, action: Action) -> ReportingFacts:
        zone = time_zone(action.region_code)
        ended = _ended_at(action)
        units = [
            Unit(
                step_id=None,
                title=action.title,
                owner_opd=action.owner_opd,
                starts_on=zone.local(action.created_at).date(),
                due_on=action.due_on,
            )
        ]
        if action.steps:
            units = [
                Unit(
                    step_id=s.id,
                    title=s.title,
                    owner_opd=s.owner_opd,
                    starts_on=zone.local(s.added_at).date(),
                    due_on=s.due_on,
                )
                for s in action.steps
            ]
        return cls(
            action_id=action.id,
            region_code=action.region_code,
            cadence=action.cadence or DEFAULT_CADENCE,
            units=tuple(units),
            stops_on=zone.local(ended).date() if ended is not None else None,
            reports=tuple(
                Filed(
                    id=r.id,
                    period=r.period,
                    step_id=r.step_id,
                    status=r.status,
                    late=r.late,
                    due_on=r.due_on,
                    returned_at=r.reviewed_at if r.status is ReportStatus.RETURNED else None,
                )
                for r in action.reports
            ),
        )


def _periods(first: date, last: date, kind: PeriodKind) -> Iterator[ReportingPeriod]:
    period = ReportingPeriod.containing(first, kind)
    while period.starts_on <= last:
        yield period
        period = period.following()


def _state(
    found: list[Filed], period: ReportingPeriod, due: date, today: date
) -> tuple[DueState, UUID | None]:
    standing = [r for r in found if r.status is not ReportStatus.RETURNED]
    if standing:
        report = standing[-1]
        if report.status is ReportStatus.VERIFIED:
            return DueState.VERIFIED, report.id
        return (DueState.FILED_LATE if report.late else DueState.FILED), report.id
    if found:
        return DueState.RETURNED, found[-1].id
    if today <= period.ends_on:
        return DueState.UPCOMING, None
    return (DueState.LATE if today > due else DueState.OPEN), None


def _ended_at(action: Action) -> datetime | None:
    """When the action stopped owing reports: its completion, or its cancellation (the last
    event of a cancelled action, as nothing follows a cancellation)."""
    if action.status in (ActionStatus.COMPLETED, ActionStatus.VERIFIED):
        return action.completed_at
    if action.status is ActionStatus.CANCELLED:
        return action.updated_at
    return None


def obligations(facts: ReportingFacts, due_day: DueDay, today: date) -> list[Due]:
    """Every period the action (or each of its steps) owes, in period order per step."""
    out: list[Due] = []
    stop = facts.stops_on
    for unit in facts.units:
        last = max(unit.due_on, stop if stop is not None else today)
        mine = [r for r in facts.reports if r.step_id == unit.step_id]
        owed = {
            p
            for p in _periods(unit.starts_on, last, facts.cadence)
            if stop is None or p.ends_on < stop
        }
        for period in sorted(owed | {r.period for r in mine}, key=lambda p: p.order):
            found = [r for r in mine if r.period == period]
            recorded = next((r.due_on for r in found if r.due_on is not None), None)
            due = recorded or due_day(period)
            state, report_id = _state(found, period, due, today)
            out.append(
                Due(
                    action_id=facts.action_id,
                    step_id=unit.step_id,
                    region_code=facts.region_code,
                    owner_opd=unit.owner_opd,
                    title=unit.title,
                    period=period,
                    due_on=due,
                    state=state,
                    report_id=report_id,
                )
            )
    return out
