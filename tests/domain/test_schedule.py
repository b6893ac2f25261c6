"""The reporting schedule and what each action owes (given events / when command / then
events; obligations as a pure function of the action, the schedule and the day)."""

from __future__ import annotations

from datetime import date

import pytest

from domain import action, schedule
from domain.action_events import ActionCancelled, ActionStepAdded
from domain.errors import InvalidInput
from domain.obligations import DueState, ReportingFacts, obligations
from domain.period import PeriodKind, ReportingPeriod
from domain.schedule import PeriodDeadline, ReportingScheduleSet, schedule_id

from .helpers import (
    ADMIN,
    REPORT_1,
    REPORT_2,
    action_planned,
    at,
    given,
    report_returned,
    report_submitted,
    report_verified,
    then_refused,
    uid,
)
from .progress_helpers import submit

B04 = ReportingPeriod.parse("2026-B04")
B08 = ReportingPeriod.parse("2026-B08")
B12 = ReportingPeriod.parse("2026-B12")


def entry(period: ReportingPeriod, day: date) -> PeriodDeadline:
    return PeriodDeadline(period=period, due_on=day)


def set_2026(state: schedule.ReportingSchedule | None = None, **changes: object) -> object:
    args: dict[str, object] = {
        "year": 2026,
        "deadlines": (entry(B08, date(2026, 9, 25)), entry(B04, date(2026, 5, 22))),
        "reason": None,
        "actor": ADMIN,
        "at": at(2026, 1, 5),
    }
    args.update(changes)
    return schedule.set_schedule(state, **args)  # type: ignore[arg-type]


def test_a_year_gets_its_own_due_days_and_the_rest_keep_the_default() -> None:
    event = set_2026()
    assert event == ReportingScheduleSet(
        schedule_id=schedule_id(2026),
        year=2026,
        deadlines=(entry(B04, date(2026, 5, 22)), entry(B08, date(2026, 9, 25))),
        reason=None,
        actor=ADMIN,
        at=at(2026, 1, 5),
    )
    table = given(schedule.evolve, event)
    assert schedule.due_on(table, B04) == date(2026, 5, 22)
    assert schedule.due_on(table, B12) == B12.deadline == date(2027, 1, 15)
    assert schedule.due_on(None, B04) == date(2026, 5, 15)  # 30 April + 15 days, the default


def test_an_entry_equal_to_the_default_is_not_kept() -> None:
    event = set_2026(deadlines=(entry(B04, B04.deadline),))
    assert isinstance(event, ReportingScheduleSet)
    assert event.deadlines == ()


def test_replacing_a_set_table_needs_a_reason() -> None:
    table = given(schedule.evolve, set_2026())
    with then_refused(InvalidInput, "reason-required"):
        set_2026(table)
    again = set_2026(table, reason="Surat edaran baru", deadlines=())
    assert isinstance(again, ReportingScheduleSet)
    replaced = schedule.evolve(table, again)
    assert (replaced.version, replaced.reason) == (2, "Surat edaran baru")
    assert schedule.due_on(replaced, B08) == B08.deadline


@pytest.mark.parametrize(
    ("deadlines", "code"),
    [
        ((entry(ReportingPeriod.parse("2025-B12"), date(2026, 1, 20)),), "schedule-period-year"),
        ((entry(B04, date(2026, 5, 15)), entry(B04, date(2026, 5, 16))), "schedule-period-twice"),
        ((entry(B04, date(2026, 4, 29)),), "schedule-due-before-end"),
        ((entry(B04, date(2026, 9, 1)),), "schedule-due-too-late"),
    ],
)
def test_a_table_that_cannot_be_meant_is_refused(
    deadlines: tuple[PeriodDeadline, ...], code: str
) -> None:
    with then_refused(InvalidInput, code):
        set_2026(deadlines=deadlines)


def test_a_year_outside_the_calendar_is_refused() -> None:
    with then_refused(InvalidInput, "schedule-year"):
        set_2026(year=1999, deadlines=())


def test_a_report_records_its_due_day_and_is_late_against_it_for_good() -> None:
    state = given(action.evolve, action_planned(at=at(2026, 1, 10), due_on=date(2026, 12, 31)))
    events = submit(state, period=B04, due_on=date(2026, 5, 20), at=at(2026, 5, 18))
    assert events[-1].due_on == date(2026, 5, 20)
    filed = given(action.evolve, action_planned(at=at(2026, 1, 10)), *events)
    assert (filed.reports[0].late, filed.reports[0].due_on) == (False, date(2026, 5, 20))
    # Without a recorded due day (an event from before schedules) the default applies.
    older = given(
        action.evolve,
        action_planned(at=at(2026, 1, 10)),
        report_submitted(period="2026-B04", at=at(2026, 5, 18)),
    )
    assert older.reports[0].late is True


def four_monthly(*events: object) -> action.Action:
    planned = action_planned(
        at=at(2026, 1, 10), due_on=date(2026, 12, 31), cadence=PeriodKind.FOUR_MONTHLY
    )
    return given(action.evolve, planned, *events)


def states(state: action.Action, today: date) -> list[tuple[str, date, DueState]]:
    return [
        (d.period.label, d.due_on, d.state)
        for d in obligations(ReportingFacts.of(state), DEFAULT_DAYS, today)
    ]


def DEFAULT_DAYS(period: ReportingPeriod) -> date:  # noqa: N802 - a table, read as a constant
    return schedule.due_on(None, period)


def test_an_action_owes_every_period_of_its_cadence_up_to_its_due_date() -> None:
    assert states(four_monthly(), date(2026, 3, 1)) == [
        ("2026-B04", date(2026, 5, 15), DueState.UPCOMING),
        ("2026-B08", date(2026, 9, 15), DueState.UPCOMING),
        ("2026-B12", date(2027, 1, 15), DueState.UPCOMING),
    ]
    assert [s for _, _, s in states(four_monthly(), date(2026, 5, 15))][:1] == [DueState.OPEN]
    assert [s for _, _, s in states(four_monthly(), date(2026, 5, 16))][:1] == [DueState.LATE]


def test_each_period_says_how_its_report_stands() -> None:
    events = (
        report_submitted(REPORT_1, "2026-B04", at=at(2026, 5, 10)),
        report_verified(REPORT_1, at=at(2026, 5, 12)),
        report_submitted(REPORT_2, "2026-B08", at=at(2026, 9, 20)),
        report_returned(REPORT_2, at=at(2026, 9, 22)),
    )
    assert states(four_monthly(*events), date(2026, 10, 1)) == [
        ("2026-B04", date(2026, 5, 15), DueState.VERIFIED),
        ("2026-B08", date(2026, 9, 15), DueState.RETURNED),
        ("2026-B12", date(2027, 1, 15), DueState.UPCOMING),
    ]
    filed_late = four_monthly(report_submitted(REPORT_1, "2026-B04", at=at(2026, 6, 1)))
    assert states(filed_late, date(2026, 6, 2))[0][2] is DueState.FILED_LATE


def test_an_overdue_open_action_keeps_owing_and_a_finished_one_stops() -> None:
    overdue = given(action.evolve, action_planned(at=at(2026, 1, 10), due_on=date(2026, 3, 31)))
    assert [p for p, _, _ in states(overdue, date(2026, 8, 20))] == [
        "2026-B04",
        "2026-B08",
    ]
    cancelled = given(
        action.evolve,
        action_planned(at=at(2026, 1, 10), due_on=date(2026, 12, 31)),
        ActionCancelled(reason="Anggaran dialihkan", actor=ADMIN, at=at(2026, 6, 3)),
    )
    assert [p for p, _, _ in states(cancelled, date(2026, 12, 1))] == ["2026-B04"]


def test_the_schedule_in_force_gives_the_due_day_of_what_is_not_filed() -> None:
    table = given(schedule.evolve, set_2026())
    due = obligations(
        ReportingFacts.of(four_monthly()), lambda p: schedule.due_on(table, p), date(2026, 5, 20)
    )
    assert (due[0].due_on, due[0].state) == (date(2026, 5, 22), DueState.OPEN)
    assert (due[1].due_on, due[1].state) == (date(2026, 9, 25), DueState.UPCOMING)


def test_an_action_split_into_steps_owes_per_step_with_the_steps_opd() -> None:
    step = ActionStepAdded(
        step_id=uid(0x51),
        title="Pelatihan kader",
        owner_opd="DPMPPA",
        due_on=date(2026, 8, 31),
        weight=1,
        actor=ADMIN,
        at=at(2026, 5, 20),
    )
    due = obligations(ReportingFacts.of(four_monthly(step)), DEFAULT_DAYS, date(2026, 6, 1))
    assert [(d.step_id, d.owner_opd, d.period.label) for d in due] == [
        (uid(0x51), "DPMPPA", "2026-B08")
    ]
