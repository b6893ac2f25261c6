"""An action's figures follow the reporting period, not the order of filing: a late report
for an earlier period never replaces the latest period's figure, and "not backwards" looks
back in time. Claimed completion counts what the region reports; verified completion only
what a Kanwil verified. The property test checks both against a fold written here."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given as for_all
from hypothesis import settings
from hypothesis import strategies as st

from domain import action
from domain.action import Action, ActionStatus
from domain.action_events import ActionEvent, ReturnReason
from domain.completion import complete
from domain.errors import InvalidInput, RuleViolated
from domain.period import PeriodKind, ReportingPeriod
from domain.progress import resubmit_report, return_report, submit_report, verify_report

from .helpers import (
    EVIDENCE,
    KANWIL,
    PEMDA,
    action_planned,
    action_started,
    at,
    given,
    report_submitted,
    report_verified,
    then_refused,
    uid,
)

LATE = at(2026, 3, 1)


def _report(state: Action, n: int, period: str, percent: float, reason: str | None = None) -> Any:
    return submit_report(
        state,
        report_id=uid(n),
        period=ReportingPeriod.parse(period),
        percent=percent,
        indicator_value=None,
        narrative="Laporan",
        evidence=(EVIDENCE,),
        correction_reason=reason,
        actor=PEMDA,
        at=LATE,
    )


def _fold(*events: Any) -> Action:
    return given(action.evolve, action_planned(), *events)


def test_a_back_filled_earlier_period_does_not_lower_the_current_figure():
    state = _fold(report_submitted(uid(1), "2023-B12", 70.0))
    events = _report(state, 2, "2022-B04", 10.0)  # when: a late report for an old period
    after = given(
        action.evolve, action_planned(), report_submitted(uid(1), "2023-B12", 70.0), *events
    )
    assert after.completion == 70.0 and after.latest_percent() == 70.0


def test_backwards_compares_with_the_previous_period_not_the_previous_filing():
    state = _fold(
        report_submitted(uid(1), "2023-B12", 70.0), report_submitted(uid(2), "2022-B04", 10.0)
    )
    with then_refused(RuleViolated, "percent-backwards"):
        _report(state, 3, "2022-B08", 5.0)  # below 2022-B04's 10
    assert _report(state, 4, "2022-B08", 40.0)  # above B04, though below the later B12
    with then_refused(RuleViolated, "percent-backwards"):
        _report(state, 5, "2024-B04", 60.0)  # below 2023-B12's 70


def test_same_period_ties_go_to_the_newest_report():
    state = _fold(
        report_submitted(uid(1), "2025-Q3", 30.0),
        report_verified(uid(1)),
        report_submitted(uid(2), "2025-Q3", 45.0),
    )
    assert state.completion == 45.0 and state.verified_completion == 30.0


def test_a_declared_completion_is_claimed_until_a_kanwil_verifies_it():
    state = _fold(action_started(), report_submitted(uid(1), "2025-06", 20.0))
    declared = given(
        action.evolve,
        action_planned(),
        action_started(),
        report_submitted(uid(1), "2025-06", 20.0),
        complete(state, evidence=(EVIDENCE,), note="Selesai", actor=PEMDA, at=LATE),
    )
    assert declared.status is ActionStatus.COMPLETED
    assert declared.completion == 100.0 and declared.verified_completion == 0.0


def test_an_open_action_is_overdue_from_the_day_after_its_due_date():
    planned = _fold()
    assert planned.overdue_from == date(2025, 12, 31) + timedelta(days=1) == date(2026, 1, 1)
    declared = given(
        action.evolve,
        action_planned(),
        action_started(),
        complete(_fold(action_started()), evidence=(EVIDENCE,), note="", actor=PEMDA, at=LATE),
    )
    assert declared.overdue_from is None


def test_a_report_must_fit_the_cadence_set_when_planned():
    state = given(action.evolve, action_planned(cadence=PeriodKind.FOUR_MONTHLY))
    with then_refused(InvalidInput, "period-cadence"):
        _report(state, 1, "2025-08", 10.0)
    assert _report(state, 2, "2025-B08", 10.0)


def test_an_unset_cadence_is_fixed_by_the_first_report():
    first = _report(_fold(), 1, "2025-Q3", 10.0)
    state = given(action.evolve, action_planned(), *first)
    assert state.cadence is PeriodKind.QUARTER
    with then_refused(InvalidInput, "period-cadence"):
        _report(state, 2, "2025-B08", 20.0)  # no four-monthly beside quarters


# ---- property ---------------------------------------------------------------------------------

PERIODS = [f"{y}-B{m:02d}" for y in (2023, 2024) for m in (4, 8, 12)]
step = st.tuples(
    st.sampled_from(PERIODS),
    st.integers(min_value=0, max_value=100),
    st.sampled_from(["leave", "verify", "return"]),
)


def _reference(filed: list[tuple[int, str, float, str]]) -> tuple[float, float]:
    """Claimed and verified completion, folded independently of the domain: order reports by
    (period end, filing order), drop returned ones, take the last."""
    order = {label: index for index, label in enumerate(PERIODS)}
    live = sorted(
        ((order[p], n, pct, st_) for n, p, pct, st_ in filed if st_ != "returned"),
        key=lambda r: (r[0], r[1]),
    )
    claimed = live[-1][2] if live else 0.0
    verified = [r for r in live if r[3] == "verified"]
    return claimed, (verified[-1][2] if verified else 0.0)


@settings(max_examples=200, deadline=None, database=None)
@for_all(st.lists(step, min_size=1, max_size=14))
def test_figures_equal_a_reference_fold_over_back_fills_and_reviews(steps):
    planned = action_planned()
    state = action.evolve(None, planned)
    filed: list[tuple[int, str, float, str]] = []

    def apply(events: list[ActionEvent]) -> None:
        nonlocal state
        for event in events:
            state = action.evolve(state, event)

    for n, (period, percent, review) in enumerate(steps, start=1):
        try:
            apply(_report(state, n, period, float(percent), reason="Koreksi"))
        except RuleViolated as refused:
            assert refused.code == "period-has-open-report"
            continue
        status = "submitted"
        if review == "verify":
            apply([verify_report(state, report_id=uid(n), note="", actor=KANWIL, at=LATE)])
            status = "verified"
        elif review == "return":
            returned = return_report(
                state,
                report_id=uid(n),
                reason_code=ReturnReason.INSUFFICIENT_EVIDENCE,
                note="Bukti kurang",
                actor=KANWIL,
                at=LATE,
            )
            apply([returned])
            status = "returned"
        filed.append((n, period, float(percent), status))
        claimed, verified = _reference(filed)
        assert state.completion == claimed
        assert state.verified_completion == verified


# ---- property, with resubmissions and corrections after a close --------------------------------

move = st.tuples(
    st.sampled_from(PERIODS),
    st.integers(min_value=0, max_value=100),
    st.sampled_from(["leave", "verify", "return", "return-resubmit", "return-resubmit-verify"]),
    st.booleans(),  # give a reason (needed for a correction or a lower figure)
    st.booleans(),  # close this period for the region afterwards
)


def _review(apply: Any, current: Any, n: int, percent: float, review: str) -> list[Any]:
    """Review report n as `review` says (and resubmit it after a return); its [percent, status]."""
    if review == "leave":
        return [percent, "submitted"]
    if review == "verify":
        apply(verify_report(current(), report_id=uid(n), note="", actor=KANWIL, at=LATE))
        return [percent, "verified"]
    back = return_report(
        current(),
        report_id=uid(n),
        reason_code=ReturnReason.INSUFFICIENT_EVIDENCE,
        note="Bukti kurang",
        actor=KANWIL,
        at=LATE,
    )
    apply(back)
    if review == "return":
        return [percent, "returned"]
    again = min(100.0, percent + 5)
    apply(
        resubmit_report(
            current(),
            report_id=uid(n),
            percent=again,
            indicator_value=None,
            narrative="Diperbaiki",
            evidence=(EVIDENCE,),
            correction_reason="Perbaikan",
            actor=PEMDA,
            at=LATE,
        )
    )
    if review.endswith("verify"):
        apply(verify_report(current(), report_id=uid(n), note="", actor=KANWIL, at=LATE))
        return [again, "verified"]
    return [again, "submitted"]


@settings(max_examples=200, deadline=None, database=None)
@for_all(st.lists(move, min_size=1, max_size=16))
def test_figures_and_corrections_equal_a_reference_fold(moves):
    state = action.evolve(None, action_planned())
    filed: dict[int, list[Any]] = {}  # n -> [period, percent, status]
    closed: set[str] = set()

    def apply(events: Any) -> None:
        nonlocal state
        for event in events if isinstance(events, list) else [events]:
            state = action.evolve(state, event)

    def standing(period: str) -> int | None:
        live = [n for n, (p, _, s) in filed.items() if p == period and s != "returned"]
        return max(live) if live else None

    for n, (period, percent, review, with_reason, close_after) in enumerate(moves, start=1):
        reason = "Koreksi data" if with_reason else None
        shut = period in closed
        before = standing(period)
        try:
            events = submit_report(
                state,
                report_id=uid(n),
                period=ReportingPeriod.parse(period),
                percent=float(percent),
                indicator_value=None,
                narrative="Laporan",
                evidence=(EVIDENCE,),
                correction_reason=reason,
                closed=shut,
                actor=PEMDA,
                at=LATE,
            )
        except RuleViolated as refused:
            assert refused.code in {
                "period-has-open-report",
                "percent-backwards",
                "correction-needs-reason",
            }
            assert refused.code != "correction-needs-reason" or (shut and reason is None)
            continue
        assert not shut or reason is not None  # a correction always carries its reason
        apply(events)
        report = state.report(uid(n))
        assert report.after_close is shut
        assert report.corrects == (uid(before) if shut and before is not None else None)
        filed[n] = [period, *_review(apply, lambda: state, n, float(percent), review)]
        if close_after:
            closed.add(period)
        claimed, verified = _reference([(k, p, pct, s) for k, (p, pct, s) in filed.items()])
        assert state.completion == claimed
        assert state.verified_completion == verified
    # every original that a correction names is still there, unchanged in value, and says so
    for report in state.reports:
        if report.corrects is not None:
            original = state.report(report.corrects)
            assert original.corrected_by is not None
            assert original.percent == filed[original.id.int][1]
