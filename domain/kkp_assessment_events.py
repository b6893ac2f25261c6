"""The events of a KKP HAM assessment (domain/kkp_assessment.py): what the Pemda, the Kanwil
and the ministry did, per region and data year. The class name is the stored topic."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

import msgspec

from domain.events import DomainEvent
from domain.values import Evidence


class Answer(StrEnum):
    MET = "met"  # terpenuhi
    PARTIAL = "partial"  # sebagian
    NOT_MET = "not_met"  # belum


class IndicatorAnswer(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    indicator_id: str
    answer: Answer
    action_ids: tuple[UUID, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    note: str = ""


class SelfAssessmentOpened(DomainEvent, frozen=True, kw_only=True):
    assessment_id: UUID
    region_code: str
    province_code: str
    data_year: int
    indicator_set: str  # the version of the indicator list it is answered against


class SelfAssessmentSubmitted(DomainEvent, frozen=True, kw_only=True):
    """The whole answer sheet as submitted; a resubmission after a return replaces it."""

    answers: tuple[IndicatorAnswer, ...]
    note: str = ""


class SelfAssessmentVerified(DomainEvent, frozen=True, kw_only=True):
    note: str = ""


class SelfAssessmentReturned(DomainEvent, frozen=True, kw_only=True):
    reason: str


class AssessmentResultRecorded(DomainEvent, frozen=True, kw_only=True):
    """The central result; it may be the stream's first event (a year assessed before the
    region used the tracker). Recording it again replaces it and needs a reason."""

    assessment_id: UUID
    region_code: str
    province_code: str
    data_year: int
    score: float | None
    predicate: bool
    decree_number: str = ""
    decree_date: date | None = None
    note: str = ""
    reason: str = ""


AssessmentEvent = (
    SelfAssessmentOpened
    | SelfAssessmentSubmitted
    | SelfAssessmentVerified
    | SelfAssessmentReturned
    | AssessmentResultRecorded
)
