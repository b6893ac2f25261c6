"""Properties: across any run of monthly reports, accepted percents never silently go
backwards; the claimed series is, at every period's end, the figure standing then."""

from __future__ import annotations

import itertools

import msgspec
from hypothesis import given as for_all
from hypothesis import settings
from hypothesis import strategies as st

from domain import action
from domain.action import ReportStatus
from domain.action_events import ActionEvent, ReturnReason
from domain.action_state import ProgressReport
from domain.errors import RuleViolated
from domain.period import PeriodKind, ReportingPeriod
from domain.progress import return_report, submit_report, verify_report

from .helpers import EVIDENCE, KANWIL, PEMDA, action_planned, at, uid

step = st.tuples(
    st.floats(min_value=0.0, max_value=100.0),  # percent
    st.booleans(),  # give a correction reason?
    st.sampled_from(["verify", "return"]),  # how the Kanwil reviews it
)


@settings(max_examples=200, deadline=None, database=None)
@for_all(st.lists(step, min_size=1, max_size=12))
def test_accepted_percents_never_decrease_without_a_reason(steps):
    planned = action_planned()
    applied: list[ActionEvent] = [planned]
    state = action.evolve(None, planned)

    def apply(*events: ActionEvent) -> None:
        nonlocal state
        for event in events:
            state = action.evolve(state, event)
            applied.append(event)

    for month, (percent, with_reason, review) in enumerate(steps, start=1):
        reason = "Koreksi data bulan lalu" if with_reason else None
        floor = state.latest_percent()
        report_id = uid(0x1000 + month)
        try:
            submitted = submit_report(
                state,
                report_id=report_id,
                period=ReportingPeriod(kind=PeriodKind.MONTH, year=2025, number=month),
                percent=percent,
                indicator_value=None,
                narrative=f"Laporan bulan {month}",
                evidence=(EVIDENCE,),
                correction_reason=reason,
                actor=PEMDA,
                at=at(2025, month, 28),
            )
        except RuleViolated as refused:
            assert refused.code == "percent-backwards"
            assert floor is not None and percent < floor and reason is None
            continue
        # Then it was accepted exactly because it did not go backwards, or it was explained.
        assert floor is None or percent >= floor or reason is not None
        apply(*submitted)
        if review == "verify":
            reviewed = verify_report(
                state, report_id=report_id, note="Oke", actor=KANWIL, at=at(2025, month, 28, 15)
            )
        else:
            reviewed = return_report(
                state,
                report_id=report_id,
                reason_code=ReturnReason.INSUFFICIENT_EVIDENCE,
                note="Bukti kurang",
                actor=KANWIL,
                at=at(2025, month, 28, 15),
            )
        apply(reviewed)

    kept = [r for r in state.reports if r.status is not ReportStatus.RETURNED]
    for before, after in itertools.pairwise(kept):
        assert after.percent is not None and before.percent is not None
        assert after.percent >= before.percent or after.correction_reason is not None
    assert all(r.status in (ReportStatus.VERIFIED, ReportStatus.RETURNED) for r in state.reports)
    assert state.version == 1 + len(applied[1:])  # 1 for ActionPlanned, +1 per later event
    assert state.version == len(applied)


report = st.tuples(
    st.sampled_from(["2025-B04", "2025-B08", "2025-Q2", "2025-03", "2025-04", "2024-12"]),
    st.one_of(st.none(), st.floats(min_value=0.0, max_value=100.0)),  # percent
    st.sampled_from(list(ReportStatus)),
)


@settings(max_examples=300, deadline=None, database=None)
@for_all(st.lists(report, max_size=14))
def test_the_claimed_series_is_the_figure_standing_at_the_end_of_each_period(reports):
    """The one-pass series (an action without steps) against its definition: for each
    period with a report, the reported figure up to that period."""
    state = action.evolve(None, action_planned())
    filed = tuple(
        ProgressReport(
            id=uid(0x2000 + n),
            period=ReportingPeriod.parse(label),
            percent=percent,
            indicator_value=None,
            narrative="Laporan",
            evidence=(),
            status=status,
            reporter=PEMDA,
            submitted_at=at(2025, 12, 1),
        )
        for n, (label, percent, status) in enumerate(reports)
    )
    state = msgspec.structs.replace(state, reports=filed)
    counted = {
        r.period.label: r.period
        for r in filed
        if r.percent is not None and r.status is not ReportStatus.RETURNED
    }
    expected = [
        (p, state._reported(up_to=p)) for p in sorted(counted.values(), key=lambda p: p.order)
    ]
    assert state.claimed_series() == expected
