"""`python -m bench.reads`: the public read path under load, beside a litestar hello-world
on the same uvicorn, in one run on one machine. wrk (Debian package `wrk`) sends from a
second process; each URL gets the same connections and seconds. A `tracker serve --demo`
on the embedded default serves the reads, once with the response cache (the default) and
once with TRACKER_RESPONSE_CACHE=off, so the table shows what the cache buys. Writes the
"Read path" section of docs/benchmarks.md."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.as_of import write_section
from bench.stack import REPO_ROOT, free_port, machine_facts, wait_until_ok

MARK_BEGIN = "<!-- reads: written by python -m bench.reads -->"
MARK_END = "<!-- /reads -->"
URLS = (
    ("region JSON", "/api/v1/regions/35.72"),
    ("national JSON", "/api/v1/national"),
    ("region page", "/wilayah/35.72"),
    ("home page", "/"),
    ("region Atom feed", "/umpan/wilayah/35.72.atom"),
)


@dataclass(frozen=True)
class Load:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    non_2xx: int


def wrk(url: str, connections: int, seconds: int) -> Load:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    return parse_wrk(out)


def parse_wrk(out: str) -> Load:
    """wrk's summary with --latency: requests/s, p50, p99 (ms) and non-2xx/3xx answers."""
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return Load(rate, _latency(out, "50%"), _latency(out, "99%"), int(non_2xx[1]) if non_2xx else 0)


def _latency(out: str, percentile: str) -> float:
    found = re.search(rf"{re.escape(percentile)}\s+([\d.]+)(us|ms|s)\b", out)
    assert found, out
    value, unit = float(found[1]), found[2]
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


class Server:
    """A process serving HTTP on a free loopback port until stopped."""

    def __init__(self, command: list[str], env: dict[str, str], ready_path: str, log: Path) -> None:
        self.port = free_port()
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [*command, "--port", str(self.port)],
                cwd=REPO_ROOT,
                env={**os.environ, **env},
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=out,
            )
        wait_until_ok(
            self.process, self.url(ready_path), lambda: log.read_text()[-2000:], command[-1]
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def _tracker(work: Path, cache: bool) -> Server:
    env = {
        "TRACKER_DATA_DIR": str(work / f"data-{'cache' if cache else 'nocache'}"),
        "TRACKER_LOG_FORMAT": "json",
        "TRACKER_RESPONSE_CACHE": "on" if cache else "off",
    }
    for name in ("TRACKER_DATABASE_URL", "TRACKER_NATS_URL"):
        os.environ.pop(name, None)  # the embedded default, as the README's first command
    command = [sys.executable, "-m", "tracker.cli", "serve", "--demo"]
    return Server(command, env, "/ready", work / f"serve-{cache}.log")


def run(connections: int, seconds: int) -> tuple[list[tuple[str, Load]], dict[str, float]]:
    rows: list[tuple[str, Load]] = []
    memory: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-reads-") as tmp:
        work = Path(tmp)
        uvicorn = [sys.executable, "-m", "uvicorn", "bench.hello:app", "--no-access-log"]
        hello = Server([*uvicorn, "--log-level", "warning"], {}, "/", work / "hello.log")
        try:
            baseline = wrk(hello.url("/"), connections, seconds)
            rows.append(("hello-world (litestar, uvicorn)", baseline))
        finally:
            hello.stop()
        for cache in (True, False):
            served = _tracker(work, cache)
            try:
                for name, path in URLS:
                    label = f"{name} `{path}`" + ("" if cache else ", cache off")
                    rows.append((label, wrk(served.url(path), connections, seconds)))
                memory["on" if cache else "off"] = served.rss_mb()
            finally:
                served.stop()
    return rows, memory


def section(
    rows: list[tuple[str, Load]], memory: dict[str, float], args: argparse.Namespace
) -> str:
    baseline = rows[0][1].requests_per_s
    facts = machine_facts()
    lines = [
        MARK_BEGIN,
        "## Read path",
        "",
        "```sh",
        "python -m bench.reads",
        "```",
        "",
        f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; machine: nproc "
        f"{facts.get('nproc')}, cpu {facts.get('cpu')}; load from wrk, one thread, "
        f"{args.connections} connections, {args.seconds} s per URL, on the same machine",
        "- the tracker: `tracker serve --demo` on the embedded default (demo data), uvicorn as "
        "`serve` runs it; the baseline: bench/hello.py on uvicorn in the same run",
        "",
        "| URL | requests/s | × hello-world | p50 ms | p99 ms | non-2xx |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, load in rows:
        lines.append(
            f"| {label} | {load.requests_per_s:,.0f} | {load.requests_per_s / baseline:.2f} | "
            f"{load.p50_ms:.2f} | {load.p99_ms:.2f} | {load.non_2xx} |"
        )
    lines += [
        "",
        f"- API process RSS after the reads: {memory.get('on', float('nan')):.0f} MB with the "
        f"cache, {memory.get('off', float('nan')):.0f} MB without",
        MARK_END,
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reads", description=__doc__)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--no-write", action="store_true", help="print, do not write the doc")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("bench.reads needs wrk (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    rows, memory = run(args.connections, args.seconds)
    text = section(rows, memory, args)
    print(text)
    if not args.no_write:
        print(f"wrote {write_section(text, MARK_BEGIN, MARK_END)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
