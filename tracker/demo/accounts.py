"""Demo accounts for `tracker serve --demo`: one per demo principal, random passwords kept
in the data directory (mode 0600) so every start can print how to sign in."""

from __future__ import annotations

import os
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

from adapters import accounts
from adapters.accounts import Account
from domain.access import Principal
from domain.values import Role
from tracker import accounts as account_use_cases
from tracker.demo.builder import (
    ADMIN,
    BLITAR,
    KANWIL_JATENG,
    KANWIL_JATIM,
    KANWIL_KALTENG,
    PEKALONGAN,
    SEMARANG,
    SINGKAWANG,
)

PRINCIPALS = (
    ADMIN,
    KANWIL_JATIM,
    KANWIL_JATENG,
    KANWIL_KALTENG,
    BLITAR,
    SEMARANG,
    PEKALONGAN,
    SINGKAWANG,
)
PASSWORDS_FILE = "demo-accounts.txt"


def _account(who: Principal) -> Account:
    assert who.role is not None
    return Account(
        user_id=who.user_id,
        display_name=who.office,
        role=Role(who.role),
        office=who.office,
        region_code=who.region_code,
        opd=who.opd,
        provinces=tuple(sorted(who.provinces)),
    )


def _read(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = (line.split(" ", 1) for line in path.read_text(encoding="utf-8").splitlines())
    return {user: password for user, password in pairs}


async def ensure(pool: Any, data_dir: Path | None, now: datetime) -> str:
    """Create the missing demo accounts; return the sign-in instructions to print."""
    path = (data_dir or Path(".")) / PASSWORDS_FILE
    known = _read(path)
    for who in PRINCIPALS:
        if await accounts.get(pool, who.user_id) is not None:
            continue
        password = secrets.token_urlsafe(12)
        await account_use_cases.create(pool, _account(who), password, "demo", now)
        known[who.user_id] = password
    if data_dir is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.writelines(f"{user} {password}\n" for user, password in known.items())
    lines = ["", "Akun demo / demo accounts — masuk di /masuk (sign in at /masuk):"]
    for who in PRINCIPALS:
        scope = who.region_code or ",".join(sorted(who.provinces)) or "nasional"
        password = known.get(who.user_id, "(lihat `tracker users passwd`)")
        role = who.role.value if who.role else "-"
        lines.append(f"  {role:<7} {who.user_id:<22} {password:<18} {scope}  {who.office}")
    lines.append(f"Kata sandi tersimpan di / passwords kept in {path}")
    return "\n".join(lines) + "\n"
