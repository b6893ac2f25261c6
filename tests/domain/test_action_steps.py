"""Steps and weights: an action split into steps rolls its figures up as the weighted mean
of its steps' (claimed and verified apart); each report is one step's, and the rules that
guard a report (not backwards, one open report per period, corrections) are that step's."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given as for_all
from hypothesis import settings
from hypothesis import strategies as st

from domain import action
from domain.action import Action
from domain.action_events import ActionStepAdded
from domain.action_steps import add_step
from domain.errors import InvalidInput, RuleViolated
from domain.period import ReportingPeriod
from domain.progress import resubmit_report, submit_report

from .helpers import (
    EVIDENCE,
    PEMDA,
    action_planned,
    at,
    given,
    report_returned,
    report_submitted,
    report_verified,
    then_refused,
    uid,
)

STEP_A, STEP_B = uid(101), uid(102)
WHEN = at(2026, 3, 1)


def step_added(step_id: Any = STEP_A, weight: int = 1, **changes: Any) -> ActionStepAdded:
    fields: dict[str, Any] = {
        "step_id": step_id,
        "title": f"Tahap {step_id.int % 1000}",
        "owner_opd": "DPMPPA",
        "due_on": date(2025, 10, 31),
        "weight": weight,
        "actor": PEMDA,
        "at": at(2025, 6, 21),
    }
    fields.update(changes)
    return ActionStepAdded(**fields)


def history(*events: Any) -> Action:
    return given(action.evolve, action_planned(), *events)


def add(state: Action, **overrides: Any) -> ActionStepAdded:
    command: dict[str, Any] = {
        "step_id": STEP_B,
        "title": "  Pelatihan kader posyandu ",
        "owner_opd": "Dinas Kesehatan",
        "due_on": date(2025, 9, 30),
        "weight": 3,
        "actor": PEMDA,
        "at": WHEN,
    }
    command.update(overrides)
    return add_step(state, **command)


def report(state: Action, n: int, period: str, percent: float, **extra: Any) -> list[Any]:
    return submit_report(
        state,
        report_id=uid(n),
        period=ReportingPeriod.parse(period),
        percent=percent,
        indicator_value=None,
        narrative="Laporan tahap",
        evidence=(EVIDENCE,),
        actor=PEMDA,
        at=WHEN,
        **extra,
    )


def test_adding_a_step_records_it_trimmed_with_its_weight():
    event = add(history())
    assert event == ActionStepAdded(
        step_id=STEP_B,
        title="Pelatihan kader posyandu",
        owner_opd="Dinas Kesehatan",
        due_on=date(2025, 9, 30),
        weight=3,
        actor=PEMDA,
        at=WHEN,
    )
    state = given(action.evolve, action_planned(), event)
    assert [(s.id, s.weight, s.added_at) for s in state.steps] == [(STEP_B, 3, WHEN)]
    assert state.completion == 0.0 and state.verified_completion == 0.0


def test_a_step_is_refused_when_it_would_change_what_reports_already_mean():
    reported = history(report_submitted(uid(1), "2025-06", 20.0))
    with then_refused(RuleViolated, "steps-after-reports"):
        add(reported)


def test_a_step_is_refused_past_the_action_due_date_or_weight_range_or_twice():
    state = history(step_added(STEP_A))
    with then_refused(InvalidInput, "step-due-after-action"):
        add(state, due_on=date(2030, 1, 1))
    for weight in (0, 101, -3):
        with then_refused(InvalidInput, "weight-range"):
            add(state, weight=weight)
    with then_refused(InvalidInput, "duplicate-step"):
        add(state, step_id=STEP_A)
    with then_refused(InvalidInput, "empty-text"):
        add(state, owner_opd="  ")


def test_a_finished_or_cancelled_action_takes_no_step():
    cancelled = history(
        action.cancel(history(), reason="Digabung", actor=PEMDA, at=WHEN),
    )
    with then_refused(RuleViolated, "action-cancelled"):
        add(cancelled)


def test_at_most_twenty_steps():
    state = history(*(step_added(uid(200 + n)) for n in range(20)))
    with then_refused(RuleViolated, "too-many-steps"):
        add(state, step_id=uid(300))


def test_on_an_action_with_steps_every_report_names_a_known_step():
    state = history(step_added(STEP_A))
    with then_refused(InvalidInput, "report-needs-step"):
        report(state, 1, "2025-07", 10.0)
    with then_refused(InvalidInput, "unknown-step"):
        report(state, 1, "2025-07", 10.0, step_id=uid(999))
    [_started, submitted] = report(state, 1, "2025-07", 10.0, step_id=STEP_A)
    assert submitted.step_id == STEP_A


def test_completion_is_the_weighted_mean_of_the_steps_claimed_and_verified_apart():
    state = history(
        step_added(STEP_A, weight=1),
        step_added(STEP_B, weight=3),
        report_submitted(uid(1), "2025-07", 80.0, step_id=STEP_A),
        report_verified(uid(1)),
        report_submitted(uid(2), "2025-07", 40.0, step_id=STEP_B),
    )
    assert state.completion == (1 * 80 + 3 * 40) / 4  # 50.0
    assert state.verified_completion == (1 * 80 + 3 * 0) / 4  # 20.0: B is only claimed
    assert state.step_percent(STEP_B) == 40.0
    assert state.step_percent(STEP_B, verified_only=True) == 0.0


def test_rules_are_per_step_not_backwards_and_one_open_report_per_period():
    state = history(
        step_added(STEP_A),
        step_added(STEP_B),
        report_submitted(uid(1), "2025-07", 60.0, step_id=STEP_A),
    )
    # Step B may report less than step A, and in the same period.
    assert report(state, 2, "2025-07", 10.0, step_id=STEP_B)
    with then_refused(RuleViolated, "period-has-open-report"):
        report(state, 3, "2025-07", 70.0, step_id=STEP_A)
    with then_refused(RuleViolated, "percent-backwards"):
        report(state, 4, "2025-08", 50.0, step_id=STEP_A)


def test_a_resubmission_keeps_its_step_and_checks_that_step_only():
    state = history(
        step_added(STEP_A),
        step_added(STEP_B),
        report_submitted(uid(1), "2025-07", 60.0, step_id=STEP_A),
        report_submitted(uid(2), "2025-07", 30.0, step_id=STEP_B),
        report_returned(uid(2)),
    )
    event = resubmit_report(
        state,
        report_id=uid(2),
        percent=35.0,
        indicator_value=None,
        narrative="Diperbaiki",
        evidence=(EVIDENCE,),
        actor=PEMDA,
        at=WHEN,
    )
    after = action.evolve(state, event)
    assert after.report(uid(2)).step_id == STEP_B
    assert after.completion == (60 + 35) / 2


def test_the_claimed_series_is_the_weighted_roll_up_at_each_period_end():
    state = history(
        step_added(STEP_A, weight=1),
        step_added(STEP_B, weight=1),
        report_submitted(uid(1), "2025-08", 50.0, step_id=STEP_A),
        report_submitted(uid(2), "2025-07", 20.0, step_id=STEP_B),  # filed later, earlier period
    )
    assert [(p.label, v) for p, v in state.claimed_series()] == [
        ("2025-07", 10.0),  # A had nothing by July
        ("2025-08", 35.0),
    ]


def test_an_amended_weight_is_recorded_and_kept():
    event = action.amend(history(), reason="Prioritas daerah", weight=5, actor=PEMDA, at=WHEN)
    assert event.weight == 5
    assert action.evolve(history(), event).weight == 5
    with then_refused(InvalidInput, "weight-range"):
        action.amend(history(), reason="Salah", weight=0, actor=PEMDA, at=WHEN)


MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]


@settings(max_examples=60, deadline=None)
@for_all(
    weights=st.lists(st.integers(1, 100), min_size=1, max_size=4),
    reports=st.lists(
        st.tuples(st.integers(0, 3), st.sampled_from(MONTHS), st.integers(0, 100), st.booleans()),
        max_size=12,
    ),
)
def test_roll_up_equals_a_fold_written_here(weights: list[int], reports: list[Any]) -> None:
    steps = [uid(400 + n) for n in range(len(weights))]
    events: list[Any] = [step_added(s, weight=w) for s, w in zip(steps, weights, strict=True)]
    latest: dict[tuple[Any, bool], tuple[str, float]] = {}
    for n, (which, month, percent, verified) in enumerate(reports):
        step = steps[which % len(steps)]
        events.append(report_submitted(uid(500 + n), month, float(percent), step_id=step))
        for checked in (False, True):
            if checked and not verified:
                continue
            seen = latest.get((step, checked))
            if seen is None or month >= seen[0]:  # latest period; ties: the newest report
                latest[(step, checked)] = (month, float(percent))
        if verified:
            events.append(report_verified(uid(500 + n)))
    state = history(*events)

    def fold(checked: bool) -> float:
        pairs = zip(steps, weights, strict=True)
        parts = sum(w * latest.get((s, checked), ("", 0.0))[1] for s, w in pairs)
        return round(parts / sum(weights), 2)

    assert state.completion == fold(False)
    assert state.verified_completion == fold(True)


def test_a_step_is_overdue_after_its_own_due_date_until_it_reports_100():
    state = history(
        step_added(STEP_A, due_on=date(2025, 9, 30)),
        step_added(STEP_B, due_on=date(2025, 10, 31)),
        report_submitted(uid(1), "2025-09", 100.0, step_id=STEP_A),
        report_submitted(uid(2), "2025-09", 40.0, step_id=STEP_B),
    )
    [done, open_step] = state.steps
    assert state.step_overdue_from(done) is None
    assert state.step_overdue_from(open_step) == date(2025, 11, 1)
    cancelled = action.evolve(state, action.cancel(state, reason="Digabung", actor=PEMDA, at=WHEN))
    assert cancelled.step_overdue_from(open_step) is None
