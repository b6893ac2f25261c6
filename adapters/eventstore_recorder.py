"""eventsourcing's PostgreSQL application recorder, plus one row: when a request runs
under an Idempotency-Key, its first append also inserts (account, key) into `idem.applied`
in the same transaction as the events. The primary key makes a second run of the same key
fail to store anything (it conflicts), and a retry after a crash can tell whether the first
run was stored. Selected with eventsourcing's APPLICATION_RECORDER_TOPIC setting."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder

from adapters.idempotency_types import Attempt

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

    def _insert_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        attempt: Attempt | None = kwargs.get("attempt")
        if attempt is not None and not attempt.marked:
            curs.execute(MARK, (attempt.account, attempt.key))
        super()._insert_events(curs, stored_events, **kwargs)
