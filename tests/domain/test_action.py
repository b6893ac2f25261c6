from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain import action, commitment
from domain.action import Action, ActionStatus, ReportStatus
from domain.action_events import (
    ActionCancelled,
    ActionCompleted,
    ActionRescheduled,
    ActionStarted,
    ActionVerified,
)
from domain.errors import InvalidInput, RuleViolated
from domain.values import Evidence, IndicatorType, Partner, RpjmnTag

from .helpers import (
    ACTION_DUE,
    ACTION_ID,
    COMMITMENT_ID,
    COMMITMENT_MADE_ON,
    EVIDENCE,
    FORUM_ID,
    INDICATOR,
    KANWIL,
    PEMDA,
    REPORT_1,
    action_planned,
    action_started,
    at,
    commitment_made,
    commitment_withdrawn,
    given,
    report_returned,
    report_submitted,
    report_verified,
    then_refused,
)

AT = at(2025, 8, 1)


def plan(regions: Any, state: Any = None, **overrides: Any):
    command: dict[str, Any] = {
        "action_id": ACTION_ID,
        "commitment": state or given(commitment.evolve, commitment_made()),
        "region_code": "35.72",
        "title": " Posyandu ramah disabilitas ",
        "description": " Membangun akses di seluruh posyandu ",
        "owner_opd": " Dinas Kesehatan ",
        "partners": (Partner(name="LBH Surabaya", kind="cso"),),
        "rpjmn": (RpjmnTag(pn="PN1"),),
        "kkp_criterion": 4,
        "indicator_type": IndicatorType.PROCESS,
        "indicator": INDICATOR,
        "due_on": ACTION_DUE,
        "regions": regions,
        "actor": PEMDA,
        "at": at(2025, 6, 20),
    }
    command.update(overrides)
    return action.plan(**command)


# ---- plan -------------------------------------------------------------------------------------


def test_plan_by_kab_kota_covered_through_its_province(regions):
    assert plan(regions) == action_planned()


def test_plan_by_direct_signatory_records_its_province(regions):
    event = plan(regions, region_code="33.74")
    assert event == action_planned(region_code="33.74", province_code="33")


def test_plan_by_a_signing_province_itself(regions):
    assert plan(regions, region_code="35") == action_planned(region_code="35", province_code="35")


@pytest.mark.parametrize("region_code", ["33.75", "33", "61.72", "61"])
def test_plan_by_region_that_did_not_sign_is_refused(regions, region_code):
    with then_refused(RuleViolated, "region-not-signatory"):
        plan(regions, region_code=region_code)


def test_plan_under_withdrawn_commitment_is_refused(regions):
    withdrawn = given(commitment.evolve, commitment_made(), commitment_withdrawn())
    with then_refused(RuleViolated, "commitment-withdrawn"):
        plan(regions, withdrawn)


def test_plan_in_unknown_region_is_invalid(regions):
    with then_refused(InvalidInput, "unknown-region"):
        plan(regions, region_code="35.99")


def test_plan_due_before_commitment_is_invalid(regions):
    with then_refused(InvalidInput, "due-before-commitment"):
        plan(regions, due_on=date(2025, 6, 10))


def test_plan_due_on_commitment_day_is_fine(regions):
    assert plan(regions, due_on=COMMITMENT_MADE_ON).due_on == COMMITMENT_MADE_ON


def test_plan_validates_tags_and_text(regions):
    with then_refused(InvalidInput, "unknown-rpjmn-pn"):
        plan(regions, rpjmn=(RpjmnTag(pn="PN9"),))
    with then_refused(InvalidInput, "unknown-kkp-criterion"):
        plan(regions, kkp_criterion=11)
    with then_refused(InvalidInput, "empty-text"):
        plan(regions, owner_opd="  ")


# ---- evolve -----------------------------------------------------------------------------------


def test_evolve_planned_builds_action_at_version_1():
    assert given(action.evolve, action_planned()) == Action(
        id=ACTION_ID,
        version=1,
        commitment_id=COMMITMENT_ID,
        forum_id=FORUM_ID,
        region_code="35.72",
        province_code="35",
        title="Posyandu ramah disabilitas",
        description="Membangun akses di seluruh posyandu",
        owner_opd="Dinas Kesehatan",
        partners=(Partner(name="LBH Surabaya", kind="cso"),),
        rpjmn=(RpjmnTag(pn="PN1"),),
        kkp_criterion=4,
        indicator_type=IndicatorType.PROCESS,
        indicator=INDICATOR,
        due_on=ACTION_DUE,
        status=ActionStatus.PLANNED,
        reports=(),
        completion_evidence=(),
        closing_note=None,
        created_at=at(2025, 6, 20),
        updated_at=at(2025, 6, 20),
    )


def test_evolve_tracks_reports_and_completion():
    done = ActionCompleted(evidence=(EVIDENCE,), note="Selesai", actor=PEMDA, at=at(2025, 9, 1))
    state = given(
        action.evolve,
        action_planned(),
        action_started(),
        report_submitted(percent=60.0),
        report_verified(),
        done,
        ActionVerified(note="Terverifikasi", actor=KANWIL, at=at(2025, 9, 5)),
    )
    assert state.version == 6
    assert state.status is ActionStatus.VERIFIED
    assert state.completion == 100.0
    assert state.completion_evidence == (EVIDENCE,)
    assert state.closing_note == "Selesai"
    assert state.completed_at == at(2025, 9, 1)
    (report,) = state.reports
    assert report.status is ReportStatus.VERIFIED
    assert report.reviewer == KANWIL
    assert report.review_note == "Sesuai bukti"


def test_completion_ignores_returned_reports():
    state = given(
        action.evolve,
        action_planned(),
        action_started(),
        report_submitted(percent=30.0),
        report_returned(),
    )
    assert state.latest_percent() is None
    assert state.completion == 0.0


# ---- start ------------------------------------------------------------------------------------


def test_start_planned_action():
    state = given(action.evolve, action_planned())
    assert action.start(state, actor=PEMDA, at=AT) == ActionStarted(actor=PEMDA, at=AT)


def test_start_twice_is_refused():
    state = given(action.evolve, action_planned(), action_started())
    with then_refused(RuleViolated, "action-in-progress"):
        action.start(state, actor=PEMDA, at=AT)


# ---- complete ---------------------------------------------------------------------------------


def test_complete_with_evidence_given():
    state = given(action.evolve, action_planned(), action_started())
    event = action.complete(state, evidence=(EVIDENCE,), note=" Selesai ", actor=PEMDA, at=AT)
    assert event == ActionCompleted(evidence=(EVIDENCE,), note="Selesai", actor=PEMDA, at=AT)


def test_complete_needs_its_own_evidence_even_after_reports_with_evidence():
    state = given(action.evolve, action_planned(), action_started(), report_submitted())
    with then_refused(RuleViolated, "completion-needs-evidence"):
        action.complete(state, evidence=(), note="Selesai", actor=PEMDA, at=AT)


def test_complete_without_any_evidence_is_refused():
    state = given(action.evolve, action_planned(), action_started())
    with then_refused(RuleViolated, "completion-needs-evidence"):
        action.complete(state, evidence=(), note="Selesai", actor=PEMDA, at=AT)


def test_complete_with_only_returned_report_evidence_is_refused():
    state = given(
        action.evolve, action_planned(), action_started(), report_submitted(), report_returned()
    )
    with then_refused(RuleViolated, "completion-needs-evidence"):
        action.complete(state, evidence=(), note="Selesai", actor=PEMDA, at=AT)


def test_complete_a_planned_action_is_refused():
    state = given(action.evolve, action_planned())
    with then_refused(RuleViolated, "action-planned"):
        action.complete(state, evidence=(EVIDENCE,), note="Selesai", actor=PEMDA, at=AT)


def test_complete_with_bad_evidence_is_invalid():
    state = given(action.evolve, action_planned(), action_started())
    bad = Evidence(title="Foto", url="ftp://example.org/foto.jpg")
    with then_refused(InvalidInput, "evidence-url"):
        action.complete(state, evidence=(bad,), note="Selesai", actor=PEMDA, at=AT)


# ---- verify_completion ------------------------------------------------------------------------


def completed_action() -> Action:
    done = ActionCompleted(evidence=(EVIDENCE,), note="Selesai", actor=PEMDA, at=at(2025, 9, 1))
    return given(action.evolve, action_planned(), action_started(), done)


def test_verify_completion_after_complete():
    event = action.verify_completion(completed_action(), note=" Oke ", actor=KANWIL, at=AT)
    assert event == ActionVerified(note="Oke", actor=KANWIL, at=AT)


@pytest.mark.parametrize(
    ("history", "code"),
    [
        ((), "action-planned"),
        ((action_started(),), "action-in-progress"),
        ((ActionCancelled(reason="Batal", actor=PEMDA, at=at(2025, 7, 1)),), "action-cancelled"),
    ],
)
def test_verify_completion_before_complete_is_refused(history, code):
    state = given(action.evolve, action_planned(), *history)
    with then_refused(RuleViolated, code):
        action.verify_completion(state, note="Oke", actor=KANWIL, at=AT)


def test_verify_completion_twice_is_refused():
    state = action.evolve(
        completed_action(), ActionVerified(note="Oke", actor=KANWIL, at=at(2025, 9, 5))
    )
    with then_refused(RuleViolated, "action-verified"):
        action.verify_completion(state, note="Oke", actor=KANWIL, at=AT)


# ---- cancel -----------------------------------------------------------------------------------


@pytest.mark.parametrize("history", [(), (action_started(),)])
def test_cancel_planned_or_in_progress(history):
    state = given(action.evolve, action_planned(), *history)
    event = action.cancel(state, reason=" Anggaran dialihkan ", actor=PEMDA, at=AT)
    assert event == ActionCancelled(reason="Anggaran dialihkan", actor=PEMDA, at=AT)
    assert action.evolve(state, event).status is ActionStatus.CANCELLED


@pytest.mark.parametrize("reason", [None, "", "  "])
def test_cancel_needs_a_reason(reason):
    state = given(action.evolve, action_planned())
    with then_refused(InvalidInput, "reason-required"):
        action.cancel(state, reason=reason, actor=PEMDA, at=AT)


def test_cancel_after_completion_is_refused():
    with then_refused(RuleViolated, "action-completed"):
        action.cancel(completed_action(), reason="Batal", actor=PEMDA, at=AT)


def test_cancel_twice_is_refused():
    cancelled = ActionCancelled(reason="Batal", actor=PEMDA, at=at(2025, 7, 1))
    state = given(action.evolve, action_planned(), cancelled)
    with then_refused(RuleViolated, "action-cancelled"):
        action.cancel(state, reason="Batal lagi", actor=PEMDA, at=AT)


# ---- reschedule -------------------------------------------------------------------------------


def test_reschedule_records_previous_due_date():
    state = given(action.evolve, action_planned(), action_started())
    new_due = date(2026, 3, 31)
    event = action.reschedule(state, due_on=new_due, reason=" Banjir ", actor=PEMDA, at=AT)
    assert event == ActionRescheduled(
        previous_due_on=ACTION_DUE, due_on=new_due, reason="Banjir", actor=PEMDA, at=AT
    )
    after = action.evolve(state, event)
    assert after.due_on == new_due
    assert after.status is ActionStatus.IN_PROGRESS
    assert after.version == 3


@pytest.mark.parametrize("reason", [None, "", "  "])
def test_reschedule_needs_a_reason(reason):
    state = given(action.evolve, action_planned())
    with then_refused(InvalidInput, "reason-required"):
        action.reschedule(state, due_on=date(2026, 3, 31), reason=reason, actor=PEMDA, at=AT)


def test_reschedule_to_the_same_date_is_invalid():
    state = given(action.evolve, action_planned())
    with then_refused(InvalidInput, "same-due-date"):
        action.reschedule(state, due_on=ACTION_DUE, reason="Tetap", actor=PEMDA, at=AT)


def test_reschedule_after_completion_is_refused():
    with then_refused(RuleViolated, "action-completed"):
        action.reschedule(
            completed_action(), due_on=date(2026, 3, 31), reason="Lambat", actor=PEMDA, at=AT
        )


def test_unknown_report_is_invalid():
    state = given(action.evolve, action_planned())
    assert state.reports == ()
    with then_refused(InvalidInput, "unknown-report"):
        state.report(REPORT_1)
