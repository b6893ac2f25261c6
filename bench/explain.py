"""`python -m bench.explain`: the query plans of the portal's heaviest reads, on a dataset
made by `bench.national` and rebuilt into read models (`tracker projections rebuild`, or
`bench.scale`). The reads run through the same functions the API calls; a connection
wrapper runs `EXPLAIN (ANALYZE, BUFFERS)` of each statement they send, so the plans are
of the SQL the code really sends. `--write` puts them in docs/benchmarks.md between the
`explain` markers."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from adapters import readmodels, readstore
from bench.as_of import write_section
from bench.stack import machine_facts

MARK_BEGIN = "<!-- explain: written by python -m bench.explain -->"
MARK_END = "<!-- /explain -->"


class Explaining:
    """A connection that explains every statement before running it."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.plans: list[list[str]] = []

    async def fetch(self, sql: str, *args: Any) -> list[Any]:
        plan = await self.conn.fetch("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, *args)
        self.plans.append([str(row[0]) for row in plan])
        return list(await self.conn.fetch(sql, *args))


async def measure(url: str) -> list[tuple[str, list[list[str]]]]:
    conn = await readstore.create_pool(url, max_size=2)
    try:
        if not await conn.fetchval("SELECT to_regclass('rm.action') IS NOT NULL"):
            raise SystemExit("no read models: run `tracker projections rebuild` on it first")
        counts = await conn.fetch(
            "SELECT region_code, count(*) AS n FROM rm.action GROUP BY 1 ORDER BY 2 DESC, 1"
        )
        busiest, sparsest = counts[0]["region_code"], counts[-1]["region_code"]
        position = int(await conn.fetchval("SELECT max(position) FROM rm.activity"))
        today = datetime.now(UTC).date()
        reads: list[tuple[str, Any]] = [
            (
                f"action board of the busiest region ({busiest}), first page",
                lambda c: readmodels.list_actions(
                    c, readmodels.ActionFilter(region_code=busiest), 50
                ),
            ),
            (
                "national figures, counts by province",
                lambda c: readmodels.counts_by(c, "province_code", today),
            ),
            (
                f"timeline of the region with the fewest actions ({sparsest})",
                lambda c: readmodels.timeline(c, "region_codes", sparsest, 50, None),
            ),
            (
                f"as-of rows of {busiest} at position {position // 2:,}",
                lambda c: readstore.rows_at(c, position // 2, busiest),
            ),
        ]
        found = []
        async with conn.acquire() as raw:
            for title, read in reads:
                explaining = Explaining(raw)
                await read(explaining)
                found.append((title, explaining.plans))
        events = int(await conn.fetchval("SELECT count(*) FROM rm.activity"))
        actions = int(sum(row["n"] for row in counts))
        found.insert(0, (f"{events:,} activity lines, {actions:,} actions", []))
        return found
    finally:
        await conn.close()


def markdown(found: list[tuple[str, list[list[str]]]], command: str) -> str:
    facts = machine_facts()
    (size, _), *reads = found
    lines = [
        MARK_BEGIN,
        "## Query plans of the heaviest reads",
        "",
        "```sh",
        command,
        "```",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; machine: nproc {facts.get('nproc')}; "
        f"read models: {size}",
        "",
    ]
    for title, plans in reads:
        lines += [f"### {title}", ""]
        for plan in plans:
            if plan and plan[0].startswith("Result"):
                continue  # a constant, not a read
            lines += ["```text", *plan, "```", ""]
    return "\n".join([*lines, MARK_END])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.explain", description=__doc__)
    parser.add_argument("--database-url", help="default: bench.national's embedded server")
    parser.add_argument("--data-dir", type=Path, default=Path(".bench-national"))
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    embedded, url = None, args.database_url
    if url is None:
        from adapters.embedded import EmbeddedServers

        embedded = EmbeddedServers(args.data_dir, postgres=True, nats=False)
        url, _ = embedded.start()
    try:
        shown = ["python -m bench.explain", "--write"]
        if args.data_dir != Path(".bench-national"):
            shown += ["--data-dir", str(args.data_dir)]
        section = markdown(asyncio.run(measure(url)), " ".join(shown))
    finally:
        if embedded is not None:
            embedded.stop()
    print(section)
    if args.write:
        print(f"written to {write_section(section, MARK_BEGIN, MARK_END)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
