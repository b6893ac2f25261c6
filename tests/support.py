"""Helpers every test layer shares: settings for a test database, the accounts store on it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, TypeVar

from litestar import Litestar

from adapters.accounts import PostgresAccounts
from adapters.database import Database
from tracker.app import create_app
from tracker.bootstrap import bootstrap
from tracker.ports import Clock
from tracker.settings import Settings

T = TypeVar("T")


def settings_for(database_url: str, **overrides: Any) -> Settings:
    """A test's settings: its own database, nothing on disk unless `data_dir` is given, and
    no reminder worker writing on the wall clock unless a test asks for it."""
    defaults = {"data_dir": None, "database_url": database_url, "reminders": False}
    defaults["delivery"] = False
    return Settings(**{**defaults, **overrides})


def account_store(database_url: str) -> AbstractAsyncContextManager[PostgresAccounts]:
    return postgres_store(database_url, PostgresAccounts)


def app_on_clock(database_url: str, clock: Clock, **overrides: Any) -> Litestar:
    """The application on a test database with a clock the test sets."""
    settings = settings_for(database_url, **overrides)
    return create_app(settings, services=bootstrap(settings, clock=clock))


@asynccontextmanager
async def postgres_store(database_url: str, factory: Callable[[Database], T]) -> AsyncIterator[T]:
    """Any store built on a Database: its schema created, closed afterwards."""
    database = Database(database_url, max_size=2)
    await database.open()
    try:
        store = factory(database)
        await store.create_schema()  # type: ignore[attr-defined]
        yield store
    finally:
        await database.close()
