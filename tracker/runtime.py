"""Which PostgreSQL and NATS a command talks to.

Configured URLs win. Otherwise `tracker serve` owns the data directory: it starts the
embedded servers under the directory's lock and publishes their URLs in `run.json`, so
every other command (`relay`, `project`, `projections …`) can work while it runs. With no
server running, those commands start the embedded servers themselves for their duration.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

import structlog

from domain.errors import Refusal
from tracker import catalogue
from tracker.settings import Settings

RUN_FILE = "run.json"


class CliError(Refusal):
    """A message for the operator, printed as one line in the terminal's language
    (catalogue entry `cli.<code>`)."""

    PREFIX = "cli"

    def __str__(self) -> str:
        return catalogue.refusal(self, catalogue.terminal_language())


def say(code: str, /, *, to: TextIO | None = None, **params: Any) -> None:
    """Print catalogue entry `cli.<code>` in the terminal's language (stdout by default)."""
    print(catalogue.text(catalogue.terminal_language(), f"cli.{code}", **params), file=to)


def helptext(code: str) -> str:
    """A `--help` line (catalogue entry `cli.help.<code>`) in the terminal's language."""
    return catalogue.text(catalogue.terminal_language(), f"cli.help.{code}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _running_server(data_dir: Path) -> dict[str, str] | None:
    try:
        info = json.loads((data_dir / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) and _alive(int(info.get("pid", 0))) else None


@contextmanager
def servers_for(settings: Settings, *, owner: bool) -> Iterator[Settings]:
    if not settings.embeds_anything:
        yield settings
        return
    data_dir = settings.home.expanduser().resolve()
    if not owner and (running := _running_server(data_dir)) is not None:
        yield replace(
            settings,
            database_url=settings.database_url or running["database_url"],
            nats_url=settings.nats_url or running["nats_url"],
        )
        return
    from adapters.embedded import EmbeddedServerError, EmbeddedServers

    data_dir.mkdir(parents=True, exist_ok=True)
    servers = EmbeddedServers(
        data_dir, postgres=settings.database_url is None, nats=settings.nats_url is None
    )
    try:
        database_url, nats_url = servers.start()
    except EmbeddedServerError as error:
        raise CliError("embedded-failed", reason=error) from error
    structlog.get_logger("runtime").info("embedded.started", data_dir=str(data_dir))
    resolved = replace(
        settings,
        database_url=settings.database_url or database_url,
        nats_url=settings.nats_url or nats_url,
    )
    run_file = data_dir / RUN_FILE
    try:
        if owner:
            run_file.write_text(
                json.dumps(
                    {
                        "pid": os.getpid(),
                        "database_url": resolved.database_url,
                        "nats_url": resolved.nats_url,
                    }
                ),
                encoding="utf-8",
            )
        yield resolved
    finally:
        if owner:
            with suppress(OSError):
                run_file.unlink()
        servers.stop()
