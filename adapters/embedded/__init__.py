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
    """Both servers under one locked data directory, started and stopped in the right order."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir).absolute()
        self.lock = DataDirectoryLock(self.data_dir)
        self.postgres = EmbeddedPostgres(self.data_dir / "postgres")
        self.nats = EmbeddedNats(self.data_dir / "nats")

    @property
    def database_url(self) -> str | None:
        return self.postgres.url

    @property
    def nats_url(self) -> str | None:
        return self.nats.url

    def start(self) -> tuple[str, str]:
        """Take the lock, then start PostgreSQL and NATS; undo everything if either fails."""
        self.lock.acquire()
        try:
            database_url = self.postgres.start()
        except BaseException:
            self.lock.release()
            raise
        try:
            nats_url = self.nats.start()
        except BaseException:
            try:
                self.postgres.stop()
            except Exception:  # keep the NATS error, it is the one the user must fix
                _log.exception("could not stop embedded PostgreSQL after NATS failed to start")
            finally:
                self.lock.release()
            raise
        return database_url, nats_url

    def stop(self) -> None:
        """NATS first (it may still be delivering to projectors), then PostgreSQL, then unlock."""
        try:
            self.nats.stop()
        finally:
            try:
                self.postgres.stop()
            finally:
                self.lock.release()

    def __enter__(self) -> EmbeddedServers:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
