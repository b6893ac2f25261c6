"""The reminder process manager over a whole reporting year, driven by a fake clock: one tick
each morning from March 2026 to January 2027, a report filed on time, one never filed, one
returned and filed again. Who is told what, on which day, exactly once — also when the
manager restarts halfway with nothing remembered, and when a day is ticked twice."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from domain import commands as c
from domain.action_events import ReturnReason
from domain.obligations import ReportingFacts
from domain.period import ReportingPeriod
from domain.reminder import AudienceKind, Reminder
from domain.schedule import PeriodDeadline, due_on, schedule_id
from domain.values import Role
from tests.unit.world import PRINCIPALS, World
from tracker import reminders

B04, B08, B12 = (ReportingPeriod.parse(f"2026-B{n:02d}") for n in (4, 8, 12))
DINKES = "Dinkes"


def _facts(world: World, ids: list[UUID]) -> list[ReportingFacts]:
    return [ReportingFacts.of(world.bus.find("action", i)) for i in ids]


def _report(world: World, action_id: UUID, period: ReportingPeriod, writer: str) -> UUID:
    done = world.execute(
        c.SubmitProgressReport(
            action_id=action_id, period=period, percent=30.0, narrative="Pendataan selesai"
        ),
        PRINCIPALS[writer],
    )
    report_id: UUID = done.state.reports[-1].id
    return report_id


def _issued(world: World) -> list[Reminder]:
    out = []
    for note in world.store.notifications(0, world.store.head()):
        if note.topic.endswith("ReminderIssued"):
            found = world.bus.find("reminder", note.originator_id)
            assert found is not None
            out.append(found)
    return out


def _morning(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 1, tzinfo=UTC)  # 08:00 WIB


def _no_table(period: ReportingPeriod) -> date:
    return period.deadline


def test_a_reporting_year_of_reminders_each_once_across_a_restart() -> None:
    world = World()  # 2 March 2026
    action_id = world.action(owner_opd=DINKES)  # four-monthly by default, due 31 Dec 2026
    day, skip, ticks = date(2026, 3, 2), set[UUID](), 0
    returned_report: UUID | None = None
    while day <= date(2027, 1, 31):
        world.clock.now = _morning(day)
        if day == date(2026, 5, 10):  # B04 filed before its due day (15 May)
            returned_report = _report(world, action_id, B04, "dinkes_blitar")
        if day == date(2026, 5, 20) and returned_report is not None:
            world.execute(
                c.ReturnReport(
                    action_id=action_id,
                    report_id=returned_report,
                    reason_code=ReturnReason.INSUFFICIENT_EVIDENCE,
                    note="Daftar hadir tidak terbaca",
                ),
                PRINCIPALS["kanwil_jatim"],
            )
        if day == date(2026, 5, 22) and returned_report is not None:
            world.execute(
                c.ResubmitReport(
                    action_id=action_id,
                    report_id=returned_report,
                    percent=30.0,
                    narrative="Daftar hadir dipindai ulang",
                ),
                PRINCIPALS["dinkes_blitar"],
            )
        if day == date(2026, 7, 1):
            skip = set()  # a restart: the manager remembers nothing, the log does
        if day == date(2027, 1, 12):  # B12 filed before its due day (15 Jan 2027)
            _report(world, action_id, B12, "dinkes_blitar")
        reminders.run_once(world.bus, _facts(world, [action_id]), _no_table, world.clock(), skip)
        if day in (date(2026, 9, 8), date(2026, 9, 16)):  # the same morning twice
            again = reminders.run_once(
                world.bus, _facts(world, [action_id]), _no_table, world.clock()
            )
            assert again == 0
        ticks += 1
        day += timedelta(days=1)

    told = [
        (r.created_at.date(), r.stage.value, r.period.label, tuple(a.kind.value for a in r.to))
        for r in _issued(world)
    ]
    both = ("opd", "coordinator")
    assert told == [
        (date(2026, 5, 1), "due-14", "2026-B04", both),
        (date(2026, 5, 8), "due-7", "2026-B04", both),
        (date(2026, 5, 20), "returned", "2026-B04", ("account",)),
        (date(2026, 9, 1), "due-14", "2026-B08", both),
        (date(2026, 9, 8), "due-7", "2026-B08", both),
        (date(2026, 9, 14), "due-1", "2026-B08", both),
        (date(2026, 9, 16), "late", "2026-B08", ("coordinator",)),
        (date(2026, 9, 23), "late-kanwil", "2026-B08", ("kanwil",)),
        (date(2027, 1, 1), "due-14", "2026-B12", both),
        (date(2027, 1, 8), "due-7", "2026-B12", both),
    ]
    assert ticks == 336
    returned = next(r for r in _issued(world) if r.stage.value == "returned")
    assert returned.to[0].user_id == PRINCIPALS["dinkes_blitar"].user_id
    assert returned.report_id == returned_report
    late = next(r for r in _issued(world) if r.stage.value == "late-kanwil")
    assert late.addressed_to(PRINCIPALS["kanwil_jatim"])
    assert not late.addressed_to(PRINCIPALS["kanwil_jateng"])
    due = _issued(world)[0]
    assert due.to[0].kind is AudienceKind.OPD
    assert due.addressed_to(PRINCIPALS["dinkes_blitar"])  # the OPD's operator
    assert due.addressed_to(PRINCIPALS["pemda_blitar"])  # the Bagian Hukum coordinator
    assert not due.addressed_to(PRINCIPALS["pemda_semarang"])
    assert all(r.issued_by.role is Role.SYSTEM for r in _issued(world))


def test_a_first_start_on_an_old_log_does_not_flood_anyone() -> None:
    world = World()
    action_id = world.action()
    world.clock.now = _morning(date(2026, 12, 20))  # B04 and B08 long late, B12 not yet due
    facts = _facts(world, [action_id])
    assert reminders.run_once(world.bus, facts, _no_table, world.clock()) == 0
    world.clock.now = _morning(date(2027, 1, 2))  # B12 now 13 days ahead: one reminder
    facts = _facts(world, [action_id])
    assert reminders.run_once(world.bus, facts, _no_table, world.clock()) == 1


def test_the_schedule_in_force_moves_the_reminders() -> None:
    world = World()
    action_id = world.action()
    table = c.SetReportingSchedule(
        year=2026,
        deadlines=(PeriodDeadline(period=B04, due_on=date(2026, 5, 29)),),
    )
    world.execute(table, PRINCIPALS["admin"])
    state = world.bus.find("schedule", schedule_id(2026))

    def due_day(period: ReportingPeriod) -> date:
        return due_on(state, period)

    world.clock.now = _morning(date(2026, 5, 8))  # 7 days before the default, 21 before the table's
    assert reminders.run_once(world.bus, _facts(world, [action_id]), due_day, world.clock()) == 0
    world.clock.now = _morning(date(2026, 5, 15))
    assert reminders.run_once(world.bus, _facts(world, [action_id]), due_day, world.clock()) == 1
    assert [r.stage.value for r in _issued(world)] == ["due-14"]
