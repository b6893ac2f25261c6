"""KKP HAM assessment per region × data year: given past events, when a command, then events
or a refusal with its code."""

from __future__ import annotations

from datetime import date

import pytest

from domain import action
from domain import kkp_assessment as k
from domain import kkp_assessment_events as e
from domain.errors import InvalidInput, RuleViolated
from domain.kkp import CellRule, IndicatorSet, KkpIndicator
from domain.kkp_assessment_events import Answer, IndicatorAnswer
from domain.kkp_assessment_state import Assessment, AssessmentStatus, evolve
from domain.values import Evidence, IndicatorType

from .helpers import (
    ADMIN,
    KANWIL,
    PEMDA,
    action_planned,
    at,
    given,
    sample_catalogue,
    then_refused,
)

INDICATORS = IndicatorSet(
    version="uji-1",
    illustrative=True,
    note="",
    threshold=75,
    cell_rule=CellRule.MAX,
    method="",
    indicators=(
        KkpIndicator(id="5.S1", criterion=5, type=IndicatorType.STRUCTURE, weight=3, text="Perwal"),
        KkpIndicator(id="5.P1", criterion=5, type=IndicatorType.PROCESS, weight=4, text="Jemput"),
    ),
)
REGIONS = sample_catalogue()
ANSWER = IndicatorAnswer(indicator_id="5.S1", answer=Answer.MET, note=" Perwal 12/2022 ")


def opened(year: int = 2022) -> e.SelfAssessmentOpened:
    return k.open_assessment(
        None,
        region_code="33.75",
        data_year=year,
        indicators=INDICATORS,
        regions=REGIONS,
        actor=PEMDA,
        at=at(2023, 2, 1),
    )


def submitted() -> e.SelfAssessmentSubmitted:
    return e.SelfAssessmentSubmitted(answers=(ANSWER,), actor=PEMDA, at=at(2023, 2, 10))


def submit(state: Assessment, *answers: IndicatorAnswer, actions=None) -> object:
    return k.submit(
        state,
        answers=answers or (ANSWER,),
        note="",
        indicators=INDICATORS,
        actions=actions or {},
        actor=PEMDA,
        at=at(2023, 2, 10),
    )


def test_open_names_the_region_year_and_indicator_list():
    event = opened()
    assert event.assessment_id == k.assessment_id("33.75", 2022)
    assert (event.region_code, event.province_code, event.data_year) == ("33.75", "33", 2022)
    assert event.indicator_set == "uji-1"
    state = given(evolve, event)
    assert state.status is AssessmentStatus.OPEN and state.title == "KKP HAM 2022"


def test_open_twice_is_refused():
    state = given(evolve, opened())
    with then_refused(RuleViolated, "assessment-already-open"):
        k.open_assessment(
            state,
            region_code="33.75",
            data_year=2022,
            indicators=INDICATORS,
            regions=REGIONS,
            actor=PEMDA,
            at=at(2023, 2, 2),
        )


def test_a_data_year_that_has_not_begun_cannot_be_opened():
    with then_refused(InvalidInput, "data-year-in-future"):
        opened(2024)


def test_submission_waits_for_the_data_year_to_end():
    state = given(evolve, opened(2023))
    with then_refused(RuleViolated, "data-year-not-ended"):
        submit(state)


def test_submit_keeps_the_answers_trimmed_and_awaits_the_kanwil():
    state = given(evolve, opened())
    event = submit(state)
    assert isinstance(event, e.SelfAssessmentSubmitted)
    assert event.answers[0].note == "Perwal 12/2022"
    after = given(evolve, opened(), event)
    assert after.status is AssessmentStatus.SUBMITTED and after.submitted_by == PEMDA


@pytest.mark.parametrize(
    ("answers", "code"),
    [
        ((IndicatorAnswer(indicator_id="9.O9", answer=Answer.MET),), "unknown-kkp-indicator"),
        ((ANSWER, ANSWER), "answer-twice"),
        (
            (
                IndicatorAnswer(
                    indicator_id="5.S1",
                    answer=Answer.MET,
                    evidence=(Evidence(title="Berkas", url="ftp://x.example/a"),),
                ),
            ),
            "evidence-url",
        ),
    ],
)
def test_bad_answers_are_refused(answers, code):
    state = given(evolve, opened())
    with then_refused(InvalidInput, code):
        submit(state, *answers)


def test_a_refused_answer_names_its_indicator_and_a_sheet_wide_one_does_not():
    state = given(evolve, opened())
    bad = IndicatorAnswer(
        indicator_id="5.S1",
        answer=Answer.MET,
        evidence=(Evidence(title="Berkas", url="ftp://x.example/a"),),
    )
    with pytest.raises(InvalidInput) as refused:
        submit(state, bad)
    assert refused.value.subject == "5.S1"
    with pytest.raises(InvalidInput) as twice:
        submit(state, ANSWER, ANSWER)
    assert twice.value.subject is None


def test_linked_actions_must_be_the_regions_own():
    blitar = given(action.evolve, action_planned())  # Kota Blitar's action
    state = given(evolve, opened())
    linked = IndicatorAnswer(indicator_id="5.S1", answer=Answer.MET, action_ids=(blitar.id,))
    with then_refused(InvalidInput, "assessment-action"):
        submit(state, linked, actions={blitar.id: blitar})
    with then_refused(InvalidInput, "assessment-action"):
        submit(state, linked, actions={})


def test_submitted_twice_is_refused_until_returned_then_allowed():
    state = given(evolve, opened(), submitted())
    with then_refused(RuleViolated, "assessment-submitted"):
        submit(state)
    returned = k.return_assessment(state, reason="Bukti belum ada", actor=KANWIL, at=at(2023, 3, 1))
    again = given(evolve, opened(), submitted(), returned)
    assert again.status is AssessmentStatus.RETURNED and again.review_note == "Bukti belum ada"
    assert isinstance(submit(again), e.SelfAssessmentSubmitted)


def test_verify_only_a_submitted_one_and_then_it_is_final():
    state = given(evolve, opened())
    with then_refused(RuleViolated, "assessment-not-submitted"):
        k.verify(state, note="", actor=KANWIL, at=at(2023, 3, 1))
    verified = k.verify(
        given(evolve, opened(), submitted()), note="", actor=KANWIL, at=at(2023, 3, 1)
    )
    final = given(evolve, opened(), submitted(), verified)
    assert final.status is AssessmentStatus.VERIFIED and final.reviewed_by == KANWIL
    with then_refused(RuleViolated, "assessment-verified"):
        submit(final)


def test_return_needs_a_reason():
    state = given(evolve, opened(), submitted())
    with then_refused(InvalidInput, "reason-required"):
        k.return_assessment(state, reason=" ", actor=KANWIL, at=at(2023, 3, 1))


def result(state=None, **changes):
    fields = {
        "region_code": "33.75",
        "data_year": 2022,
        "score": 68.5,
        "predicate": False,
        "decree_number": "",
        "decree_date": date(2023, 12, 10),
        "note": "",
        "reason": None,
    } | changes
    return k.record_result(state, regions=REGIONS, actor=ADMIN, at=at(2023, 12, 11), **fields)


def test_a_result_can_be_the_first_event_and_leaves_the_self_assessment_alone():
    event = result()
    state = given(evolve, event)
    assert state.status is AssessmentStatus.NONE
    assert state.result is not None and (state.result.score, state.result.predicate) == (
        68.5,
        False,
    )
    with then_refused(RuleViolated, "assessment-not-open"):
        submit(state)


def test_replacing_a_result_needs_a_reason_and_keeps_the_answers():
    first = given(evolve, opened(), submitted(), result())
    with then_refused(InvalidInput, "reason-required"):
        result(first, score=70.0)
    replaced = result(first, score=70.0, reason="Salah ketik nilai")
    after = given(evolve, opened(), submitted(), result(), replaced)
    assert after.result is not None and after.result.score == 70.0
    assert after.answers == first.answers and after.status is AssessmentStatus.SUBMITTED


@pytest.mark.parametrize(
    ("changes", "kind", "code"),
    [
        ({"score": 101.0}, InvalidInput, "score-range"),
        ({"decree_date": date(2022, 6, 1)}, InvalidInput, "decree-before-assessment"),
        ({"data_year": 2023}, RuleViolated, "data-year-not-ended"),
        ({"data_year": 1999}, InvalidInput, "data-year"),
    ],
)
def test_bad_results_are_refused(changes, kind, code):
    with then_refused(kind, code):
        result(**changes)
