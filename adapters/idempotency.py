"""Idempotency keys in PostgreSQL (schema `idem`): per account and key, the request's
fingerprint and, once it has run, the answer it got. A claim is one INSERT, so of two
retries that arrive together exactly one runs; the other is told the first is running.

A claim still without an answer after the lease belongs to a process that died (kill -9,
OOM, a lost node). `idem.applied`, written with the events in their transaction
(adapters/eventstore_recorder.py), says whether that run was stored: if it was, the retry
is told so (its answer is lost); if not, the retry takes the claim over and runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from adapters.database import Database
from adapters.eventstore_recorder import APPLIED_TABLE, SCHEMA_LOCK
from adapters.idempotency_types import LEASE, Answer, Claim, Claimed

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
            await conn.execute("SELECT pg_advisory_xact_lock($1)", SCHEMA_LOCK)
            await conn.execute(SCHEMA + APPLIED_TABLE)

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
                "SELECT digest, status, headers, body, created_at FROM idem.request"
                " WHERE account = $1 AND key = $2",
                account,
                key,
            )
            if row is None:  # released between the two statements: the caller may retry
                return Claimed(Claim.BUSY)
            if bytes(row["digest"]) != digest:
                return Claimed(Claim.MISMATCH)
            if row["status"] is None:
                return await _unanswered(conn, account, key, row["created_at"], now)
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
        async with self._pool.acquire() as conn, conn.transaction():
            done = await conn.execute("DELETE FROM idem.request WHERE created_at < $1", before)
            await conn.execute(
                "DELETE FROM idem.applied a WHERE NOT EXISTS (SELECT 1 FROM idem.request r"
                " WHERE r.account = a.account AND r.key = a.key)"
            )
        return int(done.rsplit(" ", 1)[1])


async def _unanswered(conn: Any, account: str, key: str, since: datetime, now: datetime) -> Claimed:
    """A claim with no answer yet: still running (BUSY) within the lease; after it, stored
    (APPLIED) or dead before storing anything (taken over: NEW, unless another retry
    took it first)."""
    if now - since < LEASE:
        return Claimed(Claim.BUSY)
    applied = await conn.fetchval(
        "SELECT 1 FROM idem.applied WHERE account = $1 AND key = $2", account, key
    )
    if applied:
        return Claimed(Claim.APPLIED)
    taken = await conn.fetchval(
        "UPDATE idem.request SET created_at = $4 WHERE account = $1 AND key = $2"
        " AND status IS NULL AND created_at = $3 RETURNING 1",
        account,
        key,
        since,
        now,
    )
    return Claimed(Claim.NEW if taken else Claim.BUSY)
