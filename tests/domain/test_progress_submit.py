"""Submitting progress reports: measures, periods, evidence and the action's state."""

from __future__ import annotations

import math

import pytest

from domain import action
from domain.action import ActionStatus, ReportStatus
from domain.action_events import (
    ActionCancelled,
    ActionCompleted,
    ActionStarted,
    ActionVerified,
)
from domain.errors import InvalidInput, RuleViolated
from domain.period import ReportingPeriod
from domain.values import Evidence

from .helpers import (
    EVIDENCE,
    KANWIL,
    PEMDA,
    REPORT_3,
    SHA,
    action_planned,
    action_started,
    at,
    given,
    report_resubmitted,
    report_returned,
    report_submitted,
    report_verified,
    then_refused,
)
from .progress_helpers import (
    AT,
    AUGUST,
    JULY,
    expected_submitted,
    history,
    submit,
)


def test_first_report_on_planned_action_also_starts_it():
    state = history()
    assert submit(state) == [ActionStarted(actor=PEMDA, at=AT), expected_submitted()]
    after = given(action.evolve, action_planned(), *submit(state))
    assert after.status is ActionStatus.IN_PROGRESS
    assert after.version == 3
    assert after.latest_percent() == 40.0
    (report,) = after.reports
    assert report.status is ReportStatus.SUBMITTED
    assert report.reporter == PEMDA
    assert report.submitted_at == AT


def test_report_on_in_progress_action_is_just_the_report():
    assert submit(history(action_started())) == [expected_submitted()]


def test_report_on_completed_action_is_accepted():
    done = ActionCompleted(evidence=(EVIDENCE,), note="Selesai", actor=PEMDA, at=at(2025, 7, 30))
    state = history(action_started(), done)
    assert submit(state, percent=100.0) == [expected_submitted(percent=100.0)]


def test_indicator_value_only_is_a_valid_measure():
    events = submit(history(action_started()), percent=None, indicator_value=7.0)
    assert events == [expected_submitted(percent=None, indicator_value=7.0)]


def test_report_without_evidence_is_accepted():
    assert submit(history(action_started()), evidence=()) == [expected_submitted(evidence=())]


def test_report_for_the_current_period_is_not_in_the_future():
    events = submit(history(action_started()), period=AUGUST, at=at(2025, 8, 1, 0, 0))
    assert events == [expected_submitted(period=AUGUST, at=at(2025, 8, 1, 0, 0))]


# ---- submit_report: measures ------------------------------------------------------------------


@pytest.mark.parametrize("percent", [140.0, 100.5, -1.0, -0.01])
def test_percent_out_of_range_is_invalid(percent):
    with then_refused(InvalidInput, "percent-range"):
        submit(history(action_started()), percent=percent)


@pytest.mark.parametrize("percent", [math.nan, math.inf, -math.inf])
def test_non_finite_percent_is_invalid(percent):
    with then_refused(InvalidInput, "percent-range"):
        submit(history(action_started()), percent=percent)


@pytest.mark.parametrize("percent", [0.0, 100.0])
def test_percent_bounds_are_inclusive(percent):
    assert submit(history(action_started()), percent=percent) == [
        expected_submitted(percent=percent)
    ]


def test_report_needs_percent_or_indicator_value():
    with then_refused(InvalidInput, "measure-required"):
        submit(history(action_started()), percent=None, indicator_value=None)


def test_indicator_value_without_indicator_is_invalid():
    state = given(action.evolve, action_planned(indicator=None), action_started())
    with then_refused(InvalidInput, "no-indicator"):
        submit(state, percent=50.0, indicator_value=3.0)


@pytest.mark.parametrize("value", [-1.0, math.nan, math.inf])
def test_bad_indicator_value_is_invalid(value):
    with then_refused(InvalidInput, "indicator-value-range"):
        submit(history(action_started()), indicator_value=value)


def test_blank_narrative_is_invalid():
    with then_refused(InvalidInput, "empty-text"):
        submit(history(action_started()), narrative="   ")


# ---- submit_report: percent never silently goes backwards -------------------------------------


def test_percent_going_backwards_without_reason_is_refused():
    state = history(action_started(), report_submitted(percent=60.0), report_verified())
    for reason in (None, "", "   "):
        with then_refused(RuleViolated, "percent-backwards"):
            submit(state, percent=40.0, correction_reason=reason)


def test_percent_going_backwards_with_reason_is_accepted_and_recorded():
    state = history(action_started(), report_submitted(percent=60.0), report_verified())
    events = submit(state, percent=40.0, correction_reason="  Salah hitung bulan lalu ")
    assert events == [expected_submitted(correction_reason="Salah hitung bulan lalu")]
    after = given(
        action.evolve,
        action_planned(),
        action_started(),
        report_submitted(percent=60.0),
        report_verified(),
        *events,
    )
    assert after.reports[-1].correction_reason == "Salah hitung bulan lalu"
    assert after.latest_percent() == 40.0


def test_same_percent_again_needs_no_reason():
    state = history(action_started(), report_submitted(percent=60.0), report_verified())
    assert submit(state, percent=60.0) == [expected_submitted(percent=60.0)]


def test_backwards_is_measured_against_an_unverified_submitted_report_too():
    state = history(action_started(), report_submitted(percent=60.0, period="2025-06"))
    with then_refused(RuleViolated, "percent-backwards"):
        submit(state, percent=50.0)


def test_backwards_ignores_returned_reports():
    state = history(action_started(), report_submitted(percent=90.0), report_returned())
    assert submit(state, percent=10.0) == [expected_submitted(percent=10.0)]


def test_indicator_only_report_does_not_reset_the_percent_floor():
    state = history(
        action_started(),
        report_submitted(percent=60.0, period="2025-05"),
        report_verified(),
        report_submitted(REPORT_3, period="2025-06", percent=None, indicator_value=4.0),
        report_verified(REPORT_3),
    )
    with then_refused(RuleViolated, "percent-backwards"):
        submit(state, percent=30.0)


# ---- submit_report: one open report per period ------------------------------------------------


def test_second_open_report_for_same_period_is_refused():
    state = history(action_started(), report_submitted(period="2025-07"))
    with then_refused(RuleViolated, "period-has-open-report"):
        submit(state, period=JULY)


def test_returned_report_still_holds_its_period_open():
    state = history(action_started(), report_submitted(period="2025-07"), report_returned())
    with then_refused(RuleViolated, "period-has-open-report"):
        submit(state, period=JULY)


def test_resubmitted_report_still_holds_its_period_open():
    state = history(
        action_started(),
        report_submitted(period="2025-07"),
        report_returned(),
        report_resubmitted(),
    )
    with then_refused(RuleViolated, "period-has-open-report"):
        submit(state, period=JULY)


def test_another_report_for_same_period_is_allowed_after_verification():
    state = history(action_started(), report_submitted(period="2025-07"), report_verified())
    assert submit(state, period=JULY) == [expected_submitted()]


def test_open_report_in_another_period_does_not_block():
    state = history(action_started(), report_submitted(period="2025-06"))
    assert submit(state, period=JULY) == [expected_submitted()]


# ---- submit_report: when and on what ----------------------------------------------------------


def test_period_in_the_future_is_invalid():
    with then_refused(InvalidInput, "period-in-future"):
        submit(history(action_started()), period=ReportingPeriod.parse("2025-09"))
    with then_refused(InvalidInput, "period-in-future"):
        submit(history(action_started()), period=ReportingPeriod.parse("2025-B12"))


def test_report_on_cancelled_action_is_refused():
    cancelled = ActionCancelled(reason="Batal", actor=PEMDA, at=at(2025, 7, 20))
    with then_refused(RuleViolated, "action-cancelled"):
        submit(history(action_started(), cancelled))


def test_report_on_verified_action_is_refused():
    done = ActionCompleted(evidence=(EVIDENCE,), note="Selesai", actor=PEMDA, at=at(2025, 7, 30))
    verified = ActionVerified(note="Oke", actor=KANWIL, at=at(2025, 7, 31))
    with then_refused(RuleViolated, "action-verified"):
        submit(history(action_started(), done, verified))


@pytest.mark.parametrize(
    "url", ["ftp://example.org/a.pdf", "blitarkota.go.id/a.pdf", "javascript:alert(1)", ""]
)
def test_evidence_with_bad_url_is_invalid(url):
    with then_refused(InvalidInput, "evidence-url"):
        submit(history(action_started()), evidence=(Evidence(title="Foto", url=url),))


@pytest.mark.parametrize("sha", ["abc", SHA.upper(), SHA + "0", "g" * 64, ""])
def test_evidence_with_bad_sha256_is_invalid(sha):
    bad = Evidence(title="Foto", url="https://example.org/a.jpg", sha256=sha)
    with then_refused(InvalidInput, "evidence-sha256"):
        submit(history(action_started()), evidence=(EVIDENCE, bad))


def test_evidence_without_title_is_invalid():
    with then_refused(InvalidInput, "empty-text"):
        submit(history(action_started()), evidence=(Evidence(title=" ", url="https://a.id/x"),))


# ---- verify_report / return_report ------------------------------------------------------------


def test_a_report_filed_after_its_periods_deadline_is_marked_late() -> None:
    from domain import action as action_module

    from .helpers import action_planned, at, given, report_submitted, uid

    state = given(
        action_module.evolve,
        action_planned(),
        report_submitted(period="2025-06", at=at(2025, 7, 15, 23, 59)),  # due 15 July
        report_submitted(report_id=uid(0x102), period="2025-07", at=at(2025, 8, 16, 0, 1)),
    )
    assert [r.late for r in state.reports] == [False, True]
