"""The PostgreSQL client programs the embedded server runs (createdb through psql, with a
clean environment), apart from the server's own life cycle in postgres.py."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from adapters.embedded.account import Account
from adapters.embedded.lock import EmbeddedServerError, one_line

SUPERUSER = "postgres"


def create_database(bin_dir: Path, port: int, database: str) -> None:
    """CREATE DATABASE only if missing; psql variables quote the name safely."""
    script = (
        "SELECT format('CREATE DATABASE %I', :'dbname') "
        "WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'dbname') \\gexec\n"
    )
    try:
        result = subprocess.run(
            [
                str(bin_dir / "psql"),
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-v",
                f"dbname={database}",
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                SUPERUSER,
                "-d",
                "postgres",
            ],
            input=script,
            capture_output=True,
            text=True,
            timeout=60,
            env=clean_env(None),
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise EmbeddedServerError(f"creating database {database!r} timed out") from None
    if result.returncode != 0:
        raise EmbeddedServerError(
            f"could not create database {database!r}: {one_line(result.stderr)}"
        )


def clean_env(home: Path | None) -> dict[str, str]:
    """No inherited PG* variables (PGDATA, PGOPTIONS, ...) and a predictable C locale."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "LANG": "C"}
    if home is not None:
        env["HOME"] = str(home)
    return env


def run(
    args: list[str], *, account: Account | None, cwd: Path, timeout: float
) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL tool (as the service user when root), output merged into ``stdout``.

    Output goes to a temporary file, not a pipe: a postmaster started by pg_ctl could inherit
    the pipe and make us wait for EOF forever.
    """
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as output:
        try:
            completed = subprocess.run(
                args,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                cwd=cwd,
                env=clean_env(cwd),
                timeout=timeout,
                check=False,
                user=account.uid if account else None,
                group=account.gid if account else None,
                extra_groups=[] if account else None,
            )
        except subprocess.TimeoutExpired:
            raise EmbeddedServerError(
                f"{Path(args[0]).name} {args[1] if len(args) > 1 else ''} timed out "
                f"after {timeout:.0f}s"
            ) from None
        output.seek(0)
        return subprocess.CompletedProcess(args, completed.returncode, output.read(), "")
