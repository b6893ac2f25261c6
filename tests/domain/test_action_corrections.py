"""Given/when/then for correcting a plan (AmendAction) and returning a declared completion
(ReturnCompletion), the two decisions the workspace needs that the API lacked."""

from __future__ import annotations

import pytest

from domain import action
from domain.action import ActionStatus
from domain.action_events import (
    ActionAmended,
    ActionCancelled,
    ActionCompleted,
    ActionCompletionReturned,
    ReturnReason,
)
from domain.errors import InvalidInput, RuleViolated
from domain.values import Indicator, IndicatorType, Partner, RpjmnTag

from .helpers import (
    EVIDENCE,
    KANWIL,
    PEMDA,
    action_planned,
    action_started,
    at,
    given,
    report_submitted,
    then_refused,
)

AT = at(2025, 8, 1)


# ---- amend ------------------------------------------------------------------------------------


def test_amend_records_only_what_differs_and_the_reason():
    state = given(action.evolve, action_planned())
    event = action.amend(
        state,
        reason=" Salah ketik ",
        title=" Posyandu ramah disabilitas dan lansia ",
        owner_opd=state.owner_opd,  # unchanged: not recorded
        kkp_criterion=5,
        actor=PEMDA,
        at=AT,
    )
    assert event == ActionAmended(
        reason="Salah ketik",
        title="Posyandu ramah disabilitas dan lansia",
        kkp_criterion=5,
        actor=PEMDA,
        at=AT,
    )


def test_evolve_applies_an_amendment_and_keeps_the_rest():
    indicator = Indicator(name="Posyandu aksesibel", unit="unit", baseline=0, target=40)
    amended = ActionAmended(
        reason="Indikator diperbaiki",
        partners=(Partner(name="PPDI Kota Blitar", kind="cso"),),
        rpjmn=(RpjmnTag(pn="PN4", code="4.2"),),
        indicator_type=IndicatorType.OUTCOME,
        indicator=indicator,
        actor=PEMDA,
        at=AT,
    )
    before = given(action.evolve, action_planned(), action_started(), report_submitted())
    after = action.evolve(before, amended)
    assert after.indicator == indicator and after.indicator_type is IndicatorType.OUTCOME
    assert after.rpjmn == (RpjmnTag(pn="PN4", code="4.2"),)
    assert after.partners[0].name == "PPDI Kota Blitar"
    assert (after.title, after.owner_opd, after.due_on) == (
        before.title,
        before.owner_opd,
        before.due_on,
    )
    assert after.reports == before.reports and after.status is ActionStatus.IN_PROGRESS
    assert after.version == before.version + 1


def test_amend_without_a_change_is_refused():
    state = given(action.evolve, action_planned())
    with then_refused(InvalidInput, "nothing-to-amend"):
        action.amend(state, reason="Tidak ada", title=state.title, actor=PEMDA, at=AT)


def test_amend_without_a_reason_is_refused():
    state = given(action.evolve, action_planned())
    with then_refused(InvalidInput, "reason-required"):
        action.amend(state, reason=" ", title="Judul baru", actor=PEMDA, at=AT)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"title": "  "}, "empty-text"),
        ({"kkp_criterion": 11}, "unknown-kkp-criterion"),
        ({"rpjmn": (RpjmnTag(pn="PN9"),)}, "unknown-rpjmn-pn"),
    ],
)
def test_amend_with_invalid_values_is_refused(fields, code):
    state = given(action.evolve, action_planned())
    with then_refused(InvalidInput, code):
        action.amend(state, reason="Koreksi", actor=PEMDA, at=AT, **fields)


def test_amend_a_cancelled_action_is_refused():
    cancelled = ActionCancelled(reason="Batal", actor=PEMDA, at=at(2025, 7, 1))
    state = given(action.evolve, action_planned(), cancelled)
    with then_refused(RuleViolated, "action-cancelled"):
        action.amend(state, reason="Koreksi", title="Judul baru", actor=PEMDA, at=AT)


# ---- return a completion ----------------------------------------------------------------------


def completed():
    done = ActionCompleted(evidence=(EVIDENCE,), note="Selesai", actor=PEMDA, at=at(2025, 9, 1))
    return given(action.evolve, action_planned(), action_started(), done)


def test_return_completion_puts_the_action_back_in_progress():
    event = action.return_completion(
        completed(),
        reason_code=ReturnReason.INSUFFICIENT_EVIDENCE,
        note=" Foto kegiatan tidak terbaca ",
        actor=KANWIL,
        at=AT,
    )
    assert event == ActionCompletionReturned(
        reason_code=ReturnReason.INSUFFICIENT_EVIDENCE,
        note="Foto kegiatan tidak terbaca",
        actor=KANWIL,
        at=AT,
    )
    state = action.evolve(completed(), event)
    assert state.status is ActionStatus.IN_PROGRESS
    assert state.completed_at is None and state.completion_evidence == ()
    assert state.completion == 0.0  # no longer counted as done
    again = action.complete(state, evidence=(EVIDENCE,), note="Lengkap", actor=PEMDA, at=AT)
    assert again.note == "Lengkap"


def test_return_completion_needs_a_note():
    with then_refused(InvalidInput, "empty-text"):
        action.return_completion(
            completed(), reason_code=ReturnReason.OTHER, note=" ", actor=KANWIL, at=AT
        )


def test_return_completion_of_an_action_in_progress_is_refused():
    state = given(action.evolve, action_planned(), action_started())
    with then_refused(RuleViolated, "action-in-progress"):
        action.return_completion(
            state, reason_code=ReturnReason.OTHER, note="Belum", actor=KANWIL, at=AT
        )
