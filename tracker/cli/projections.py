"""`tracker projections status|rebuild|checksum`: plain text for people, with a progress
bar."""

from __future__ import annotations

import sys
import time

from adapters import readstore
from adapters.rebuild import PROJECTIONS
from adapters.rebuild import checksum as read_model_checksum
from adapters.rebuild import rebuild as rebuild_projection
from adapters.rebuild import status as projection_status
from tracker.runtime import CliError, say


async def status(database_url: str) -> None:
    pool = await readstore.create_pool(database_url, max_size=2)
    try:
        await readstore.create_schema(pool)
        rows = await projection_status(pool)
    finally:
        await pool.close()
    print(f"{'projection':<12} {'position':>10} {'head':>10} {'lag':>8}  updated")
    for row in rows:
        updated = row["updated_at"].isoformat(timespec="seconds") if row["updated_at"] else "-"
        print(
            f"{row['name']:<12} {row['position']:>10} {row['head']:>10} {row['lag']:>8}  {updated}"
        )


class ProgressBar:
    """A bar on a terminal, a line every 10 % otherwise (CI logs, pipes)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.tty = sys.stderr.isatty()
        self.shown = -1
        self.started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        share = 1.0 if total <= 0 else min(1.0, done / total)
        percent = int(share * 100)
        if self.tty:
            bar = "#" * (percent // 4) + "." * (25 - percent // 4)
            sys.stderr.write(f"\r{self.label} [{bar}] {percent:3d}% {done}/{total}")
            sys.stderr.flush()
        elif percent // 10 != self.shown // 10:
            sys.stderr.write(f"{self.label}: {percent}% ({done}/{total})\n")
        self.shown = percent

    def close(self) -> None:
        if self.tty:
            sys.stderr.write("\n")


async def rebuild(database_url: str, name: str | None) -> None:
    name = name or "catalog"
    if name not in PROJECTIONS:
        raise CliError("unknown-projection", name=name, known=", ".join(PROJECTIONS))
    pool = await readstore.create_pool(database_url, max_size=2)
    bar = ProgressBar(f"rebuild {name}")
    started = time.monotonic()
    try:
        await readstore.create_schema(pool)
        position = await rebuild_projection(pool, name, bar)
    finally:
        bar.close()
        await pool.close()
    say("rebuilt", name=name, position=position, seconds=time.monotonic() - started)


async def checksum(database_url: str) -> None:
    """One line per read-model table and its MD5, then the position they stand at: compare
    two replicas, or a store before and after `tracker projections rebuild`."""
    pool = await readstore.create_pool(database_url, max_size=2)
    try:
        await readstore.create_schema(pool)
        position, sums = await read_model_checksum(pool)
    finally:
        await pool.close()
    for table, digest in sums.items():
        print(f"{table:<14} {digest}")
    print(f"{'position':<14} {position}")
