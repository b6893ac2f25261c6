"""`tracker serve` as a user runs it: embedded servers, demo, Ctrl-C, restart, one owner."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

TIMEOUT = 90


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def embedded_env() -> dict[str, str]:
    """A process of ours on the embedded servers, logging JSON lines in English."""
    env = {**os.environ, "TRACKER_LOG_FORMAT": "json", "TRACKER_LANG": "en"}
    env.pop("TRACKER_DATABASE_URL", None)
    env.pop("TRACKER_NATS_URL", None)
    return env


def start(data_dir: Path, port: int, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tracker.cli",
            "--data-dir",
            str(data_dir),
            "serve",
            "--port",
            str(port),
            *extra,
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=embedded_env(),
    )


def wait_until_started(process: subprocess.Popen[str]) -> list[dict[str, Any]]:
    """Read the JSON log until the app says it started (blocking reads, no sleeping)."""
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        if line.startswith("{"):
            seen.append(json.loads(line))
            if seen[-1]["event"] == "app.started":
                # Keep draining the log so a full pipe never blocks the server.
                threading.Thread(target=process.stderr.read, daemon=True).start()
                return seen
    raise AssertionError(f"server exited early: {seen}")


def tracker(data_dir: Path, *args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tracker.cli", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, "TRACKER_LANG": lang},
    )


def get(port: int, path: str) -> Any:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return json.loads(response.read())


def caught_up(port: int) -> dict[str, Any]:
    """/ready once the read models hold the log: it is 503 (with the head) until then, and
    a read with `?after=<head>` waits on the projection's position server-side."""
    try:
        head = get(port, "/ready")["head_position"]
    except urllib.error.HTTPError as answer:
        assert answer.code == 503
        head = json.loads(answer.read())["head_position"]
    get(port, f"/api/v1/national?after={head}")
    ready: dict[str, Any] = get(port, "/ready")
    return ready


def stop(process: subprocess.Popen[str]) -> int:
    process.send_signal(signal.SIGINT)  # what Ctrl-C sends
    return process.wait(timeout=TIMEOUT)


def test_serve_demo_restart_and_single_owner(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    port = free_port()
    first = start(data_dir, port, "--demo")
    try:
        wait_until_started(first)
        ready = caught_up(port)
        assert ready["head_position"] > 100 and ready["nats"] is True
        head = ready["head_position"]
        blitar = get(port, f"/api/v1/regions/35.72/actions?after={head}")["items"]
        assert len(blitar) >= 3

        second = tracker(data_dir, "serve", "--port", str(free_port()))
        assert second.returncode == 1
        assert "already in use" in second.stderr
        assert len(second.stderr.strip().splitlines()) == 1

        # Other commands join the running server's PostgreSQL and NATS.
        status = tracker(data_dir, "projections", "status")
        assert status.returncode == 0, status.stderr
        assert status.stdout.splitlines()[1].split()[:2] == ["catalog", str(head)]
        rebuilt = tracker(data_dir, "projections", "rebuild")
        assert rebuilt.returncode == 0, rebuilt.stderr
        assert f"rebuilt to position {head}" in rebuilt.stdout
        assert "100%" in rebuilt.stderr
        after_rebuild = get(port, f"/api/v1/regions/35.72/actions?after={head}")["items"]
        assert after_rebuild == blitar
    finally:
        assert stop(first) == 0

    assert not (data_dir / "postgres" / "postmaster.pid").exists()

    again = start(data_dir, port)  # no --demo: nothing new is loaded
    try:
        wait_until_started(again)
        assert caught_up(port)["head_position"] == head
        assert get(port, f"/api/v1/regions/35.72/actions?after={head}")["items"] == blitar
    finally:
        assert stop(again) == 0


def test_sigterm_stops_the_server_and_the_embedded_servers_it_started(tmp_path: Path) -> None:
    """What systemd, Docker and Kubernetes send: a clean exit, nothing left running."""
    data_dir = tmp_path / "data"
    port = free_port()
    process = start(data_dir, port)
    wait_until_started(process)
    assert get(port, "/ready")["nats"] is True
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=TIMEOUT) == 0
    assert not (data_dir / "postgres" / "postmaster.pid").exists()
    left = subprocess.run(["pgrep", "-f", str(data_dir)], capture_output=True, text=True)
    assert left.stdout == "", f"still running: {left.stdout}"


def test_port_in_use_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = tracker(tmp_path, "serve", "--port", str(port))
    assert result.returncode == 1
    assert (
        result.stderr.strip() == f"tracker: port {port} on 127.0.0.1 is already in use; pick --port"
    )
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        indonesian = tracker(tmp_path, "serve", "--port", str(port), lang="id")
    assert (
        indonesian.stderr.strip()
        == f"tracker: Port {port} di 127.0.0.1 sudah dipakai; pilih --port"
    )


def test_listening_socket_is_tcp_so_answers_are_not_delayed() -> None:
    """asyncio sets TCP_NODELAY on accepted connections only for an IPPROTO_TCP listener;
    without it every kept-alive answer waited for Nagle's algorithm (~40 ms)."""
    from tracker.cli import _listen

    with _listen("127.0.0.1", free_port()) as listener:
        assert listener.proto == socket.IPPROTO_TCP
