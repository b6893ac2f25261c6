"""`python -m bench.layers`: where a write's CPU goes, in one process on one PostgreSQL.

The same monthly progress reports and verifications as `bench.run`, handed straight to the
message bus (no HTTP, no litestar, no thread hop), single-threaded, next to eventsourcing's
bare `save()` loop (bench/raw.py) on the same server in the same run. Then the bus loop
again under cProfile, its CPU split by the package each function belongs to (self time):
what our layers below HTTP cost, and which of them. The HTTP layers' share is what
`bench.run` measures on top (its "app CPU per operation"). Writes the "Write path, layer by
layer" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from adapters.embedded import EmbeddedServers
from adapters.eventstore import PostgresEventStore
from adapters.memory.accounts import MemoryAccounts
from adapters.passwords import Argon2Hasher
from adapters.reference_data import region_catalogue
from bench.as_of import months, write_section
from bench.raw import drop_database, recreate_database, run_raw
from bench.stack import machine_facts
from domain import commands as c
from tracker.bus import MessageBus
from tracker.demo import replay, scenario

MARK_BEGIN = "<!-- layers: written by python -m bench.layers -->"
MARK_END = "<!-- /layers -->"
TODAY = datetime(2026, 12, 1, 9, tzinfo=UTC)
PLACE = ("35.72", "demo-pemda-3572", "demo-kanwil-jatim")
LAYERS = (  # the first fragment found in a function's file names its layer
    ("/eventsourcing/", "eventsourcing (library)"),
    ("/psycopg", "psycopg (driver)"),
    ("/msgspec/", "msgspec"),
    ("/domain/", "domain (rules, evolve)"),
    ("/projections/", "projections"),
    ("/adapters/", "adapters (event store, codec)"),
    ("/tracker/", "tracker (bus, handlers, policy)"),
    ("/structlog/", "structlog (logging)"),
)


class Clock:
    def __init__(self) -> None:
        self.now = TODAY

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now


def _bus(store: PostgresEventStore, clock: Clock) -> MessageBus:
    return MessageBus(
        store=store,
        accounts=MemoryAccounts(),
        hasher=Argon2Hasher(),
        regions=region_catalogue(),
        clock=clock,
        ids=uuid.uuid4,
    )


class Workload:
    """Fresh actions in Kota Blitar, then per round one monthly report and its verification
    for each: the commands of bench.run's HTTP phases, without HTTP."""

    def __init__(self, bus: MessageBus, actions: int) -> None:
        script = scenario()
        self.bus = bus
        self.pemda = script.principal(PLACE[1])
        self.kanwil = script.principal(PLACE[2])
        commitment = next(
            s.ids[0]
            for s in script.commands
            if s.command == "RecordCommitment"
            and PLACE[0] in [x["region_code"] for x in s.data.get("signatories", [])]
        )
        self.actions = [
            bus.execute(
                c.PlanAction(
                    commitment_id=uuid.UUID(str(commitment)),
                    region_code=PLACE[0],
                    title=f"Aksi {i + 1}",
                    owner_opd="Bagian Hukum Setda",
                    due_on=date(2027, 12, 31),
                ),
                self.pemda,
            ).id
            for i in range(actions)
        ]
        self.periods = months(date(2023, 1, 1), 47)
        self.round = 0

    def commands(self, count: int) -> int:
        """Run `count` commands (reports and verifications in turn); returns how many ran."""
        done = 0
        while done < count:
            period = self.periods[self.round % len(self.periods)]
            for action_id in self.actions:
                report = c.SubmitProgressReport(
                    action_id=action_id, period=period, narrative="Laporan", percent=50.0
                )
                report_id = self.bus.execute(report, self.pemda).state.reports[-1].id
                verify = c.VerifyReport(action_id=action_id, report_id=report_id)
                self.bus.execute(verify, self.kanwil)
                done += 2
            self.round += 1
        return done


def _layer(filename: str) -> str:
    for fragment, name in LAYERS:
        if fragment in filename:
            return name
    if filename.startswith("~") or filename == "<built-in>":
        return "C built-ins (the driver's socket, hashing, ...)"
    return "Python standard library and others"


def profile(workload: Workload, count: int) -> tuple[int, dict[str, float], float]:
    profiler = cProfile.Profile(time.process_time)  # CPU, not the waits on the socket
    profiler.enable()
    done = workload.commands(count)
    profiler.disable()
    stats = pstats.Stats(profiler)
    by_layer: dict[str, float] = defaultdict(float)
    total = 0.0
    for (filename, _line, _name), row in stats.stats.items():  # type: ignore[attr-defined]
        self_time = row[2]
        by_layer[_layer(filename)] += self_time
        total += self_time
    return done, dict(by_layer), total


def run(database_url: str, commands: int, actions: int) -> dict[str, Any]:
    store = PostgresEventStore(database_url)
    store.open()
    try:
        clock = Clock()
        bus = _bus(store, clock)
        replay(bus, scenario())
        warm = Workload(bus, actions)
        warm.commands(2 * actions)  # caches, prepared statements, first snapshots
        timed = Workload(bus, actions)
        started, cpu = time.perf_counter(), time.process_time()
        done = timed.commands(commands)
        ours = {"wall_s": time.perf_counter() - started, "cpu_s": time.process_time() - cpu}
        ours["count"] = done
        profiled, by_layer, total = profile(Workload(bus, actions), commands)
    finally:
        store.close()
    raw_url = recreate_database(database_url)
    try:
        raw = run_raw(raw_url, commands, actions)
    finally:
        drop_database(database_url)
    return {
        "ours": ours,
        "raw_save": raw.save,
        "raw_load_save": raw.load_save,
        "profiled": profiled,
        "layers": by_layer,
        "profiled_s": total,
    }


def section(found: dict[str, Any], command: str) -> str:
    ours = found["ours"]
    ours_cpu = ours["cpu_s"] * 1000 / ours["count"]
    ours_rate = ours["count"] / ours["wall_s"]
    raw, raw_ls = found["raw_save"], found["raw_load_save"]
    facts = machine_facts()
    lines = [
        MARK_BEGIN,
        "## Write path, layer by layer",
        "",
        "```sh",
        command,
        "```",
        "",
        f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; machine: nproc "
        f"{facts.get('nproc')}, cpu {facts.get('cpu')}; one thread, embedded PostgreSQL",
        f"- {ours['count']:,} commands (monthly report, then its verification, over "
        "fresh actions of Kota Blitar), handed to `MessageBus.execute` directly",
        "",
        "| loop | ops/s | CPU ms/op | CPU × raw save() |",
        "| --- | ---: | ---: | ---: |",
        f"| raw `save()` (bench/raw.py) | {raw.per_second:,.0f} | {raw.cpu_ms_per_op:.2f} | 1.00 |",
        f"| raw `get()` + `save()` | {raw_ls.per_second:,.0f} | {raw_ls.cpu_ms_per_op:.2f} | "
        f"{raw_ls.cpu_ms_per_op / raw.cpu_ms_per_op:.2f} |",
        f"| ours: `bus.execute` (policy, load, decide, append) | {ours_rate:,.0f} | "
        f"{ours_cpu:.2f} | {ours_cpu / raw.cpu_ms_per_op:.2f} |",
        "",
        f"Under cProfile with a CPU clock ({found['profiled']:,} commands; it slows all, "
        "so read the shares, not the times), self time by layer:",
        "",
        "| layer | share of CPU |",
        "| --- | ---: |",
    ]
    total = found["profiled_s"] or 1.0
    for name, seconds in sorted(found["layers"].items(), key=lambda kv: -kv[1]):
        lines.append(f"| {name} | {seconds / total:.0%} |")
    lines += [
        "",
        "The HTTP layers (uvicorn, litestar, the JSON body, the worker-thread hop, the "
        "request log line) come on top: compare the CPU per command here with `bench.run`'s "
        "*app CPU per operation*, which also holds the relay and the projector.",
        MARK_END,
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.layers", description=__doc__)
    parser.add_argument("--commands", type=int, default=2000)
    parser.add_argument("--actions", type=int, default=50)
    parser.add_argument("--no-write", action="store_true", help="print, do not write the doc")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-layers-") as work:
        servers = EmbeddedServers(Path(work) / "servers", postgres=True, nats=False)
        database_url, _ = servers.start()
        assert database_url is not None
        try:
            found = run(database_url, args.commands, args.actions)
        finally:
            servers.stop()
    command = "python -m bench.layers" + (
        f" --commands {args.commands}" if args.commands != 2000 else ""
    )
    text = section(found, command)
    print(text)
    if not args.no_write:
        print(f"wrote {write_section(text, MARK_BEGIN, MARK_END)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
