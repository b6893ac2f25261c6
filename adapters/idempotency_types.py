"""A write's first answer, kept under the client's Idempotency-Key (both stores)."""

from __future__ import annotations

from enum import Enum

import msgspec


class Claim(Enum):
    NEW = "new"  # first time: run the request, then `complete` (or `release` on failure)
    REPLAY = "replay"  # the same request again: answer what was answered
    MISMATCH = "mismatch"  # the key was used for another request
    BUSY = "busy"  # the first request with this key is still running


class Answer(msgspec.Struct, frozen=True):
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class Claimed(msgspec.Struct, frozen=True):
    claim: Claim
    answer: Answer | None = None
