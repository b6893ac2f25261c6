"""The baseline: the eventsourcing library on its own, on the same PostgreSQL server.

Everything the tracker adds (HTTP, msgspec, domain rules, If-Match, snapshots, relay,
projection) sits on top of `Application.save()`; timing a bare save loop in a database of
its own tells how much of a command's cost is ours and how much is the library's.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit
from uuid import UUID

import psycopg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from adapters.eventstore import postgres_env
from bench.stats import Timings

RAW_DATABASE = "bench_raw"
UPDATES_PER_CREATE = 9  # one create then nine updates: creates+updates, like our actions


class Tally(Aggregate):
    """The smallest useful aggregate: created, then counted."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.total = 0

    @event("Counted")
    def count(self, amount: int) -> None:
        self.total += amount


class RawSaveLoop(Application[UUID]):
    name = "BenchRaw"  # tables benchraw_events, in their own database anyway


@dataclass(frozen=True)
class RawResult:
    save: Timings  # create or update, then save(): one transaction per event
    load_save: Timings  # repository.get() + update + save(), like a command does


def raw_database_url(database_url: str) -> str:
    return urlunsplit(urlsplit(database_url)._replace(path=f"/{RAW_DATABASE}"))


def recreate_database(database_url: str) -> str:
    """DROP + CREATE DATABASE bench_raw on the tracker's server; returns its URL."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {RAW_DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {RAW_DATABASE}")
    return raw_database_url(database_url)


def drop_database(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {RAW_DATABASE} WITH (FORCE)")


def _application(raw_url: str) -> RawSaveLoop:
    env = postgres_env(raw_url, pool_size=1)
    # The same insert path as the tracker (table lock, no DB functions), minus snapshots.
    env["IS_SNAPSHOTTING_ENABLED"] = "n"
    return RawSaveLoop(env=env)


def run_raw(raw_url: str, events: int, aggregates: int) -> RawResult:
    """Single-threaded; `events` saves of each kind, `aggregates` ids for load+save."""
    app = _application(raw_url)
    try:
        save = Timings()
        tally: Tally | None = None
        started, cpu = time.perf_counter(), time.process_time()
        for i in range(events):
            t = time.perf_counter()
            if tally is None or i % (UPDATES_PER_CREATE + 1) == 0:
                tally = Tally(f"tally-{i}")
            else:
                tally.count(1)
            app.save(tally)
            save.add(time.perf_counter() - t)
        save.wall_s = time.perf_counter() - started
        save.cpu_s = time.process_time() - cpu

        ids = []
        for i in range(aggregates):
            created = Tally(f"loaded-{i}")
            app.save(created)
            ids.append(created.id)
        load_save = Timings()
        started, cpu = time.perf_counter(), time.process_time()
        for i in range(events):
            t = time.perf_counter()
            loaded: Tally = app.repository.get(ids[i % len(ids)])
            loaded.count(1)
            app.save(loaded)
            load_save.add(time.perf_counter() - t)
        load_save.wall_s = time.perf_counter() - started
        load_save.cpu_s = time.process_time() - cpu
        return RawResult(save=save, load_save=load_save)
    finally:
        app.close()
