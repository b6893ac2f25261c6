"""`python -m bench.run --all`: after its own phases, every other benchmark in turn, each
in its own process and rewriting its own section of docs/benchmarks.md, so one command
regenerates the whole report. A benchmark that needs what this machine lacks (wrk for
bench.reads, the national dataset for bench.scale and bench.explain) is skipped with the
reason, never faked. `--quick --all` runs each at a smoke size and writes nothing (CI runs it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATASET = REPO_ROOT / ".bench-national"  # bench.national's default data directory


@dataclass(frozen=True)
class Benchmark:
    module: str
    full: tuple[str, ...]  # arguments of the real run
    quick: tuple[str, ...]  # a smoke run's
    missing: Callable[[], str | None] = lambda: None  # why it cannot run here, if it cannot
    writes_by_default: bool = True  # False: it takes --write instead of --no-write


def _no_wrk() -> str | None:
    return None if shutil.which("wrk") else "wrk is not installed (apt-get install wrk)"


def _no_dataset() -> str | None:
    if (DATASET / "postgres").is_dir():
        return None
    return f"no national dataset in {DATASET.name}/ (python -m bench.national, ~45 min)"


SUITE = (
    Benchmark("bench.layers", (), ("--commands", "40", "--actions", "5")),
    Benchmark("bench.as_of", (), ("--actions", "3", "--repeats", "2")),
    Benchmark("bench.imports", (), ("--rows", "40")),
    Benchmark("bench.reads", (), ("--seconds", "1", "--connections", "4"), _no_wrk),
    Benchmark("bench.scale", (), (), _no_dataset, writes_by_default=False),
    Benchmark("bench.explain", (), (), _no_dataset, writes_by_default=False),  # after scale
)


def command(benchmark: Benchmark, *, quick: bool) -> list[str]:
    args = list(benchmark.quick if quick else benchmark.full)
    if benchmark.writes_by_default and quick:
        args.append("--no-write")
    if not benchmark.writes_by_default and not quick:
        args.append("--write")
    return [sys.executable, "-m", benchmark.module, *args]


def run_all(*, quick: bool, say: Callable[[str], None]) -> list[str]:
    """Run the suite; one line per benchmark (ran, in how long, or skipped and why).
    A benchmark that fails stops the suite with its error output."""
    lines = []
    for benchmark in SUITE:
        why = benchmark.missing()
        if why is not None:
            lines.append(f"{benchmark.module}: skipped, {why}")
            say(lines[-1])
            continue
        if quick and benchmark.missing is _no_dataset:
            lines.append(f"{benchmark.module}: skipped in --quick (it reads the whole dataset)")
            continue
        say(f"running {benchmark.module}")
        started = time.perf_counter()
        done = subprocess.run(
            command(benchmark, quick=quick),
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            tail = done.stderr.strip().splitlines()[-5:]
            raise SystemExit(f"{benchmark.module} failed ({done.returncode}): " + " | ".join(tail))
        lines.append(f"{benchmark.module}: ran in {time.perf_counter() - started:.0f} s")
        say(lines[-1])
    return lines
