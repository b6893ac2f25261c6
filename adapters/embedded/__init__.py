"""Real PostgreSQL and NATS servers started by `tracker serve` when nothing is configured.

Everything lives under one data directory::

    <data_dir>/tracker.lock   exclusive lock, holds the owning pid
    <data_dir>/postgres/      PGDATA (plus postgres.log)
    <data_dir>/nats/          nats-server config, log and JetStream store
"""

from __future__ import annotations

import logging
from pathlib import Path
from types import TracebackType
from typing import Self

from adapters.embedded.lock import DataDirectoryBusy, DataDirectoryLock, EmbeddedServerError
from adapters.embedded.nats import EmbeddedNats
from adapters.embedded.postgres import EmbeddedPostgres

__all__ = [
    "DataDirectoryBusy",
    "DataDirectoryLock",
    "EmbeddedNats",
    "EmbeddedPostgres",
    "EmbeddedServerError",
    "EmbeddedServers",
]

_log = logging.getLogger(__name__)


class EmbeddedServers:
    """The servers not configured elsewhere, under one locked data directory, started and
    stopped in the right order."""

    def __init__(self, data_dir: Path, *, postgres: bool = True, nats: bool = True) -> None:
        self.data_dir = Path(data_dir).absolute()
        self.lock = DataDirectoryLock(self.data_dir)
        self.postgres = EmbeddedPostgres(self.data_dir / "postgres") if postgres else None
        self.nats = EmbeddedNats(self.data_dir / "nats") if nats else None

    @property
    def database_url(self) -> str | None:
        return self.postgres.url if self.postgres else None

    @property
    def nats_url(self) -> str | None:
        return self.nats.url if self.nats else None

    def start(self) -> tuple[str | None, str | None]:
        """Take the lock, then start PostgreSQL and NATS; undo everything if either fails.
        Servers still running on the directory belong to an owner that died without
        stopping them (kill -9, OOM): holding the lock proves it, so they are stopped first."""
        self.lock.acquire()
        started: list[EmbeddedPostgres | EmbeddedNats] = []
        try:
            for orphan in (self.nats, self.postgres):
                if orphan is not None:
                    orphan.stop_orphan()
            for server in (self.postgres, self.nats):
                if server is not None:
                    server.start()
                    started.append(server)
        except BaseException:
            for server in reversed(started):
                try:
                    server.stop()
                except Exception:  # keep the first error, it is the one the user must fix
                    _log.exception("could not stop %s after a failed start", server.directory)
            self.lock.release()
            raise
        return self.database_url, self.nats_url

    def stop(self) -> None:
        """NATS first (it may still be delivering to projectors), then PostgreSQL, then unlock."""
        try:
            if self.nats is not None:
                self.nats.stop()
        finally:
            try:
                if self.postgres is not None:
                    self.postgres.stop()
            finally:
                self.lock.release()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
