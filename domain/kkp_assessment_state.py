"""The state of a KKP HAM assessment (one per region and data year), folded from its events
(domain/kkp_assessment_events.py); the deciders are in domain/kkp_assessment.py."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

import msgspec

from domain.kkp_assessment_events import (
    AssessmentEvent,
    AssessmentResultRecorded,
    IndicatorAnswer,
    SelfAssessmentOpened,
    SelfAssessmentReturned,
    SelfAssessmentSubmitted,
    SelfAssessmentVerified,
)
from domain.values import Actor


class AssessmentStatus(StrEnum):
    NONE = "none"  # no self-assessment in the tracker (a result only)
    OPEN = "open"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    VERIFIED = "verified"


class Result(msgspec.Struct, frozen=True, kw_only=True):
    score: float | None
    predicate: bool
    decree_number: str
    decree_date: date | None
    note: str
    recorded_at: datetime
    recorded_by: Actor


class Assessment(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    version: int
    region_code: str
    province_code: str
    data_year: int
    title: str  # what lists and feeds name it by
    status: AssessmentStatus
    indicator_set: str
    answers: tuple[IndicatorAnswer, ...]
    note: str
    submitted_at: datetime | None
    submitted_by: Actor | None
    reviewed_at: datetime | None
    reviewed_by: Actor | None
    review_note: str
    result: Result | None
    created_at: datetime
    updated_at: datetime


def _created(event: SelfAssessmentOpened | AssessmentResultRecorded) -> Assessment:
    return Assessment(
        id=event.assessment_id,
        version=0,
        region_code=event.region_code,
        province_code=event.province_code,
        data_year=event.data_year,
        title=f"KKP HAM {event.data_year}",
        status=AssessmentStatus.NONE,
        indicator_set="",
        answers=(),
        note="",
        submitted_at=None,
        submitted_by=None,
        reviewed_at=None,
        reviewed_by=None,
        review_note="",
        result=None,
        created_at=event.at,
        updated_at=event.at,
    )


def evolve(state: Assessment | None, event: AssessmentEvent) -> Assessment:
    if state is None:
        assert isinstance(event, SelfAssessmentOpened | AssessmentResultRecorded)
        state = _created(event)
    now = msgspec.structs.replace(state, version=state.version + 1, updated_at=event.at)
    if isinstance(event, SelfAssessmentOpened):
        return msgspec.structs.replace(
            now, status=AssessmentStatus.OPEN, indicator_set=event.indicator_set
        )
    if isinstance(event, SelfAssessmentSubmitted):
        return msgspec.structs.replace(
            now,
            status=AssessmentStatus.SUBMITTED,
            answers=event.answers,
            note=event.note,
            submitted_at=event.at,
            submitted_by=event.actor,
        )
    if isinstance(event, SelfAssessmentVerified | SelfAssessmentReturned):
        verified = isinstance(event, SelfAssessmentVerified)
        return msgspec.structs.replace(
            now,
            status=AssessmentStatus.VERIFIED if verified else AssessmentStatus.RETURNED,
            reviewed_at=event.at,
            reviewed_by=event.actor,
            review_note=event.note if isinstance(event, SelfAssessmentVerified) else event.reason,
        )
    result = Result(
        score=event.score,
        predicate=event.predicate,
        decree_number=event.decree_number,
        decree_date=event.decree_date,
        note=event.note,
        recorded_at=event.at,
        recorded_by=event.actor,
    )
    return msgspec.structs.replace(now, result=result)
