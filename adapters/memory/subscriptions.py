"""Public subscriptions in memory: the same answers as adapters/subscriptions.py."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlsplit
from uuid import UUID

import msgspec

from adapters.delivery_types import Status
from adapters.subscription_types import Channel, Notice, Subscription

replace = msgspec.structs.replace


class MemorySubscriptions:
    def __init__(self) -> None:
        self._subs: dict[UUID, Subscription] = {}
        self._notices: dict[int, Notice] = {}
        self._keys: set[tuple[UUID, int]] = set()
        self._positions: dict[str, int] = {}
        self._lock = threading.Lock()

    async def create_schema(self) -> None:
        return None

    def _insert(self, notices: Sequence[Notice]) -> None:
        for n in notices:
            if (n.subscription_id, n.position) in self._keys:
                continue
            ident = len(self._notices) + 1
            self._notices[ident] = replace(n, id=ident, status=Status.PENDING, attempts=0)
            self._keys.add((n.subscription_id, n.position))

    async def add(self, subscription: Subscription, first: Notice | None = None) -> None:
        with self._lock:
            if any(s.token == subscription.token for s in self._subs.values()):
                raise ValueError("token already in use")
            self._subs[subscription.id] = subscription
            self._insert([first] if first else [])

    async def by_token(self, token: str) -> Subscription | None:
        with self._lock:
            return next((s for s in self._subs.values() if s.token == token), None)

    async def get(self, ident: UUID) -> Subscription | None:
        with self._lock:
            return self._subs.get(ident)

    async def confirm(self, ident: UUID, now: datetime) -> None:
        with self._lock:
            s = self._subs[ident]
            self._subs[ident] = replace(s, confirmed_at=s.confirmed_at or now)

    async def end(self, ident: UUID, now: datetime) -> None:
        with self._lock:
            s = self._subs[ident]
            self._subs[ident] = replace(s, ended_at=s.ended_at or now)

    async def unconfirmed(self, email: str, since: datetime) -> int:
        with self._lock:
            found = [s for s in self._subs.values() if s.channel is Channel.MAIL]
        return sum(
            1 for s in found if s.email == email and s.created_at >= since and not s.confirmed_at
        )

    async def webhooks_on(self, host: str) -> int:
        with self._lock:
            found = [s for s in self._subs.values() if s.channel is Channel.WEBHOOK]
        return sum(
            1
            for s in found
            if s.ended_at is None
            and s.disabled_at is None
            and urlsplit(s.url or "").hostname == host
        )

    async def active(self) -> list[Subscription]:
        with self._lock:
            found = [s for s in self._subs.values() if s.active]
        return sorted(found, key=lambda s: (s.created_at, s.id))

    async def position(self, consumer: str) -> int:
        with self._lock:
            return self._positions.get(consumer, 0)

    async def queue(self, consumer: str, position: int, notices: Sequence[Notice]) -> None:
        with self._lock:
            self._insert(notices)
            self._positions[consumer] = max(self._positions.get(consumer, 0), position)

    async def due(self, now: datetime, limit: int = 100) -> list[Notice]:
        with self._lock:
            found = [
                n
                for n in self._notices.values()
                if n.status is Status.PENDING and n.next_attempt_at <= now
            ]
        return sorted(found, key=lambda n: (n.next_attempt_at, n.id))[:limit]

    async def delivered(self, notice: Notice, now: datetime) -> None:
        with self._lock:
            n = self._notices[notice.id]
            self._notices[n.id] = replace(
                n, status=Status.SENT, sent_at=now, attempts=n.attempts + 1, last_error=None
            )
            s = self._subs[n.subscription_id]
            self._subs[s.id] = replace(s, failures=0)

    async def failed(
        self,
        notice: Notice,
        error: str,
        retry_at: datetime | None,
        disable_after: int,
        now: datetime,
    ) -> None:
        with self._lock:
            n = self._notices[notice.id]
            self._notices[n.id] = replace(
                n,
                attempts=n.attempts + 1,
                last_error=error[:1000],
                status=Status.FAILED if retry_at is None else n.status,
                next_attempt_at=retry_at or n.next_attempt_at,
            )
            s = self._subs[n.subscription_id]
            failures = s.failures + 1
            off = s.disabled_at or (now if failures >= disable_after else None)
            self._subs[s.id] = replace(s, failures=failures, disabled_at=off)

    async def log(self, ident: UUID, limit: int = 100) -> list[Notice]:
        with self._lock:
            found = [n for n in self._notices.values() if n.subscription_id == ident]
        return sorted(found, key=lambda n: n.id, reverse=True)[:limit]
