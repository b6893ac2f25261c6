"""Accounts, API tokens, browser sessions and failed sign-ins, in PostgreSQL (schema `auth`).

Credentials are not domain facts: they live in ordinary tables, never in the event log,
so a password hash can be replaced and a leaked token erased. Secrets are stored only as
hashes: argon2id for passwords (slow on purpose), SHA-256 for the random tokens and session
ids (256 bits of entropy need no stretching). Every lookup takes `now` from the caller.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from domain.access import Principal
from domain.values import Role

SCHEMA = """
CREATE SCHEMA IF NOT EXISTS auth;
CREATE TABLE IF NOT EXISTS auth.account (
    user_id text PRIMARY KEY,
    display_name text NOT NULL,
    role text NOT NULL CHECK (role IN ('pemda', 'kanwil', 'admin')),
    office text NOT NULL,
    region_code text,
    opd text,
    provinces text[] NOT NULL DEFAULT '{}',
    password_hash text,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    disabled_at timestamptz
);
CREATE TABLE IF NOT EXISTS auth.token (
    id text PRIMARY KEY,
    user_id text NOT NULL REFERENCES auth.account,
    name text NOT NULL,
    secret_hash bytea NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz,
    revoked_at timestamptz,
    last_used_at timestamptz
);
CREATE TABLE IF NOT EXISTS auth.session (
    id_hash bytea PRIMARY KEY,
    user_id text NOT NULL REFERENCES auth.account,
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS auth.login_failure (
    user_id text NOT NULL,
    client text NOT NULL,
    at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failure_user ON auth.login_failure (user_id, at);
"""

TOKEN_PREFIX = "trk"
LAST_USED_GRANULARITY = timedelta(minutes=1)  # not a write on every request
SESSION_TTL = timedelta(hours=8)
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_CLIENT = 5  # per account and client address, inside the window
MAX_FAILURES_PER_ACCOUNT = 20  # per account from anywhere: slows a distributed guesser

_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile defaults
# Compared against when the account does not exist, so timing does not tell.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(Exception):
    """A refused account operation; the message is one line for the CLI and the API."""


class AccountExists(AccountError):
    """The user id is taken."""


class AccountMissing(AccountError):
    """No such user or token."""


class SignInThrottled(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins; retry after {retry_after} s")
        self.retry_after = retry_after


class TokenRefused(Exception):
    """A bearer token that is unknown, revoked, expired or belongs to a disabled account."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Account:
    user_id: str
    display_name: str
    role: Role
    office: str
    region_code: str | None = None
    opd: str | None = None
    provinces: tuple[str, ...] = ()
    disabled: bool = False

    def principal(self) -> Principal:
        return Principal(
            user_id=self.user_id,
            role=self.role,
            office=self.office,
            region_code=self.region_code,
            opd=self.opd,
            provinces=frozenset(self.provinces),
        )


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


def _account(row: Any) -> Account:
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


async def create_schema(pool: Any) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(7243005)")
        await conn.execute(SCHEMA)


def hash_password(password: str) -> str:
    """CPU-heavy (~0.1 s): call from a worker thread in async code."""
    return _hasher.hash(password)


async def add(
    pool: Any, account: Account, password_hash: str | None, created_by: str, now: datetime
) -> None:
    async with pool.acquire() as conn:
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
        raise AccountExists(f"user {account.user_id!r} already exists")


async def get(pool: Any, user_id: str) -> Account | None:
    row = await pool.fetchrow("SELECT * FROM auth.account WHERE user_id = $1", user_id)
    return None if row is None else _account(row)


async def all_accounts(pool: Any) -> list[Account]:
    rows = await pool.fetch("SELECT * FROM auth.account ORDER BY role, user_id")
    return [_account(r) for r in rows]


async def set_password_hash(pool: Any, user_id: str, password_hash: str) -> None:
    async with pool.acquire() as conn, conn.transaction():
        done = await conn.fetchval(
            "UPDATE auth.account SET password_hash = $2 WHERE user_id = $1 RETURNING true",
            user_id,
            password_hash,
        )
        if not done:
            raise AccountMissing(f"no user {user_id!r}")
        await conn.execute("DELETE FROM auth.session WHERE user_id = $1", user_id)


async def disable(pool: Any, user_id: str, now: datetime) -> None:
    """Disabling ends the account's sessions; its tokens stop working at the next use."""
    async with pool.acquire() as conn, conn.transaction():
        done = await conn.fetchval(
            "UPDATE auth.account SET disabled_at = coalesce(disabled_at, $2)"
            " WHERE user_id = $1 RETURNING true",
            user_id,
            now,
        )
        if not done:
            raise AccountMissing(f"no user {user_id!r}")
        await conn.execute("DELETE FROM auth.session WHERE user_id = $1", user_id)


# -- API tokens ----------------------------------------------------------------------------
async def issue_token(
    pool: Any, user_id: str, name: str, expires_at: datetime | None, now: datetime
) -> tuple[str, str]:
    """Returns (token id, the token). The token is shown once and never stored."""
    account = await get(pool, user_id)
    if account is None:
        raise AccountMissing(f"no user {user_id!r}")
    if account.disabled:
        raise AccountError(f"user {user_id!r} is disabled")
    if expires_at is not None and expires_at <= now:
        raise AccountError("the expiry must be in the future")
    token_id = secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}_{token_id}_{secrets.token_urlsafe(32)}"
    await pool.execute(
        "INSERT INTO auth.token (id, user_id, name, secret_hash, created_at, expires_at)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        token_id,
        user_id,
        name,
        _digest(token),
        now,
        expires_at,
    )
    return token_id, token


async def revoke_token(pool: Any, token_id: str, now: datetime) -> str:
    """Returns the owner's user id."""
    owner = await pool.fetchval(
        "UPDATE auth.token SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1"
        " RETURNING user_id",
        token_id,
        now,
    )
    if owner is None:
        raise AccountMissing(f"no token {token_id!r}")
    return str(owner)


async def token_owner(pool: Any, token_id: str) -> str | None:
    owner: str | None = await pool.fetchval(
        "SELECT user_id FROM auth.token WHERE id = $1", token_id
    )
    return owner


async def tokens(pool: Any, user_id: str | None = None) -> list[Any]:
    return list(
        await pool.fetch(
            "SELECT id, user_id, name, created_at, expires_at, revoked_at, last_used_at"
            " FROM auth.token WHERE $1::text IS NULL OR user_id = $1 ORDER BY created_at",
            user_id,
        )
    )


async def token_principal(pool: Any, token: str, now: datetime) -> Principal:
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        raise TokenRefused("malformed")
    row = await pool.fetchrow(
        "SELECT t.secret_hash, t.expires_at, t.revoked_at, t.last_used_at, a.*"
        " FROM auth.token t JOIN auth.account a USING (user_id) WHERE t.id = $1",
        parts[1],
    )
    if row is None or not hmac.compare_digest(bytes(row["secret_hash"]), _digest(token)):
        raise TokenRefused("unknown")
    if row["revoked_at"] is not None:
        raise TokenRefused("revoked")
    if row["expires_at"] is not None and row["expires_at"] <= now:
        raise TokenRefused("expired")
    if row["disabled_at"] is not None:
        raise TokenRefused("account disabled")
    if row["last_used_at"] is None or now - row["last_used_at"] > LAST_USED_GRANULARITY:
        await pool.execute("UPDATE auth.token SET last_used_at = $2 WHERE id = $1", parts[1], now)
    return _account(row).principal()


# -- passwords and sessions ----------------------------------------------------------------
async def _throttle(pool: Any, user_id: str, client: str, now: datetime) -> None:
    since = now - FAILURE_WINDOW
    row = await pool.fetchrow(
        "SELECT count(*) FILTER (WHERE client = $2) AS here, count(*) AS everywhere,"
        " min(at) FILTER (WHERE client = $2) AS first_here, min(at) AS first"
        " FROM auth.login_failure WHERE user_id = $1 AND at > $3",
        user_id,
        client,
        since,
    )
    if row["here"] >= MAX_FAILURES_PER_CLIENT:
        oldest = row["first_here"]
    elif row["everywhere"] >= MAX_FAILURES_PER_ACCOUNT:
        oldest = row["first"]
    else:
        return
    raise SignInThrottled(max(1, int((oldest + FAILURE_WINDOW - now).total_seconds()) + 1))


def _password_matches(password_hash: str | None, password: str) -> bool:
    """CPU-heavy: the caller runs this in a worker thread."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


async def check_password(
    pool: Any, user_id: str, password: str, client: str, now: datetime, in_thread: Any
) -> Account | None:
    """The account if the password is right; None (and a recorded failure) if not.
    Raises SignInThrottled before even checking once the limits are reached."""
    await _throttle(pool, user_id, client, now)
    row = await pool.fetchrow("SELECT * FROM auth.account WHERE user_id = $1", user_id)
    stored = row["password_hash"] if row is not None else None
    matches = await in_thread(_password_matches, stored, password)
    if not matches or row is None or row["disabled_at"] is not None:
        await pool.execute(
            "INSERT INTO auth.login_failure (user_id, client, at) VALUES ($1, $2, $3)",
            user_id,
            client,
            now,
        )
        return None
    await pool.execute(
        "DELETE FROM auth.login_failure WHERE user_id = $1 AND client = $2", user_id, client
    )
    return _account(row)


async def open_session(pool: Any, user_id: str, now: datetime) -> tuple[str, str]:
    """A brand-new session id on every sign-in (no fixation): (session id, CSRF token)."""
    session_id = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    await pool.execute(
        "INSERT INTO auth.session (id_hash, user_id, csrf_token, created_at, expires_at)"
        " VALUES ($1, $2, $3, $4, $5)",
        _digest(session_id),
        user_id,
        csrf,
        now,
        now + SESSION_TTL,
    )
    return session_id, csrf


async def session_principal(pool: Any, session_id: str, now: datetime) -> tuple[Principal, str]:
    """(principal, CSRF token) of a live session; raises TokenRefused otherwise."""
    row = await pool.fetchrow(
        "SELECT s.csrf_token, s.expires_at, a.* FROM auth.session s"
        " JOIN auth.account a USING (user_id) WHERE s.id_hash = $1",
        _digest(session_id),
    )
    if row is None or row["expires_at"] <= now or row["disabled_at"] is not None:
        raise TokenRefused("session ended")
    return _account(row).principal(), str(row["csrf_token"])


async def close_session(pool: Any, session_id: str) -> None:
    await pool.execute("DELETE FROM auth.session WHERE id_hash = $1", _digest(session_id))
