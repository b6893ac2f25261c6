"""Commitment: what regions signed at a forum, tagged to RPJMN priorities and KKP HAM criteria."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

import msgspec

from domain.errors import InvalidInput, RuleViolated
from domain.events import DomainEvent
from domain.regions import RegionCatalogue
from domain.values import (
    Actor,
    RpjmnTag,
    Signatory,
    check_kkp,
    check_rpjmn,
    require_reason,
    require_text,
)


class CommitmentStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class CommitmentMade(DomainEvent, frozen=True, kw_only=True):
    commitment_id: UUID
    forum_id: UUID
    title: str
    summary: str
    made_on: date
    signatories: tuple[Signatory, ...]
    rpjmn: tuple[RpjmnTag, ...]
    kkp_criteria: tuple[int, ...]


class CommitmentAmended(DomainEvent, frozen=True, kw_only=True):
    """Only the fields given change; the reason is always kept."""

    reason: str
    title: str | None = None
    summary: str | None = None
    signatories: tuple[Signatory, ...] | None = None
    rpjmn: tuple[RpjmnTag, ...] | None = None
    kkp_criteria: tuple[int, ...] | None = None


class CommitmentWithdrawn(DomainEvent, frozen=True, kw_only=True):
    reason: str


CommitmentEvent = CommitmentMade | CommitmentAmended | CommitmentWithdrawn


class Commitment(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    version: int
    forum_id: UUID
    title: str
    summary: str
    made_on: date
    signatories: tuple[Signatory, ...]
    rpjmn: tuple[RpjmnTag, ...]
    kkp_criteria: tuple[int, ...]
    status: CommitmentStatus
    created_at: datetime
    updated_at: datetime

    def covers(self, region_code: str, regions: RegionCatalogue) -> bool:
        """A region is covered if it signed, or if its province signed for it."""
        region = regions.get(region_code)
        signed = {s.region_code for s in self.signatories}
        return region_code in signed or (region is not None and region.province_code in signed)


def _check_signatories(signatories: tuple[Signatory, ...], regions: RegionCatalogue) -> None:
    if not signatories:
        raise InvalidInput("signatories-required")
    seen: set[str] = set()
    for signatory in signatories:
        regions.require(signatory.region_code)
        require_text(signatory.office, "signatories.office", max_length=200)
        if signatory.region_code in seen:
            raise InvalidInput("duplicate-signatory", region_code=signatory.region_code)
        seen.add(signatory.region_code)


def make(
    *,
    commitment_id: UUID,
    forum_id: UUID,
    forum_starts_on: date,
    title: str,
    summary: str,
    made_on: date,
    signatories: tuple[Signatory, ...],
    rpjmn: tuple[RpjmnTag, ...],
    kkp_criteria: tuple[int, ...],
    regions: RegionCatalogue,
    actor: Actor,
    at: datetime,
) -> CommitmentMade:
    _check_signatories(signatories, regions)
    check_rpjmn(rpjmn)
    check_kkp(kkp_criteria)
    if made_on < forum_starts_on:
        raise InvalidInput("commitment-before-forum")
    return CommitmentMade(
        commitment_id=commitment_id,
        forum_id=forum_id,
        title=require_text(title, "title", max_length=300),
        summary=summary.strip(),
        made_on=made_on,
        signatories=signatories,
        rpjmn=rpjmn,
        kkp_criteria=tuple(sorted(set(kkp_criteria))),
        actor=actor,
        at=at,
    )


def _require_active(commitment: Commitment) -> None:
    if commitment.status is CommitmentStatus.WITHDRAWN:
        raise RuleViolated("commitment-withdrawn", text="commitment-withdrawn.already")


def amend(
    commitment: Commitment,
    *,
    reason: str | None,
    title: str | None = None,
    summary: str | None = None,
    signatories: tuple[Signatory, ...] | None = None,
    rpjmn: tuple[RpjmnTag, ...] | None = None,
    kkp_criteria: tuple[int, ...] | None = None,
    regions: RegionCatalogue,
    actor: Actor,
    at: datetime,
) -> CommitmentAmended:
    _require_active(commitment)
    why = require_reason(reason)
    if signatories is not None:
        _check_signatories(signatories, regions)
    if rpjmn is not None:
        check_rpjmn(rpjmn)
    if kkp_criteria is not None:
        check_kkp(kkp_criteria)
    if all(v is None for v in (title, summary, signatories, rpjmn, kkp_criteria)):
        raise InvalidInput("nothing-to-amend")
    return CommitmentAmended(
        reason=why,
        title=require_text(title, "title", max_length=300) if title is not None else None,
        summary=summary.strip() if summary is not None else None,
        signatories=signatories,
        rpjmn=rpjmn,
        kkp_criteria=tuple(sorted(set(kkp_criteria))) if kkp_criteria is not None else None,
        actor=actor,
        at=at,
    )


def withdraw(
    commitment: Commitment, *, reason: str | None, actor: Actor, at: datetime
) -> CommitmentWithdrawn:
    _require_active(commitment)
    return CommitmentWithdrawn(reason=require_reason(reason), actor=actor, at=at)


def evolve(commitment: Commitment | None, event: CommitmentEvent) -> Commitment:
    if isinstance(event, CommitmentMade):
        return Commitment(
            id=event.commitment_id,
            version=1,
            forum_id=event.forum_id,
            title=event.title,
            summary=event.summary,
            made_on=event.made_on,
            signatories=event.signatories,
            rpjmn=event.rpjmn,
            kkp_criteria=event.kkp_criteria,
            status=CommitmentStatus.ACTIVE,
            created_at=event.at,
            updated_at=event.at,
        )
    assert commitment is not None
    replace = msgspec.structs.replace
    bumped = replace(commitment, version=commitment.version + 1, updated_at=event.at)
    if isinstance(event, CommitmentWithdrawn):
        return replace(bumped, status=CommitmentStatus.WITHDRAWN)
    return replace(
        bumped,
        title=event.title or commitment.title,
        summary=event.summary if event.summary is not None else commitment.summary,
        signatories=event.signatories or commitment.signatories,
        rpjmn=event.rpjmn if event.rpjmn is not None else commitment.rpjmn,
        kkp_criteria=(
            event.kkp_criteria if event.kkp_criteria is not None else commitment.kkp_criteria
        ),
    )
