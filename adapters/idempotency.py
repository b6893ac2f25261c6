"""Idempotency keys in PostgreSQL (schema `idem`): per account and key, the request's
fingerprint and, once it has run, the answer it got. A claim is one INSERT, so of two
retries that arrive together exactly one runs; the other is told the first is running."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from adapters.database import Database
from adapters.idempotency_types import Answer, Claim, Claimed

SCHEMA = """
CREATE SCHEMA IF NOT EXISTS idem;
CREATE TABLE IF NOT EXISTS idem.request (
    account text NOT NULL,
    key text NOT NULL,
    digest bytea NOT NULL,
    status int,             -- NULL while the first request runs
    headers jsonb,
    body bytea,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (account, key)
);
CREATE INDEX IF NOT EXISTS request_created ON idem.request (created_at);
"""


class PostgresIdempotency:
    def __init__(self, database: Database) -> None:
        self.database = database

    @property
    def _pool(self) -> Any:
        return self.database.pool

    async def create_schema(self) -> None:
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(7243007)")
            await conn.execute(SCHEMA)

    async def claim(self, account: str, key: str, digest: bytes, now: datetime) -> Claimed:
        async with self._pool.acquire() as conn:
            made = await conn.fetchval(
                "INSERT INTO idem.request (account, key, digest, created_at)"
                " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1",
                account,
                key,
                digest,
                now,
            )
            if made:
                return Claimed(Claim.NEW)
            row = await conn.fetchrow(
                "SELECT digest, status, headers, body FROM idem.request"
                " WHERE account = $1 AND key = $2",
                account,
                key,
            )
        if row is None:  # released between the two statements: the caller may retry
            return Claimed(Claim.BUSY)
        if bytes(row["digest"]) != digest:
            return Claimed(Claim.MISMATCH)
        if row["status"] is None:
            return Claimed(Claim.BUSY)
        headers = [tuple(h) for h in msgspec.json.decode(row["headers"])]
        return Claimed(Claim.REPLAY, Answer(row["status"], headers, bytes(row["body"])))

    async def complete(self, account: str, key: str, answer: Answer) -> None:
        await self._pool.execute(
            "UPDATE idem.request SET status = $3, headers = $4::jsonb, body = $5"
            " WHERE account = $1 AND key = $2",
            account,
            key,
            answer.status,
            msgspec.json.encode(answer.headers).decode(),
            answer.body,
        )

    async def release(self, account: str, key: str) -> None:
        await self._pool.execute(
            "DELETE FROM idem.request WHERE account = $1 AND key = $2 AND status IS NULL",
            account,
            key,
        )

    async def purge(self, before: datetime) -> int:
        done = await self._pool.execute("DELETE FROM idem.request WHERE created_at < $1", before)
        return int(done.rsplit(" ", 1)[1])
