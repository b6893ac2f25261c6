"""The event store: an eventsourcing Application on PostgreSQL with a msgspec mapper.

eventsourcing is synchronous (psycopg); callers in async code must run these methods in a
worker thread. Notification ids returned by `append` are the global positions that the
read side and (later) the relay follow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import parse_qs, unquote, urlsplit
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, Mapper, StoredEvent

from adapters import codec
from adapters.errors import ConcurrencyConflict
from adapters.idempotency_types import CURRENT_ATTEMPT
from adapters.store_types import Write
from domain.events import DomainEvent
from domain.registry import EVOLVERS, fold

SNAPSHOT_INTERVAL = 25
APP_NAME = "Tracker"
EVENTS_TABLE = "tracker_events"
SNAPSHOTS_TABLE = "tracker_snapshots"

__all__ = ["ConcurrencyConflict", "EventStore", "PostgresEventStore", "open_event_store"]


@dataclass(frozen=True)
class Recorded:
    """What eventsourcing stores: an envelope around a pure domain event."""

    originator_id: UUID
    originator_version: int
    payload: DomainEvent


@dataclass(frozen=True)
class Snapshot:
    originator_id: UUID
    originator_version: int
    kind: str
    state: Any


class MsgspecMapper(Mapper[UUID]):
    def __init__(self) -> None:
        super().__init__(transcoder=None)  # type: ignore[arg-type]

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        if isinstance(domain_event, Snapshot):
            topic = codec.SNAPSHOT_PREFIX + domain_event.kind
            payload = domain_event.state
        else:
            topic = codec.topic_of(domain_event.payload)
            payload = domain_event.payload
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=topic,
            state=codec.encode(payload),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        originator_id = stored_event.originator_id
        if not isinstance(originator_id, UUID):
            originator_id = UUID(str(originator_id))
        if stored_event.topic.startswith(codec.SNAPSHOT_PREFIX):
            kind = codec.aggregate_kind(stored_event.topic)
            return Snapshot(
                originator_id=originator_id,
                originator_version=stored_event.originator_version,
                kind=kind,
                state=codec.decode_state(kind, stored_event.state),
            )
        return Recorded(
            originator_id=originator_id,
            originator_version=stored_event.originator_version,
            payload=codec.decode_event(stored_event.topic, stored_event.state),
        )


def postgres_env(database_url: str, pool_size: int = 5) -> dict[str, str]:
    """Translate a postgresql:// URL into eventsourcing's settings."""
    parts = urlsplit(database_url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise ValueError(f"not a PostgreSQL URL: scheme {parts.scheme!r}")
    query = parse_qs(parts.query)
    host = query.get("host", [parts.hostname or "127.0.0.1"])[0]  # ?host= may be a socket dir
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": unquote(parts.path.lstrip("/")) or "postgres",
        "POSTGRES_HOST": host,
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_POOL_SIZE": str(pool_size),
        "POSTGRES_MAX_OVERFLOW": str(pool_size * 2),
        "POSTGRES_CONNECT_TIMEOUT": "10",
        "POSTGRES_LOCK_TIMEOUT": "10",
        # Never the DB-function path: it skips the table lock, so a reader of the
        # notification log could see id 7 before 6 commits and miss 6 for ever.
        "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
        "ORIGINATOR_ID_TYPE": "uuid",
        "CREATE_TABLE": "y",
        "IS_SNAPSHOTTING_ENABLED": "y",
        "APPLICATION_RECORDER_TOPIC": "adapters.eventstore_recorder:KeyedRecorder",
    }


class EventStore(Application[UUID]):
    name = APP_NAME
    is_snapshotting_enabled = True

    def construct_mapper(self) -> Mapper[UUID]:
        return MsgspecMapper()

    def load(self, kind: str, aggregate_id: UUID) -> Any | None:
        """Latest state of one aggregate, from its newest snapshot plus later events."""
        state: Any = None
        after = 0
        assert self.snapshots is not None
        for stored in self.snapshots.get(aggregate_id, desc=True, limit=1):
            snapshot = cast("Snapshot", stored)
            if snapshot.kind != kind:
                return None
            state, after = snapshot.state, snapshot.originator_version
        recorded = self.events.get(aggregate_id, gt=after or None)
        return fold(kind, state, (cast("Recorded", r).payload for r in recorded))

    def append(
        self, kind: str, aggregate_id: UUID, state: Any | None, events: list[DomainEvent]
    ) -> tuple[Any, int]:
        """Store events after `state`; returns the new state and the last position.

        The (id, version) primary key makes a concurrent append of the same version fail,
        which is how exactly one of many writers with the same If-Match wins.
        """
        (written,) = self.append_all([Write(kind, aggregate_id, state, events)])
        return written

    def append_all(self, writes: Sequence[Write]) -> list[tuple[Any, int]]:
        """Several aggregates' events in one transaction: all are stored or none (a stale
        version of any one conflicts); per write, its new state and last position."""
        envelopes: list[Recorded] = []
        states: list[tuple[Write, Any]] = []
        for write in writes:
            version = write.state.version if write.state is not None else 0
            new: Any = write.state
            for offset, event in enumerate(write.events, start=1):
                new = EVOLVERS[write.kind](new, event)
                envelopes.append(Recorded(write.aggregate_id, version + offset, event))
            states.append((write, new))
        attempt = CURRENT_ATTEMPT.get()
        try:
            recordings = self.save(*envelopes, attempt=attempt)
        except IntegrityError as error:  # a stale version, or this key stored already
            raise ConcurrencyConflict(str(writes[0].aggregate_id)) from error
        if attempt is not None:
            attempt.marked = True
        answers, seen = [], 0
        for write, new in states:
            seen += len(write.events)
            before = write.state.version if write.state is not None else 0
            if before // SNAPSHOT_INTERVAL != new.version // SNAPSHOT_INTERVAL:
                assert self.snapshots is not None
                self.snapshots.put([Snapshot(write.aggregate_id, new.version, write.kind, new)])
            answers.append((new, recordings[seen - 1].notification.id))
        return answers


def open_event_store(database_url: str, pool_size: int = 5) -> EventStore:
    return EventStore(env=postgres_env(database_url, pool_size))


class PostgresEventStore:
    """The event store as the composition root holds it: built without a connection,
    opened (tables created) when the application starts, in a worker thread."""

    def __init__(self, database_url: str, pool_size: int = 5) -> None:
        self.database_url = database_url
        self.pool_size = pool_size
        self._app: EventStore | None = None

    def open(self) -> None:
        if self._app is None:
            self._app = open_event_store(self.database_url, self.pool_size)

    @property
    def app(self) -> EventStore:
        if self._app is None:
            raise RuntimeError("the event store is not open yet")
        return self._app

    def load(self, kind: str, aggregate_id: UUID) -> Any | None:
        return self.app.load(kind, aggregate_id)

    def append(
        self, kind: str, aggregate_id: UUID, state: Any | None, events: list[DomainEvent]
    ) -> tuple[Any, int]:
        return self.app.append(kind, aggregate_id, state, events)

    def append_all(self, writes: Sequence[Write]) -> list[tuple[Any, int]]:
        return self.app.append_all(writes)

    def close(self) -> None:
        if self._app is not None:
            app, self._app = self._app, None
            app.close()
