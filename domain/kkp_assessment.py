"""KKP HAM assessment: one aggregate per region and data year.

The Pemda's Bagian Hukum opens a self-assessment and submits it (an answer per indicator,
the actions and evidence behind it); the Kanwil of the region's jurisdiction verifies it
or returns it with a reason, after which it can be submitted again; the ministry records
the central result (score, predicate, decree). The result stands beside the tracker's
own readiness estimate (projections/kkp.py) and never rewrites it.

The id is derived from the region and the data year (`assessment_id`), so the open, the
answers and the result of one year always meet on one stream.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID, uuid5

import msgspec

from domain.action_state import Action
from domain.errors import DomainError, InvalidInput, RuleViolated
from domain.evidence_files import FILE_PREFIX
from domain.kkp import IndicatorSet, check_data_year
from domain.kkp_assessment_events import (
    AssessmentResultRecorded,
    IndicatorAnswer,
    SelfAssessmentOpened,
    SelfAssessmentReturned,
    SelfAssessmentSubmitted,
    SelfAssessmentVerified,
)
from domain.kkp_assessment_state import Assessment, AssessmentStatus
from domain.regions import RegionCatalogue, time_zone
from domain.values import Actor, check_evidence, require_reason, require_text

_NAMESPACE = UUID("0b6c7f58-2a43-4e0f-8a51-7d3c1e9b4f26")


def assessment_id(region_code: str, data_year: int) -> UUID:
    return uuid5(_NAMESPACE, f"kkp-assessment/{region_code}/{data_year}")


def _year_ended(region_code: str, data_year: int, at: datetime) -> bool:
    return time_zone(region_code).local(at).year > data_year


def open_assessment(
    state: Assessment | None,
    *,
    region_code: str,
    data_year: int,
    indicators: IndicatorSet,
    regions: RegionCatalogue,
    actor: Actor,
    at: datetime,
) -> SelfAssessmentOpened:
    region = regions.require(region_code)
    check_data_year(data_year)
    if state is not None and state.status is not AssessmentStatus.NONE:
        raise RuleViolated("assessment-already-open", data_year=data_year)
    if time_zone(region.code).local(at).year < data_year:
        raise InvalidInput("data-year-in-future", year=data_year)
    return SelfAssessmentOpened(
        assessment_id=assessment_id(region.code, data_year),
        region_code=region.code,
        province_code=region.province_code,
        data_year=data_year,
        indicator_set=indicators.version,
        actor=actor,
        at=at,
    )


def _check_answer(
    item: IndicatorAnswer, state: Assessment, indicators: IndicatorSet, actions: dict[UUID, Action]
) -> IndicatorAnswer:
    try:
        indicators.require(item.indicator_id)
        for action_id in item.action_ids:
            found = actions.get(action_id)
            if found is None or found.region_code != state.region_code:
                raise InvalidInput("assessment-action", action_id=action_id)
        check_evidence(item.evidence)
        if any(e.url.startswith(FILE_PREFIX) for e in item.evidence):
            raise InvalidInput("assessment-evidence-link")
    except DomainError as error:
        error.subject = item.indicator_id
        raise
    return msgspec.structs.replace(item, note=item.note.strip())


def submit(
    state: Assessment,
    *,
    answers: tuple[IndicatorAnswer, ...],
    note: str,
    indicators: IndicatorSet,
    actions: dict[UUID, Action],
    actor: Actor,
    at: datetime,
) -> SelfAssessmentSubmitted:
    """`actions` holds the states of the actions the answers link (the handler loads them)."""
    refused = {
        AssessmentStatus.NONE: "assessment-not-open",
        AssessmentStatus.SUBMITTED: "assessment-submitted",
        AssessmentStatus.VERIFIED: "assessment-verified",
    }.get(state.status)
    if refused is not None:
        raise RuleViolated(refused, data_year=state.data_year)
    if not _year_ended(state.region_code, state.data_year, at):
        raise RuleViolated("data-year-not-ended", year=state.data_year)
    if indicators.version != state.indicator_set:
        raise RuleViolated("indicator-set-changed", version=state.indicator_set)
    if not answers:
        raise InvalidInput("answers-required")
    ids = [a.indicator_id for a in answers]
    if len(set(ids)) != len(ids):
        raise InvalidInput("answer-twice")
    return SelfAssessmentSubmitted(
        answers=tuple(_check_answer(a, state, indicators, actions) for a in answers),
        note=note.strip(),
        actor=actor,
        at=at,
    )


def _awaiting_review(state: Assessment) -> None:
    if state.status is not AssessmentStatus.SUBMITTED:
        raise RuleViolated("assessment-not-submitted", data_year=state.data_year)


def verify(state: Assessment, *, note: str, actor: Actor, at: datetime) -> SelfAssessmentVerified:
    _awaiting_review(state)
    return SelfAssessmentVerified(note=note.strip(), actor=actor, at=at)


def return_assessment(
    state: Assessment, *, reason: str | None, actor: Actor, at: datetime
) -> SelfAssessmentReturned:
    _awaiting_review(state)
    return SelfAssessmentReturned(reason=require_reason(reason), actor=actor, at=at)


def record_result(
    state: Assessment | None,
    *,
    region_code: str,
    data_year: int,
    score: float | None,
    predicate: bool,
    decree_number: str,
    decree_date: date | None,
    note: str,
    reason: str | None,
    regions: RegionCatalogue,
    actor: Actor,
    at: datetime,
) -> AssessmentResultRecorded:
    region = regions.require(region_code)
    check_data_year(data_year)
    if not _year_ended(region.code, data_year, at):
        raise RuleViolated("data-year-not-ended", year=data_year)
    if score is not None and not 0 <= score <= 100:
        raise InvalidInput("score-range")
    if decree_date is not None and decree_date.year <= data_year:
        raise InvalidInput("decree-before-assessment", year=data_year)
    replacing = state is not None and state.result is not None
    return AssessmentResultRecorded(
        assessment_id=assessment_id(region.code, data_year),
        region_code=region.code,
        province_code=region.province_code,
        data_year=data_year,
        score=score,
        predicate=predicate,
        decree_number=_decree_number(decree_number),
        decree_date=decree_date,
        note=require_text(note, "note") if note.strip() else "",
        reason=require_reason(reason) if replacing else "",
        actor=actor,
        at=at,
    )


def _decree_number(value: str) -> str:
    text = value.strip()
    if len(text) > 200:
        raise InvalidInput("text-too-long", field="decree_number", max_length=200)
    return text
