"""The delivery store in PostgreSQL (schema `delivery`): preferences, the outbox and the
consumer's position in the event log, the outbox rows and the position written in one
transaction so a crash between them neither loses nor doubles a mail."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import msgspec

from adapters.database import Database
from adapters.delivery_types import Outgoing, Preference, Status

SCHEMA = """
CREATE SCHEMA IF NOT EXISTS delivery;
CREATE TABLE IF NOT EXISTS delivery.preference (
    user_id text PRIMARY KEY,
    email text,
    lang text NOT NULL DEFAULT 'id',
    digest boolean NOT NULL DEFAULT false,
    updated_at timestamptz
);
CREATE TABLE IF NOT EXISTS delivery.outbox (
    id bigserial PRIMARY KEY,
    key text NOT NULL UNIQUE,
    reminder_id uuid NOT NULL,
    user_id text NOT NULL,
    email text NOT NULL,
    lang text NOT NULL,
    digest boolean NOT NULL,
    reminder jsonb NOT NULL,
    status text NOT NULL,
    attempts int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error text,
    created_at timestamptz NOT NULL,
    sent_at timestamptz
);
CREATE INDEX IF NOT EXISTS outbox_due ON delivery.outbox (next_attempt_at) WHERE status = 'pending';
CREATE TABLE IF NOT EXISTS delivery.position (
    consumer text PRIMARY KEY,
    position bigint NOT NULL
);
"""

_COLUMNS = (
    "key, reminder_id, user_id, email, lang, digest, reminder, status, attempts,"
    " next_attempt_at, last_error, created_at, sent_at, id"
)


def _row(record: Any) -> Outgoing:
    values = dict(record)
    values["reminder"] = msgspec.json.decode(values["reminder"])
    values["status"] = Status(values["status"])
    return msgspec.convert(values, Outgoing)


class PostgresDelivery:
    def __init__(self, database: Database) -> None:
        self.database = database

    @property
    def _pool(self) -> Any:
        return self.database.pool

    async def create_schema(self) -> None:
        async with self._pool.acquire() as conn:
            await conn.execute(SCHEMA)

    async def set_preference(self, preference: Preference) -> None:
        await self._pool.execute(
            "INSERT INTO delivery.preference (user_id, email, lang, digest, updated_at)"
            " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) DO UPDATE SET"
            " email = EXCLUDED.email, lang = EXCLUDED.lang, digest = EXCLUDED.digest,"
            " updated_at = EXCLUDED.updated_at",
            preference.user_id,
            preference.email,
            preference.lang,
            preference.digest,
            preference.updated_at,
        )

    async def preferences(self) -> dict[str, Preference]:
        rows = await self._pool.fetch("SELECT * FROM delivery.preference ORDER BY user_id")
        return {r["user_id"]: msgspec.convert(dict(r), Preference) for r in rows}

    async def position(self, consumer: str) -> int:
        sql = "SELECT position FROM delivery.position WHERE consumer = $1"
        found = await self._pool.fetchval(sql, consumer)
        return int(found or 0)

    async def enqueue(self, consumer: str, position: int, items: Sequence[Outgoing]) -> int:
        """The mails of events up to `position`, and the position, in one transaction; a
        key already queued is kept as it is. Returns how many rows were new."""
        async with self._pool.acquire() as conn, conn.transaction():
            added = 0
            for item in items:
                done = await conn.fetchval(
                    "INSERT INTO delivery.outbox (key, reminder_id, user_id, email, lang,"
                    " digest, reminder, status, next_attempt_at, created_at)"
                    " VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9)"
                    " ON CONFLICT (key) DO NOTHING RETURNING true",
                    item.key,
                    item.reminder_id,
                    item.user_id,
                    item.email,
                    item.lang,
                    item.digest,
                    msgspec.json.encode(item.reminder).decode(),
                    item.next_attempt_at,
                    item.created_at,
                )
                added += bool(done)
            await conn.execute(
                "INSERT INTO delivery.position (consumer, position) VALUES ($1, $2)"
                " ON CONFLICT (consumer) DO UPDATE SET position ="
                " greatest(delivery.position.position, EXCLUDED.position)",
                consumer,
                position,
            )
            return added

    async def due(self, now: datetime, limit: int = 100) -> list[Outgoing]:
        rows = await self._pool.fetch(
            f"SELECT {_COLUMNS} FROM delivery.outbox WHERE status = 'pending'"
            " AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2",
            now,
            limit,
        )
        return [_row(r) for r in rows]

    async def sent(self, ids: Sequence[int], now: datetime) -> None:
        await self._pool.execute(
            "UPDATE delivery.outbox SET status = 'sent', sent_at = $2, attempts = attempts + 1,"
            " last_error = NULL WHERE id = ANY($1::bigint[])",
            list(ids),
            now,
        )

    async def failed(
        self, ids: Sequence[int], error: str, next_attempt_at: datetime | None
    ) -> None:
        """One more failed attempt: tried again at `next_attempt_at`, or given up (None)."""
        await self._pool.execute(
            "UPDATE delivery.outbox SET attempts = attempts + 1, last_error = $2,"
            " status = CASE WHEN $3::timestamptz IS NULL THEN 'failed' ELSE status END,"
            " next_attempt_at = coalesce($3, next_attempt_at) WHERE id = ANY($1::bigint[])",
            list(ids),
            error[:1000],
            next_attempt_at,
        )

    async def log(self, limit: int = 200) -> list[Outgoing]:
        rows = await self._pool.fetch(
            f"SELECT {_COLUMNS} FROM delivery.outbox ORDER BY created_at DESC, id DESC LIMIT $1",
            limit,
        )
        return [_row(r) for r in rows]
