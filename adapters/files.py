"""Evidence files in PostgreSQL (schema `evidence`), addressed by the SHA-256 of their bytes.

The server computes the fingerprint itself; storing the same bytes twice keeps one copy. A
file is only ever served through an event that references it (tracker/web/evidence.py), so
bytes whose command was then refused are unreachable. The port is small on purpose: an
S3-compatible store can replace this one by implementing the same three methods.
"""

from __future__ import annotations

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

    async def put(self, content: bytes, media_type: str) -> StoredFile:
        sha256 = await anyio.to_thread.run_sync(fingerprint, content)
        async with self._pool.acquire() as conn:  # the first copy's media type is kept
            kept = await conn.fetchval(
                "INSERT INTO evidence.files (sha256, media_type, size, content)"
                " VALUES ($1, $2, $3, $4) ON CONFLICT (sha256)"
                " DO UPDATE SET sha256 = EXCLUDED.sha256 RETURNING media_type",
                sha256,
                media_type,
                len(content),
                content,
            )
        return StoredFile(sha256=sha256, media_type=kept, size=len(content))

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
