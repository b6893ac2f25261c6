"""`python -m bench.run --quick --all` as CI runs it: the whole benchmark (raw library
loops, a real `tracker serve` on embedded servers, every phase, then every other benchmark
of bench/suite.py) end to end at a small size, with no problem found in the system under
test and nothing written. No timing is asserted: the
figures of a smoke run mean nothing; that the command works means the report can be made."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.reads import Load, _latency, parse_wrk
from bench.run import other_sections

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


def test_the_quick_benchmark_runs_end_to_end_and_finds_no_problem() -> None:
    before = (ROOT / "docs" / "benchmarks.md").read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--all"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=400,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "ours, 1 client ÷ raw save loop" in done.stdout
    assert "**Problem:**" not in done.stdout, done.stdout
    for module in ("bench.layers", "bench.as_of", "bench.imports"):  # --all: the others too
        assert f"- {module}: ran in " in done.stdout, done.stdout[-2000:]
    reads = "- bench.reads: ran in " in done.stdout
    assert reads or "- bench.reads: skipped, wrk is not installed" in done.stdout
    assert "- bench.scale: skipped" in done.stdout
    assert "- bench.explain: skipped" in done.stdout
    assert (ROOT / "docs" / "benchmarks.md").read_bytes() == before  # --quick writes nothing


def test_a_regenerated_report_keeps_the_other_benchmarks_sections(tmp_path: Path) -> None:
    page = tmp_path / "benchmarks.md"
    page.write_text(
        "# Benchmarks\nold figures\n"
        "<!-- as-of: written by python -m bench.as_of -->\nA\n<!-- /as-of -->\n"
        "<!-- imports: written by python -m bench.imports -->\nB\n<!-- /imports -->\n",
        encoding="utf-8",
    )
    kept = other_sections(page)
    assert "old figures" not in kept
    assert "<!-- as-of: written by python -m bench.as_of -->\nA\n<!-- /as-of -->" in kept
    assert "<!-- imports: written by python -m bench.imports -->\nB\n<!-- /imports -->" in kept
    assert other_sections(tmp_path / "missing.md") == ""


def test_the_layer_benchmark_runs_at_a_small_size() -> None:
    """`python -m bench.layers` end to end on its own embedded PostgreSQL, small: the
    three loops ran and the profile found our packages (nothing is written)."""
    before = (ROOT / "docs" / "benchmarks.md").read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "bench.layers", "--commands", "40", "--actions", "5", "--no-write"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=200,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for row in ("| raw `save()`", "| ours: `bus.execute`", "| domain (rules, evolve) |"):
        assert row in done.stdout, done.stdout
    assert (ROOT / "docs" / "benchmarks.md").read_bytes() == before


def test_wrk_output_is_read_in_milliseconds() -> None:
    """bench.reads takes wrk's own summary (no wrk on CI machines: its parser alone)."""
    out = (
        "Running 5s test @ http://127.0.0.1:1/\n  1 threads and 32 connections\n"
        "  Latency Distribution\n     50%    3.68ms\n     75%  412.00us\n"
        "     90%    1.20s\n     99%    5.01ms\n"
        "  42710 requests in 5.00s, 6.07MB read\n  Non-2xx or 3xx responses: 12\n"
        "Requests/sec:   8542.21\nTransfer/sec:      1.21MB\n"
    )
    load = parse_wrk(out)
    assert load == Load(8542.21, 3.68, 5.01, 12)
    assert _latency(out, "75%") == 0.412 and _latency(out, "90%") == 1200.0
