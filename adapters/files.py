"""Evidence files in PostgreSQL (schema `evidence`), addressed by the SHA-256 of their bytes.

The server computes the fingerprint itself; storing the same bytes twice keeps one copy. A
file is only ever served through an event that references it (tracker/web/evidence.py), so
bytes whose command was then refused are unreachable. A file can be stored for a while only
(`transient`: a checked spreadsheet waiting to be applied); storing the same bytes for good
makes it permanent, and `forget_transient` deletes the ones older than a moment. The port is
small on purpose: an S3-compatible store can replace this one with the same four methods.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import anyio.to_thread

from adapters.database import Database
from adapters.file_types import StoredFile, fingerprint

SCHEMA = """
CREATE SCHEMA IF NOT EXISTS evidence;
CREATE TABLE IF NOT EXISTS evidence.files (
    sha256     text PRIMARY KEY,
    media_type text NOT NULL,
    size       bigint NOT NULL,
    content    bytea NOT NULL,
    stored_at  timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE evidence.files ADD COLUMN IF NOT EXISTS transient boolean NOT NULL DEFAULT false;
CREATE INDEX IF NOT EXISTS files_transient ON evidence.files (stored_at) WHERE transient;
"""


class PostgresFileStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    @property
    def _pool(self) -> Any:
        return self.database.pool

    async def create_schema(self) -> None:
        async with self._pool.acquire() as conn:
            await conn.execute(SCHEMA)

    async def put(self, content: bytes, media_type: str, *, transient: bool = False) -> StoredFile:
        sha256 = await anyio.to_thread.run_sync(fingerprint, content)
        async with self._pool.acquire() as conn:  # the first permanent copy's media type wins
            kept = await conn.fetchval(
                "INSERT INTO evidence.files AS f (sha256, media_type, size, content, transient)"
                " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO UPDATE SET"
                " media_type = CASE WHEN f.transient AND NOT EXCLUDED.transient"
                "   THEN EXCLUDED.media_type ELSE f.media_type END,"
                " transient = f.transient AND EXCLUDED.transient,"
                " stored_at = CASE WHEN f.transient THEN now() ELSE f.stored_at END"
                " RETURNING media_type",
                sha256,
                media_type,
                len(content),
                content,
                transient,
            )
        return StoredFile(sha256=sha256, media_type=kept, size=len(content))

    async def forget_transient(self, stored_before: datetime) -> int:
        async with self._pool.acquire() as conn:
            done = await conn.execute(
                "DELETE FROM evidence.files WHERE transient AND stored_at < $1", stored_before
            )
        return int(done.rsplit(" ", 1)[1])

    async def get(self, sha256: str) -> StoredFile | None:
        async with self._pool.acquire() as conn:
            row = await conn.fetchrow(
                "SELECT media_type, size, content FROM evidence.files WHERE sha256 = $1", sha256
            )
        if row is None:
            return None
        return StoredFile(
            sha256=sha256, media_type=row["media_type"], size=row["size"], content=row["content"]
        )
