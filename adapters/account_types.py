"""What both account stores (PostgreSQL and in-memory) share: the account record, the
refusals, the limits, and how tokens and session ids are made and hashed.

Secrets are kept only as hashes: argon2id for passwords (adapters/passwords.py), SHA-256 for
the random tokens and session ids (256 bits of entropy need no stretching).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import msgspec

from domain.access import Principal
from domain.errors import Refusal
from domain.values import Role

TOKEN_PREFIX = "trk"  # noqa: S105 - the public prefix of every token, not a secret
LAST_USED_GRANULARITY = timedelta(minutes=1)  # not a write on every request
SESSION_TTL = timedelta(hours=8)
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_CLIENT = 5  # per account and client address, inside the window
MAX_FAILURES_PER_ACCOUNT = 20  # per account from anywhere: slows a distributed guesser


class AccountError(Refusal):
    """A refused account operation; its words, one line for the CLI and the API, are the
    catalogue's (key `account.<code>`)."""

    PREFIX = "account"


class AccountExists(AccountError):
    """The user id is taken."""


class AccountMissing(AccountError):
    """No such user or token."""


class TooMany(AccountError):
    """A limit on what one address or host may be sent (HTTP 429)."""


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


class AccountChange(msgspec.Struct, frozen=True, kw_only=True):
    """One administration of an account, kept in the same transaction as the change itself
    (auth.account_change): who did what to whom, with the subject's scope. No secrets."""

    at: datetime
    actor_id: str
    actor_role: str
    actor_office: str
    change: str  # created | disabled | password-set | token-issued | token-revoked
    user_id: str
    subject_role: str
    region_code: str | None = None
    provinces: tuple[str, ...] = ()
    detail: str = ""  # e.g. the token's id and name


@dataclass(frozen=True)
class TokenInfo:
    """A token as listed: never its secret."""

    id: str
    user_id: str
    name: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


def digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


def new_token() -> tuple[str, str]:
    """(token id, the token): the id is public, the rest of the token is the secret."""
    token_id = secrets.token_hex(6)
    return token_id, f"{TOKEN_PREFIX}_{token_id}_{secrets.token_urlsafe(32)}"


def token_id_of(token: str) -> str:
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        raise TokenRefused("malformed")
    return parts[1]


def retry_after(
    here: int, everywhere: int, first_here: datetime | None, first: datetime | None, now: datetime
) -> int | None:
    """Seconds until a throttled sign-in may be tried again, or None if not throttled."""
    if here >= MAX_FAILURES_PER_CLIENT:
        oldest = first_here
    elif everywhere >= MAX_FAILURES_PER_ACCOUNT:
        oldest = first
    else:
        return None
    assert oldest is not None
    return max(1, int((oldest + FAILURE_WINDOW - now).total_seconds()) + 1)


def check_new_token(
    account: Account | None, user_id: str, expires_at: datetime | None, now: datetime
) -> None:
    if account is None:
        raise AccountMissing("no-user", user_id=user_id)
    if account.disabled:
        raise AccountError("user-disabled", user_id=user_id)
    if expires_at is not None and expires_at <= now:
        raise AccountError("expiry-past")


def check_token_use(
    revoked_at: datetime | None, expires_at: datetime | None, disabled: bool, now: datetime
) -> None:
    if revoked_at is not None:
        raise TokenRefused("revoked")
    if expires_at is not None and expires_at <= now:
        raise TokenRefused("expired")
    if disabled:
        raise TokenRefused("account disabled")
