"""The ports the application drives, as structural types. Each has a PostgreSQL/NATS adapter
and an in-memory one (adapters/memory/); tests/contracts runs one suite per port on both.

Adapters do not import this module (nothing imports `tracker`); they match it by shape, and
mypy checks the match where tracker/bootstrap.py wires them in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol, runtime_checkable
from uuid import UUID

from adapters.account_types import Account, TokenInfo
from domain.access import Principal
from domain.events import DomainEvent

Clock = Callable[[], datetime]
IdSource = Callable[[], UUID]


@runtime_checkable  # litestar checks injected values with isinstance
class EventStore(Protocol):
    """Synchronous (eventsourcing is): call it from a worker thread in async code."""

    def load(self, kind: str, aggregate_id: UUID) -> Any | None: ...

    def append(
        self, kind: str, aggregate_id: UUID, state: Any | None, events: list[DomainEvent]
    ) -> tuple[Any, int]: ...

    def close(self) -> None: ...


@runtime_checkable  # litestar checks injected values with isinstance
class PasswordHasher(Protocol):
    """CPU-heavy on purpose: async callers run it in a worker thread."""

    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str | None, password: str) -> bool: ...


@runtime_checkable  # litestar checks injected values with isinstance
class AccountStore(Protocol):
    async def create_schema(self) -> None: ...

    async def add(
        self, account: Account, password_hash: str | None, created_by: str, now: datetime
    ) -> None: ...

    async def get(self, user_id: str) -> Account | None: ...

    async def all_accounts(self) -> list[Account]: ...

    async def set_password_hash(self, user_id: str, password_hash: str) -> None: ...

    async def disable(self, user_id: str, now: datetime) -> None: ...

    async def issue_token(
        self, user_id: str, name: str, expires_at: datetime | None, now: datetime
    ) -> tuple[str, str]: ...

    async def revoke_token(self, token_id: str, now: datetime) -> str: ...

    async def token_owner(self, token_id: str) -> str | None: ...

    async def tokens(self, user_id: str | None = None) -> list[TokenInfo]: ...

    async def token_principal(self, token: str, now: datetime) -> Principal: ...

    async def retry_after(self, user_id: str, client: str, now: datetime) -> int | None: ...

    async def password_hash(self, user_id: str) -> tuple[Account | None, str | None]: ...

    async def record_failure(self, user_id: str, client: str, now: datetime) -> None: ...

    async def clear_failures(self, user_id: str, client: str) -> None: ...

    async def open_session(self, user_id: str, now: datetime) -> tuple[str, str]: ...

    async def session_principal(self, session_id: str, now: datetime) -> tuple[Principal, str]: ...

    async def close_session(self, session_id: str) -> None: ...
