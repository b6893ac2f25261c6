"""Public subscriptions and their outbox in PostgreSQL (schema `delivery`, beside the mail
outbox; the fan-out's position is in delivery.position)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from adapters.database import Database
from adapters.delivery_types import Status
from adapters.subscription_types import Channel, Notice, Subscription

SCHEMA = """
CREATE SCHEMA IF NOT EXISTS delivery;
CREATE TABLE IF NOT EXISTS delivery.position (consumer text PRIMARY KEY, position bigint NOT NULL);
CREATE TABLE IF NOT EXISTS delivery.subscription (
    id uuid PRIMARY KEY,
    channel text NOT NULL,
    scope text NOT NULL,
    token text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    email text,
    lang text NOT NULL DEFAULT 'id',
    url text,
    secret text,
    confirmed_at timestamptz,
    ended_at timestamptz,
    disabled_at timestamptz,
    failures int NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS delivery.notice (
    id bigserial PRIMARY KEY,
    subscription_id uuid NOT NULL REFERENCES delivery.subscription,
    position bigint NOT NULL,
    payload jsonb NOT NULL,
    status text NOT NULL,
    attempts int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error text,
    created_at timestamptz NOT NULL,
    sent_at timestamptz,
    UNIQUE (subscription_id, position)
);
CREATE INDEX IF NOT EXISTS notice_due ON delivery.notice (next_attempt_at) WHERE status = 'pending';
"""
_FIELDS = (
    "id, channel, scope, token, created_at, email, lang, url, secret, confirmed_at,"
    " ended_at, disabled_at, failures"
)
_NOTICE = (
    "subscription_id, position, payload, next_attempt_at, created_at, id, status, attempts,"
    " last_error, sent_at"
)


def _subscription(record: Any) -> Subscription:
    values = dict(record)
    values["channel"] = Channel(values["channel"])
    return msgspec.convert(values, Subscription)


def _notice(record: Any) -> Notice:
    values = dict(record)
    values["payload"] = msgspec.json.decode(values["payload"])
    values["status"] = Status(values["status"])
    return msgspec.convert(values, Notice)


class PostgresSubscriptions:
    def __init__(self, database: Database) -> None:
        self.database = database

    @property
    def _pool(self) -> Any:
        return self.database.pool

    async def create_schema(self) -> None:
        async with self._pool.acquire() as conn:
            await conn.execute(SCHEMA)

    async def add(self, subscription: Subscription, first: Notice | None = None) -> None:
        """A new subscription and, for a mail, its opt-in mail, in one transaction."""
        s = subscription
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute(
                f"INSERT INTO delivery.subscription ({_FIELDS})"
                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                s.id, s.channel.value, s.scope, s.token, s.created_at, s.email, s.lang,
                s.url, s.secret, s.confirmed_at, s.ended_at, s.disabled_at, s.failures,
            )  # fmt: skip
            if first is not None:
                await self._insert(conn, [first])

    async def by_token(self, token: str) -> Subscription | None:
        sql = f"SELECT {_FIELDS} FROM delivery.subscription WHERE token = $1"
        found = await self._pool.fetchrow(sql, token)
        return None if found is None else _subscription(found)

    async def get(self, ident: UUID) -> Subscription | None:
        found = await self._pool.fetchrow(
            f"SELECT {_FIELDS} FROM delivery.subscription WHERE id = $1", ident
        )
        return None if found is None else _subscription(found)

    async def confirm(self, ident: UUID, now: datetime) -> None:
        await self._pool.execute(
            "UPDATE delivery.subscription SET confirmed_at = coalesce(confirmed_at, $2)"
            " WHERE id = $1",
            ident,
            now,
        )

    async def end(self, ident: UUID, now: datetime) -> None:
        await self._pool.execute(
            "UPDATE delivery.subscription SET ended_at = coalesce(ended_at, $2) WHERE id = $1",
            ident,
            now,
        )

    async def unconfirmed(self, email: str, since: datetime) -> int:
        """Mail subscriptions to `email` asked for since `since` and not confirmed yet."""
        return int(
            await self._pool.fetchval(
                "SELECT count(*) FROM delivery.subscription WHERE channel = 'mail'"
                " AND email = $1 AND created_at >= $2 AND confirmed_at IS NULL",
                email,
                since,
            )
        )

    async def webhooks_on(self, host: str) -> int:
        """Webhooks still delivering to `host` (the URL's host name, lower case)."""
        return int(
            await self._pool.fetchval(
                "SELECT count(*) FROM delivery.subscription WHERE channel = 'webhook'"
                " AND ended_at IS NULL AND disabled_at IS NULL"
                " AND lower(substring(url from '^[A-Za-z]+://(?:[^@/]*@)?([^:/?#]+)')) = $1",
                host,
            )
        )

    async def active(self) -> list[Subscription]:
        rows = await self._pool.fetch(
            f"SELECT {_FIELDS} FROM delivery.subscription WHERE confirmed_at IS NOT NULL"
            " AND ended_at IS NULL AND disabled_at IS NULL ORDER BY created_at, id"
        )
        return [_subscription(r) for r in rows]

    async def position(self, consumer: str) -> int:
        sql = "SELECT position FROM delivery.position WHERE consumer = $1"
        return int(await self._pool.fetchval(sql, consumer) or 0)

    async def _insert(self, conn: Any, notices: Sequence[Notice]) -> None:
        for n in notices:
            await conn.execute(
                "INSERT INTO delivery.notice (subscription_id, position, payload, status,"
                " next_attempt_at, created_at) VALUES ($1, $2, $3, 'pending', $4, $5)"
                " ON CONFLICT (subscription_id, position) DO NOTHING",
                n.subscription_id,
                n.position,
                msgspec.json.encode(n.payload).decode(),
                n.next_attempt_at,
                n.created_at,
            )

    async def queue(self, consumer: str, position: int, notices: Sequence[Notice]) -> None:
        async with self._pool.acquire() as conn, conn.transaction():
            await self._insert(conn, notices)
            await conn.execute(
                "INSERT INTO delivery.position (consumer, position) VALUES ($1, $2)"
                " ON CONFLICT (consumer) DO UPDATE SET position ="
                " greatest(delivery.position.position, EXCLUDED.position)",
                consumer,
                position,
            )

    async def due(self, now: datetime, limit: int = 100) -> list[Notice]:
        rows = await self._pool.fetch(
            f"SELECT {_NOTICE} FROM delivery.notice WHERE status = 'pending'"
            " AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2",
            now,
            limit,
        )
        return [_notice(r) for r in rows]

    async def delivered(self, notice: Notice, now: datetime) -> None:
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute(
                "UPDATE delivery.notice SET status = 'sent', sent_at = $2,"
                " attempts = attempts + 1, last_error = NULL WHERE id = $1",
                notice.id,
                now,
            )
            await conn.execute(
                "UPDATE delivery.subscription SET failures = 0 WHERE id = $1",
                notice.subscription_id,
            )

    async def failed(
        self,
        notice: Notice,
        error: str,
        retry_at: datetime | None,
        disable_after: int,
        now: datetime,
    ) -> None:
        """One more failure: the notice waits for `retry_at` (None: given up); the
        subscription counts failures in a row and is disabled at `disable_after`."""
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute(
                "UPDATE delivery.notice SET attempts = attempts + 1, last_error = $2,"
                " status = CASE WHEN $3::timestamptz IS NULL THEN 'failed' ELSE status END,"
                " next_attempt_at = coalesce($3, next_attempt_at) WHERE id = $1",
                notice.id,
                error[:1000],
                retry_at,
            )
            await conn.execute(
                "UPDATE delivery.subscription SET failures = failures + 1,"
                " disabled_at = CASE WHEN failures + 1 >= $2 THEN coalesce(disabled_at, $3)"
                " ELSE disabled_at END WHERE id = $1",
                notice.subscription_id,
                disable_after,
                now,
            )

    async def log(self, ident: UUID, limit: int = 100) -> list[Notice]:
        rows = await self._pool.fetch(
            f"SELECT {_NOTICE} FROM delivery.notice WHERE subscription_id = $1"
            " ORDER BY id DESC LIMIT $2",
            ident,
            limit,
        )
        return [_notice(r) for r in rows]
