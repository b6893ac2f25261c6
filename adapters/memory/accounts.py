"""Accounts, tokens, sessions and failed sign-ins in process memory (twin of
adapters/accounts.py; same behaviour, checked by tests/contracts/test_account_store.py)."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, replace
from datetime import datetime

import msgspec

from adapters.account_types import (
    FAILURE_WINDOW,
    SESSION_TTL,
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
    retry_after,
    token_id_of,
)
from domain.access import Principal

ROLE_ORDER = {"admin": 0, "kanwil": 1, "pemda": 2}  # as PostgreSQL sorts the role text


@dataclass
class _Stored:
    account: Account
    password_hash: str | None


@dataclass
class _Token:
    info: TokenInfo
    secret_hash: bytes


class MemoryAccounts:
    def __init__(self) -> None:
        self._accounts: dict[str, _Stored] = {}
        self._tokens: dict[str, _Token] = {}
        self._sessions: dict[bytes, tuple[str, str, datetime]] = {}  # user, csrf, expiry
        self._failures: list[tuple[str, str, datetime]] = []
        self._changes: list[AccountChange] = []

    def _log(self, change: AccountChange | None) -> None:
        if change is not None:
            self._changes.append(change)

    async def changes(self, region_code: str | None = None, limit: int = 50) -> list[AccountChange]:
        found = [
            c
            for c in reversed(self._changes)
            if region_code is None or c.region_code == region_code or region_code in c.provinces
        ]
        return found[:limit]

    async def create_schema(self) -> None:
        return None

    async def add(
        self,
        account: Account,
        password_hash: str | None,
        created_by: str,
        now: datetime,
        change: AccountChange | None = None,
    ) -> None:
        if account.user_id in self._accounts:
            raise AccountExists("user-exists", user_id=account.user_id)
        self._accounts[account.user_id] = _Stored(account, password_hash)
        self._log(change)

    async def get(self, user_id: str) -> Account | None:
        stored = self._accounts.get(user_id)
        return None if stored is None else stored.account

    async def all_accounts(self) -> list[Account]:
        found = [s.account for s in self._accounts.values()]
        return sorted(found, key=lambda a: (ROLE_ORDER[a.role.value], a.user_id))

    def _require(self, user_id: str) -> _Stored:
        stored = self._accounts.get(user_id)
        if stored is None:
            raise AccountMissing("no-user", user_id=user_id)
        return stored

    def _end_sessions(self, user_id: str) -> None:
        for key in [k for k, (owner, _, _) in self._sessions.items() if owner == user_id]:
            del self._sessions[key]

    async def set_password_hash(
        self, user_id: str, password_hash: str, change: AccountChange | None = None
    ) -> None:
        self._require(user_id).password_hash = password_hash
        self._end_sessions(user_id)
        self._log(change)

    async def disable(
        self, user_id: str, now: datetime, change: AccountChange | None = None
    ) -> None:
        stored = self._require(user_id)
        stored.account = replace(stored.account, disabled=True)
        self._end_sessions(user_id)
        self._log(change)

    async def issue_token(
        self,
        user_id: str,
        name: str,
        expires_at: datetime | None,
        now: datetime,
        change: AccountChange | None = None,
    ) -> tuple[str, str]:
        check_new_token(await self.get(user_id), user_id, expires_at, now)
        token_id, token = new_token()
        info = TokenInfo(token_id, user_id, name, now, expires_at, None, None)
        self._tokens[token_id] = _Token(info, digest(token))
        if change is not None:
            self._log(msgspec.structs.replace(change, detail=f"{token_id} {name}"))
        return token_id, token

    async def revoke_token(
        self, token_id: str, now: datetime, change: AccountChange | None = None
    ) -> str:
        stored = self._tokens.get(token_id)
        if stored is None:
            raise AccountMissing("no-token", token_id=token_id)
        stored.info = replace(stored.info, revoked_at=stored.info.revoked_at or now)
        self._log(change)
        return stored.info.user_id

    async def token_owner(self, token_id: str) -> str | None:
        stored = self._tokens.get(token_id)
        return None if stored is None else stored.info.user_id

    async def tokens(self, user_id: str | None = None) -> list[TokenInfo]:
        found = [t.info for t in self._tokens.values() if user_id in (None, t.info.user_id)]
        return sorted(found, key=lambda t: t.created_at)

    async def token_principal(self, token: str, now: datetime) -> Principal:
        stored = self._tokens.get(token_id_of(token))
        if stored is None or not hmac.compare_digest(stored.secret_hash, digest(token)):
            raise TokenRefused("unknown")
        account = self._accounts[stored.info.user_id].account
        check_token_use(stored.info.revoked_at, stored.info.expires_at, account.disabled, now)
        stored.info = replace(stored.info, last_used_at=now)
        return account.principal()

    async def retry_after(self, user_id: str, client: str, now: datetime) -> int | None:
        recent = [f for f in self._failures if f[0] == user_id and f[2] > now - FAILURE_WINDOW]
        here = [at for _, source, at in recent if source == client]
        return retry_after(
            len(here),
            len(recent),
            min(here, default=None),
            min((at for _, _, at in recent), default=None),
            now,
        )

    async def password_hash(self, user_id: str) -> tuple[Account | None, str | None]:
        stored = self._accounts.get(user_id)
        return (None, None) if stored is None else (stored.account, stored.password_hash)

    async def record_failure(self, user_id: str, client: str, now: datetime) -> None:
        self._failures.append((user_id, client, now))

    async def clear_failures(self, user_id: str, client: str) -> None:
        self._failures = [f for f in self._failures if (f[0], f[1]) != (user_id, client)]

    async def open_session(self, user_id: str, now: datetime) -> tuple[str, str]:
        session_id = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        self._sessions[digest(session_id)] = (user_id, csrf, now + SESSION_TTL)
        return session_id, csrf

    async def session_principal(self, session_id: str, now: datetime) -> tuple[Principal, str]:
        found = self._sessions.get(digest(session_id))
        if found is None:
            raise TokenRefused("session ended")
        user_id, csrf, expires_at = found
        account = self._accounts[user_id].account
        if expires_at <= now or account.disabled:
            raise TokenRefused("session ended")
        return account.principal(), csrf

    async def close_session(self, session_id: str) -> None:
        self._sessions.pop(digest(session_id), None)
