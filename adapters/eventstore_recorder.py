"""eventsourcing's PostgreSQL application recorder, plus one row: when a request runs
under an Idempotency-Key, its first append also inserts (account, key) into `idem.applied`
in the same transaction as the events. The primary key makes a second run of the same key
fail to store anything (it conflicts), and a retry after a crash can tell whether the first
run was stored. And an append whose commit was in doubt (the connection died after
PostgreSQL committed, before it said so, and eventsourcing retried) succeeds when the rows
it conflicts with are its own, byte for byte. Selected with eventsourcing's
APPLICATION_RECORDER_TOPIC setting."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.sql import SQL, Identifier

from adapters.idempotency_types import Attempt

ATTEMPTS, RETRY_WAIT = 10, 0.2  # as eventsourcing's own retry of insert_events
MARK = "INSERT INTO idem.applied (account, key) VALUES (%s, %s)"
SCHEMA_LOCK = 7243007  # the idempotency store's: one creator of schema idem at a time
APPLIED_TABLE = """
CREATE SCHEMA IF NOT EXISTS idem;
CREATE TABLE IF NOT EXISTS idem.applied (
    account text NOT NULL,
    key text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account, key)
);
"""


class KeyedRecorder(PostgresApplicationRecorder):
    def create_table(self) -> None:
        super().create_table()
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK})")
            curs.execute(APPLIED_TABLE)

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """The library's append with its own retries (10, 0.2 s apart, as its decorator),
        except that a conflict on a retry, after a lost connection, is first checked
        against what the lost attempt may have committed."""
        lost = False
        for tries_left in range(ATTEMPTS - 1, -1, -1):
            try:
                ids = self._append_once(stored_events, **kwargs)
            except (InterfaceError, OperationalError):
                if not tries_left:
                    raise
                lost = True
                time.sleep(RETRY_WAIT)
            except IntegrityError:
                stored = self._stored_already(stored_events) if lost else None
                if stored is None:
                    raise  # a stale version or another run's key: a real conflict
                return stored
            else:
                return ids
        raise AssertionError("unreachable")  # pragma: no cover

    def _append_once(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """One attempt of the library's append (its undecorated function)."""
        once = PostgresApplicationRecorder.insert_events.__wrapped__
        ids: Sequence[int] | None = once(self, stored_events, **kwargs)
        return ids

    def _stored_already(self, stored_events: Sequence[StoredEvent]) -> list[int] | None:
        """The notification ids of these very events if each is in the table as it is here
        (only an earlier attempt of this append can have stored the same bytes: events carry
        their time and ids), else None."""
        query = SQL(
            "SELECT notification_id, topic, state FROM {schema}.{table}"
            " WHERE originator_id = %s AND originator_version = %s"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name))
        found: list[int] = []
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            for event in stored_events:
                curs.execute(query, (event.originator_id, event.originator_version))
                row = curs.fetchone()
                if row is None or (row["topic"], bytes(row["state"])) != (event.topic, event.state):
                    return None
                found.append(int(row["notification_id"]))
        return found

    def _insert_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        attempt: Attempt | None = kwargs.get("attempt")
        if attempt is not None and not attempt.marked:
            curs.execute(MARK, (attempt.account, attempt.key))
        super()._insert_events(curs, stored_events, **kwargs)
