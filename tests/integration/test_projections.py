"""Read models built incrementally (in any batch sizes, through holes and crashes) equal a
rebuild from the event store, compared by checksum."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters import messages, projector, readstore
from adapters.eventstore import EventStore, open_event_store
from adapters.rebuild import rebuild
from domain import commands as c
from domain.access import Principal
from domain.action_events import ReturnReason
from domain.errors import DomainError
from domain.period import ReportingPeriod
from domain.values import Evidence, Indicator, IndicatorType, Role
from tests.integration.scenario import bus_on, seed_commitment

PEMDA = Principal(user_id="p", role=Role.SYSTEM, office="Bagian Hukum")
KANWIL = Principal(user_id="k", role=Role.SYSTEM, office="Kanwil")
EVIDENCE = (Evidence(title="Bukti", url="https://example.org/b.pdf"),)
TABLES = ("forum", "commitment", "action", "activity", "position")


async def checksum(conn: Any) -> dict[str, str]:
    sums = {}
    for table in TABLES:
        key = "name" if table == "position" else ("position" if table == "activity" else "id")
        columns = "name, position" if table == "position" else "t.*"
        sums[table] = await conn.fetchval(
            f"SELECT md5(coalesce(string_agg(({columns})::text, '|' ORDER BY {key}), '')) "
            f"FROM {readstore.LIVE}.{table} t"
        )
    return sums


class World:
    """A commitment signed by two regions, and a service whose clock moves forward."""

    def __init__(self, store: EventStore) -> None:
        self.now = datetime(2027, 1, 5, tzinfo=UTC)
        self.service = bus_on(store, clock=lambda: self.now)
        self.commitment = seed_commitment(
            self.service,
            PEMDA,
            ("35.72", "33.74"),
            host="61.72",
            signed_on=date(2025, 11, 13),
            kkp_criteria=(3,),
        )
        self.actions: list[UUID] = []

    def run(self, command: tuple[Any, ...]) -> None:
        self.now += timedelta(days=3)
        kind, index, value = command
        try:
            if kind == "plan" or not self.actions:
                planned = c.PlanAction(
                    commitment_id=self.commitment,
                    region_code=("35.72", "33.74")[index % 2],
                    title=f"Aksi {len(self.actions)}",
                    owner_opd="Dinkes",
                    kkp_criterion=1 + index % 10,
                    indicator_type=IndicatorType.OUTCOME,
                    indicator=Indicator(name="ASN", unit="orang", baseline=0, target=100),
                    due_on=date(2026, 1, 1) + timedelta(days=30 * value),
                )
                self.actions.append(self.service.execute(planned, PEMDA).id)
                return
            action_id = self.actions[index % len(self.actions)]
            state = self.service.load("action", action_id)
            open_reports = [r for r in state.reports if r.status.value != "verified"]
            act = self.service.execute
            if kind == "report":
                period = ReportingPeriod.parse(f"2026-{1 + value % 12:02d}")
                submitted = c.SubmitProgressReport(
                    action_id=action_id,
                    period=period,
                    percent=float(value * 9 % 101),
                    indicator_value=float(value),
                    narrative="n",
                    evidence=EVIDENCE,
                    correction_reason="koreksi",
                )
                act(submitted, PEMDA)
            elif kind == "review" and open_reports:
                report = open_reports[0]
                if value % 2:
                    act(c.VerifyReport(action_id=action_id, report_id=report.id, note="ok"), KANWIL)
                else:
                    returned = c.ReturnReport(
                        action_id=action_id,
                        report_id=report.id,
                        reason_code=ReturnReason.OTHER,
                        note="lengkapi",
                    )
                    act(returned, KANWIL)
            elif kind == "resubmit" and open_reports:
                resubmitted = c.ResubmitReport(
                    action_id=action_id,
                    report_id=open_reports[0].id,
                    percent=float(value),
                    narrative="ulang",
                    evidence=EVIDENCE,
                    correction_reason="koreksi",
                )
                act(resubmitted, PEMDA)
            elif kind == "complete":
                act(c.DeclareCompletion(action_id=action_id, evidence=EVIDENCE), PEMDA)
            elif kind == "cancel":
                act(c.CancelAction(action_id=action_id, reason="anggaran"), PEMDA)
        except DomainError:
            pass  # refused commands write nothing; that is part of what is tested


commands = st.lists(
    st.tuples(
        st.sampled_from(
            ["plan", "report", "report", "review", "review", "resubmit", "complete", "cancel"]
        ),
        st.integers(0, 20),
        st.integers(0, 40),
    ),
    min_size=1,
    max_size=25,
)


@pytest.fixture
def store(database_url: str) -> Iterator[EventStore]:
    event_store = open_event_store(database_url)
    yield event_store
    event_store.close()


async def fresh_read_side(database_url: str) -> Any:
    pool = await readstore.create_pool(database_url, max_size=3)
    async with pool.acquire() as conn:
        await conn.execute(f"DROP SCHEMA IF EXISTS {readstore.LIVE} CASCADE")
    await readstore.create_schema(pool)
    return pool


async def rebuilt_checksum(pool: Any) -> dict[str, str]:
    await rebuild(pool)
    async with pool.acquire() as conn:
        return await checksum(conn)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(script=commands, batch=st.integers(1, 7))
def test_incremental_equals_rebuild(
    store: EventStore, database_url: str, script: list[Any], batch: int
) -> None:
    async def scenario() -> tuple[dict[str, str], dict[str, str]]:
        pool = await fresh_read_side(database_url)
        try:
            world = await asyncio.to_thread(World, store)
            async with pool.acquire() as conn:
                for command in script:
                    await asyncio.to_thread(world.run, command)
                    await projector.catch_up_from_store(conn, batch=batch)
                while await projector.catch_up_from_store(conn, batch=batch):
                    pass
                incremental = await checksum(conn)
            return incremental, await rebuilt_checksum(pool)
        finally:
            await pool.close()

    incremental, rebuilt = asyncio.run(scenario())
    assert incremental == rebuilt


def as_messages(rows: list[Any]) -> list[messages.EventMessage]:
    previous = [0] + [row["notification_id"] for row in rows[:-1]]
    return [messages.from_row(row, p, (None, None)) for row, p in zip(rows, previous, strict=True)]


def build_history(store: EventStore) -> None:
    world = World(store)
    for n in range(30):
        world.run((("plan", "report", "review", "report")[n % 4], n, n + 3))


def test_messages_with_holes_duplicates_and_a_crash(
    store: EventStore, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_history(store)

    async def scenario() -> tuple[dict[str, str], dict[str, str], int, int]:
        pool = await fresh_read_side(database_url)
        try:
            async with pool.acquire() as conn:
                rows = await readstore.read_notifications(conn, 0, 10_000)
                stream = as_messages(rows)
                # JetStream lost messages 5..9, and redelivers 0..3 after a restart.
                delivered = stream[:5] + stream[10:20] + stream[:4] + stream[20:]
                # A crash in the middle of a batch: nothing of that batch may stick.
                real_apply = projector.apply_rows
                calls = 0

                async def crashing(conn: Any, rows: Any, schema: str = readstore.LIVE) -> None:
                    nonlocal calls
                    calls += 1
                    if calls == 8:
                        raise RuntimeError("projector killed mid-batch")
                    await real_apply(conn, rows, schema)

                monkeypatch.setattr(projector, "apply_rows", crashing)
                with pytest.raises(RuntimeError):
                    await projector.apply_messages(conn, delivered[:12])
                crashed_at = await readstore.projection_position(conn, "catalog")
                monkeypatch.setattr(projector, "apply_rows", real_apply)
                for start in range(0, len(delivered), 6):
                    await projector.apply_messages(conn, delivered[start : start + 6])
                reached = await readstore.projection_position(conn, "catalog")
                incremental = await checksum(conn)
            return incremental, await rebuilt_checksum(pool), crashed_at, reached
        finally:
            await pool.close()

    incremental, rebuilt, crashed_at, reached = asyncio.run(scenario())
    assert crashed_at == 0  # the crashed batch left no position and no rows
    assert incremental == rebuilt
    assert reached > 0


def test_rebuild_while_serving_reads(store: EventStore, database_url: str) -> None:
    """Readers keep getting complete answers while the schema is swapped under them."""
    build_history(store)

    async def scenario() -> tuple[set[int], int]:
        pool = await fresh_read_side(database_url)
        try:
            async with pool.acquire() as conn:
                while await projector.catch_up_from_store(conn):
                    pass
                expected = await conn.fetchval(f"SELECT count(*) FROM {readstore.LIVE}.action")
            seen: set[int] = set()
            done = asyncio.Event()

            async def reader() -> None:
                while not done.is_set():
                    seen.add(await pool.fetchval(f"SELECT count(*) FROM {readstore.LIVE}.action"))

            task = asyncio.create_task(reader())
            await rebuild(pool)
            done.set()
            await task
            return seen, expected
        finally:
            await pool.close()

    seen, expected = asyncio.run(scenario())
    assert seen == {expected}


def test_a_rebuild_ends_with_every_index_of_a_fresh_schema(
    store: EventStore, database_url: str
) -> None:
    """It fills its tables without their secondary indexes and builds them afterwards: the
    live schema it swaps in has each index the DDL declares, defined the same way."""
    build_history(store)

    async def indexes(pool: Any) -> set[tuple[str, str]]:
        rows = await pool.fetch(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1",
            readstore.LIVE,
        )
        return {(row["indexname"], row["indexdef"]) for row in rows}

    async def scenario() -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
        pool = await fresh_read_side(database_url)
        try:
            fresh = await indexes(pool)
            await rebuild(pool)
            return fresh, await indexes(pool)
        finally:
            await pool.close()

    fresh, rebuilt = asyncio.run(scenario())
    assert any("gin" in definition for _, definition in fresh)
    assert rebuilt == fresh
