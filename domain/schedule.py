"""The reporting schedule of a year: the day each period's report is due.

By default a period's report is due REPORTING_GRACE_DAYS after it ends (domain/period.py:
RANHAM's four-monthly B04/B08/B12 reports fall due in the following month). The ministry
may set other days for a year — a holiday, a national circular — as one event that lists
every period whose deadline differs from the default; setting it again replaces the table
and needs a reason. A report records the deadline it was filed against (`due_on` on
`ProgressReportSubmitted`), so whether it was late never changes when the table does, and a
replay of the log gives the same answer on any day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from uuid import UUID, uuid5

import msgspec

from domain.errors import InvalidInput
from domain.events import DomainEvent
from domain.period import PeriodKind, ReportingPeriod
from domain.values import Actor, require_reason

_NAMESPACE = UUID("0b7c9e44-2f5d-4a61-8c3e-91d6a4f27b58")
LATEST_DEADLINE_DAYS = 120  # after the period ends; later than that it is no schedule
DEFAULT_CADENCE = PeriodKind.FOUR_MONTHLY  # an action with no cadence reports four-monthly


def schedule_id(year: int) -> UUID:
    return uuid5(_NAMESPACE, f"reporting-schedule/{year}")


class PeriodDeadline(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    period: ReportingPeriod
    due_on: date


class ReportingScheduleSet(DomainEvent, frozen=True, kw_only=True):
    schedule_id: UUID
    year: int
    deadlines: tuple[PeriodDeadline, ...]  # periods not listed keep the default deadline
    reason: str | None = None  # why a set table is replaced


ScheduleEvent = ReportingScheduleSet


class ReportingSchedule(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    version: int
    year: int
    title: str  # what lists and feeds name it by
    deadlines: tuple[PeriodDeadline, ...]
    reason: str | None
    set_by: Actor
    created_at: datetime
    updated_at: datetime


def due_on(schedule: ReportingSchedule | None, period: ReportingPeriod) -> date:
    """The day a report for `period` is due under the year's table, or by default."""
    if schedule is not None:
        for entry in schedule.deadlines:
            if entry.period == period:
                return entry.due_on
    return period.deadline


def set_schedule(
    state: ReportingSchedule | None,
    *,
    year: int,
    deadlines: Iterable[PeriodDeadline],
    reason: str | None,
    actor: Actor,
    at: datetime,
) -> ReportingScheduleSet:
    if not 2000 <= year <= 2100:
        raise InvalidInput("schedule-year", year=year)
    seen: set[ReportingPeriod] = set()
    kept: list[PeriodDeadline] = []
    for entry in deadlines:
        period = entry.period
        if period.year != year:
            raise InvalidInput("schedule-period-year", period_label=period.label, year=year)
        if period in seen:
            raise InvalidInput("schedule-period-twice", period_label=period.label)
        seen.add(period)
        if entry.due_on < period.ends_on:
            raise InvalidInput("schedule-due-before-end", period_label=period.label)
        if entry.due_on > period.ends_on + timedelta(days=LATEST_DEADLINE_DAYS):
            raise InvalidInput(
                "schedule-due-too-late", period_label=period.label, days=LATEST_DEADLINE_DAYS
            )
        if entry.due_on != period.deadline:  # the default needs no entry
            kept.append(entry)
    return ReportingScheduleSet(
        schedule_id=schedule_id(year),
        year=year,
        deadlines=tuple(sorted(kept, key=lambda e: e.period.order)),
        reason=require_reason(reason) if state is not None or _given(reason) else None,
        actor=actor,
        at=at,
    )


def _given(text: str | None) -> bool:
    return text is not None and bool(text.strip())


def evolve(state: ReportingSchedule | None, event: ScheduleEvent) -> ReportingSchedule:
    return ReportingSchedule(
        id=event.schedule_id,
        version=(state.version if state else 0) + 1,
        year=event.year,
        title=f"Jadwal pelaporan {event.year}",
        deadlines=event.deadlines,
        reason=event.reason,
        set_by=event.actor,
        created_at=state.created_at if state else event.at,
        updated_at=event.at,
    )
