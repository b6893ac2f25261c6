"""Given/when/then for report drafts: saved whole, saved again, discarded, or submitted as a
progress report (which removes the draft in the same event). A draft never touches the
reports, the completion figure or the public `updated_at`."""

from __future__ import annotations

from domain import action, drafts, progress
from domain.action import ActionStatus
from domain.action_events import (
    ActionCancelled,
    ProgressReportSubmitted,
    ReportDraftDiscarded,
    ReportDraftSaved,
)
from domain.errors import InvalidInput, RuleViolated
from domain.period import ReportingPeriod

from .helpers import EVIDENCE, PEMDA, REPORT_1, action_planned, at, given, then_refused, uid

DRAFT = uid(0xD1)
AT = at(2025, 8, 1)


def saved(**changes: object) -> ReportDraftSaved:
    fields: dict[str, object] = {
        "draft_id": DRAFT,
        "period": "2025-B08",
        "percent": 40.0,
        "indicator_value": None,
        "narrative": "Baru setengah",
        "evidence": (EVIDENCE,),
        "actor": PEMDA,
        "at": AT,
        **changes,
    }
    return ReportDraftSaved(**fields)  # type: ignore[arg-type]


def save(state: action.Action, existing: bool = False, **changes: object) -> ReportDraftSaved:
    fields: dict[str, object] = {
        "draft_id": DRAFT,
        "existing": existing,
        "period": " 2025-B08 ",
        "percent": 40.0,
        "indicator_value": None,
        "narrative": "Baru setengah",
        "evidence": (EVIDENCE,),
        "actor": PEMDA,
        "at": AT,
        **changes,
    }
    return drafts.save_draft(state, **fields)  # type: ignore[arg-type]


def test_a_new_draft_is_saved_whole_with_the_period_as_typed():
    state = given(action.evolve, action_planned())
    assert save(state) == saved()


def test_a_draft_may_hold_what_a_report_may_not_yet():
    state = given(action.evolve, action_planned())
    event = save(state, period="2025-", percent=None, narrative="")
    assert (event.period, event.percent, event.narrative) == ("2025-", None, "")


def test_evolve_keeps_the_draft_out_of_reports_and_figures():
    planned = given(action.evolve, action_planned())
    state = given(action.evolve, action_planned(), saved())
    assert state.version == planned.version + 1
    assert state.updated_at == planned.updated_at and state.status is ActionStatus.PLANNED
    assert state.reports == () and state.completion == 0.0
    (draft,) = state.drafts
    assert (draft.id, draft.percent, draft.saved_by) == (DRAFT, 40.0, PEMDA)


def test_saving_again_replaces_the_draft():
    state = given(action.evolve, action_planned(), saved(), saved(percent=55.0, narrative="Lagi"))
    (draft,) = state.drafts
    assert (draft.percent, draft.narrative) == (55.0, "Lagi")


def test_saving_a_draft_that_is_gone_is_refused():
    state = given(action.evolve, action_planned())
    with then_refused(InvalidInput, "unknown-draft"):
        save(state, existing=True)


def test_a_draft_percent_out_of_range_is_refused():
    state = given(action.evolve, action_planned())
    with then_refused(InvalidInput, "percent-range"):
        save(state, percent=140.0)


def test_no_draft_on_a_cancelled_action():
    cancelled = ActionCancelled(reason="Digabung", actor=PEMDA, at=AT)
    state = given(action.evolve, action_planned(), cancelled)
    with then_refused(RuleViolated, "action-cancelled"):
        save(state)


def test_a_discarded_draft_is_gone_and_cannot_be_discarded_twice():
    state = given(action.evolve, action_planned(), saved())
    event = drafts.discard_draft(state, draft_id=DRAFT, actor=PEMDA, at=AT)
    assert event == ReportDraftDiscarded(draft_id=DRAFT, actor=PEMDA, at=AT)
    after = action.evolve(state, event)
    assert after.drafts == ()
    with then_refused(InvalidInput, "unknown-draft"):
        drafts.discard_draft(after, draft_id=DRAFT, actor=PEMDA, at=AT)


def test_submitting_from_a_draft_runs_every_report_rule_and_removes_the_draft():
    state = given(action.evolve, action_planned(), saved())
    period = ReportingPeriod.parse("2025-B08")
    events = progress.submit_report(
        state,
        report_id=REPORT_1,
        period=period,
        percent=40.0,
        indicator_value=None,
        narrative="Sudah lengkap",
        evidence=(EVIDENCE,),
        draft_id=DRAFT,
        actor=PEMDA,
        at=at(2025, 9, 2),
    )
    submitted = events[-1]
    assert isinstance(submitted, ProgressReportSubmitted) and submitted.draft_id == DRAFT
    after = given(action.evolve, action_planned(), saved(), *events)
    assert after.drafts == () and after.reports[0].id == REPORT_1
    with then_refused(InvalidInput, "unknown-draft"):
        progress.submit_report(
            after,
            report_id=uid(0x999),
            period=ReportingPeriod.parse("2025-B12"),
            percent=50.0,
            indicator_value=None,
            narrative="x",
            evidence=(),
            draft_id=DRAFT,
            actor=PEMDA,
            at=at(2026, 1, 2),
        )
