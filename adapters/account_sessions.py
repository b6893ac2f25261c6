"""Sign-in in PostgreSQL (schema `auth`): password hashes, failed attempts and the
throttle they feed, and browser sessions; a part of PostgresAccounts (adapters/accounts.py),
kept apart because it is the only part a sign-in touches. Only hashes of session ids are
stored."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from adapters.account_types import (
    FAILURE_WINDOW,
    SESSION_TTL,
    Account,
    TokenRefused,
    digest,
    retry_after,
)
from domain.access import Principal
from domain.values import Role


def account_of(row: Any) -> Account:
    """An `auth.account` row (or a join that holds its columns) as an Account."""
    return Account(
        user_id=row["user_id"],
        display_name=row["display_name"],
        role=Role(row["role"]),
        office=row["office"],
        region_code=row["region_code"],
        opd=row["opd"],
        provinces=tuple(row["provinces"]),
        disabled=row["disabled_at"] is not None,
    )


class PostgresSignIns:
    """Needs `_pool` (an asyncpg pool) from the class it is part of."""

    _pool: Any

    async def retry_after(self, user_id: str, client: str, now: datetime) -> int | None:
        """Seconds until this account may be tried from `client` again; None: go ahead."""
        row = await self._pool.fetchrow(
            "SELECT count(*) FILTER (WHERE client = $2) AS here, count(*) AS everywhere,"
            " min(at) FILTER (WHERE client = $2) AS first_here, min(at) AS first"
            " FROM auth.login_failure WHERE user_id = $1 AND at > $3",
            user_id,
            client,
            now - FAILURE_WINDOW,
        )
        return retry_after(row["here"], row["everywhere"], row["first_here"], row["first"], now)

    async def password_hash(self, user_id: str) -> tuple[Account | None, str | None]:
        row = await self._pool.fetchrow("SELECT * FROM auth.account WHERE user_id = $1", user_id)
        return (None, None) if row is None else (account_of(row), row["password_hash"])

    async def record_failure(self, user_id: str, client: str, now: datetime) -> None:
        await self._pool.execute(
            "INSERT INTO auth.login_failure (user_id, client, at) VALUES ($1, $2, $3)",
            user_id,
            client,
            now,
        )

    async def clear_failures(self, user_id: str, client: str) -> None:
        await self._pool.execute(
            "DELETE FROM auth.login_failure WHERE user_id = $1 AND client = $2", user_id, client
        )

    async def open_session(self, user_id: str, now: datetime) -> tuple[str, str]:
        """A brand-new session id on every sign-in (no fixation): (session id, CSRF token)."""
        session_id = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        await self._pool.execute(
            "INSERT INTO auth.session (id_hash, user_id, csrf_token, created_at, expires_at)"
            " VALUES ($1, $2, $3, $4, $5)",
            digest(session_id),
            user_id,
            csrf,
            now,
            now + SESSION_TTL,
        )
        return session_id, csrf

    async def session_principal(self, session_id: str, now: datetime) -> tuple[Principal, str]:
        """(principal, CSRF token) of a live session; raises TokenRefused otherwise."""
        row = await self._pool.fetchrow(
            "SELECT s.csrf_token, s.expires_at, a.* FROM auth.session s"
            " JOIN auth.account a USING (user_id) WHERE s.id_hash = $1",
            digest(session_id),
        )
        if row is None or row["expires_at"] <= now or row["disabled_at"] is not None:
            raise TokenRefused("session ended")
        return account_of(row).principal(), str(row["csrf_token"])

    async def close_session(self, session_id: str) -> None:
        await self._pool.execute("DELETE FROM auth.session WHERE id_hash = $1", digest(session_id))
