"""The reminder process manager's rules: given what an action owes (domain/obligations.py)
and the day, which reminders are due. Pure: the tick that asks is an input, so tests drive
the clock, and the issuing is idempotent (domain/reminder.py), so asking twice is harmless.

Before the due day the OPD that owns the work and the region's coordinator are reminded
once at the most urgent stage reached — 14, 7 and 1 days ahead (a stage missed while the
tracker was down is not sent late once a later one applies). After it, the coordinator is
told the day after, then the Kanwil of the province a week later. A returned report is
told to the account that filed it as soon as the tick sees it. Nothing older than
WINDOW_DAYS is sent: the due list shows it, and a first start on an old log does not flood
anyone's inbox.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import msgspec

from domain.obligations import Due, DueState
from domain.reminder import Audience, AudienceKind, Stage, reminder_id

BEFORE = ((1, Stage.DUE_1), (7, Stage.DUE_7), (14, Stage.DUE_14))  # most urgent first
LATE_AFTER_DAYS = 1  # the coordinator, from the day after the due day
KANWIL_AFTER_DAYS = 8  # the Kanwil, a week after that
WINDOW_DAYS = 30  # late and returned notices stop this many days after the fact


class Planned(msgspec.Struct, frozen=True, kw_only=True):
    reminder_id: UUID
    stage: Stage
    due: Due
    to: tuple[Audience, ...]


def _before(due: Due, today: date) -> list[Planned]:
    left = (due.due_on - today).days
    for days, stage in BEFORE:
        if 0 <= left <= days:
            to = (
                Audience(kind=AudienceKind.OPD, region_code=due.region_code, opd=due.owner_opd),
                Audience(kind=AudienceKind.COORDINATOR, region_code=due.region_code),
            )
            ident = reminder_id(due.action_id, due.step_id, due.period, stage)
            return [Planned(reminder_id=ident, stage=stage, due=due, to=to)]
    return []


def _late(due: Due, today: date) -> list[Planned]:
    late = (today - due.due_on).days
    if late > WINDOW_DAYS:
        return []
    out = []
    stages = (
        (LATE_AFTER_DAYS, Stage.LATE, AudienceKind.COORDINATOR),
        (KANWIL_AFTER_DAYS, Stage.LATE_KANWIL, AudienceKind.KANWIL),
    )
    for days, stage, kind in stages:
        if late >= days:
            ident = reminder_id(due.action_id, due.step_id, due.period, stage)
            to = (Audience(kind=kind, region_code=due.region_code),)
            out.append(Planned(reminder_id=ident, stage=stage, due=due, to=to))
    return out


def recently_returned(due: Due, returned_at: datetime | None, today: date) -> bool:
    """Whether a returned report is still to be told to its author (within the window)."""
    if due.state is not DueState.RETURNED or returned_at is None:
        return False
    return (today - returned_at.date()).days <= WINDOW_DAYS


def returned(due: Due, author: str, returned_at: datetime, today: date) -> list[Planned]:
    """The notice of a returned report to its author: one per return (a report returned,
    resubmitted and returned again is told twice)."""
    if not recently_returned(due, returned_at, today):
        return []
    stage = Stage.RETURNED
    ident = reminder_id(due.action_id, due.step_id, due.period, stage, returned_at.isoformat())
    to = (Audience(kind=AudienceKind.ACCOUNT, region_code=due.region_code, user_id=author),)
    return [Planned(reminder_id=ident, stage=stage, due=due, to=to)]


def plan(due: Due, today: date) -> list[Planned]:
    """The deadline reminders this obligation calls for on `today` (returned reports: see
    `returned`, which needs the report's author)."""
    if due.state in (DueState.UPCOMING, DueState.OPEN):
        return _before(due, today)
    if due.state is DueState.LATE:
        return _late(due, today)
    return []
