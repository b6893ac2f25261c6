"""Faults as an operator meets them, in the middle of a stream of writes.

On the embedded default, `tracker serve` (API, workers and the servers it started) is
killed with SIGKILL and started again on the same data directory. Then the compose layout
(deploy/compose.yaml: two API replicas, relay, projector and sealer, each its own process,
with the commands and environment written there) runs on loopback against a PostgreSQL and
a nats-server (deploy/nats-compose.conf) of the test's own, and in turn an API replica, the
relay, the projector, the sealer and nats-server are killed with SIGKILL and PostgreSQL is
stopped in `immediate` mode (a crash: no checkpoint), each then started again. After every
fault: each acknowledged write is there exactly once, the read models equal a rebuild of
them, both NATS streams hold every position of the log once in order, the national Atom
feed lists the log's newest events, and the audit chain verifies. The figures are printed
per fault (pytest -s shows them)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from uuid import NAMESPACE_URL, uuid5
from xml.etree import ElementTree as ET

import asyncpg
import nats
import pytest
import yaml

from adapters import messages
from adapters.embedded import EmbeddedPostgres
from adapters.embedded.account import service_account
from adapters.embedded.nats import jetstream_ready, nats_server_executable
from adapters.embedded.pg_commands import run
from adapters.embedded.postgres import postgres_bin_dir
from adapters.signing import load_or_create
from tests.integration.fault_support import Writer, every_acknowledged_write_once, reporter
from tests.integration.test_cli_serve import (
    TIMEOUT,
    caught_up,
    free_port,
    get,
    start,
    stop,
    tracker,
    wait_until_started,
)
from tests.integration.test_relay import assert_stream_is_the_log
from tracker.web import feeds

ACKNOWLEDGED_BEFORE_KILL = 25
WRITES_PER_ROUND = 10
ATOM = "{http://www.w3.org/2005/Atom}"
DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _token(data_dir: Path) -> str:
    issued = tracker(data_dir, "tokens", "issue", "demo-admin", "--name", "faults")
    assert issued.returncode == 0, issued.stderr
    return issued.stdout.strip().splitlines()[-1].split()[-1]


def _read_models_equal_a_rebuild(cli: Any) -> None:
    """`cli(*args)` runs a tracker command against the servers under test."""
    before = cli("projections", "checksum")
    rebuilt = cli("projections", "rebuild")
    after = cli("projections", "checksum")
    assert before.returncode == rebuilt.returncode == after.returncode == 0, rebuilt.stderr
    assert before.stdout == after.stdout
    verified = cli("audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_sigkill_of_serve_mid_stream_loses_and_doubles_no_acknowledged_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir, port = tmp_path / "data", free_port()
    first = start(data_dir, port, "--demo")
    wait_until_started(first)
    caught_up(port)
    writer = Writer([port], _token(data_dir), persist=False)
    writer.start()
    writer.until(ACKNOWLEDGED_BEFORE_KILL)
    first.send_signal(signal.SIGKILL)  # no shutdown at all: the embedded servers stay behind
    first.wait(timeout=TIMEOUT)
    writer.join(TIMEOUT)
    assert writer.refused is None, writer.refused

    again = start(data_dir, port)  # stops what the dead process left running, then starts
    try:
        wait_until_started(again)
        every_acknowledged_write_once(port, writer, "serve-sigkill", reporter(capsys))
        _read_models_equal_a_rebuild(lambda *args: tracker(data_dir, *args))
    finally:
        assert stop(again) == 0


# -- the compose layout on loopback ----------------------------------------------------------


@dataclass(frozen=True)
class Service:
    """A tracker process of deploy/compose.yaml: its command and environment as written."""

    name: str
    command: list[str]
    environment: dict[str, str]


def compose_services() -> dict[str, Service]:
    document = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    image = document["x-tracker"]["image"]
    return {
        name: Service(name, list(spec["command"]), _strings(spec["environment"]))
        for name, spec in document["services"].items()
        if spec.get("image") == image
    }


def _strings(mapping: dict[str, Any]) -> dict[str, str]:
    return {key: str(value) for key, value in mapping.items()}


class Layout:
    """The compose file's processes on loopback. What compose gives by its network and
    secrets (the servers' addresses, the key file) is replaced by the test's own; every
    other variable and every command line is the file's."""

    REPLACED = ("TRACKER_DATABASE_URL", "TRACKER_NATS_URL", "TRACKER_AUDIT_KEY_FILE")

    def __init__(self, root: Path) -> None:
        self.root = root
        self.services = compose_services()
        self.ports = {name: free_port() for name, s in self.services.items() if _serves(s)}
        self.processes: dict[str, subprocess.Popen[str]] = {}
        self.postgres = EmbeddedPostgres(root / "postgres")
        self.nats_port = free_port()
        self.nats: subprocess.Popen[bytes] | None = None
        self.database_url = ""
        self.key = root / "audit-ed25519.pem"
        load_or_create(self.key)  # made once by the operator (docs/operations.md)

    @property
    def nats_url(self) -> str:
        return f"nats://127.0.0.1:{self.nats_port}"

    # -- the servers ------------------------------------------------------------------------

    def start_servers(self) -> None:
        self.database_url = self.postgres.start()
        self.start_nats()

    def start_nats(self) -> None:
        """nats-server with the compose file's configuration, moved to loopback and here."""
        store = self.root / "nats"
        store.mkdir(exist_ok=True)
        text = (DEPLOY / "nats-compose.conf").read_text(encoding="utf-8")
        assert "sync_interval: always" in text
        text = text.replace("listen: 0.0.0.0:4222", f"listen: 127.0.0.1:{self.nats_port}")
        text = text.replace("store_dir: /data", f'store_dir: "{store}"')
        config = self.root / "nats-server.conf"
        config.write_text(text, encoding="utf-8")
        with (self.root / "nats-server.log").open("ab") as log:
            self.nats = subprocess.Popen(
                [str(nats_server_executable()), "-c", str(config)], stdout=log, stderr=log
            )
        deadline = time.monotonic() + TIMEOUT
        while not jetstream_ready(self.nats_port, timeout=2.0):  # each try is a round trip
            assert self.nats.poll() is None and time.monotonic() < deadline, "nats-server"

    def kill_nats(self) -> None:
        assert self.nats is not None
        self.nats.send_signal(signal.SIGKILL)
        self.nats.wait(timeout=TIMEOUT)
        self.start_nats()

    def crash_postgres(self) -> None:
        """`pg_ctl stop -m immediate`: every backend killed at once, no shutdown
        checkpoint; the restart replays the WAL. Then started again on the same port."""
        directory, url = self.postgres.directory, self.postgres.url
        stopped = run(
            [str(postgres_bin_dir() / "pg_ctl"), "stop", "-D", str(directory), "-m", "immediate"],
            account=service_account(),
            cwd=directory,
            timeout=TIMEOUT,
        )
        assert stopped.returncode == 0, stopped.stdout
        assert url is not None
        self.postgres = EmbeddedPostgres(directory, port=urlsplit(url).port)
        assert self.postgres.start() == self.database_url

    # -- our processes ----------------------------------------------------------------------

    def env(self, service: Service) -> dict[str, str]:
        assert set(self.REPLACED) <= set(service.environment), service.name
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
        env.update(service.environment)
        env.update(
            TRACKER_DATABASE_URL=self.database_url,
            TRACKER_NATS_URL=self.nats_url,
            TRACKER_AUDIT_KEY_FILE=str(self.key),
            TRACKER_DATA_DIR=str(self.root / service.name),  # each container has its own
            TRACKER_HOST="127.0.0.1",
            TRACKER_LANG="en",
        )
        if service.name in self.ports:
            env["TRACKER_PORT"] = str(self.ports[service.name])
        return env

    def start(self, name: str) -> None:
        service = self.services[name]
        command = [sys.executable, "-m", "tracker.cli", *service.command]
        if name in self.ports:
            process = subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                env=self.env(service),
            )
            wait_until_started(process)
        else:
            with (self.root / f"{name}.log").open("a") as log:
                process = subprocess.Popen(
                    command, stdout=log, stderr=log, text=True, env=self.env(service)
                )
        self.processes[name] = process

    def kill(self, name: str) -> None:
        self.processes[name].send_signal(signal.SIGKILL)
        self.processes[name].wait(timeout=TIMEOUT)
        self.start(name)

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """A one-off command, as `docker compose run relay tracker …` would run it."""
        env = self.env(Service("cli", [], self.services["relay"].environment))
        return subprocess.run(
            [sys.executable, "-m", "tracker.cli", *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=env,
        )

    def admin_token(self) -> str:
        added = self.cli("users", "add", "ops", "--role", "admin", "--no-password")
        assert added.returncode == 0, added.stderr
        issued = self.cli("tokens", "issue", "ops", "--name", "faults")
        assert issued.returncode == 0, issued.stderr
        return issued.stdout.strip().splitlines()[-1].split()[-1]

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            process.wait(timeout=TIMEOUT)
        if self.nats is not None and self.nats.poll() is None:
            self.nats.send_signal(signal.SIGTERM)
            self.nats.wait(timeout=TIMEOUT)
        self.postgres.stop()

    # -- what must hold after each fault ----------------------------------------------------

    def streams_hold_the_log(self, head: int) -> int:
        """Both streams, once the relays have reached `head`: every position once, in
        order, linked to the one before. Returns the messages per stream."""
        asyncio.run(_until_streams_reach(self.nats_url, head))
        counts = [
            len(assert_stream_is_the_log(self.database_url, self.nats_url, channel.stream))
            for channel in messages.CHANNELS
        ]
        assert counts[0] == counts[1]
        return counts[0]

    def feed_ends_at_the_log(self, port: int) -> tuple[int, int]:
        """The national Atom feed, as a subscriber reads it: the newest events of the log,
        each once, newest first (entry ids name the log's positions). Returns the range."""
        origin = get(port, "/.well-known/pelacak-ham-audit-key")["origin"]
        newest = asyncio.run(_newest_events(self.database_url, feeds.LIMIT))
        assert {topic for _, topic in newest} == {"ForumConvened"}, "only the writer writes"
        url = f"http://127.0.0.1:{port}/umpan/nasional.atom"
        with urllib.request.urlopen(url, timeout=10) as answer:
            feed = ET.fromstring(answer.read())
        entries = feed.findall(f"{ATOM}entry")
        found = [entry.findtext(f"{ATOM}id") for entry in entries]
        expected = [uuid5(NAMESPACE_URL, f"urn:{origin}:peristiwa/{p}").urn for p, _ in newest]
        assert found == expected, (len(found), len(expected))
        return newest[-1][0], newest[0][0]


def _serves(service: Service) -> bool:
    return service.command[0] == "serve"


async def _until_streams_reach(nats_url: str, head: int) -> None:
    """Each round asks the server for the streams' last positions (a round trip, not a
    sleep), within TIMEOUT."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        async with asyncio.timeout(TIMEOUT):
            for channel in messages.CHANNELS:
                while await _last_position(js, channel.stream) < head:
                    pass
    finally:
        await nc.close()


async def _newest_events(database_url: str, limit: int) -> list[tuple[int, str]]:
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(
            "SELECT notification_id, topic FROM tracker_events"
            " ORDER BY notification_id DESC LIMIT $1",
            limit,
        )
    finally:
        await conn.close()
    return [(int(row["notification_id"]), str(row["topic"])) for row in rows]


async def _last_position(js: Any, stream: str) -> int:
    try:
        return await messages.resume_point(js, stream)
    except Exception:  # the stream is not there yet: its relay has not led
        return 0


def test_the_compose_layout_on_loopback_survives_each_fault(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    say = reporter(capsys)
    layout = Layout(tmp_path)
    assert {"relay", "project", "seal"} <= set(layout.services) and len(layout.ports) >= 2
    layout.start_servers()
    try:
        for name in layout.services:
            layout.start(name)
        writer = Writer(list(layout.ports.values()), layout.admin_token())
        writer.start()
        apis = list(layout.ports)
        faults = [
            (f"{apis[0]}-sigkill", lambda: layout.kill(apis[0])),
            ("relay-sigkill", lambda: layout.kill("relay")),
            ("project-sigkill", lambda: layout.kill("project")),
            ("seal-sigkill", lambda: layout.kill("seal")),
            ("nats-server-sigkill", layout.kill_nats),
            ("postgresql-immediate", layout.crash_postgres),
        ]
        for fault, inflict in faults:
            writer.until(len(writer.acknowledged) + WRITES_PER_ROUND)
            inflict()
            writer.until(len(writer.acknowledged) + WRITES_PER_ROUND)
            writer.pause()
            head = every_acknowledged_write_once(layout.ports[apis[-1]], writer, fault, say)
            say(f"  streams: {layout.streams_hold_the_log(head)} messages each, 1..{head}")
            oldest, newest = layout.feed_ends_at_the_log(layout.ports[apis[0]])
            say(f"  Atom feed: the log's newest {feeds.LIMIT} events, {oldest}..{newest}")
            _read_models_equal_a_rebuild(layout.cli)
            writer.resume()
        writer.stop.set()
        writer.resume()
        writer.join(TIMEOUT)
        assert writer.refused is None, writer.refused
    finally:
        layout.stop()
