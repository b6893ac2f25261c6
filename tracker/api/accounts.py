"""/api/v1/users, /api/v1/tokens and /api/v1/me: accounts for the ministry's admins, tokens
for their owners. Each write is an account command on the bus (tracker/commands.py holds
the policies); credentials never come back except a new token, once."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, delete, get, post
from litestar.params import FromPath, JSONBody

from adapters.account_types import Account
from tracker import accounts as use_cases
from tracker.commands import CreateAccount, DisableAccount, IssueToken, RevokeToken
from tracker.http.deps import Accounts, Bus
from tracker.http.openapi_docs import RESPONDS
from tracker.http.principal import Who, describe


class AccountIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    user_id: str
    role: str
    name: str | None = None
    office: str | None = None
    region_code: str | None = None
    opd: str | None = None
    provinces: list[str] = []
    password: str | None = None  # none: a token-only account (integrations)


class TokenIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: str = "integration"
    expires_in_days: int | None = None


NO_STORE = {"Cache-Control": "no-store"}


def _out(account: Account) -> dict[str, Any]:
    return {
        "user_id": account.user_id,
        "display_name": account.display_name,
        "role": account.role.value,
        "office": account.office,
        "region_code": account.region_code,
        "opd": account.opd,
        "provinces": list(account.provinces),
        "disabled": account.disabled,
    }


class AccountController(Controller):
    path = "/"
    tags = ("accounts",)

    @get("/users", summary="Daftar akun / accounts (admin)", opt={RESPONDS: ("accounts", "list")})
    async def users(self, accounts: Accounts, who: Who) -> dict[str, Any]:
        return {"items": [_out(a) for a in await use_cases.listed(accounts, who)]}

    @post("/users", summary="Buat akun / create an account (admin)")
    async def add(self, bus: Bus, who: Who, data: JSONBody[AccountIn]) -> Response[Any]:
        command = CreateAccount(
            user_id=data.user_id,
            role=data.role,
            name=data.name,
            office=data.office,
            region_code=data.region_code,
            opd=data.opd,
            provinces=tuple(data.provinces),
            password=data.password,
        )
        account: Account = await bus.dispatch(command, who)
        return Response(_out(account), status_code=201, headers=NO_STORE)

    @post("/users/{user_id:str}/disable", status_code=200, summary="Nonaktifkan / disable")
    async def disable(self, bus: Bus, who: Who, user_id: FromPath[str]) -> dict[str, Any]:
        await bus.dispatch(DisableAccount(user_id=user_id), who)
        return {"user_id": user_id, "disabled": True}

    @post("/users/{user_id:str}/tokens", summary="Token API baru / issue a token (shown once)")
    async def issue(
        self, bus: Bus, who: Who, user_id: FromPath[str], data: JSONBody[TokenIn]
    ) -> Response[Any]:
        command = IssueToken(user_id=user_id, name=data.name, expires_in_days=data.expires_in_days)
        token_id, token, expires = await bus.dispatch(command, who)
        body = {"id": token_id, "user_id": user_id, "token": token, "expires_at": expires}
        return Response(body, status_code=201, headers=NO_STORE)

    @delete("/tokens/{token_id:str}", summary="Cabut token / revoke a token")
    async def revoke(self, bus: Bus, who: Who, token_id: FromPath[str]) -> None:
        await bus.dispatch(RevokeToken(token_id=token_id), who)

    @get(
        "/me",
        summary="Akun yang sedang masuk / the current account",
        opt={RESPONDS: ("accounts", "me")},
    )
    async def me(self, request: Request[Any, Any, Any], who: Who) -> dict[str, Any]:
        """Browser scripts read the session's CSRF token here to send it as X-CSRF-Token."""
        return {**describe(who), "csrf_token": getattr(request.state, "csrf", None)}
