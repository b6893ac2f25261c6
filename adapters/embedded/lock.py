"""Data-directory lock and helpers shared by the embedded servers.

Two ``tracker serve`` processes on one data directory would start two PostgreSQL
and two NATS servers over the same files; NATS in particular does not lock its
JetStream store, so the second one would silently corrupt it. An advisory
``flock`` taken before anything is started makes the second process fail fast.
"""

from __future__ import annotations

import fcntl
import os
import socket
from pathlib import Path
from types import TracebackType
from typing import Self

LOCK_FILE_NAME = "tracker.lock"


class EmbeddedServerError(RuntimeError):
    """An embedded server could not be started or stopped; the message is one readable line."""


class DataDirectoryBusy(EmbeddedServerError):
    """Another tracker process holds the data directory."""


class DataDirectoryLock:
    """Exclusive, process-wide lock on a data directory so a second `tracker serve` fails cleanly
    instead of corrupting data.

    ``flock`` locks belong to the open file description, so the lock disappears with the process
    (no stale lock after a crash) and a second instance in the same process also conflicts.
    """

    def __init__(self, directory: Path) -> None:
        self._directory = Path(directory)
        self._path = self._directory / LOCK_FILE_NAME
        self._fd: int | None = None

    @property
    def path(self) -> Path:
        return self._path

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock or raise :class:`DataDirectoryBusy` naming the holder's pid."""
        if self._fd is not None:
            return
        self._directory.mkdir(parents=True, exist_ok=True)
        # os.open fds are non-inheritable (PEP 446): child servers must not keep the lock alive.
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            raise DataDirectoryBusy(
                f"data directory {self._directory} is already in use by another tracker process "
                f"(pid {holder})"
            ) from None
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        """Drop the lock; safe to call when not held."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
        finally:
            os.close(fd)  # closing the last descriptor releases the flock

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def _read_pid(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        text = ""
    return text if text.isdigit() else "unknown"


def free_tcp_port() -> int:
    """Ask the kernel for a free loopback port (callers retry if it is taken before use)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def log_tail(path: Path, offset: int = 0, lines: int = 8) -> str:
    """Last non-empty lines written to ``path`` after ``offset``, joined into one line."""
    try:
        with path.open("rb") as handle:
            handle.seek(offset)
            text = handle.read().decode("utf-8", "replace")
    except OSError:
        return "(no log output)"
    kept = [line.strip() for line in text.splitlines() if line.strip()][-lines:]
    return " | ".join(kept) if kept else "(no log output)"


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def one_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " | ".join(lines[-8:]) if lines else "(no output)"
