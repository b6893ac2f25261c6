"""Checkpoint key rotation in PostgreSQL: `rotate` stores the statement both keys signed
(domain.ledger.rotation) in `audit.key_rotation`, under the seal lock so no checkpoint is
signed meanwhile; from then on the sealer refuses to sign with the old key, and `verify`
and the published key document let auditors follow the keys from the one they trust."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from adapters.sealer.chain import connection, create_schema, sealing, table_exists
from adapters.signing import Signer
from domain.ledger.rotation import KeyRotation, SignedRotation


class RotationRefused(ValueError):
    """The rotation would not continue the log's keys (the message says why)."""


@dataclass(frozen=True)
class StoredRotation:
    old_key_id: str
    new_key_id: str
    at: datetime
    signed: SignedRotation


async def rotations(db: Any) -> list[StoredRotation]:
    """Every rotation, oldest first ([] before the first one)."""
    async with connection(db) as conn:
        if not await table_exists(conn, "audit.key_rotation"):
            return []
        rows = await conn.fetch("SELECT * FROM audit.key_rotation ORDER BY at, new_key_id")
    return [
        StoredRotation(
            row["old_key_id"],
            row["new_key_id"],
            row["at"],
            SignedRotation(
                str(row["body"]).encode(), bytes(row["old_signature"]), bytes(row["new_signature"])
            ),
        )
        for row in rows
    ]


async def retired(conn: Any, key_id: str) -> bool:
    """Has a rotation moved the log's checkpoints away from this key?"""
    if not await table_exists(conn, "audit.key_rotation"):
        return False
    found = await conn.fetchval("SELECT 1 FROM audit.key_rotation WHERE old_key_id = $1", key_id)
    return found is not None


async def rotate(db: Any, old: Signer, new: Signer, origin: str, at: datetime) -> KeyRotation:
    """Move the checkpoints from `old` (the key signing now) to `new`."""
    await create_schema(db)
    async with sealing(db) as conn:
        if conn is None:
            raise RotationRefused("there is no event log here yet")
        async with conn.transaction():
            current = await _current_key(conn)
            if current is not None and current != old.key_id:
                why = f"the checkpoints are signed with key {current}, not {old.key_id}"
                raise RotationRefused(why)
            used = await conn.fetchval(
                "SELECT 1 FROM audit.key_rotation WHERE $1 IN (old_key_id, new_key_id)"
                " UNION SELECT 1 FROM audit.checkpoint WHERE key_id = $1 LIMIT 1",
                new.key_id,
            )
            if used is not None or new.key_id == old.key_id:
                raise RotationRefused(f"key {new.key_id} has signed this log before")
            made = KeyRotation(origin, old.public_key_raw(), new.public_key_raw(), at.isoformat())
            body = made.body()
            await conn.execute(
                "INSERT INTO audit.key_rotation VALUES ($1, $2, $3, $4, $5, $6)",
                new.key_id,
                old.key_id,
                body.decode(),
                old.sign(body),
                new.sign(body),
                at,
            )
            return made


async def _current_key(conn: Any) -> str | None:
    """The key of the last rotation, else of the last checkpoint, else none yet."""
    last = await conn.fetchval(  # each rotation retires the key before: the chain's head
        "SELECT new_key_id FROM audit.key_rotation"
        " WHERE new_key_id NOT IN (SELECT old_key_id FROM audit.key_rotation)"
    )
    if last is not None:
        return str(last)
    signed = await conn.fetchval("SELECT key_id FROM audit.checkpoint ORDER BY size DESC LIMIT 1")
    return None if signed is None else str(signed)
