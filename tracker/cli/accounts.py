"""`tracker users …` and `tracker tokens …`: account administration for the operator.

Secrets are read from a prompt or stdin, never from argv (which other users can see in
`ps`); a new token is printed once on stdout, alone, so scripts can capture it.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from adapters.account_types import Account
from domain.access import system
from tracker.bootstrap import bootstrap
from tracker.bus import MessageBus
from tracker.commands import CreateAccount, DisableAccount, IssueToken, RevokeToken, SetPassword
from tracker.runtime import CliError, helptext, say
from tracker.settings import Settings

OPERATOR = system("cli")  # the operator's own door: the CLI is not asked who may


def add_parsers(commands: Any) -> None:
    users = commands.add_parser("users", help=helptext("users"))
    user_actions = users.add_subparsers(dest="action", required=True)
    add = user_actions.add_parser("add", help=helptext("users-add"))
    add.add_argument("user_id")
    add.add_argument("--role", required=True, choices=["pemda", "kanwil", "admin"])
    add.add_argument("--region", help=helptext("users-region"))
    add.add_argument("--opd", help=helptext("users-opd"))
    add.add_argument("--provinces", help=helptext("users-provinces"))
    add.add_argument("--name", help=helptext("users-name"))
    add.add_argument("--office", help=helptext("users-office"))
    secret = add.add_mutually_exclusive_group()
    secret.add_argument("--password-stdin", action="store_true", help=helptext("password-stdin"))
    secret.add_argument("--no-password", action="store_true", help=helptext("no-password"))
    user_actions.add_parser("list", help=helptext("users-list"))
    disable = user_actions.add_parser("disable", help=helptext("users-disable"))
    disable.add_argument("user_id")
    passwd = user_actions.add_parser("passwd", help=helptext("users-passwd"))
    passwd.add_argument("user_id")
    passwd.add_argument("--password-stdin", action="store_true")

    tokens = commands.add_parser("tokens", help=helptext("tokens"))
    token_actions = tokens.add_subparsers(dest="action", required=True)
    issue = token_actions.add_parser("issue", help=helptext("tokens-issue"))
    issue.add_argument("user_id")
    issue.add_argument("--name", default="integration", help=helptext("tokens-name"))
    issue.add_argument("--expires-in-days", type=int, help=helptext("tokens-expiry"))
    listing = token_actions.add_parser("list", help=helptext("tokens-list"))
    listing.add_argument("user_id", nargs="?")
    revoke = token_actions.add_parser("revoke", help=helptext("tokens-revoke"))
    revoke.add_argument("token_id")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        raise CliError("no-terminal")
    first = getpass.getpass("Kata sandi / password: ")
    if getpass.getpass("Ulangi / repeat: ") != first:
        raise CliError("passwords-differ")
    return first


async def _users(bus: MessageBus, args: argparse.Namespace) -> None:
    if args.action == "add":
        password = None if args.no_password else _password(args.password_stdin)
        command = CreateAccount(
            user_id=args.user_id,
            role=args.role,
            name=args.name,
            office=args.office,
            region_code=args.region,
            opd=args.opd,
            provinces=tuple((args.provinces or "").split(",")),
            password=password,
        )
        account: Account = await bus.dispatch(command, OPERATOR)
        scope = account.region_code or ",".join(account.provinces) or "nasional"
        say(
            "user-created",
            user_id=account.user_id,
            role=account.role.value,
            scope=scope,
            office=account.office,
        )
    elif args.action == "list":
        print(f"{'user':<24} {'role':<7} {'scope':<12} {'opd':<12} {'status':<9} office")
        for a in await bus.accounts.all_accounts():
            scope = a.region_code or ",".join(a.provinces) or "nasional"
            status = "disabled" if a.disabled else "active"
            opd = a.opd or "-"
            print(f"{a.user_id:<24} {a.role.value:<7} {scope:<12} {opd:<12} {status:<9} {a.office}")
    elif args.action == "disable":
        await bus.dispatch(DisableAccount(user_id=args.user_id), OPERATOR)
        say("user-disabled", user_id=args.user_id)
    else:
        password = _password(args.password_stdin)
        await bus.dispatch(SetPassword(user_id=args.user_id, password=password), OPERATOR)
        say("password-changed", user_id=args.user_id)


async def _tokens(bus: MessageBus, args: argparse.Namespace) -> None:
    if args.action == "issue":
        days = args.expires_in_days
        if days is not None and days <= 0:
            raise CliError("expiry-days")
        command = IssueToken(user_id=args.user_id, name=args.name, expires_in_days=days)
        token_id, token, expires = await bus.dispatch(command, OPERATOR)
        until = expires.isoformat(timespec="minutes") if expires else "never"
        say("token-issued", token_id=token_id, user_id=args.user_id, until=until, to=sys.stderr)
        print(token)
    elif args.action == "list":
        now = bus.clock()
        print(f"{'id':<14} {'user':<24} {'name':<16} {'expires':<17} {'status'}")
        for t in await bus.accounts.tokens(args.user_id):
            expired = t.expires_at is not None and t.expires_at <= now
            status = "revoked" if t.revoked_at else "expired" if expired else "active"
            expires = t.expires_at.strftime("%Y-%m-%d %H:%M") if t.expires_at else "-"
            print(f"{t.id:<14} {t.user_id:<24} {t.name:<16} {expires:<17} {status}")
    else:
        owner = await bus.dispatch(RevokeToken(token_id=args.token_id), OPERATOR)
        say("token-revoked", token_id=args.token_id, owner=owner)


async def run(settings: Settings, args: argparse.Namespace) -> None:
    handler: Callable[[MessageBus, argparse.Namespace], Awaitable[None]] = (
        _users if args.command == "users" else _tokens
    )
    services = bootstrap(settings)
    await services.database.open()
    try:
        await services.accounts.create_schema()
        await handler(services.bus, args)
    finally:
        await services.database.close()
