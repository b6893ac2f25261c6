"""What the delivery store holds: each account's notification preferences and the outbox of
mails, one row per reminder and account. Not events: an address can be erased, and whether
a mail server accepted a message is operations, not history."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

import msgspec


class Preference(msgspec.Struct, frozen=True, kw_only=True):
    user_id: str
    email: str | None  # None: the in-app inbox only
    lang: str = "id"  # the language of the mails: id | en
    digest: bool = False  # one mail a day instead of one per reminder
    updated_at: datetime | None = None


class Status(StrEnum):
    PENDING = "pending"  # waiting for its time (a retry, or the day's digest)
    SENT = "sent"
    FAILED = "failed"  # given up after the last attempt: the admin's log says why


class Outgoing(msgspec.Struct, frozen=True, kw_only=True):
    key: str  # reminder/user: the same reminder never reaches an account twice
    reminder_id: UUID
    user_id: str
    email: str
    lang: str
    digest: bool
    reminder: dict[str, Any]  # the reminder's document, as the mail is written from it
    next_attempt_at: datetime
    created_at: datetime
    id: int = 0
    status: Status = Status.PENDING
    attempts: int = 0
    last_error: str | None = None
    sent_at: datetime | None = None
