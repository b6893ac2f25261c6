"""Accounts, API tokens, browser sessions and failed sign-ins, in PostgreSQL (schema `auth`).

Credentials are not domain facts: they live in ordinary tables, never in the event log,
so a password hash can be replaced and a leaked token erased. Only hashes are stored (see
adapters/account_types.py). Every method takes `now` from the caller; the in-memory twin is
adapters/memory/accounts.py, and one contract suite (tests/contracts) runs against both.
Passwords, failed sign-ins and sessions are in adapters/account_sessions.py.
"""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Any

import msgspec

from adapters.account_schema import SCHEMA
from adapters.account_sessions import PostgresSignIns, account_of
from adapters.account_types import (
    LAST_USED_GRANULARITY,
    Account,
    AccountChange,
    AccountExists,
    AccountMissing,
    TokenInfo,
    TokenRefused,
    check_new_token,
    check_token_use,
    digest,
    new_token,
    token_id_of,
)
from adapters.database import Database
from domain.access import Principal

_LOG = (
    "INSERT INTO auth.account_change (at, actor_id, actor_role, actor_office, change, user_id,"
    " subject_role, region_code, provinces, detail)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
)


async def _log(conn: Any, change: AccountChange | None) -> None:
    if change is not None:
        await conn.execute(
            _LOG,
            change.at,
            change.actor_id,
            change.actor_role,
            change.actor_office,
            change.change,
            change.user_id,
            change.subject_role,
            change.region_code,
            list(change.provinces),
            change.detail,
        )


def _change(row: Any) -> AccountChange:
    return AccountChange(
        at=row["at"],
        actor_id=row["actor_id"],
        actor_role=row["actor_role"],
        actor_office=row["actor_office"],
        change=row["change"],
        user_id=row["user_id"],
        subject_role=row["subject_role"],
        region_code=row["region_code"],
        provinces=tuple(row["provinces"]),
        detail=row["detail"],
    )


class PostgresAccounts(PostgresSignIns):
    """Accounts and their API tokens; sign-ins and sessions come from PostgresSignIns."""

    def __init__(self, database: Database) -> None:
        self.database = database

    @property
    def _pool(self) -> Any:
        return self.database.pool

    async def create_schema(self) -> None:
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(7243005)")
            await conn.execute(SCHEMA)

    async def add(
        self,
        account: Account,
        password_hash: str | None,
        created_by: str,
        now: datetime,
        change: AccountChange | None = None,
    ) -> None:
        async with self._pool.acquire() as conn, conn.transaction():
            await self._insert(conn, account, password_hash, created_by, now)
            await _log(conn, change)

    async def _insert(
        self, conn: Any, account: Account, password_hash: str | None, created_by: str, now: datetime
    ) -> None:
        inserted = await conn.fetchval(
            "INSERT INTO auth.account (user_id, display_name, role, office, region_code, opd,"
            " provinces, password_hash, created_at, created_by)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
            " ON CONFLICT (user_id) DO NOTHING RETURNING true",
            account.user_id,
            account.display_name,
            account.role.value,
            account.office,
            account.region_code,
            account.opd,
            list(account.provinces),
            password_hash,
            now,
            created_by,
        )
        if not inserted:
            raise AccountExists("user-exists", user_id=account.user_id)

    async def get(self, user_id: str) -> Account | None:
        row = await self._pool.fetchrow("SELECT * FROM auth.account WHERE user_id = $1", user_id)
        return None if row is None else account_of(row)

    async def all_accounts(self) -> list[Account]:
        rows = await self._pool.fetch("SELECT * FROM auth.account ORDER BY role, user_id")
        return [account_of(r) for r in rows]

    async def _update_and_end_sessions(
        self, sql: str, user_id: str, value: Any, change: AccountChange | None
    ) -> None:
        async with self._pool.acquire() as conn, conn.transaction():
            if not await conn.fetchval(sql, user_id, value):
                raise AccountMissing("no-user", user_id=user_id)
            await conn.execute("DELETE FROM auth.session WHERE user_id = $1", user_id)
            await _log(conn, change)

    async def set_password_hash(
        self, user_id: str, password_hash: str, change: AccountChange | None = None
    ) -> None:
        await self._update_and_end_sessions(
            "UPDATE auth.account SET password_hash = $2 WHERE user_id = $1 RETURNING true",
            user_id,
            password_hash,
            change,
        )

    async def disable(
        self, user_id: str, now: datetime, change: AccountChange | None = None
    ) -> None:
        """Disabling ends the account's sessions; its tokens stop working at the next use."""
        await self._update_and_end_sessions(
            "UPDATE auth.account SET disabled_at = coalesce(disabled_at, $2)"
            " WHERE user_id = $1 RETURNING true",
            user_id,
            now,
            change,
        )

    async def changes(self, region_code: str | None = None, limit: int = 50) -> list[AccountChange]:
        """Newest first; for a region: its accounts, and for a province also its Kanwil's."""
        if region_code is None:
            rows = await self._pool.fetch(
                "SELECT * FROM auth.account_change ORDER BY id DESC LIMIT $1", limit
            )
        else:
            rows = await self._pool.fetch(
                "SELECT * FROM auth.account_change WHERE region_code = $1 OR $1 = ANY(provinces)"
                " ORDER BY id DESC LIMIT $2",
                region_code,
                limit,
            )
        return [_change(r) for r in rows]

    # -- API tokens ----------------------------------------------------------------------
    async def issue_token(
        self,
        user_id: str,
        name: str,
        expires_at: datetime | None,
        now: datetime,
        change: AccountChange | None = None,
    ) -> tuple[str, str]:
        """(token id, the token). The token is shown once and never stored."""
        check_new_token(await self.get(user_id), user_id, expires_at, now)
        token_id, token = new_token()
        async with self._pool.acquire() as conn, conn.transaction():
            await self._insert_token(conn, token_id, token, user_id, name, expires_at, now)
            if change is not None:
                await _log(conn, msgspec.structs.replace(change, detail=f"{token_id} {name}"))
        return token_id, token

    async def _insert_token(
        self,
        conn: Any,
        token_id: str,
        token: str,
        user_id: str,
        name: str,
        expires_at: datetime | None,
        now: datetime,
    ) -> None:
        await conn.execute(
            "INSERT INTO auth.token (id, user_id, name, secret_hash, created_at, expires_at)"
            " VALUES ($1, $2, $3, $4, $5, $6)",
            token_id,
            user_id,
            name,
            digest(token),
            now,
            expires_at,
        )

    async def revoke_token(
        self, token_id: str, now: datetime, change: AccountChange | None = None
    ) -> str:
        """Returns the owner's user id."""
        async with self._pool.acquire() as conn, conn.transaction():
            owner = await conn.fetchval(
                "UPDATE auth.token SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1"
                " RETURNING user_id",
                token_id,
                now,
            )
            if owner is None:
                raise AccountMissing("no-token", token_id=token_id)
            await _log(conn, change)
        return str(owner)

    async def token_owner(self, token_id: str) -> str | None:
        owner: str | None = await self._pool.fetchval(
            "SELECT user_id FROM auth.token WHERE id = $1", token_id
        )
        return owner

    async def tokens(self, user_id: str | None = None) -> list[TokenInfo]:
        rows = await self._pool.fetch(
            "SELECT id, user_id, name, created_at, expires_at, revoked_at, last_used_at"
            " FROM auth.token WHERE $1::text IS NULL OR user_id = $1 ORDER BY created_at",
            user_id,
        )
        return [TokenInfo(**dict(row)) for row in rows]

    async def token_principal(self, token: str, now: datetime) -> Principal:
        token_id = token_id_of(token)
        row = await self._pool.fetchrow(
            "SELECT t.secret_hash, t.expires_at, t.revoked_at, t.last_used_at, a.*"
            " FROM auth.token t JOIN auth.account a USING (user_id) WHERE t.id = $1",
            token_id,
        )
        if row is None or not hmac.compare_digest(bytes(row["secret_hash"]), digest(token)):
            raise TokenRefused("unknown")
        check_token_use(row["revoked_at"], row["expires_at"], row["disabled_at"] is not None, now)
        if row["last_used_at"] is None or now - row["last_used_at"] > LAST_USED_GRANULARITY:
            await self._pool.execute(
                "UPDATE auth.token SET last_used_at = $2 WHERE id = $1", token_id, now
            )
        return account_of(row).principal()
