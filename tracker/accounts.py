"""Account use cases shared by the CLI, the HTTP API and the demo: validate a new account's
scope against the region catalogue, then store it. Over HTTP only an admin manages
accounts; anyone signed in may issue and revoke tokens of their own account. (The CLI is the
operator's door and is not asked.)"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import anyio.to_thread

from adapters import accounts
from adapters.accounts import Account, AccountError
from domain import access
from domain.access import Principal
from domain.regions import RegionCatalogue
from domain.values import Role

USER_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD = 10


def account_from(
    regions: RegionCatalogue,
    *,
    user_id: str,
    role: str,
    name: str | None = None,
    office: str | None = None,
    region_code: str | None = None,
    opd: str | None = None,
    provinces: list[str] | tuple[str, ...] = (),
) -> Account:
    """The scope must fit the role: a Pemda has one region, a Kanwil a set of provinces."""
    if not USER_ID.match(user_id):
        raise AccountError(
            f"user id {user_id!r}: 3-64 characters of a-z, 0-9, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    if role not in (Role.PEMDA, Role.KANWIL, Role.ADMIN):
        raise AccountError(f"role {role!r}: choose pemda, kanwil or admin")
    provinces = tuple(dict.fromkeys(p.strip() for p in provinces if p.strip()))
    if role == Role.PEMDA:
        if not region_code or provinces:
            raise AccountError("a pemda account needs --region (one region) and no --provinces")
        region = regions.get(region_code)
        if region is None:
            raise AccountError(f"region {region_code!r} is not a Kepmendagri region code")
        office = office or f"Pemerintah {region.name}"
    elif role == Role.KANWIL:
        if region_code or opd or not provinces:
            raise AccountError("a kanwil account needs --provinces (e.g. 62,61) and no --region")
        for code in provinces:
            found = regions.get(code)
            if found is None or not found.is_province:
                raise AccountError(f"{code!r} is not a province code (e.g. 62)")
        first = regions.get(provinces[0])
        office = office or f"Kanwil Kementerian HAM {first.name if first else provinces[0]}"
    else:
        if region_code or opd or provinces:
            raise AccountError("an admin account has no region, OPD or provinces")
        office = office or "Kementerian HAM"
    return Account(
        user_id=user_id,
        display_name=(name or user_id).strip()[:200],
        role=Role(role),
        office=office.strip()[:200],
        region_code=region_code,
        opd=opd.strip() if opd and opd.strip() else None,
        provinces=provinces,
    )


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")


async def create(
    pool: Any, account: Account, password: str | None, created_by: str, now: datetime
) -> None:
    password_hash = None
    if password is not None:
        check_password(password)
        password_hash = await anyio.to_thread.run_sync(accounts.hash_password, password)
    await accounts.add(pool, account, password_hash, created_by, now)


def _admin_or_self(who: Principal, user_id: str, doing_id: str, doing_en: str) -> None:
    if who.signed_in and who.user_id == user_id:
        return
    access.require_admin(who, doing_id, doing_en)


async def listed(pool: Any, who: Principal) -> list[Account]:
    access.require_admin(who, "melihat daftar akun", "list accounts")
    return await accounts.all_accounts(pool)


async def add(
    pool: Any, who: Principal, account: Account, password: str | None, now: datetime
) -> None:
    access.require_admin(who, "membuat akun", "create accounts")
    await create(pool, account, password, who.user_id, now)


async def disable(pool: Any, who: Principal, user_id: str, now: datetime) -> None:
    access.require_admin(who, "menonaktifkan akun", "disable accounts")
    if user_id == who.user_id:
        raise AccountError("an admin cannot disable their own account")
    await accounts.disable(pool, user_id, now)


async def issue_token(
    pool: Any, who: Principal, user_id: str, name: str, days: int | None, now: datetime
) -> tuple[str, str, datetime | None]:
    _admin_or_self(who, user_id, "membuat token untuk akun lain", "issue tokens for others")
    if days is not None and days <= 0:
        raise AccountError("expires_in_days must be a positive number")
    expires = now + timedelta(days=days) if days else None
    token_id, token = await accounts.issue_token(pool, user_id, name, expires, now)
    return token_id, token, expires


async def revoke_token(pool: Any, who: Principal, token_id: str, now: datetime) -> None:
    owner = await accounts.token_owner(pool, token_id)
    if owner is None:
        access.require_admin(who, "mencabut token", "revoke tokens")  # no existence leak
        raise accounts.AccountMissing(f"no token {token_id!r}")
    _admin_or_self(who, owner, "mencabut token akun lain", "revoke tokens of others")
    await accounts.revoke_token(pool, token_id, now)
