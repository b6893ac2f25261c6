"""Request bodies of the HTTP API (msgspec Structs; litestar builds the OpenAPI schema).

Shapes are checked here; meaning (ranges, states, regions) is checked by the domain, so
each rule lives in one place.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec

from domain.action_events import ReturnReason
from domain.forum import ForumKind
from domain.forum_session import Speaker
from domain.period import PeriodKind
from domain.values import (
    Evidence,
    Indicator,
    IndicatorType,
    Partner,
    RpjmnTag,
    Signatory,
    Source,
)

Text = Annotated[str, msgspec.Meta(max_length=10_000)]
ShortText = Annotated[str, msgspec.Meta(max_length=300)]
Reason = Annotated[str, msgspec.Meta(max_length=2000)]
Weight = Annotated[int, msgspec.Meta(examples=[1, 3])]  # the domain checks 1-100


class ForumIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: ForumKind
    title: ShortText
    organisers: list[ShortText]
    host_region_code: Annotated[str, msgspec.Meta(examples=["61.72"])]
    starts_on: date
    ends_on: date
    theme: Text = ""
    venue: ShortText = ""
    sources: list[Source] = []  # press or official reports: publisher, title, date, url


class ForumCorrectionIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: Reason
    title: ShortText | None = None
    theme: Text | None = None
    venue: ShortText | None = None
    starts_on: date | None = None
    ends_on: date | None = None


class ForumSessionIn(msgspec.Struct, forbid_unknown_fields=True):
    """One session of the programme; the same number again replaces it (give a reason)."""

    number: Annotated[int, msgspec.Meta(examples=[1, 2])]
    title: Annotated[
        ShortText,
        msgspec.Meta(examples=["Pleno I: Pemerintah Daerah dan HAM (Agenda Global dan Nasional)"]),
    ] = ""
    held_on: date | None = None
    speakers: list[Speaker] = []  # name, office as reported, role
    sources: list[Source] = []
    reason: Reason | None = None


class CommitmentIn(msgspec.Struct, forbid_unknown_fields=True):
    forum_id: UUID
    title: ShortText
    made_on: date
    signatories: list[Signatory]
    summary: Text = ""
    rpjmn: list[RpjmnTag] = []
    kkp_criteria: list[int] = []


class CommitmentAmendmentIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: Reason
    title: ShortText | None = None
    summary: Text | None = None
    signatories: list[Signatory] | None = None
    rpjmn: list[RpjmnTag] | None = None
    kkp_criteria: list[int] | None = None


class ReasonIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: Reason


class ActionIn(msgspec.Struct, forbid_unknown_fields=True):
    commitment_id: UUID
    region_code: Annotated[str, msgspec.Meta(examples=["35.72"])]
    title: ShortText
    owner_opd: ShortText
    due_on: date
    description: Text = ""
    partners: list[Partner] = []
    rpjmn: list[RpjmnTag] = []
    kkp_criterion: int | None = None
    indicator_type: IndicatorType = IndicatorType.PROCESS
    indicator: Indicator | None = None
    # four_monthly (B04/B08/B12), quarter or month; unset: the first report fixes it
    cadence: PeriodKind | None = None
    # 1-100: how much the action counts in its region's, province's and national figures
    weight: Weight = 1


class StepIn(msgspec.Struct, forbid_unknown_fields=True):
    """A step of an action: its own owner, due date (not after the action's) and weight."""

    title: ShortText
    owner_opd: ShortText
    due_on: date
    weight: Weight = 1


class ActionAmendmentIn(msgspec.Struct, forbid_unknown_fields=True):
    """A correction: only the fields sent change; the due date is changed by rescheduling."""

    reason: Reason
    title: ShortText | None = None
    description: Text | None = None
    owner_opd: ShortText | None = None
    partners: list[Partner] | None = None
    rpjmn: list[RpjmnTag] | None = None
    kkp_criterion: int | None = None
    indicator_type: IndicatorType | None = None
    indicator: Indicator | None = None
    weight: Weight | None = None


class ProgressIn(msgspec.Struct, forbid_unknown_fields=True):
    period: Annotated[str, msgspec.Meta(examples=["2025-B08", "2025-Q3", "2025-07"])]
    narrative: Text
    step_id: UUID | None = None  # required on an action split into steps
    percent: float | None = None
    indicator_value: float | None = None
    evidence: list[Evidence] = []
    correction_reason: Reason | None = None


class ResubmissionIn(msgspec.Struct, forbid_unknown_fields=True):
    narrative: Text
    percent: float | None = None
    indicator_value: float | None = None
    evidence: list[Evidence] = []
    correction_reason: Reason | None = None


class VerificationIn(msgspec.Struct, forbid_unknown_fields=True):
    note: Reason = ""


class ReturnIn(msgspec.Struct, forbid_unknown_fields=True):
    reason_code: ReturnReason
    note: Reason


class CompletionIn(msgspec.Struct, forbid_unknown_fields=True):
    evidence: list[Evidence] = []
    note: Reason = ""


class RescheduleIn(msgspec.Struct, forbid_unknown_fields=True):
    due_on: date
    reason: Reason


class CommandOut(msgspec.Struct):
    """Every write answers the new version and the position of its last event; pass the
    position back as `?after=` to read lists that already include the write."""

    id: UUID
    version: int
    position: int
    data: object
