"""`python -m bench.imports`: a 5,000-row action plan read, checked (dry run) and applied
through the import service, beside eventsourcing writing as many new aggregates with its own
loop (one save() each) and in one save(*aggregates), in one run on one PostgreSQL server.
Writes the "Spreadsheet import" section of docs/benchmarks.md.

The sheet is Kota Blitar's plan under the demo's joint Singkawang commitment, as a CSV and
as an XLSX (openpyxl writes it here; reading it is part of what is timed).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
from eventsourcing.application import Application
from openpyxl import Workbook

from adapters import projector, readstore, sealer
from adapters.eventstore import PostgresEventStore
from adapters.memory.accounts import MemoryAccounts
from adapters.passwords import Argon2Hasher
from adapters.reads import PostgresReadStore
from adapters.reference_data import region_catalogue
from bench.as_of import write_section
from bench.raw import RawSaveLoop, Tally, drop_database, recreate_database
from bench.stack import machine_facts
from tracker.bus import MessageBus
from tracker.demo import replay, scenario
from tracker.imports import service
from tracker.imports.templates import PLAN, header

MARK_BEGIN = "<!-- imports: written by python -m bench.imports -->"
MARK_END = "<!-- /imports -->"
TODAY = datetime(2026, 12, 1, 9, tzinfo=UTC)
COMMITMENT = "Komitmen bersama Pemerintah Daerah dalam pelaksanaan agenda HAM"


def plan_rows(n: int) -> list[list[Any]]:
    return [[COMMITMENT, f"Aksi impor {i}", "Dinkes", "2027-12-31"] + [""] * 12 for i in range(n)]


def as_csv(rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header(PLAN, "id"))
    writer.writerows(rows)
    return out.getvalue().encode()


def as_xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header(PLAN, "id"))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def raw_writes(raw_url: str, n: int) -> tuple[float, float]:
    """Seconds for n single saves, and for one save of n new aggregates."""
    from adapters.eventstore import postgres_env

    env = postgres_env(raw_url, pool_size=1)
    app: Application[uuid.UUID] = RawSaveLoop(env=env)
    try:
        started = time.perf_counter()
        for i in range(n):
            app.save(Tally(f"loop-{i}"))
        loop = time.perf_counter() - started
        started = time.perf_counter()
        app.save(*[Tally(f"batch-{i}") for i in range(n)])
        batch = time.perf_counter() - started
    finally:
        app.close()
    return loop, batch


async def run(database_url: str, rows: int) -> dict[str, Any]:
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
    script = scenario()
    who = script.principal("demo-pemda-3572")
    figures: dict[str, Any] = {"rows": rows}
    try:
        await readstore.create_schema(pool)
        await sealer.create_schema(pool)
        await asyncio.to_thread(replay, bus, script)
        async with pool.acquire() as conn:
            while await projector.catch_up_from_store(conn):
                pass
        data = PostgresReadStore(lambda: pool)
        files = (("csv", as_csv(plan_rows(rows))), ("xlsx", as_xlsx(plan_rows(rows))))
        for kind, content in files:
            for dry in (True, False):
                started = time.perf_counter()
                report = await service.run(
                    bus, data, who, "35.72", content, f"plan.{kind}", dry_run=dry
                )
                took = time.perf_counter() - started
                assert not report.errors, report.errors[:3]
                assert report.applied is not dry
                figures[f"{kind}_{'dry' if dry else 'apply'}_s"] = took
        raw_url = recreate_database(database_url)
        try:
            figures["raw_loop_s"], figures["raw_batch_s"] = await asyncio.to_thread(
                raw_writes, raw_url, rows
            )
        finally:
            drop_database(database_url)
    finally:
        await pool.close()
        store.close()
    return figures


def markdown(command: str, facts: dict[str, str], f: dict[str, Any]) -> str:
    n = f["rows"]

    def ratio(ours: str, raw: str) -> str:
        return f"{f[raw] / f[ours]:.2f}×"

    lines = [
        MARK_BEGIN,
        "## Spreadsheet import",
        "",
        f"`{command}` — {n:,} plan rows for Kota Blitar (each an `ActionPlanned`), read, checked "
        "by the same commands and policy as the API, and applied as one batch (one transaction "
        "with the `ImportApplied` record). Ratios are the raw library's time over ours, "
        "measured in the same run on the same server (1.00× = as fast as the raw loop).",
        "",
        "| Step | Seconds | vs raw save() loop | vs raw save(*n) |",
        "|---|---:|---:|---:|",
    ]
    for kind in ("csv", "xlsx"):
        for step in ("dry", "apply"):
            key = f"{kind}_{step}_s"
            name = f"{kind.upper()} {'dry run (nothing written)' if step == 'dry' else 'apply'}"
            lines.append(
                f"| {name} | {f[key]:.2f} | {ratio(key, 'raw_loop_s')} | "
                f"{ratio(key, 'raw_batch_s')} |"
            )
    lines += [
        f"| raw eventsourcing: {n:,} × save() | {f['raw_loop_s']:.2f} | 1.00× | |",
        f"| raw eventsourcing: one save(*{n:,}) | {f['raw_batch_s']:.2f} | | 1.00× |",
        "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in facts.items()),
        MARK_END,
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__)
    parser.add_argument("--rows", type=int, default=5000, help="rows per file (5000)")
    parser.add_argument("--no-write", action="store_true", help="print, do not write the doc")
    args = parser.parse_args(argv)
    from adapters.embedded import EmbeddedServers

    with tempfile.TemporaryDirectory(prefix="bench-imports-") as work:
        servers = EmbeddedServers(Path(work) / "servers", postgres=True, nats=False)
        database_url, _ = servers.start()
        assert database_url is not None
        try:
            figures = asyncio.run(run(database_url, args.rows))
            facts = machine_facts()
        finally:
            servers.stop()
    command = "python -m bench.imports" + (f" --rows {args.rows}" if args.rows != 5000 else "")
    section = markdown(command, facts, figures)
    print(section)
    if not args.no_write:
        print(f"written to {write_section(section, MARK_BEGIN, MARK_END)}")


if __name__ == "__main__":
    main()
