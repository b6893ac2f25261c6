"""A reminder: one notice to the people who must act on a report, recorded as an event.

Each reminder's id is derived from what it is about — the action (or step), the period, the
stage of the escalation and, for a returned report, the moment it was returned — so the
process manager (domain/reminders.py) may decide it again after a restart or on a second
replica: the second attempt meets the same stream and is refused (`reminder-issued`), and
nobody is told twice. Reminders are addressed to roles, not to accounts (the OPD of the
action, the region's coordinator, the Kanwil of the province), except a returned report's
notice, which goes to the account that filed it; who receives it is decided when it is shown
or sent, so a new operator of the OPD sees the reminders addressed to it.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID, uuid5

import msgspec

from domain.access import Principal, province_of
from domain.errors import RuleViolated
from domain.events import DomainEvent
from domain.period import ReportingPeriod
from domain.values import Actor, Role

_NAMESPACE = UUID("8d2f6b1a-4e3c-4f7a-a5d9-3c1b7e0f9a24")


class Stage(StrEnum):
    DUE_14 = "due-14"  # fourteen days or fewer before the due day
    DUE_7 = "due-7"
    DUE_1 = "due-1"  # the day before, or the day itself
    LATE = "late"  # the day after the due day: the coordinator
    LATE_KANWIL = "late-kanwil"  # a week later still missing: the Kanwil of the province
    RETURNED = "returned"  # the Kanwil returned the report: its author, at once


class AudienceKind(StrEnum):
    OPD = "opd"  # the accounts of the region scoped to that OPD
    COORDINATOR = "coordinator"  # the region's accounts with no OPD (Bagian Hukum)
    KANWIL = "kanwil"  # the Kanwil accounts whose jurisdiction holds the province
    ACCOUNT = "account"  # one account


class Audience(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    kind: AudienceKind
    region_code: str
    opd: str | None = None
    user_id: str | None = None

    def includes(self, who: Principal) -> bool:
        if self.kind is AudienceKind.ACCOUNT:
            return who.user_id == self.user_id
        if self.kind is AudienceKind.KANWIL:
            return who.role is Role.KANWIL and province_of(self.region_code) in who.provinces
        if who.role is not Role.PEMDA or who.region_code != self.region_code:
            return False
        if self.kind is AudienceKind.COORDINATOR:
            return who.opd is None
        return who.opd is not None and who.opd.casefold() == (self.opd or "").strip().casefold()


def reminder_id(
    action_id: UUID, step_id: UUID | None, period: ReportingPeriod, stage: Stage, moment: str = ""
) -> UUID:
    return uuid5(_NAMESPACE, f"reminder/{action_id}/{step_id}/{period.label}/{stage}/{moment}")


class ReminderIssued(DomainEvent, frozen=True, kw_only=True):
    reminder_id: UUID
    stage: Stage
    region_code: str
    province_code: str
    action_id: UUID
    step_id: UUID | None
    title: str  # the action's (or step's) title as it stood
    owner_opd: str
    period: ReportingPeriod
    due_on: date
    to: tuple[Audience, ...]
    report_id: UUID | None = None  # a returned report


ReminderEvent = ReminderIssued


class Reminder(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    version: int
    stage: Stage
    region_code: str
    province_code: str
    action_id: UUID
    step_id: UUID | None
    title: str
    owner_opd: str
    period: ReportingPeriod
    due_on: date
    to: tuple[Audience, ...]
    report_id: UUID | None
    issued_by: Actor
    created_at: datetime
    updated_at: datetime

    def addressed_to(self, who: Principal) -> bool:
        return any(audience.includes(who) for audience in self.to)


def issue(
    state: Reminder | None,
    *,
    reminder_id: UUID,
    stage: Stage,
    region_code: str,
    action_id: UUID,
    step_id: UUID | None,
    title: str,
    owner_opd: str,
    period: ReportingPeriod,
    due_on: date,
    to: tuple[Audience, ...],
    report_id: UUID | None,
    actor: Actor,
    at: datetime,
) -> ReminderIssued:
    if state is not None:
        raise RuleViolated("reminder-issued", when=state.created_at.date().isoformat())
    return ReminderIssued(
        reminder_id=reminder_id,
        stage=stage,
        region_code=region_code,
        province_code=province_of(region_code),
        action_id=action_id,
        step_id=step_id,
        title=title,
        owner_opd=owner_opd,
        period=period,
        due_on=due_on,
        to=to,
        report_id=report_id,
        actor=actor,
        at=at,
    )


def evolve(state: Reminder | None, event: ReminderEvent) -> Reminder:
    return Reminder(
        id=event.reminder_id,
        version=(state.version if state else 0) + 1,
        stage=event.stage,
        region_code=event.region_code,
        province_code=event.province_code,
        action_id=event.action_id,
        step_id=event.step_id,
        title=event.title,
        owner_opd=event.owner_opd,
        period=event.period,
        due_on=event.due_on,
        to=event.to,
        report_id=event.report_id,
        issued_by=event.actor,
        created_at=event.at,
        updated_at=event.at,
    )
