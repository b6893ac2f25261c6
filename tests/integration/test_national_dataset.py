"""The national dataset generator (bench/national.py) on a real PostgreSQL: its bulk path
(each simulated day's writes in one transaction) stores exactly what the command path
stores when the same commands are executed one by one through `bus.execute` — every
event's position, aggregate, version, type and bytes — and the log it wrote seals, signs
and passes the audit verification; read models built event by event while it was written
equal a rebuild of them (checksum of every table)."""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg

from adapters import readstore, sealer, signing
from adapters.database import Database
from adapters.eventstore import EVENTS_TABLE, PostgresEventStore
from adapters.positions import PositionWatcher
from adapters.projector import StoreTailProjector
from adapters.rebuild import checksum, rebuild
from adapters.sealer import verify as audit_verify
from bench.national import Shape, bus_for, generate
from domain.period import PeriodKind

SHAPE = Shape(first_year=2024, years=2, regions=3, actions_per_year=3, span_years=1)
SHAPE_B = Shape(**{**SHAPE.__dict__, "cadence": PeriodKind.FOUR_MONTHLY})


def load_generated(url: str, shape: Shape, *, one_by_one: bool) -> tuple[int, int]:
    store = PostgresEventStore(url)
    store.open()
    try:
        bus, clock = bus_for(store, shape)
        return generate(bus, clock, shape, one_by_one=one_by_one)
    finally:
        store.close()


def _rows(url: str) -> list[Any]:
    async def read() -> list[Any]:
        conn = await asyncpg.connect(url)
        try:
            return list(
                await conn.fetch(
                    "SELECT notification_id, originator_id, originator_version, topic, state"
                    f" FROM {EVENTS_TABLE} ORDER BY notification_id"
                )
            )
        finally:
            await conn.close()

    return asyncio.run(read())


def test_the_bulk_path_stores_what_the_command_path_stores(
    database_url: str, second_database: str
) -> None:
    bulk = load_generated(database_url, SHAPE, one_by_one=False)
    one_by_one = load_generated(second_database, SHAPE, one_by_one=True)
    assert bulk == one_by_one
    commands, events = bulk
    rows, again = _rows(database_url), _rows(second_database)
    assert len(rows) == events and commands < events
    assert [r["notification_id"] for r in rows] == list(range(1, events + 1))
    assert [tuple(r) for r in rows] == [tuple(r) for r in again]
    kinds = Counter(r["topic"].rpartition(".")[2] for r in rows)
    for kind in (
        "ActionPlanned",
        "ProgressReportSubmitted",
        "ProgressReportVerified",
        "ProgressReportReturned",
        "ProgressReportResubmitted",
        "ActionCompleted",
        "ActionVerified",
    ):
        assert kinds[kind] > 0, kinds
    per_action = Counter(
        r["originator_id"] for r in rows if r["topic"].endswith("ProgressReportSubmitted")
    )
    # Monthly from January: each action reports every month it runs, however late the one
    # before was verified (the first year's actions all twelve; the second year's last
    # reports may fall after the simulation ends).
    counts = sorted(per_action.values())
    assert kinds["ActionPlanned"] == len(counts)
    assert counts[len(counts) // 2 :] == [12] * (len(counts) - len(counts) // 2)
    assert counts[0] >= 10, counts


def test_the_generated_log_seals_and_verifies(database_url: str, tmp_path: Path) -> None:
    _, events = load_generated(database_url, SHAPE_B, one_by_one=False)
    signer = signing.load_or_create(tmp_path / "ledger.pem")

    async def seal_and_verify() -> Any:
        pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
        try:
            await sealer.create_schema(pool)
            signed = await sealer.checkpoint(
                pool, signer, "pelacak-ham.test", datetime(2026, 1, 5, tzinfo=UTC)
            )
            return signed, await audit_verify.verify(pool, signer.keyring())
        finally:
            await pool.close()

    signed, report = asyncio.run(seal_and_verify())
    assert signed.size == events
    assert report.ok and report.checked == events and report.unsealed == 0


def test_a_rebuild_equals_the_read_models_built_while_the_log_grew(database_url: str) -> None:
    async def scenario() -> tuple[Any, Any, int]:
        database = Database(database_url, max_size=4)
        await database.open()
        await readstore.create_schema(database.pool)
        watcher, projector = PositionWatcher(database), StoreTailProjector(database.pool)
        await watcher.start()
        await projector.start()  # event by event (by NOTIFY) while the generator writes
        try:
            _, events = await asyncio.to_thread(
                load_generated, database_url, SHAPE_B, one_by_one=False
            )
            assert await watcher.wait_for(events, timeout=60)
        finally:
            await projector.stop()
        grown = await checksum(database.pool)
        await rebuild(database.pool)
        rebuilt = await checksum(database.pool)
        await watcher.stop()
        await database.close()
        return grown, rebuilt, events

    grown, rebuilt, events = asyncio.run(scenario())
    assert grown[0] == rebuilt[0] == events
    assert {"action", "commitment", "forum", "activity"} <= set(grown[1])
    assert grown[1]["action"] != hashlib.md5(b"").hexdigest()  # noqa: S324 - what md5('') is
    assert grown[1] == rebuilt[1]
