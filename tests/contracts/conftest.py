"""Each port's contract suite runs once per adapter: in memory, and on PostgreSQL (marked
`integration`, so `pytest -m "not integration"` runs the in-memory half alone)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from adapters.eventstore import PostgresEventStore
from adapters.idempotency import PostgresIdempotency
from adapters.memory.accounts import MemoryAccounts
from adapters.memory.delivery import MemoryDelivery
from adapters.memory.eventstore import MemoryEventStore
from adapters.memory.files import MemoryFileStore
from adapters.memory.idempotency import MemoryIdempotency
from adapters.memory.subscriptions import MemorySubscriptions
from tests.support import (
    account_store,
    delivery_store,
    file_store,
    postgres_store,
    subscription_store,
)

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


@pytest.fixture(params=BACKENDS)
def accounts(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Runner]]:
    run = Runner()
    try:
        if request.param == "memory":
            yield MemoryAccounts(), run
            return
        context = account_store(request.getfixturevalue("database_url"))
        store = run(context.__aenter__())
        try:
            yield store, run
        finally:
            run(context.__aexit__(None, None, None))
    finally:
        run.loop.close()


@pytest.fixture(params=BACKENDS)
def files(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Runner]]:
    run = Runner()
    try:
        if request.param == "memory":
            yield MemoryFileStore(), run
            return
        context = file_store(request.getfixturevalue("database_url"))
        store = run(context.__aenter__())
        try:
            yield store, run
        finally:
            run(context.__aexit__(None, None, None))
    finally:
        run.loop.close()


@pytest.fixture(params=BACKENDS)
def delivery(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Runner]]:
    run = Runner()
    try:
        if request.param == "memory":
            yield MemoryDelivery(), run
            return
        context = delivery_store(request.getfixturevalue("database_url"))
        store = run(context.__aenter__())
        try:
            yield store, run
        finally:
            run(context.__aexit__(None, None, None))
    finally:
        run.loop.close()


@pytest.fixture(params=BACKENDS)
def followers(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Runner]]:
    run = Runner()
    try:
        if request.param == "memory":
            yield MemorySubscriptions(), run
            return
        context = subscription_store(request.getfixturevalue("database_url"))
        store = run(context.__aenter__())
        try:
            yield store, run
        finally:
            run(context.__aexit__(None, None, None))
    finally:
        run.loop.close()


@pytest.fixture(params=BACKENDS)
def keys(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Runner]]:
    run = Runner()
    try:
        if request.param == "memory":
            yield MemoryIdempotency(), run
            return
        context = postgres_store(request.getfixturevalue("database_url"), PostgresIdempotency)
        store = run(context.__aenter__())
        try:
            yield store, run
        finally:
            run(context.__aexit__(None, None, None))
    finally:
        run.loop.close()
