"""Forum: a convening (rakernas, festival HAM, pelatihan, FGD…) where commitments are made."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

import msgspec

from domain.errors import InvalidInput, RuleViolated
from domain.events import DomainEvent
from domain.forum_session import ForumSession, ForumSessionRecorded, check_session, with_session
from domain.regions import RegionCatalogue
from domain.values import (
    Actor,
    Source,
    check_date_order,
    check_source,
    require_reason,
    require_text,
)


class ForumKind(StrEnum):
    RAKERNAS = "rakernas"
    RAKER = "raker"
    FESTIVAL_HAM = "festival_ham"
    SOSIALISASI = "sosialisasi"
    PELATIHAN = "pelatihan"
    FGD = "fgd"
    LAINNYA = "lainnya"


class ForumConvened(DomainEvent, frozen=True, kw_only=True):
    forum_id: UUID
    kind: ForumKind
    title: str
    theme: str
    organisers: tuple[str, ...]
    host_region_code: str
    venue: str
    starts_on: date
    ends_on: date
    sources: tuple[Source, ...] = ()  # press or official reports of the forum


class ForumCorrected(DomainEvent, frozen=True, kw_only=True):
    """Details fixed after the fact; only the fields given change."""

    reason: str
    title: str | None = None
    theme: str | None = None
    venue: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None


class ForumArchived(DomainEvent, frozen=True, kw_only=True):
    """Closed to new commitments; nothing is deleted and its commitments stand as they are."""

    reason: str


ForumEvent = ForumConvened | ForumCorrected | ForumArchived | ForumSessionRecorded


class ForumStatus(StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"


class Forum(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    version: int
    kind: ForumKind
    title: str
    theme: str
    organisers: tuple[str, ...]
    host_region_code: str
    venue: str
    starts_on: date
    ends_on: date
    created_at: datetime
    updated_at: datetime
    status: ForumStatus = ForumStatus.ACTIVE
    archive_reason: str = ""
    sources: tuple[Source, ...] = ()
    sessions: tuple[ForumSession, ...] = ()


def require_open(forum: Forum) -> None:
    """An archived forum takes no new commitment and no correction."""
    if forum.status is ForumStatus.ARCHIVED:
        raise RuleViolated("forum-archived")


def convene(
    *,
    forum_id: UUID,
    kind: ForumKind,
    title: str,
    theme: str,
    organisers: tuple[str, ...],
    host_region_code: str,
    venue: str,
    starts_on: date,
    ends_on: date,
    regions: RegionCatalogue,
    actor: Actor,
    at: datetime,
    sources: tuple[Source, ...] = (),
) -> ForumConvened:
    regions.require(host_region_code)
    check_date_order(starts_on, ends_on, "forum")
    if not organisers:
        raise InvalidInput("organisers-required")
    return ForumConvened(
        forum_id=forum_id,
        kind=kind,
        title=require_text(title, "title", max_length=300),
        theme=theme.strip(),
        organisers=tuple(require_text(o, "organisers", max_length=200) for o in organisers),
        host_region_code=host_region_code,
        venue=venue.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        sources=tuple(check_source(s) for s in sources),
        actor=actor,
        at=at,
    )


def correct(
    forum: Forum,
    *,
    reason: str | None,
    title: str | None = None,
    theme: str | None = None,
    venue: str | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    actor: Actor,
    at: datetime,
) -> ForumCorrected:
    require_open(forum)
    why = require_reason(reason)
    check_date_order(starts_on or forum.starts_on, ends_on or forum.ends_on, "forum")
    return ForumCorrected(
        reason=why,
        title=require_text(title, "title", max_length=300) if title is not None else None,
        theme=theme.strip() if theme is not None else None,
        venue=venue.strip() if venue is not None else None,
        starts_on=starts_on,
        ends_on=ends_on,
        actor=actor,
        at=at,
    )


def archive(forum: Forum, *, reason: str | None, actor: Actor, at: datetime) -> ForumArchived:
    require_open(forum)
    return ForumArchived(reason=require_reason(reason), actor=actor, at=at)


def record_session(
    forum: Forum, *, session: ForumSession, reason: str | None, actor: Actor, at: datetime
) -> ForumSessionRecorded:
    """A new session, or the same number again with a reason (a source corrected the first)."""
    require_open(forum)
    checked = check_session(session, forum.starts_on, forum.ends_on)
    replaces = any(s.number == checked.number for s in forum.sessions)
    why = require_reason(reason) if replaces else None
    return ForumSessionRecorded(session=checked, reason=why, actor=actor, at=at)


def evolve(forum: Forum | None, event: ForumEvent) -> Forum:
    if isinstance(event, ForumConvened):
        return Forum(
            id=event.forum_id,
            version=1,
            kind=event.kind,
            title=event.title,
            theme=event.theme,
            organisers=event.organisers,
            host_region_code=event.host_region_code,
            venue=event.venue,
            starts_on=event.starts_on,
            ends_on=event.ends_on,
            sources=event.sources,
            created_at=event.at,
            updated_at=event.at,
        )
    assert forum is not None
    if isinstance(event, ForumSessionRecorded):
        return msgspec.structs.replace(
            forum,
            version=forum.version + 1,
            sessions=with_session(forum.sessions, event.session),
            updated_at=event.at,
        )
    if isinstance(event, ForumArchived):
        return msgspec.structs.replace(
            forum,
            version=forum.version + 1,
            status=ForumStatus.ARCHIVED,
            archive_reason=event.reason,
            updated_at=event.at,
        )
    return msgspec.structs.replace(
        forum,
        version=forum.version + 1,
        title=event.title or forum.title,
        theme=event.theme if event.theme is not None else forum.theme,
        venue=event.venue if event.venue is not None else forum.venue,
        starts_on=event.starts_on or forum.starts_on,
        ends_on=event.ends_on or forum.ends_on,
        updated_at=event.at,
    )
