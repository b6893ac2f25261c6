"""Each port's contract suite runs once per adapter: in memory, and on PostgreSQL (marked
`integration`, so `pytest -m "not integration"` runs the in-memory half alone)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from adapters.accounts import PostgresAccounts
from adapters.database import Database
from adapters.delivery import PostgresDelivery
from adapters.eventstore import PostgresEventStore
from adapters.files import PostgresFileStore
from adapters.idempotency import PostgresIdempotency
from adapters.memory.accounts import MemoryAccounts
from adapters.memory.delivery import MemoryDelivery
from adapters.memory.eventstore import MemoryEventStore
from adapters.memory.files import MemoryFileStore
from adapters.memory.idempotency import MemoryIdempotency
from adapters.memory.subscriptions import MemorySubscriptions
from adapters.subscriptions import PostgresSubscriptions
from tests.support import postgres_store

BACKENDS = [
    pytest.param("memory"),
    pytest.param("postgres", marks=pytest.mark.integration),
]


@pytest.fixture(params=BACKENDS)
def event_store(request: pytest.FixtureRequest) -> Iterator[Any]:
    if request.param == "memory":
        yield MemoryEventStore()
        return
    store = PostgresEventStore(request.getfixturevalue("database_url"))
    store.open()
    try:
        yield store
    finally:
        store.close()


class Runner:
    """Runs the async account store's calls on one event loop for the whole test."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()

    def __call__(self, work: Any) -> Any:
        return self.loop.run_until_complete(work)


def _backend(
    request: pytest.FixtureRequest, memory: Callable[[], Any], postgres: Callable[[Database], Any]
) -> Iterator[tuple[Any, Runner]]:
    """The store on the fixture's backend, with the loop its calls run on."""
    run = Runner()
    try:
        if request.param == "memory":
            yield memory(), run
            return
        context = postgres_store(request.getfixturevalue("database_url"), postgres)
        store = run(context.__aenter__())
        try:
            yield store, run
        finally:
            run(context.__aexit__(None, None, None))
    finally:
        run.loop.close()


@pytest.fixture(params=BACKENDS)
def accounts(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Runner]]:
    yield from _backend(request, MemoryAccounts, PostgresAccounts)


@pytest.fixture(params=BACKENDS)
def files(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Runner]]:
    yield from _backend(request, MemoryFileStore, PostgresFileStore)


@pytest.fixture(params=BACKENDS)
def delivery(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Runner]]:
    yield from _backend(request, MemoryDelivery, PostgresDelivery)


@pytest.fixture(params=BACKENDS)
def followers(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Runner]]:
    yield from _backend(request, MemorySubscriptions, PostgresSubscriptions)


@pytest.fixture(params=BACKENDS)
def keys(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Runner]]:
    yield from _backend(request, MemoryIdempotency, PostgresIdempotency)


@pytest.fixture(params=BACKENDS)
def keys_and_events(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Any, Runner]]:
    """The idempotency store with the event store that records which keys stored events
    (on PostgreSQL: one database, where `idem.applied` is written with the events)."""
    if request.param == "memory":
        events = MemoryEventStore()
        run = Runner()
        try:
            yield MemoryIdempotency(events.applied), events, run
        finally:
            run.loop.close()
        return
    store = PostgresEventStore(request.getfixturevalue("database_url"))
    store.open()
    try:
        for keys, run in _backend(request, MemoryIdempotency, PostgresIdempotency):
            yield keys, store, run
    finally:
        store.close()
