"""Public subscriptions: a mail address (double opt-in) or an integrator's webhook following a
region, a province, a forum or an action, and the outbox of what each is sent. Not events:
an address must be erasable, and a receiver's answers are operations, not history."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

import msgspec

from adapters.delivery_types import Status


class Channel(StrEnum):
    MAIL = "mail"
    WEBHOOK = "webhook"


class Subscription(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    channel: Channel
    scope: str  # "35.72", "35", "forum:<uuid>", "action:<uuid>" or "*" (webhooks: everything)
    token: str  # the secret of its links (confirm, unsubscribe) or its management token
    created_at: datetime
    email: str | None = None
    lang: str = "id"
    url: str | None = None
    secret: str | None = None  # the webhook's signing key (HMAC-SHA256 needs it in clear)
    confirmed_at: datetime | None = None  # mail: after the link in the first mail; hooks: at once
    ended_at: datetime | None = None  # unsubscribed or deleted
    disabled_at: datetime | None = None  # a webhook after too many failures in a row
    failures: int = 0  # in a row

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.ended_at is None and self.disabled_at is None


class Notice(msgspec.Struct, frozen=True, kw_only=True):
    """One event (public form) or the opt-in mail, for one subscription."""

    subscription_id: UUID
    position: int  # the event's; 0 for the opt-in mail
    payload: dict[str, Any]
    next_attempt_at: datetime
    created_at: datetime
    id: int = 0
    status: Status = Status.PENDING
    attempts: int = 0
    last_error: str | None = None
    sent_at: datetime | None = None
