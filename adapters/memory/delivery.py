"""The delivery store in memory: the same answers as adapters/delivery.py (contract tests)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime

import msgspec

from adapters.delivery_types import Outgoing, Preference, Status


class MemoryDelivery:
    def __init__(self) -> None:
        self._preferences: dict[str, Preference] = {}
        self._outbox: dict[int, Outgoing] = {}
        self._keys: set[str] = set()
        self._positions: dict[str, int] = {}
        self._lock = threading.Lock()

    async def create_schema(self) -> None:
        return None

    async def set_preference(self, preference: Preference) -> None:
        with self._lock:
            self._preferences[preference.user_id] = preference

    async def preferences(self) -> dict[str, Preference]:
        with self._lock:
            return dict(sorted(self._preferences.items()))

    async def position(self, consumer: str) -> int:
        with self._lock:
            return self._positions.get(consumer, 0)

    async def enqueue(self, consumer: str, position: int, items: Sequence[Outgoing]) -> int:
        with self._lock:
            added = 0
            for item in items:
                if item.key in self._keys:
                    continue
                ident = len(self._outbox) + 1
                self._outbox[ident] = msgspec.structs.replace(
                    item, id=ident, status=Status.PENDING, attempts=0
                )
                self._keys.add(item.key)
                added += 1
            self._positions[consumer] = max(self._positions.get(consumer, 0), position)
            return added

    async def due(self, now: datetime, limit: int = 100) -> list[Outgoing]:
        with self._lock:
            found = [
                o
                for o in self._outbox.values()
                if o.status is Status.PENDING and o.next_attempt_at <= now
            ]
        return sorted(found, key=lambda o: (o.next_attempt_at, o.id))[:limit]

    async def sent(self, ids: Sequence[int], now: datetime) -> None:
        with self._lock:
            for ident in ids:
                item = self._outbox[ident]
                self._outbox[ident] = msgspec.structs.replace(
                    item,
                    status=Status.SENT,
                    sent_at=now,
                    attempts=item.attempts + 1,
                    last_error=None,
                )

    async def failed(
        self, ids: Sequence[int], error: str, next_attempt_at: datetime | None
    ) -> None:
        with self._lock:
            for ident in ids:
                item = self._outbox[ident]
                self._outbox[ident] = msgspec.structs.replace(
                    item,
                    attempts=item.attempts + 1,
                    last_error=error[:1000],
                    status=Status.FAILED if next_attempt_at is None else item.status,
                    next_attempt_at=next_attempt_at or item.next_attempt_at,
                )

    async def log(self, limit: int = 200) -> list[Outgoing]:
        with self._lock:
            items = sorted(self._outbox.values(), key=lambda o: (o.created_at, o.id), reverse=True)
        return items[:limit]
