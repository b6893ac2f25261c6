"""Value objects shared by the aggregates.

All are frozen msgspec Structs so that events holding them can be encoded without pickle.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

import msgspec

from domain.errors import InvalidInput
from domain.evidence_files import FILE_PREFIX, stored_file_of


class Role(StrEnum):
    PEMDA = "pemda"
    KANWIL = "kanwil"
    ADMIN = "admin"
    SYSTEM = "system"


class Actor(msgspec.Struct, frozen=True, kw_only=True):
    """Who did something: recorded on every event."""

    user_id: str
    role: Role
    office: str


class IndicatorType(StrEnum):
    """The KKP HAM assessment looks at structure, process and outcome indicators."""

    STRUCTURE = "structure"
    PROCESS = "process"
    OUTCOME = "outcome"


class Indicator(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: str
    unit: str
    baseline: float
    target: float


class Evidence(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A document or page proving progress; sha256 lets readers check it was not swapped."""

    title: str
    url: str
    sha256: str | None = None
    public: bool = True
    media_type: str | None = None  # set for a file stored by the tracker, with its size
    size: int | None = None


class Signatory(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    region_code: str
    office: str
    name: str = ""  # the person who signed, only where a source names them; never invented


class Source(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Where a fact was reported: the publisher, the piece's title, its date and link."""

    publisher: str
    title: str
    published_on: date | None = None
    url: str | None = None


class Partner(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A stakeholder working with the owner OPD: CSO, business, Kanwil, Komnas HAM…"""

    name: str
    kind: str


class RpjmnTag(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A Prioritas Nasional of RPJMN 2025-2029 (PN1–PN8), optionally a finer programme code."""

    pn: str
    code: str | None = None


_PN = re.compile(r"^PN[1-8]$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
KKP_CRITERIA = range(1, 11)


def require_text(value: str, field: str, *, max_length: int = 2000) -> str:
    text = value.strip()
    if not text:
        raise InvalidInput("empty-text", field=field)
    if len(text) > max_length:
        raise InvalidInput("text-too-long", field=field, max_length=max_length)
    return text


def require_reason(reason: str | None) -> str:
    if reason is None or not reason.strip():
        raise InvalidInput("reason-required")
    return require_text(reason, "reason")


def check_rpjmn(tags: tuple[RpjmnTag, ...]) -> None:
    for tag in tags:
        if not _PN.match(tag.pn):
            raise InvalidInput("unknown-rpjmn-pn", pn=tag.pn)
        # A programme code lives under its PN: PN4's are 4, 4.2, 4.2.1, …
        if tag.code is not None and not re.fullmatch(
            rf"{tag.pn[2:]}(\.\d{{1,3}}){{0,4}}", tag.code
        ):
            raise InvalidInput("rpjmn-code-outside-pn", pn=tag.pn, code=tag.code)


def check_kkp(criteria: tuple[int, ...]) -> None:
    for criterion in criteria:
        if criterion not in KKP_CRITERIA:
            raise InvalidInput("unknown-kkp-criterion", criterion=criterion)


def check_evidence(items: tuple[Evidence, ...]) -> None:
    for item in items:
        require_text(item.title, "evidence.title", max_length=300)
        if item.sha256 is not None and not _SHA256.match(item.sha256):
            raise InvalidInput("evidence-sha256")
        if item.url.startswith(FILE_PREFIX):
            named = stored_file_of(item.url)
            stored = item.media_type and item.size is not None and item.size > 0
            if named is None or named[1] != item.sha256 or not stored:
                raise InvalidInput("evidence-file")
        elif not (item.url.startswith("https://") or item.url.startswith("http://")):
            raise InvalidInput("evidence-url")


def check_date_order(start: date, end: date, what: str) -> None:
    if end < start:
        raise InvalidInput("date-order", what=what)


def check_source(source: Source) -> Source:
    url = source.url.strip() if source.url else None
    if url is not None and not url.startswith(("https://", "http://")):
        raise InvalidInput("source-url", url=url)
    return Source(
        publisher=require_text(source.publisher, "sources.publisher", max_length=200),
        title=require_text(source.title, "sources.title", max_length=300),
        published_on=source.published_on,
        url=url,
    )
