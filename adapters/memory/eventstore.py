"""The event store in process memory: the same contract as adapters/eventstore.py (load by
kind, append at the expected version, conflict otherwise, a gap-free notification log),
checked by tests/contracts/test_event_store.py against both.

Events are kept encoded, exactly as PostgreSQL keeps them, so a test on this store also
proves every event survives its JSON form.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple
from uuid import UUID

from adapters import codec
from adapters.errors import ConcurrencyConflict
from adapters.idempotency_types import CURRENT_ATTEMPT
from adapters.store_types import Write
from domain.events import DomainEvent
from domain.registry import EVOLVERS, fold


class Notification(NamedTuple):
    notification_id: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


class MemoryEventStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()  # handlers run in worker threads
        self._streams: dict[UUID, list[Notification]] = {}
        self._log: list[Notification] = []
        self._listeners: list[Callable[[int], None]] = []
        self._applied: set[tuple[str, str]] = set()  # idempotency keys stored (idem.applied)

    def load(self, kind: str, aggregate_id: UUID) -> Any | None:
        with self._lock:
            stream = list(self._streams.get(aggregate_id, ()))
        events = (codec.decode_event(n.topic, n.state) for n in stream)
        return fold(kind, None, events)

    def append(
        self, kind: str, aggregate_id: UUID, state: Any | None, events: list[DomainEvent]
    ) -> tuple[Any, int]:
        (written,) = self.append_all([Write(kind, aggregate_id, state, events)])
        return written

    def append_all(self, writes: Sequence[Write]) -> list[tuple[Any, int]]:
        """All the writes or none, under one lock: a stale version of any one conflicts,
        and so does a second run of an idempotency key that stored events already."""
        planned = _plan(writes)
        answers = []
        attempt = CURRENT_ATTEMPT.get()
        key = None if attempt is None or attempt.marked else (attempt.account, attempt.key)
        with self._lock:
            if key is not None and key in self._applied:
                raise ConcurrencyConflict(key[1])
            versions: dict[UUID, int] = {}
            for aggregate_id, version, _, encoded in planned:
                current = versions.get(aggregate_id, len(self._streams.get(aggregate_id, ())))
                if current != version:
                    raise ConcurrencyConflict(str(aggregate_id))
                versions[aggregate_id] = version + len(encoded)
            for aggregate_id, version, state, encoded in planned:
                stream = self._streams.setdefault(aggregate_id, [])
                for offset, (topic, data) in enumerate(encoded, start=1):
                    note = Notification(
                        len(self._log) + 1, aggregate_id, version + offset, topic, data
                    )
                    stream.append(note)
                    self._log.append(note)
                answers.append((state, len(self._log)))
            position = len(self._log)
            if key is not None and attempt is not None:
                self._applied.add(key)
                attempt.marked = True
        for listener in list(self._listeners):
            listener(position)
        return answers

    def applied(self, account: str, key: str) -> bool:
        """Whether a request under this key stored events (PostgreSQL: idem.applied)."""
        with self._lock:
            return (account, key) in self._applied

    def listen(self, listener: Callable[[int], None]) -> None:
        """Call `listener(position)` after each append (from the appending thread): what a
        NOTIFY is to the PostgreSQL store."""
        self._listeners.append(listener)

    def unlisten(self, listener: Callable[[int], None]) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    def stream(self, aggregate_id: UUID) -> list[Notification]:
        """One aggregate's stored events, in version order."""
        with self._lock:
            return list(self._streams.get(aggregate_id, ()))

    def notifications(self, after: int, limit: int) -> list[Notification]:
        with self._lock:
            return self._log[after : after + limit]

    def until(self, position: int) -> MemoryEventStore:
        """A new store holding the log as it was at `position`: the full replay an as-of
        read is checked against."""
        prefix = MemoryEventStore()
        with self._lock:
            prefix._log = self._log[:position]
        for note in prefix._log:
            prefix._streams.setdefault(note.originator_id, []).append(note)
        return prefix

    def head(self) -> int:
        with self._lock:
            return len(self._log)

    def close(self) -> None:
        return None


def _plan(writes: Sequence[Write]) -> list[tuple[UUID, int, Any, list[tuple[str, bytes]]]]:
    """Per write: aggregate, version before, state after, and the encoded events."""
    planned = []
    for write in writes:
        state = write.state
        encoded = []
        for event in write.events:
            state = EVOLVERS[write.kind](state, event)
            encoded.append((codec.topic_of(event), codec.encode(event)))
        version = write.state.version if write.state is not None else 0
        planned.append((write.aggregate_id, version, state, encoded))
    return planned
