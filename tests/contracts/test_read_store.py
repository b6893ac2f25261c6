"""The read store port's contract: the in-memory store answers every query exactly as the
PostgreSQL store does, given the same event log. Both get the demo scenario (replayed
through the bus with its recorded ids and dates, so the two logs are identical), then
every query is asked of both, with filters, pagination and scopes, and the answers
compared. The in-memory half also runs alone (no server) for what only it promises."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
import msgspec
import pytest

from adapters import codec, projector, readstore, sealer
from adapters.eventstore import PostgresEventStore
from adapters.memory.accounts import MemoryAccounts
from adapters.memory.eventstore import MemoryEventStore
from adapters.memory.reads import MemoryReadStore
from adapters.passwords import Argon2Hasher
from adapters.readmodels import ActionFilter
from adapters.reads import PostgresReadStore
from adapters.reference_data import region_catalogue
from tests.unit.world import PRINCIPALS, Clock, World, plan
from tracker.bus import MessageBus
from tracker.clock import utc_now
from tracker.demo import replay, scenario
from tracker.ports import EventStore, ReadStore

TODAY = date(2026, 1, 15)
LATER = date(2027, 6, 1)
Query = Callable[[ReadStore], Awaitable[Any]]


def _bus(store: EventStore) -> MessageBus:
    return MessageBus(
        store=store,
        accounts=MemoryAccounts(),
        hasher=Argon2Hasher(),
        regions=region_catalogue(),
        clock=utc_now,
        ids=uuid.uuid4,
    )


def plain(value: Any) -> Any:
    """One comparable form: records and dicts as dicts, JSON text decoded, times in UTC,
    floats rounded (SQL sums and averages in another order)."""
    if isinstance(value, asyncpg.Record | dict):
        return {k: plain(v) for k, v in dict(value).items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return plain(msgspec.json.decode(value))
        except msgspec.DecodeError:
            return value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, msgspec.Struct):
        return plain(msgspec.to_builtins(value))
    return value


def unordered(value: Any) -> Any:
    return sorted(plain(value), key=repr)


def queries(ids: dict[str, list[Any]]) -> dict[str, Query]:  # noqa: C901, PLR0912 - a table
    """Every query with the arguments worth asking, by name."""
    q: dict[str, Query] = {}
    filters = {
        "all": ActionFilter(),
        "region": ActionFilter(region_code="35.72"),
        "province": ActionFilter(province_code="33"),
        "status": ActionFilter(status="in_progress"),
        "opd": ActionFilter(owner_opd="dinas"),
        "pn": ActionFilter(rpjmn_pn="PN1"),
        "kkp": ActionFilter(kkp_criterion=1),
        "overdue": ActionFilter(overdue_on=TODAY),
        "due": ActionFilter(due_before=LATER),
        "forum": ActionFilter(forum_id=ids["forum"][0]),
    }
    for name, where in filters.items():
        q[f"list_actions/{name}"] = lambda s, w=where: s.list_actions(w, 500)

    async def pages(s: ReadStore) -> list[Any]:
        out, cursor = [], None
        while True:
            docs, cursor = await s.list_actions(ActionFilter(), 3, cursor)
            out.append(docs)
            if cursor is None:
                return out

    q["list_actions/pages"] = pages
    q["list_forums"] = lambda s: s.list_forums()
    q["list_closures/all"] = lambda s: s.list_closures(None)
    q["list_closures/province"] = lambda s: s.list_closures("33")
    q["list_schedules"] = lambda s: s.list_schedules()
    q["list_reminders/all"] = lambda s: s.list_reminders(None, 500)
    q["list_reminders/places"] = lambda s: s.list_reminders(["35.72", "33"], 5)
    for place in (None, "33", "33.75", "35.72"):
        q[f"kkp_action_rows/{place}"] = lambda s, p=place: s.kkp_action_rows(p)
        for year in (None, 2022, 2026):
            q[f"list_assessments/{place}/{year}"] = lambda s, p=place, y=year: s.list_assessments(
                y, p
            )
    q["list_commitments/all"] = lambda s: s.list_commitments(None, None)
    q["list_commitments/region"] = lambda s: s.list_commitments(None, "35.72")
    for i, forum_id in enumerate(ids["forum"]):
        q[f"forum_doc/{i}"] = lambda s, f=forum_id: s.forum_doc(f)
        q[f"list_commitments/forum{i}"] = lambda s, f=forum_id: s.list_commitments(f, None)
        q[f"counts_by_commitment_region/{i}"] = lambda s, f=forum_id: _unordered(
            s.counts_by_commitment_region(f, TODAY)
        )
        q[f"feed_rows/forum{i}"] = lambda s, f=forum_id: s.feed_rows("forum", f, 50)
        q[f"activity_between/forum{i}"] = lambda s, f=forum_id: s.activity_between(
            "forum", f, 0, 10**6
        )
        q[f"title_of/forum{i}"] = lambda s, f=forum_id: s.title_of("forum", f)
    q["forum_doc/unknown"] = lambda s: s.forum_doc(uuid.UUID(int=7))
    for day in (TODAY, LATER):
        q[f"counts_by/all/{day}"] = lambda s, d=day: s.counts_by("", d)
        q[f"counts_by/regions/{day}"] = lambda s, d=day: _unordered(s.counts_by("region_code", d))
        q[f"counts_by/provinces/{day}"] = lambda s, d=day: _unordered(
            s.counts_by("province_code", d)
        )
    q["counts_by/one-region"] = lambda s: s.counts_by("", TODAY, region="35.72")
    q["counts_by/one-province"] = lambda s: s.counts_by("", TODAY, province="33")
    q["counts_by/in-province"] = lambda s: _unordered(
        s.counts_by("region_code", TODAY, province="33")
    )
    for dimension in ("rpjmn", "kkp"):
        for province in (None, "33"):
            q[f"matrix/{dimension}/{province}"] = lambda s, d=dimension, p=province: s.matrix(d, p)
    q["indicator_totals/all"] = lambda s: _unordered(s.indicator_totals(None))
    q["indicator_totals/33"] = lambda s: _unordered(s.indicator_totals("33"))
    q["timeline/region"] = lambda s: s.timeline("region_codes", "35.72", 10, None)
    q["timeline/province"] = lambda s: s.timeline("province_codes", "33", 5, None)
    q["timeline/before"] = lambda s: s.timeline("province_codes", "33", 5, 40)
    q["freshness/position"] = lambda s: _first(s.freshness())
    for kind, key in (("national", None), ("region", "35.72"), ("province", "33")):
        q[f"feed_rows/{kind}"] = lambda s, k=kind, v=key: s.feed_rows(k, v, 50)
        q[f"activity_between/{kind}"] = lambda s, k=kind, v=key: s.activity_between(k, v, 5, 60)
    for i, action_id in enumerate(ids["action"][:4]):
        q[f"feed_rows/action{i}"] = lambda s, a=action_id: s.feed_rows("action", a, 50)
        q[f"title_of/action{i}"] = lambda s, a=action_id: s.title_of("action", a)
        q[f"history_rows/action{i}"] = lambda s, a=action_id: s.history_rows(a)
        q[f"load_state/action{i}"] = lambda s, a=action_id: _state(s.load_state("action", a))
    q["load_state/wrong-kind"] = lambda s: s.load_state("forum", ids["action"][0])
    q["load_state/unknown"] = lambda s: s.load_state("action", uuid.UUID(int=7))
    names = ["id", "region_code", "title", "description", "status", "overdue", "completion"]
    q["action_rows"] = lambda s: s.action_rows(names, TODAY)
    q["commitment_rows"] = lambda s: s.commitment_rows()
    q["forum_rows"] = lambda s: _without(s.forum_rows(), "updated_at")
    q["action_docs"] = lambda s: s.action_docs()
    q["activity_rows"] = lambda s: s.activity_rows(["position", "type", "title", "region_codes"])
    for name, kwargs in {
        "region": {"region_code": "35.72"},
        "province": {"region_code": "33"},
        "province-own": {"region_code": "33", "province_wide": False},
        "type": {"region_code": "33", "event_type": "ProgressReportVerified"},
        "page": {"region_code": "33", "before_position": 50, "limit": 3},
        "since": {"region_code": "33", "since": datetime(2023, 1, 1, tzinfo=UTC)},
    }.items():
        args = {"since": None, "until": None, "actor": None, "event_type": None}
        args |= {"limit": 20, "before_position": None, **kwargs}
        q[f"region_activity/{name}"] = lambda s, a=args: s.region_activity(**a)
    for cutoff in ("2021-01-01", "2023-09-01T12:00:00", "2025-11-14", "2030-01-01"):
        moment = datetime.fromisoformat(cutoff).replace(tzinfo=UTC)
        q[f"position_at/{cutoff}"] = lambda s, m=moment: s.position_at(m)
    for position in (0, 7, 40, 90, 10**6):
        for place in (None, "33", "35.72"):
            q[f"rows_at/{position}/{place}"] = lambda s, p=position, w=place: _rows_at(
                s.rows_at(p, w)
            )
    q["count_events"] = lambda s: s.count_events()
    # Plain words both stores answer alike (PostgreSQL also stems; see adapters/memory/reads.py).
    for text in ("pengaduan", "Blitar", "FKUB Singkawang", "Kesbangpol", "Tjhai", "tidakada"):
        q[f"search/{text}"] = lambda s, t=text: _unordered(s.search(t, 50))
    q["search/limit"] = lambda s: _count(s.search("Kota", 3))
    q["head_position"] = lambda s: s.head_position()
    q["stored_entry"] = lambda s: s.stored_entry(3)
    return q


async def _unordered(work: Awaitable[Any]) -> Any:
    return unordered(await work)


async def _count(work: Awaitable[list[Any]]) -> int:
    return len(await work)


async def _first(work: Awaitable[tuple[Any, ...]]) -> Any:
    return (await work)[0]


async def _state(work: Awaitable[Any]) -> Any:
    return codec.encode(await work)


async def _rows_at(work: Awaitable[dict[str, list[Any]]]) -> Any:
    rows = await work
    return {kind: unordered(kept) for kind, kept in sorted(rows.items())}


async def _without(work: Awaitable[list[dict[str, Any]]], column: str) -> Any:
    # the row's updated_at is the same; PostgreSQL's is read back at its own precision
    return [{k: v for k, v in row.items() if k != column} for row in await work]


def _ids(memory: MemoryReadStore) -> dict[str, list[Any]]:
    memory.catch_up()
    return {table: sorted(memory.tables[table]) for table in ("forum", "action")}


async def _answers(store: ReadStore, asked: dict[str, Query]) -> dict[str, Any]:
    return {name: plain(await query(store)) for name, query in asked.items()}


def _memory_demo() -> MemoryReadStore:
    events = MemoryEventStore()
    replay(_bus(events), scenario())
    return MemoryReadStore(events)


@pytest.mark.integration
def test_the_in_memory_store_answers_as_postgresql_does(database_url: str) -> None:
    memory = _memory_demo()
    asked = queries(_ids(memory))
    events = PostgresEventStore(database_url)
    events.open()
    try:
        replay(_bus(events), scenario())
    finally:
        events.close()

    async def from_postgres() -> dict[str, Any]:
        pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
        try:
            await readstore.create_schema(pool)
            await sealer.create_schema(pool)
            async with pool.acquire() as conn:
                while await projector.catch_up_from_store(conn):
                    pass
            return await _answers(PostgresReadStore(lambda: pool), asked)
        finally:
            await pool.close()

    expected = asyncio.run(from_postgres())
    got = asyncio.run(_answers(memory, asked))
    assert len(asked) > 80
    differ = [name for name in asked if got[name] != expected[name]]
    assert not differ, {name: (got[name], expected[name]) for name in differ[:2]}
    assert expected["count_events"] == expected["head_position"] > 100


def test_the_in_memory_store_projects_what_was_appended_since_the_last_question() -> None:
    world = World()
    reads = MemoryReadStore(world.store)
    before, _ = asyncio.run(reads.list_actions(ActionFilter(), 10))
    world.execute(plan(world.commitment_id, "35.72", "Dinas Sosial"), PRINCIPALS["pemda_blitar"])
    after, _ = asyncio.run(reads.list_actions(ActionFilter(region_code="35.72"), 10))
    assert (len(before), len(after)) == (0, 1)
    position, moved_at = asyncio.run(reads.freshness())
    assert position == world.store.head() == 3
    assert moved_at == Clock().now


def test_the_in_memory_store_has_no_checkpoint_to_prove_against() -> None:
    reads = _memory_demo()
    assert asyncio.run(reads.latest_checkpoint()) is None
    with pytest.raises(sealer.NotCovered):
        asyncio.run(reads.proof_for(3))
    with pytest.raises(sealer.UnknownPosition):
        asyncio.run(reads.stored_entry(10**6))
