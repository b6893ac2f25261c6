"""A write's first answer, kept under the client's Idempotency-Key (both stores)."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

import msgspec

LEASE = timedelta(minutes=2)  # a first request still running after this is taken as dead


class Claim(Enum):
    NEW = "new"  # first time: run the request, then `complete` (or `release` on failure)
    REPLAY = "replay"  # the same request again: answer what was answered
    MISMATCH = "mismatch"  # the key was used for another request
    BUSY = "busy"  # the first request with this key is still running
    APPLIED = "applied"  # its first request was stored, then died before answering


class Answer(msgspec.Struct, frozen=True):
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class Claimed(msgspec.Struct, frozen=True):
    claim: Claim
    answer: Answer | None = None


@dataclass
class Attempt:
    """The run of a request under a key. Its first append stores the key in the same
    transaction as the events (PostgreSQL: `idem.applied`), so two runs of one key can
    never both be stored, and a retry after a crash learns whether the first one was."""

    account: str
    key: str
    marked: bool = False


CURRENT_ATTEMPT: ContextVar[Attempt | None] = ContextVar("idempotency_attempt", default=None)
