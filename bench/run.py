"""`python -m bench.run`: raw eventsourcing save loop vs our HTTP commands vs commit →
read-model latency, in one run on the same servers, then docs/benchmarks.md.

One run, one set of servers, because only ratios taken side by side mean anything on a
shared machine. All traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import shlex
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx

from bench import report
from bench.raw import drop_database, recreate_database, run_raw
from bench.stack import REPO_ROOT, ServeProcess, Servers, machine_facts, scan_logs, server_versions
from bench.stats import Timings
from bench.visibility import ProjectionListener, Visibility, visibility
from bench.workload import (
    Api,
    Phase,
    bench_tokens,
    closed_loop,
    monthly_periods,
    open_loop,
    round_trips,
)

WARM_UP_ACTIONS = 20


def other_sections(path: Path) -> str:
    """The sections the other benchmarks (`bench.as_of`, `bench.imports`, ...) wrote into
    the file, each between `<!-- name: written by ... -->` and `<!-- /name -->`, to write
    back after this run's part."""
    if not path.exists():
        return ""
    kept = []
    for line in (text := path.read_text(encoding="utf-8")).splitlines():
        if line.startswith("<!-- ") and ": written by python -m bench." in line:
            name = line.removeprefix("<!-- ").partition(":")[0]
            end = f"<!-- /{name} -->"
            body = text.partition(line)[2].partition(end)[0]
            kept.append(f"\n{line}{body}{end}\n")
    return "".join(kept)


WARM_UP_COMMANDS = 80
NAGLE_SUSPECT_MS = 35.0  # delayed ACK is 40 ms on Linux; a diagnosis, not an assertion


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    add = parser.add_argument
    add("--commands", type=int, default=2000, help="commands per throughput phase (2000)")
    add("--concurrency", type=int, default=8, help="clients in the concurrent phase (8)")
    add("--rate", type=float, default=50.0, help="commands/s of the latency phase (50)")
    add("--seconds", type=float, default=20.0, help="length of the latency phase (20)")
    add("--actions", type=int, default=200, help="fresh actions per phase (200)")
    add("--raw-events", type=int, default=2000, help="saves per raw loop (2000)")
    add("--catch-up-timeout", type=float, default=60.0, help="wait for projections (60 s)")
    add(
        "--split-workers",
        action="store_true",
        help="serve --no-workers plus separate `tracker relay` and `tracker project` processes",
    )
    add("--output", type=Path, default=REPO_ROOT / "docs" / "benchmarks.md")
    add("--no-write", action="store_true", help="print the summary only")
    add("--keep", action="store_true", help="keep the temporary directory (server logs)")
    add(
        "--all",
        action="store_true",
        help="then every other benchmark, each rewriting its section (bench/suite.py)",
    )
    add(
        "--quick",
        action="store_true",
        help="a smoke run for CI: a few dozen commands per phase; nothing is written",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.commands, args.concurrency, args.actions, args.raw_events = 40, 2, 10, 100
        args.rate, args.seconds, args.no_write = 20.0, 1.0, True
    for name in ("commands", "concurrency", "actions", "raw_events"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.rate <= 0 or args.seconds <= 0:
        parser.error("--rate and --seconds must be positive")
    return args


def shown_command(argv: Sequence[str]) -> str:
    """The command as typed from the repo root (relative interpreter path when inside it)."""
    python = sys.executable
    if Path(python).is_relative_to(Path.cwd()):
        python = os.path.relpath(python)
    return shlex.join([python, "-m", "bench.run", *argv])


@dataclass
class ApiOutcome:
    versions: dict[str, str]
    floor: Timings
    single: Phase
    concurrent: Phase
    paced: Phase
    visible: Visibility
    drain_after_burst_s: float | None
    ready: dict[str, Any]
    resyncs: int
    notify_backwards: int
    problems: list[str]
    single_cpu_by_process: dict[str, float]  # seconds per process over the 1-client phase


async def settle(client: httpx.AsyncClient, timeout: float) -> bool:
    """Wait until the read model holds every stored event, so phases don't overlap."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready = (await client.get("/ready")).json()
        if ready.get("projection_position", 0) >= ready.get("head_position", 0):
            return True
        await asyncio.sleep(0.1)
    return False


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


async def api_phases(
    args: argparse.Namespace, serve: ServeProcess, db_url: str, nats_url: str
) -> ApiOutcome:
    """Set-up, warm-up, then the three measured phases; each phase's server CPU runs until
    the read model caught up, so the relay's and projector's share is counted."""
    cpu = serve.cpu_seconds
    versions = await server_versions(db_url, nats_url)
    listener = ProjectionListener(db_url)
    await listener.start()
    problems: list[str] = []
    per_action = max(args.commands, math.ceil(args.rate * args.seconds)) / args.actions
    periods = monthly_periods(date.today(), math.ceil(per_action / 2) + 1)
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    try:
        async with httpx.AsyncClient(base_url=serve.base_url, timeout=60, limits=limits) as client:
            api = Api(client, periods, await bench_tokens(db_url))
            commitment = await api.commitment()
            say(f"planning {WARM_UP_ACTIONS} + 3 × {args.actions} actions")
            warm = await api.plan(commitment, WARM_UP_ACTIONS, args.concurrency, "warm-up")
            sets = [
                await api.plan(commitment, args.actions, args.concurrency, tag)
                for tag in ("single", "concurrent", "paced")
            ]
            warm_phase = await closed_loop(api, warm, WARM_UP_COMMANDS, args.concurrency)
            floor = await round_trips(client)
            if floor.ms(50) >= NAGLE_SUSPECT_MS:
                problems.append(
                    f"GET /health on a kept-alive connection takes {floor.ms(50):.1f} ms (p50): "
                    "the signature of Nagle + delayed ACK, i.e. TCP_NODELAY not set on the "
                    "server's accepted sockets; every command below pays it"
                )
            if warm_phase.timings.errors:
                problems.append(f"warm-up statuses {dict(warm_phase.timings.statuses)}")
            if not await settle(client, args.catch_up_timeout):
                problems.append("the projection did not catch up after the set-up")

            say(f"ours, 1 client: {args.commands} commands")
            cpu_before, by_process = cpu(), serve.cpu_by_process()
            single = await closed_loop(api, sets[0], args.commands, 1)
            await settle(client, args.catch_up_timeout)
            single.timings.cpu_s = cpu() - cpu_before
            single_by_process = {
                name: seconds - by_process.get(name, 0.0)
                for name, seconds in serve.cpu_by_process().items()
            }
            say(f"ours, {args.concurrency} clients: {args.commands} commands")
            cpu_before = cpu()
            concurrent = await closed_loop(api, sets[1], args.commands, args.concurrency)
            drain: float | None = None
            if await listener.wait_for(concurrent.max_position, args.catch_up_timeout) is not None:
                seen = listener.visible_at(concurrent.max_position)
                drain = None if seen is None else max(0.0, seen - concurrent.last_received)
            await settle(client, args.catch_up_timeout)
            concurrent.timings.cpu_s = cpu() - cpu_before

            say(f"paced: {args.rate:g} commands/s for {args.seconds:g} s")
            cpu_before = cpu()
            paced = await open_loop(api, sets[2], args.rate, args.seconds)
            if await listener.wait_for(paced.max_position, args.catch_up_timeout) is None:
                problems.append(
                    f"the projection did not reach position {paced.max_position} within "
                    f"{args.catch_up_timeout:g} s after the paced phase (at {listener.position})"
                )
            visible = visibility(paced.sent, listener)
            settled = await settle(client, args.catch_up_timeout)
            paced.timings.cpu_s = cpu() - cpu_before
            ready = (await client.get("/ready")).json()
            if not settled:
                problems.append(f"read model still behind the event store at the end: {ready}")
            return ApiOutcome(
                versions=versions,
                floor=floor,
                single=single,
                concurrent=concurrent,
                paced=paced,
                visible=visible,
                drain_after_burst_s=drain,
                ready=ready,
                resyncs=api.resyncs,
                notify_backwards=listener.went_backwards,
                problems=problems,
                single_cpu_by_process=single_by_process,
            )
    finally:
        await listener.stop()


def find_problems(results: report.Results, exits: dict[str, int | None]) -> None:
    """Anything odd in the system under test becomes a line of the report."""
    for name, phase in (
        ("1 client", results.single),
        ("concurrent", results.concurrent),
        ("paced", results.paced),
    ):
        if phase.timings.errors:
            results.problems.append(
                f"{phase.timings.errors} failed commands in phase '{name}': "
                f"{dict(phase.timings.statuses)}"
            )
    if results.visible.never_seen:
        results.problems.append(
            f"{results.visible.never_seen} committed writes never showed up in a NOTIFY"
        )
    if results.findings.http_5xx:
        results.problems.append(f"{results.findings.http_5xx} responses with status 5xx logged")
    bad = {k: v for k, v in results.findings.levels.items() if k in ("error", "critical")}
    if bad:
        results.problems.append(f"server logged {bad}")
    for name, status in exits.items():
        if status is None:
            results.problems.append(f"`tracker {name}` did not stop within 30 s of SIGINT (killed)")
        elif status != 0:
            results.problems.append(f"`tracker {name}` exited with status {status} on SIGINT")


def run(args: argparse.Namespace, command: str) -> report.Results:
    started = time.perf_counter()
    machine = machine_facts()
    work_dir = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    servers = Servers(work_dir)
    try:
        db_url, nats_url = servers.start()
        say(f"servers: {'configured' if servers.configured else 'embedded'}, {nats_url}")
        raw_url = recreate_database(db_url)
        say(f"raw eventsourcing loops: {args.raw_events} saves each")
        raw_before = run_raw(raw_url, args.raw_events, args.actions)
        serve = ServeProcess(db_url, nats_url, work_dir, split=args.split_workers)
        say("starting tracker serve")
        serve.start()
        try:
            outcome = asyncio.run(api_phases(args, serve, db_url, nats_url))
        except BaseException:
            say(f"failed; tail of the server log:\n{serve.log_tail()}")
            raise
        finally:
            exits = serve.stop()
        say("raw eventsourcing loops again (drift check)")
        raw_after = run_raw(raw_url, args.raw_events, args.actions)
        drop_database(db_url)
        findings = scan_logs(serve.log_files)
    finally:
        servers.stop()
        if args.keep:
            say(f"kept {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
    results = report.Results(
        command=command,
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        settings={
            "commands": args.commands,
            "concurrency": args.concurrency,
            "rate": f"{args.rate:g}",
            "seconds": f"{args.seconds:g}",
            "actions": args.actions,
            "raw_events": args.raw_events,
            "workers": "separate relay + project" if args.split_workers else "in-process",
            "servers": "configured (TRACKER_*_URL)" if servers.configured else "embedded",
        },
        machine=machine,
        versions=outcome.versions,
        floor=outcome.floor,
        raw_before=raw_before,
        raw_after=raw_after,
        single=outcome.single,
        concurrent=outcome.concurrent,
        paced=outcome.paced,
        visible=outcome.visible,
        drain_after_burst_s=outcome.drain_after_burst_s,
        ready=outcome.ready,
        findings=findings,
        resyncs=outcome.resyncs,
        notify_backwards=outcome.notify_backwards,
        total_s=time.perf_counter() - started,
        problems=outcome.problems,
        single_cpu_by_process=outcome.single_cpu_by_process,
    )
    find_problems(results, exits)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    results = run(args, shown_command(argv))
    print(report.summary(results))
    if not args.no_write:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        kept = other_sections(args.output)  # the other benchmarks' parts are not ours
        args.output.write_text(report.markdown(results) + kept, encoding="utf-8")
        say(f"wrote {args.output}")
    if args.all:
        from bench.suite import run_all

        for line in run_all(quick=args.quick, say=say):
            print(f"- {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
