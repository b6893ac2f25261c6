"""`python -m bench.scale`: what a long log costs, on a dataset made by `bench.national`
(default: its embedded server in .bench-national). Side by side in one run:

- reading the whole notification log in batches (the floor any rebuild stands on), then
  a full blue/green rebuild of the read models, as events per second;
- sealing the log (the audit chain), then `audit verify` over all of it;
- an inclusion proof for the newest event;
- a region's reads (summary, action list) and the national roll-up;
- the size of the database and its largest tables.

Figures are printed as Markdown; `--write` puts them in docs/benchmarks.md between the
`scale` markers. No timing is asserted anywhere: this describes, it does not judge.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from adapters import readstore, sealer, signing
from adapters.readstore import read_notifications
from adapters.rebuild import checksum, rebuild
from adapters.sealer import verify as audit_verify
from bench.stack import machine_facts

MARK_BEGIN = "<!-- scale: written by python -m bench.scale -->"
MARK_END = "<!-- /scale -->"
REGION = "35.72"


def say(message: str) -> None:
    print(f"[scale {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


async def _timed(work: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = await work()
    return time.perf_counter() - started, result


async def read_log(pool: Any, batch: int = 10_000) -> int:
    """Every event, in batches, decoded by nothing: what reading the log alone costs."""
    position = count = 0
    async with pool.acquire() as conn:
        while rows := await read_notifications(conn, position, batch):
            count += len(rows)
            position = rows[-1]["notification_id"]
    return count


async def median_ms(work: Callable[[], Awaitable[Any]], repeats: int = 9) -> float:
    await work()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        await work()
        samples.append((time.perf_counter() - started) * 1000)
    return sorted(samples)[len(samples) // 2]


async def reads(pool: Any, code: str) -> list[tuple[str, float]]:
    from adapters.readmodels import ActionFilter
    from adapters.reads import PostgresReadStore
    from adapters.reference_data import region_catalogue
    from tracker import queries

    data: Any = PostgresReadStore(lambda: pool)
    today, region = date.today(), region_catalogue().require(code)
    where = ActionFilter(region_code=code)
    return [
        (
            f"region summary {code}",
            await median_ms(lambda: queries.region_summary(data, today, region)),
        ),
        (
            f"action list {code} (first page of 50)",
            await median_ms(lambda: data.list_actions(where, 50)),
        ),
        ("national roll-up", await median_ms(lambda: queries.national(data, today))),
    ]


async def sizes(pool: Any) -> list[tuple[str, str]]:
    async with pool.acquire() as conn:
        total = await conn.fetchval("SELECT pg_size_pretty(pg_database_size(current_database()))")
        rows = await conn.fetch(
            "SELECT n.nspname || '.' || c.relname AS name,"
            " pg_size_pretty(pg_total_relation_size(c.oid)) AS size"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind = 'r' ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 6"
        )
    return [("database", total), *[(r["name"], r["size"]) for r in rows]]


async def busiest_region(pool: Any) -> str:
    """The kab/kota with the most events of its own (its reads are the heaviest)."""
    async with pool.acquire() as conn:
        code = await conn.fetchval(
            "SELECT region_code FROM rm.action WHERE region_code LIKE '%.%' GROUP BY region_code"
            " ORDER BY count(*) DESC, region_code LIMIT 1"
        )
    return str(code or REGION)


async def measure(url: str, key: Path, *, rebuilding: bool) -> list[str]:
    pool = await readstore.create_pool(url, max_size=4)
    out: list[str] = []
    try:
        await readstore.create_schema(pool)
        await sealer.create_schema(pool)
        async with pool.acquire() as conn:
            head = await readstore.head_position(conn)
        say(f"{head:,} events in the log")
        out.append(f"- head position of the log: {head:,} (notification ids may have gaps)")

        say("reading the whole log")
        seconds, _ = await _timed(lambda: read_log(pool))
        floor = head / seconds
        rebuild_s = ours = math.nan
        position, sums = 0, dict[str, str]()
        if rebuilding:
            say(f"rebuilding the read models (raw read: {floor:,.0f} events/s)")
            rebuild_s, _ = await _timed(lambda: rebuild(pool))
            ours = head / rebuild_s
            position, sums = await checksum(pool)

        say("sealing the audit chain")
        seal_s, sealed = await _timed(lambda: _seal_all(pool))
        signer = signing.load_or_create(key)
        await sealer.checkpoint(pool, signer, "pelacak-ham.bench", datetime.now(UTC))
        say("verifying the whole log")
        verify_s, report = await _timed(lambda: audit_verify.verify(pool, signer.keyring()))
        say("an inclusion proof for the newest event")
        proof_ms = await median_ms(lambda: sealer.proof_for(pool, head), repeats=3)
        say("reads")
        timed_reads = await reads(pool, await busiest_region(pool)) if rebuilding else []
        table_sizes = await sizes(pool)
    finally:
        await pool.close()
    out += [
        "",
        "| step | events | seconds | events/s | vs raw log read |",
        "|---|---:|---:|---:|---:|",
        f"| raw read of the notification log (10,000 a batch) | {head:,} | {seconds:.1f} "
        f"| {floor:,.0f} | 1.00× |",
        f"| full rebuild of the read models | {head:,} | {rebuild_s:.1f} | {ours:,.0f} "
        f"| {ours / floor:.3f}× |"
        if rebuilding
        else "| full rebuild of the read models | not run (`--no-rebuild`) | | | |",
        f"| sealing the audit chain (and its nodes) | {sealed:,} | {seal_s:.1f} "
        f"| {sealed / seal_s:,.0f} | {sealed / seal_s / floor:.2f}× |"
        if sealed
        else "| sealing the audit chain | already sealed | | | |",
        f"| `audit verify` (ok: {report.ok}) | {report.checked:,} | {verify_s:.1f} "
        f"| {report.checked / verify_s:,.0f} | {report.checked / verify_s / floor:.2f}× |",
        "",
        (
            f"- rebuilt read models stand at position {position:,}; {len(sums)} tables checksummed"
            if rebuilding
            else "- no rebuild (`--no-rebuild`): no read models, so no region reads either"
        ),
        f"- inclusion proof of position {head:,}: {proof_ms:,.0f} ms (median of 3)",
        "",
        "| read at this size | median ms |",
        "|---|---:|",
        *[f"| {name} | {ms:.1f} |" for name, ms in timed_reads],
        "",
        "| storage | size |",
        "|---|---:|",
        *[f"| {name} | {size} |" for name, size in table_sizes],
    ]
    return out


async def _seal_all(pool: Any) -> int:
    total = 0
    while sealed := await sealer.seal(pool, batch=sealer.BATCH * 20):
        total += sealed
    return total


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--database-url", help="default: bench.national's embedded server")
    parser.add_argument("--data-dir", type=Path, default=Path(".bench-national"))
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument(
        "--no-rebuild", action="store_true", help="skip the rebuild (and the reads it enables)"
    )
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    embedded, url = None, args.database_url
    if url is None:
        from adapters.embedded import EmbeddedServers

        embedded = EmbeddedServers(args.data_dir, postgres=True, nats=False)
        url, _ = embedded.start()
    started = time.perf_counter()
    try:
        key = args.data_dir / "bench-ed25519.pem"
        lines = asyncio.run(measure(url, key, rebuilding=not args.no_rebuild))
    finally:
        if embedded is not None:
            embedded.stop()
    facts = machine_facts()
    section = "\n".join(
        [
            MARK_BEGIN,
            "## At national scale",
            "",
            "```sh",
            ".venv/bin/python -m bench.national   # once: the dataset",
            ".venv/bin/python -m bench.scale --write",
            "```",
            "",
            f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; "
            f"machine: nproc {facts.get('nproc')}, cpu {facts.get('cpu')}; "
            f"total {time.perf_counter() - started:,.0f} s",
            *lines,
            MARK_END,
        ]
    )
    print(section)
    if args.write:
        from bench.as_of import write_section

        print(f"written to {write_section(section, MARK_BEGIN, MARK_END)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
