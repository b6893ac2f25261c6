"""Idempotency keys in process memory (twin of adapters/idempotency.py, same contract)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from adapters.idempotency_types import LEASE, Answer, Claim, Claimed


class MemoryIdempotency:
    def __init__(self, applied: Callable[[str, str], bool] | None = None) -> None:
        """`applied`: the event store's record of keys whose run stored events
        (MemoryEventStore.applied); None: none ever is."""
        self._rows: dict[tuple[str, str], tuple[bytes, datetime, Answer | None]] = {}
        self._lock = threading.Lock()
        self._applied = applied or (lambda _account, _key: False)

    async def create_schema(self) -> None:
        return None

    async def claim(self, account: str, key: str, digest: bytes, now: datetime) -> Claimed:
        with self._lock:
            found = self._rows.get((account, key))
            if found is None:
                self._rows[(account, key)] = (digest, now, None)
                return Claimed(Claim.NEW)
            kept, since, answer = found
            if kept != digest:
                return Claimed(Claim.MISMATCH)
            if answer is not None:
                return Claimed(Claim.REPLAY, answer)
            if now - since < LEASE:
                return Claimed(Claim.BUSY)
            if self._applied(account, key):
                return Claimed(Claim.APPLIED)
            self._rows[(account, key)] = (digest, now, None)  # taken over from a dead run
            return Claimed(Claim.NEW)

    async def complete(self, account: str, key: str, answer: Answer) -> None:
        with self._lock:
            digest, created, _ = self._rows[(account, key)]
            self._rows[(account, key)] = (digest, created, answer)

    async def release(self, account: str, key: str) -> None:
        with self._lock:
            found = self._rows.get((account, key))
            if found is not None and found[2] is None:
                del self._rows[(account, key)]

    async def purge(self, before: datetime) -> int:
        with self._lock:
            old = [k for k, (_, created, _) in self._rows.items() if created < before]
            for k in old:
                del self._rows[k]
        return len(old)
