"""A forum's programme: its sessions (pleno, pembukaan, diskusi) and the people who spoke,
moderated or facilitated, as the sources report them. Names are only ever what a source
gives; a session may have a title and no named speaker, never an invented one.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import msgspec

from domain.errors import InvalidInput
from domain.events import DomainEvent
from domain.values import Source, check_source, require_text

MAX_SESSIONS = 50
MAX_SPEAKERS = 30


class SpeakerRole(StrEnum):
    SPEAKER = "speaker"  # narasumber
    OPENING = "opening"  # membuka / memberi sambutan
    MODERATOR = "moderator"
    FACILITATOR = "facilitator"  # memandu, e.g. a signing


class Speaker(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: str
    office: str = ""  # the position as the source gives it on that day
    role: SpeakerRole = SpeakerRole.SPEAKER


class ForumSession(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    number: int  # its order in the programme, from 1
    title: str = ""  # "" when the forum had one session the source does not name
    held_on: date | None = None
    speakers: tuple[Speaker, ...] = ()
    sources: tuple[Source, ...] = ()


class ForumSessionRecorded(DomainEvent, frozen=True, kw_only=True):
    """A session of the programme, new or replacing the one with the same number."""

    session: ForumSession
    reason: str | None = None  # required when it replaces an earlier record


def check_session(session: ForumSession, starts_on: date, ends_on: date) -> ForumSession:
    """The session as it may be recorded: trimmed text, a day inside the forum, named people."""
    if not 1 <= session.number <= MAX_SESSIONS:
        raise InvalidInput("session-number", max=MAX_SESSIONS)
    title = session.title.strip()
    if len(title) > 300:
        raise InvalidInput("text-too-long", field="title", max_length=300)
    if not title and not session.speakers:
        raise InvalidInput("session-empty")
    if len(session.speakers) > MAX_SPEAKERS:
        raise InvalidInput("too-many-speakers", max=MAX_SPEAKERS)
    held_on = session.held_on
    if held_on is not None and not starts_on <= held_on <= ends_on:
        raise InvalidInput("session-day", starts_on=starts_on, ends_on=ends_on)
    speakers = tuple(_checked(s) for s in session.speakers)
    names = [s.name.casefold() for s in speakers]
    if len(set(names)) != len(names):
        raise InvalidInput("speaker-twice")
    return ForumSession(
        number=session.number,
        title=title,
        held_on=held_on,
        speakers=speakers,
        sources=tuple(check_source(s) for s in session.sources),
    )


def _checked(speaker: Speaker) -> Speaker:
    office = speaker.office.strip()
    if len(office) > 300:
        raise InvalidInput("text-too-long", field="speakers.office", max_length=300)
    name = require_text(speaker.name, "speakers.name", max_length=200)
    return Speaker(name=name, office=office, role=speaker.role)


def with_session(
    sessions: tuple[ForumSession, ...], session: ForumSession
) -> tuple[ForumSession, ...]:
    """The programme with this session in its place, ordered by number."""
    kept = [s for s in sessions if s.number != session.number]
    return tuple(sorted([*kept, session], key=lambda s: s.number))
