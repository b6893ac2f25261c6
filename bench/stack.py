"""The system under test: PostgreSQL + NATS (embedded, or from TRACKER_* URLs) and a real
`tracker serve` process, so the benchmark measures what users run, not a test harness."""

from __future__ import annotations

import contextlib
import json
import math
import os
import platform
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 30.0


def free_port() -> int:
    """A free loopback port; the server binds it a moment later (good enough for a bench)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Servers:
    """PostgreSQL and NATS: configured ones win (as in `tracker serve`), else embedded ones
    in a temporary directory, started once so every phase uses the same servers."""

    def __init__(self, work_dir: Path) -> None:
        self.work_dir = work_dir
        self.embedded: Any = None
        self.database_url = os.environ.get("TRACKER_DATABASE_URL") or None
        self.nats_url = os.environ.get("TRACKER_NATS_URL") or None

    @property
    def configured(self) -> bool:
        return self.embedded is None

    def start(self) -> tuple[str, str]:
        if self.database_url is None or self.nats_url is None:
            from adapters.embedded import EmbeddedServers

            self.embedded = EmbeddedServers(
                self.work_dir / "servers",
                postgres=self.database_url is None,
                nats=self.nats_url is None,
            )
            database_url, nats_url = self.embedded.start()
            self.database_url = self.database_url or database_url
            self.nats_url = self.nats_url or nats_url
        assert self.database_url is not None and self.nats_url is not None
        return self.database_url, self.nats_url

    def stop(self) -> None:
        if self.embedded is not None:
            self.embedded.stop()


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process, all threads, from /proc; NaN where there is none."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return math.nan
    fields = stat.rpartition(")")[2].split()  # fields[0] is field 3 (state)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _interrupt(process: subprocess.Popen[bytes]) -> int | None:
    """SIGINT is Ctrl-C: uvicorn drains, then the container stops its workers. None when
    it had to be killed."""
    if process.poll() is not None:
        return process.returncode
    process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT_S)
        return None


def wait_until_ok(
    process: subprocess.Popen[bytes], url: str, log_tail: Callable[[], str], name: str
) -> None:
    """Until `url` answers 200, within READY_TIMEOUT_S; raises with the log's tail if the
    process exits first or never gets there."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}: {log_tail()}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{name} not ready after {READY_TIMEOUT_S:.0f}s: {log_tail()}")


@dataclass
class ServeProcess:
    """`python -m tracker.cli serve --port N` with both URLs set, so it embeds nothing and
    runs the relay and the NATS projector in-process, exactly like production. With
    `split`, the documented alternative: `serve --no-workers` plus `tracker relay` and
    `tracker project` as processes of their own."""

    database_url: str
    nats_url: str
    work_dir: Path
    split: bool = False
    port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.log_of("serve")

    @property
    def log_files(self) -> list[Path]:
        return [self.log_of(name) for name in self.processes]

    def log_of(self, name: str) -> Path:
        return self.work_dir / f"{name}.log"

    def _spawn(self, name: str, *args: str) -> None:
        env = {
            **os.environ,
            "TRACKER_DATABASE_URL": self.database_url,
            "TRACKER_NATS_URL": self.nats_url,
            "TRACKER_DATA_DIR": str(self.work_dir / "tracker-data"),
            "TRACKER_LOG_FORMAT": "json",
        }
        command = [sys.executable, "-m", "tracker.cli", *args]
        with self.log_of(name).open("ab") as log:
            self.processes[name] = subprocess.Popen(
                command, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
            )

    def start(self) -> None:
        workers = ["--no-workers"] if self.split else []
        self._spawn("serve", "serve", "--port", str(self.port), *workers)
        self._wait_ready()
        if self.split:
            self._spawn("relay", "relay")
            self._spawn("project", "project")

    def _wait_ready(self) -> None:
        wait_until_ok(
            self.processes["serve"], f"{self.base_url}/ready", self.log_tail, "tracker serve"
        )

    def cpu_seconds(self) -> float:
        """CPU of every tracker process (HTTP, event store, relay, projector)."""
        return sum(self.cpu_by_process().values())

    def cpu_by_process(self) -> dict[str, float]:
        """CPU of each tracker process by its name (serve, relay, project)."""
        return {name: _cpu_seconds(p.pid) for name, p in self.processes.items()}

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> dict[str, int | None]:
        """The API first, then the workers it depends on; exit status of each."""
        return {name: _interrupt(p) for name, p in self.processes.items()}


@dataclass
class LogFindings:
    """What the server said besides per-request lines: errors and warnings are findings."""

    levels: Counter[str]
    http_5xx: int
    notable: list[str]


def scan_logs(paths: list[Path], keep: int = 12) -> LogFindings:
    levels: Counter[str] = Counter()
    notable: list[str] = []
    http_5xx = 0
    lines: list[str] = []
    for path in paths:
        with contextlib.suppress(OSError):
            lines += path.read_text(encoding="utf-8", errors="replace").splitlines()
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            entry = None
        if not isinstance(entry, dict):  # a traceback or a line not from structlog
            if line.strip():
                levels["unstructured"] += 1
                if len(notable) < keep:
                    notable.append(line.strip()[:300])
            continue
        level = str(entry.get("level", "?"))
        levels[level] += 1
        if entry.get("event") == "request":
            http_5xx += int(entry.get("status", 0)) >= 500
        elif level in ("warning", "error", "critical", "exception") and len(notable) < keep:
            notable.append(line[:300])
    return LogFindings(levels, http_5xx, notable)


def machine_facts() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError):
        pass
    return {
        "nproc": str(usable),
        "cpu": cpu,
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


async def server_versions(database_url: str, nats_url: str) -> dict[str, str]:
    import asyncpg
    import nats

    conn = await asyncpg.connect(database_url)
    try:
        postgres = str(await conn.fetchval("SHOW server_version"))
    finally:
        await conn.close()
    nc = await nats.connect(nats_url, name="bench-version-probe", connect_timeout=5)
    try:
        # str() is "<nats server v2.11.3>"; keep just the version.
        nats_version = str(nc.connected_server_version).strip("<>").rpartition(" v")[2]
    finally:
        await nc.close()
    return {"postgresql": postgres, "nats_server": nats_version}
