"""Account use cases: the bus's handlers for the account commands (tracker/commands.py), the
sign-in check, and the admin's account list. The policy is declared on each command; what
is checked here is the rest: the scope must fit the role, passwords long enough, an admin
never disables themself."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import msgspec

from adapters.account_types import (
    Account,
    AccountChange,
    AccountError,
    AccountMissing,
    SignInThrottled,
)
from adapters.delivery_types import Preference
from domain import access
from domain.access import Principal
from domain.regions import RegionCatalogue
from domain.values import Role
from tracker.commands import (
    CreateAccount,
    DisableAccount,
    IssueToken,
    RevokeToken,
    SetNotifications,
    SetPassword,
)
from tracker.ports import AccountStore, DeliveryStore, PasswordHasher

USER_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD = 10

InThread = Callable[..., Awaitable[Any]]


@dataclass(frozen=True)
class AccountContext:
    accounts: AccountStore
    hasher: PasswordHasher
    regions: RegionCatalogue
    now: datetime
    in_thread: InThread
    delivery: DeliveryStore | None = None  # notification preferences (tracker/delivery.py)


def _pemda_office(
    regions: RegionCatalogue,
    region_code: str | None,
    provinces: tuple[str, ...],
    office: str | None,
) -> str:
    if not region_code or provinces:
        raise AccountError("pemda-scope")
    region = regions.get(region_code)
    if region is None:
        raise AccountError("unknown-region", region_code=region_code)
    return office or f"Pemerintah {region.name}"


def _kanwil_office(regions: RegionCatalogue, cmd: CreateAccount, provinces: tuple[str, ...]) -> str:
    if cmd.region_code or cmd.opd or not provinces:
        raise AccountError("kanwil-scope")
    for code in provinces:
        found = regions.get(code)
        if found is None or not found.is_province:
            raise AccountError("not-a-province", code=code)
    first = regions.get(provinces[0])
    return cmd.office or f"Kanwil Kementerian HAM {first.name if first else provinces[0]}"


def account_from(regions: RegionCatalogue, cmd: CreateAccount) -> Account:
    """The scope must fit the role: a Pemda has one region, a Kanwil a set of provinces."""
    if not USER_ID.match(cmd.user_id):
        raise AccountError("user-id-format", user_id=cmd.user_id)
    if cmd.role not in (Role.PEMDA, Role.KANWIL, Role.ADMIN):
        raise AccountError("unknown-role", role=cmd.role)
    provinces = tuple(dict.fromkeys(p.strip() for p in cmd.provinces if p.strip()))
    if cmd.role == Role.PEMDA:
        office = _pemda_office(regions, cmd.region_code, provinces, cmd.office)
    elif cmd.role == Role.KANWIL:
        office = _kanwil_office(regions, cmd, provinces)
    else:
        if cmd.region_code or cmd.opd or provinces:
            raise AccountError("admin-scope")
        office = cmd.office or "Kementerian HAM"
    return Account(
        user_id=cmd.user_id,
        display_name=(cmd.name or cmd.user_id).strip()[:200],
        role=Role(cmd.role),
        office=office.strip()[:200],
        region_code=cmd.region_code,
        opd=cmd.opd.strip() if cmd.opd and cmd.opd.strip() else None,
        provinces=provinces,
    )


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError("password-too-short", minimum=MIN_PASSWORD)


def _change(ctx: AccountContext, who: Principal, change: str, subject: Account) -> AccountChange:
    """The audit line of an account administration, stored with the change itself."""
    return AccountChange(
        at=ctx.now,
        actor_id=who.user_id,
        actor_role=who.role.value if who.role else "",
        actor_office=who.office,
        change=change,
        user_id=subject.user_id,
        subject_role=subject.role.value,
        region_code=subject.region_code,
        provinces=subject.provinces,
    )


async def _subject(ctx: AccountContext, user_id: str) -> Account:
    found = await ctx.accounts.get(user_id)
    if found is None:
        raise AccountMissing("no-user", user_id=user_id)
    return found


async def create_account(ctx: AccountContext, cmd: CreateAccount, who: Principal) -> Account:
    account = account_from(ctx.regions, cmd)
    password_hash = None
    if cmd.password is not None:
        check_password(cmd.password)
        password_hash = await ctx.in_thread(ctx.hasher.hash, cmd.password)
    change = _change(ctx, who, "created", account)
    await ctx.accounts.add(account, password_hash, who.user_id, ctx.now, change)
    return account


async def disable_account(ctx: AccountContext, cmd: DisableAccount, who: Principal) -> None:
    if cmd.user_id == who.user_id:
        raise AccountError("disable-self")
    change = _change(ctx, who, "disabled", await _subject(ctx, cmd.user_id))
    await ctx.accounts.disable(cmd.user_id, ctx.now, change)


async def set_password(ctx: AccountContext, cmd: SetPassword, who: Principal) -> None:
    check_password(cmd.password)
    change = _change(ctx, who, "password-set", await _subject(ctx, cmd.user_id))
    hashed = await ctx.in_thread(ctx.hasher.hash, cmd.password)
    await ctx.accounts.set_password_hash(cmd.user_id, hashed, change)


async def issue_token(
    ctx: AccountContext, cmd: IssueToken, who: Principal
) -> tuple[str, str, datetime | None]:
    """(token id, the token, its expiry): the token is shown once."""
    days = cmd.expires_in_days
    if days is not None and days <= 0:
        raise AccountError("expiry-days")
    expires = ctx.now + timedelta(days=days) if days else None
    change = _change(ctx, who, "token-issued", await _subject(ctx, cmd.user_id))
    token_id, token = await ctx.accounts.issue_token(
        cmd.user_id, cmd.name, expires, ctx.now, change
    )
    return token_id, token, expires


async def revoke_token(ctx: AccountContext, cmd: RevokeToken, who: Principal) -> str:
    """The owner's user id."""
    owner = await ctx.accounts.token_owner(cmd.token_id)
    if owner is None:
        raise AccountMissing("no-token", token_id=cmd.token_id)
    change = _change(ctx, who, "token-revoked", await _subject(ctx, owner))
    change = msgspec.structs.replace(change, detail=cmd.token_id)
    return await ctx.accounts.revoke_token(cmd.token_id, ctx.now, change)


_EMAIL = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+")


def mail_address(raw: str, lang: str) -> str:
    """A mail address and the language its mails are written in, or the refusal: for an
    account's notifications and for a public subscription alike."""
    email = raw.strip()
    if len(email) > 254 or not _EMAIL.fullmatch(email):
        raise AccountError("email-format", email=email)
    if lang not in ("id", "en"):
        raise AccountError("lang-unknown", lang=lang)
    return email


async def set_notifications(ctx: AccountContext, cmd: SetNotifications, who: Principal) -> None:
    """An account's mail address, language and digest choice; no address: the inbox only."""
    email = (cmd.email or "").strip() or None
    if email is not None:
        mail_address(email, cmd.lang)
    elif cmd.lang not in ("id", "en"):
        raise AccountError("lang-unknown", lang=cmd.lang)
    await _subject(ctx, cmd.user_id)
    if ctx.delivery is None:
        raise AccountError("delivery-unavailable")
    preference = Preference(
        user_id=cmd.user_id, email=email, lang=cmd.lang, digest=cmd.digest, updated_at=ctx.now
    )
    await ctx.delivery.set_preference(preference)


async def account_target(ctx: AccountContext, command: Any, who: Principal) -> access.Target:
    """What the policy looks at: the account a token command is about. An unknown token is
    refused like a stranger's (no existence leak) and then reported missing to admins."""
    if isinstance(command, IssueToken | SetNotifications):
        return access.Target(user_id=command.user_id)
    if isinstance(command, RevokeToken):
        owner = await ctx.accounts.token_owner(command.token_id)
        if owner is None:
            access.authorize(command.RULE, who, access.Target())
            raise AccountMissing("no-token", token_id=command.token_id)
        return access.Target(user_id=owner)
    return access.Target()


ACCOUNT_HANDLERS: dict[type[Any], Callable[[AccountContext, Any, Principal], Awaitable[Any]]] = {
    CreateAccount: create_account,
    DisableAccount: disable_account,
    SetPassword: set_password,
    IssueToken: issue_token,
    RevokeToken: revoke_token,
    SetNotifications: set_notifications,
}


async def listed(accounts: AccountStore, who: Principal) -> list[Account]:
    access.require_admin(who, "list-accounts")
    return await accounts.all_accounts()


async def sign_in(ctx: AccountContext, user_id: str, password: str, client: str) -> Account | None:
    """The account if the password is right; None (and a recorded failure) if not.
    Raises SignInThrottled before even checking once the limits are reached."""
    wait = await ctx.accounts.retry_after(user_id, client, ctx.now)
    if wait is not None:
        raise SignInThrottled(wait)
    account, stored = await ctx.accounts.password_hash(user_id)
    matches = await ctx.in_thread(ctx.hasher.verify, stored, password)
    if not matches or account is None or account.disabled:
        await ctx.accounts.record_failure(user_id, client, ctx.now)
        return None
    await ctx.accounts.clear_failures(user_id, client)
    return account
