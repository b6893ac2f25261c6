"""Closing a reporting period, and reports after the close: corrections kept beside the
original (given events / when command / then events)."""

from __future__ import annotations

from domain import action, period_close
from domain.action import ReportStatus
from domain.errors import InvalidInput, RuleViolated
from domain.period import ReportingPeriod
from domain.period_close import ReportingPeriodClosed, ReportingPeriodReopened, closure_id

from .helpers import (
    ADMIN,
    KANWIL,
    REPORT_1,
    REPORT_2,
    action_started,
    at,
    given,
    report_submitted,
    report_verified,
    sample_catalogue,
    then_refused,
)
from .progress_helpers import AT, JULY, history, submit

B08 = ReportingPeriod.parse("2025-B08")


def closed(place: str = "35", when: int = 20) -> ReportingPeriodClosed:
    return ReportingPeriodClosed(
        closure_id=closure_id(place, B08),
        place_code=place,
        province_code=place.split(".", maxsplit=1)[0],
        period=B08,
        note="Rekap dikirim",
        actor=KANWIL,
        at=at(2025, 9, when),
    )


def close(state: period_close.PeriodClosure | None, **changes: object) -> ReportingPeriodClosed:
    args: dict[str, object] = {
        "place_code": "35",
        "period": B08,
        "note": " Rekap dikirim ",
        "regions": sample_catalogue(),
        "actor": KANWIL,
        "at": at(2025, 9, 20),
    }
    args.update(changes)
    return period_close.close(state, **args)  # type: ignore[arg-type]


# ---- close / reopen -------------------------------------------------------------------------


def test_closing_an_ended_period_names_the_place_and_its_province() -> None:
    assert close(None, place_code="35.72") == closed("35.72")


def test_the_closure_id_depends_on_place_and_period_only() -> None:
    assert closure_id("35", B08) == closure_id("35", ReportingPeriod.parse("2025-B08"))
    assert closure_id("35", B08) != closure_id("35.72", B08)
    assert closure_id("35", B08) != closure_id("35", ReportingPeriod.parse("2025-B12"))


def test_a_period_that_has_not_ended_in_the_place_cannot_close() -> None:
    with then_refused(InvalidInput, "period-not-ended"):
        close(None, at=at(2025, 8, 31, 23, 0))  # still 31 August in WIB


def test_a_closed_period_cannot_close_twice() -> None:
    with then_refused(RuleViolated, "period-already-closed"):
        close(given(period_close.evolve, closed()))


def test_an_unknown_place_is_refused() -> None:
    with then_refused(InvalidInput, "unknown-region"):
        close(None, place_code="99.99")


def test_reopening_needs_a_reason_and_a_closed_period() -> None:
    state = given(period_close.evolve, closed())
    with then_refused(InvalidInput, "reason-required"):
        period_close.reopen(state, reason=" ", actor=ADMIN, at=at(2025, 9, 21))
    reopened = period_close.reopen(state, reason="Terlalu dini", actor=ADMIN, at=at(2025, 9, 21))
    assert reopened == ReportingPeriodReopened(
        reason="Terlalu dini", actor=ADMIN, at=at(2025, 9, 21)
    )
    again = given(period_close.evolve, closed(), reopened)
    assert not again.closed and again.version == 2
    with then_refused(RuleViolated, "period-not-closed"):
        period_close.reopen(again, reason="Lagi", actor=ADMIN, at=at(2025, 9, 22))
    assert given(period_close.evolve, closed(), reopened, closed(when=25)).closed


def test_the_closure_in_force_is_any_closed_one() -> None:
    open_again = given(period_close.evolve, closed(), ReportingPeriodReopened(
        reason="Terlalu dini", actor=ADMIN, at=at(2025, 9, 21)
    ))  # fmt: skip
    shut = given(period_close.evolve, closed("35.72"))
    assert period_close.closed_for((None, open_again)) is None
    assert period_close.closed_for((shut, open_again)) is shut


# ---- reports after the close ----------------------------------------------------------------


def test_after_the_close_a_report_is_a_correction_that_needs_a_reason() -> None:
    state = history(
        action_started(), report_submitted(period="2025-07", percent=40.0), report_verified()
    )
    with then_refused(RuleViolated, "correction-needs-reason"):
        submit(state, period=JULY, percent=55.0, closed=True)


def test_a_correction_stands_beside_the_report_it_corrects() -> None:
    state = history(
        action_started(), report_submitted(period="2025-07", percent=40.0), report_verified()
    )
    [event] = submit(
        state, period=JULY, percent=55.0, closed=True, correction_reason="Data Dinkes terlambat"
    )
    assert event.after_close and event.corrects == REPORT_1
    after = action.evolve(state, event)
    original, correction = after.reports
    assert (original.percent, original.status, original.corrected_by) == (
        40.0,
        ReportStatus.VERIFIED,
        REPORT_2,
    )
    assert (correction.percent, correction.corrects, correction.after_close) == (
        55.0,
        REPORT_1,
        True,
    )
    # claimed follows the correction; verified keeps the original until it is verified
    assert (after.completion, after.verified_completion) == (55.0, 40.0)
    verified = action.evolve(after, report_verified(REPORT_2, at=AT))
    assert verified.verified_completion == 55.0


def test_a_correction_may_lower_the_figure_with_its_reason() -> None:
    state = history(
        action_started(), report_submitted(period="2025-07", percent=40.0), report_verified()
    )
    [event] = submit(
        state, period=JULY, percent=30.0, closed=True, correction_reason="Salah hitung"
    )
    assert action.evolve(state, event).completion == 30.0


def test_a_report_for_a_closed_period_with_none_before_corrects_nothing() -> None:
    [started, event] = submit(history(), closed=True, correction_reason="Terlewat")
    assert event.after_close and event.corrects is None
    assert action.evolve(action.evolve(history(), started), event).reports[0].after_close


def test_a_returned_report_is_not_what_a_correction_corrects() -> None:
    from .helpers import report_returned

    state = history(
        report_submitted(period="2025-07", percent=40.0),
        report_verified(),
        report_submitted(REPORT_2, period="2025-07", percent=45.0),
        report_returned(REPORT_2),
    )
    assert state.standing_report(JULY) is not None
    assert state.standing_report(JULY).id == REPORT_1  # type: ignore[union-attr]
