"""`tracker backup FILE` and `tracker restore FILE` (adapters/backup.py does the work)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from adapters import backup as backups
from adapters import signing
from adapters.embedded.postgres import postgres_bin_dir
from tracker.runtime import CliError, helptext, say, servers_for
from tracker.settings import Settings


def _public_key(settings: Settings) -> str | None:
    """The signing key's public part, if this installation has the key (never created
    here: a backup must not invent a key)."""
    path = settings.audit_key_path
    if path is None or not path.is_file():
        return None
    try:
        return signing.load_or_create(path).public_pem()
    except ValueError as error:
        raise CliError("backup-key", reason=error) from None


def run_backup(configured: Settings, target: Path) -> None:
    target = target.expanduser().resolve()
    if not target.parent.is_dir():
        raise CliError("backup-folder", path=target.parent)
    with servers_for(configured, owner=False) as settings:
        assert settings.database_url is not None
        manifest = asyncio.run(
            backups.backup(
                settings.database_url,
                target,
                postgres_bin_dir(),
                _public_key(settings),
                datetime.now(UTC),
            )
        )
    say(
        "backup-written",
        path=target,
        events=manifest.events,
        head=manifest.head,
        checkpoint=manifest.checkpoint_size,
    )


def run_restore(configured: Settings, source: Path) -> None:
    source = source.expanduser().resolve()
    if not source.is_file():
        raise CliError("backup-missing", path=source)
    with servers_for(configured, owner=False) as settings:
        assert settings.database_url is not None
        manifest = asyncio.run(backups.restore(source, settings.database_url, postgres_bin_dir()))
    say(
        "backup-restored",
        path=source,
        events=manifest.events,
        head=manifest.head,
        checkpoint=manifest.checkpoint_size,
        key_id=manifest.key_id or "-",
    )


def add_parsers(commands: Any) -> None:
    made = commands.add_parser("backup", help=helptext("backup"))
    made.add_argument("file", type=Path, help=helptext("backup-file"))
    back = commands.add_parser("restore", help=helptext("restore"))
    back.add_argument("file", type=Path, help=helptext("restore-file"))
