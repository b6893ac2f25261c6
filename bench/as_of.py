"""`python -m bench.as_of`: a region page's figures read as of a past day, next to the same
region's current read and a full replay of its log, in one run on one PostgreSQL server;
then again after as many events again were written elsewhere (is it flat as the log grows?).
Writes the "As-of reads" section of docs/benchmarks.md.

The region (Kota Blitar, 35.72) gets 100 actions with a monthly report and its verification
for each month from 2022-01 to 2026-01 (filed one month a day): 10,000 events. The read is
what the region page asks: the summary (with the province ranking) and the action list.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

from adapters import codec, projector, readmodels, readstore, sealer
from adapters.eventstore import EVENTS_TABLE, PostgresEventStore
from adapters.memory.accounts import MemoryAccounts
from adapters.passwords import Argon2Hasher
from adapters.reads import PostgresReadStore
from adapters.reference_data import region_catalogue
from bench.stack import REPO_ROOT, machine_facts
from domain import commands as c
from domain.period import ReportingPeriod
from domain.registry import fold
from tracker import queries
from tracker.bus import MessageBus
from tracker.demo import replay, scenario
from tracker.http.reading import Reading, as_of

MARK_BEGIN = "<!-- as-of: written by python -m bench.as_of -->"
MARK_END = "<!-- /as-of -->"
REGION = ("35.72", "demo-pemda-3572", "demo-kanwil-jatim")
ELSEWHERE = ("33.74", "demo-pemda-3374", "demo-kanwil-jateng")
# Filed after the demo's last event (an as-of date finds the longest stretch of the log
# recorded before it), one reporting month a day: 2026-10-01 to 2026-11-18.
FILED_FROM = datetime(2026, 10, 1, 3, tzinfo=UTC)
DAYS = (date(2026, 10, 5), date(2026, 10, 25), date(2026, 11, 18))
TODAY = datetime(2026, 12, 1, 9, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = FILED_FROM - timedelta(days=1)

    def __call__(self) -> datetime:
        return self.now


def months(first: date, count: int) -> list[ReportingPeriod]:
    out, year, month = [], first.year, first.month
    for _ in range(count):
        out.append(ReportingPeriod.parse(f"{year}-{month:02d}"))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def fill(bus: MessageBus, store: PostgresEventStore, place: tuple[str, str, str], n: int) -> int:
    """n actions in one region, each reported and verified monthly: 2 + 2 x 49 events each."""
    region, pemda_id, kanwil_id = place
    script = scenario()
    pemda, kanwil = script.principal(pemda_id), script.principal(kanwil_id)
    commitment = next(
        s.ids[0]
        for s in script.commands
        if s.command == "RecordCommitment"
        and region in [x["region_code"] for x in s.data.get("signatories", [])]
    )
    clock = Clock()
    dated = bus.with_clock(clock)
    actions = []
    for i in range(n):
        plan = c.PlanAction(
            commitment_id=uuid.UUID(str(commitment)),
            region_code=region,
            title=f"Aksi {i + 1}",
            owner_opd="Bagian Hukum Setda",
            due_on=date(2026, 12, 31),
        )
        actions.append(dated.execute(plan, pemda).id)
    periods = months(date(2022, 1, 1), 49)
    for k, period in enumerate(periods, start=1):
        clock.now = FILED_FROM + timedelta(days=k - 1)
        for action_id in actions:
            report = c.SubmitProgressReport(
                action_id=action_id, period=period, narrative="Laporan", percent=round(k * 2.04, 1)
            )
            report_id = dated.execute(report, pemda).state.reports[-1].id
            dated.execute(c.VerifyReport(action_id=action_id, report_id=report_id), kanwil)
            clock.now += timedelta(seconds=1)
    return int(dated.load("action", actions[0]).version) * n


async def project(pool: Any) -> None:
    async with pool.acquire() as conn:
        while await projector.catch_up_from_store(conn):
            pass


async def region_read(data: Any, today: date) -> Any:
    region = region_catalogue().require(REGION[0])
    summary = await queries.region_summary(data, today, region)
    actions = await queries.actions(data, readmodels.ActionFilter(region_code=REGION[0]))
    return summary, actions


async def replay_read(pool: Any, position: int) -> int:
    """The baseline: fold every event of the region's aggregates up to the position, from
    the log alone (no snapshots, no read models)."""
    rows = await pool.fetch(
        f"SELECT e.originator_id, e.topic, e.state FROM {EVENTS_TABLE} e "
        f"JOIN {readstore.LIVE}.action a ON a.id = e.originator_id "
        "WHERE a.region_code = $1 AND e.notification_id <= $2 "
        "ORDER BY e.originator_id, e.originator_version",
        REGION[0],
        position,
    )
    streams: dict[Any, list[Any]] = {}
    for row in rows:
        streams.setdefault(row["originator_id"], []).append(row)
    folded = [
        fold("action", None, (codec.decode_event(r["topic"], r["state"]) for r in stream))
        for stream in streams.values()
    ]
    return len(folded)


async def timed(work: Callable[[], Awaitable[Any]], repeats: int) -> float:
    await work()  # warm: plans cached, pages in memory
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        await work()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


async def measure(pool: Any, repeats: int) -> list[dict[str, Any]]:
    data = PostgresReadStore(lambda: pool)
    reading = Reading(data, None, lambda: TODAY, "bench")  # type: ignore[arg-type]
    rows = [
        {"read": "current", "ms": await timed(lambda: region_read(data, TODAY.date()), repeats)}
    ]
    for day in DAYS:
        dated = await as_of(reading, day.isoformat(), REGION[0])
        assert dated.as_of is not None
        position = dated.as_of.position

        async def read(d: date = day) -> Any:
            chosen = await as_of(reading, d.isoformat(), REGION[0])
            return await region_read(chosen.data, d)

        async def replay(p: int = position) -> Any:
            return await replay_read(pool, p)

        rows.append(
            {
                "read": f"as of {day}",
                "position": position,
                "ms": await timed(read, repeats),
                "replay_ms": await timed(replay, repeats),
            }
        )
    return rows


def markdown(command: str, facts: dict[str, str], phases: list[tuple[str, int, list[Any]]]) -> str:
    lines = [
        MARK_BEGIN,
        "## As-of reads (`?pada=`)",
        "",
        "A region page's reads (summary with the province ranking, and the action list) for",
        "Kota Blitar with 10,000 events of its own: today's read from the read models, the",
        "same read as of three past days (rebuilt from the event store: newest snapshot and",
        "later events of each aggregate in the region), and a full replay of the region's",
        "events up to the same position for comparison. Median of the repeats, in one run;",
        "the ratio is what matters. The second table is the same after as many events again",
        "were written for another region: a flat as-of read does not grow with the log.",
        "",
        "```sh",
        command,
        "```",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; machine: "
        + ", ".join(f"{k} {v}" for k, v in facts.items() if k in ("nproc", "cpu", "postgresql")),
        "",
    ]
    for title, events, rows in phases:
        current = rows[0]["ms"]
        lines += [
            f"### {title}: {events:,} events in the log",
            "",
            "| read | position | median ms | × current | full replay ms | replay ÷ as-of |",
            "|---|---|---|---|---|---|",
        ]
        for row in rows:
            replay_ms = row.get("replay_ms")
            lines.append(
                f"| {row['read']} | {row.get('position', '—')} | {row['ms']:.1f} | "
                f"{row['ms'] / current:.2f} | "
                + (f"{replay_ms:.1f} | {replay_ms / row['ms']:.1f} |" if replay_ms else "— | — |")
            )
        lines.append("")
    lines.append(MARK_END)
    return "\n".join(lines)


def write_section(section: str, begin: str = MARK_BEGIN, end: str = MARK_END) -> Path:
    """Replace the section between `begin` and `end` in docs/benchmarks.md, or append it."""
    path = REPO_ROOT / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8")
    if begin in text:
        head, _, rest = text.partition(begin)
        _, _, tail = rest.partition(end)
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")
    return path


async def run(database_url: str, actions: int, repeats: int) -> list[tuple[str, int, list[Any]]]:
    store = PostgresEventStore(database_url)
    store.open()
    bus = MessageBus(
        store=store,
        accounts=MemoryAccounts(),
        hasher=Argon2Hasher(),
        regions=region_catalogue(),
        clock=lambda: TODAY,
        ids=uuid.uuid4,
    )
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=4)
    try:
        await readstore.create_schema(pool)
        await sealer.create_schema(pool)
        await asyncio.to_thread(replay, bus, scenario())
        own = await asyncio.to_thread(fill, bus, store, REGION, actions)
        await project(pool)
        phases = [
            ("Kota Blitar alone", await readstore.head_position(pool), await measure(pool, repeats))
        ]
        print(f"filled {own} events for {REGION[0]}; measured", flush=True)
        await asyncio.to_thread(fill, bus, store, ELSEWHERE, actions)
        await project(pool)
        phases.append(
            (
                "After as many again in Kota Semarang",
                await readstore.head_position(pool),
                await measure(pool, repeats),
            )
        )
        return phases
    finally:
        await pool.close()
        store.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.as_of", description=__doc__)
    parser.add_argument("--actions", type=int, default=100, help="actions per region (100)")
    parser.add_argument("--repeats", type=int, default=20, help="timed reads per figure (20)")
    parser.add_argument("--no-write", action="store_true", help="print, do not write the doc")
    args = parser.parse_args(argv)
    from adapters.embedded import EmbeddedServers

    with tempfile.TemporaryDirectory(prefix="bench-as-of-") as work:
        servers = EmbeddedServers(Path(work) / "servers", postgres=True, nats=False)
        database_url, _ = servers.start()
        assert database_url is not None
        try:
            phases = asyncio.run(run(database_url, args.actions, args.repeats))
            facts = machine_facts()
        finally:
            servers.stop()
    command = "python -m bench.as_of" + (
        f" --actions {args.actions}" if args.actions != 100 else ""
    )
    section = markdown(command, facts, phases)
    print(section)
    if not args.no_write:
        print(f"written to {write_section(section)}")


if __name__ == "__main__":
    main()
