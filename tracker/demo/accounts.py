"""Demo accounts for `tracker serve --demo`: one per principal of the scenario, created
through the bus, with random passwords kept in the data directory (mode 0600) so every start
can print how to sign in."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from domain.access import Principal, system
from tracker.bus import MessageBus
from tracker.commands import CreateAccount
from tracker.demo import accounts_of, scenario
from tracker.ports import AccountStore

PASSWORDS_FILE = "demo-accounts.txt"
LOADER = system("demo", "Pemuat demo")


def _read(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = (line.split(" ", 1) for line in path.read_text(encoding="utf-8").splitlines())
    return dict(pairs)


def _create(who: Principal, password: str) -> CreateAccount:
    return CreateAccount(
        user_id=who.user_id,
        role=who.role.value if who.role else "",
        name=who.office,
        office=who.office,
        region_code=who.region_code,
        opd=who.opd,
        provinces=tuple(sorted(who.provinces)),
        password=password,
    )


def _keep(path: Path, known: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.writelines(f"{user} {password}\n" for user, password in known.items())


async def ensure(bus: MessageBus, accounts: AccountStore, data_dir: Path | None) -> str:
    """Create the missing demo accounts; return the sign-in instructions to print."""
    path = (data_dir or Path()) / PASSWORDS_FILE
    known = _read(path)
    principals = accounts_of(scenario())
    for who in principals:
        if await accounts.get(who.user_id) is not None:
            continue
        password = secrets.token_urlsafe(12)
        await bus.dispatch(_create(who, password), LOADER)
        known[who.user_id] = password
    if data_dir is not None:
        _keep(path, known)
    lines = ["", "Akun demo / demo accounts — masuk di /masuk (sign in at /masuk):"]
    for who in principals:
        scope = who.region_code or ",".join(sorted(who.provinces)) or "nasional"
        password = known.get(who.user_id, "(lihat `tracker users passwd`)")
        role = who.role.value if who.role else "-"
        lines.append(f"  {role:<7} {who.user_id:<22} {password:<18} {scope}  {who.office}")
    lines.append(f"Kata sandi tersimpan di / passwords kept in {path}")
    return "\n".join(lines) + "\n"
