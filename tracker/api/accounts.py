"""/api/v1/users and /api/v1/tokens: accounts for the ministry's admins, tokens for their
owners. The policy is in tracker/accounts.py; credentials never come back except a new
token, once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from litestar import Controller, Response, delete, get, post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody

from adapters.accounts import Account
from tracker import accounts as use_cases
from tracker.api.auth import Who


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


def _now(state: State) -> datetime:
    now: datetime = state.container.clock()
    return now


class AccountController(Controller):
    path = "/"
    tags = ("accounts",)

    @get("/users", summary="Daftar akun / accounts (admin)")
    async def users(self, state: State, who: Who) -> dict[str, Any]:
        return {"items": [_out(a) for a in await use_cases.listed(state.container.pool, who)]}

    @post("/users", summary="Buat akun / create an account (admin)")
    async def add(self, state: State, who: Who, data: JSONBody[AccountIn]) -> Response[Any]:
        account = use_cases.account_from(
            state.container.service.regions,
            user_id=data.user_id,
            role=data.role,
            name=data.name,
            office=data.office,
            region_code=data.region_code,
            opd=data.opd,
            provinces=data.provinces,
        )
        await use_cases.add(state.container.pool, who, account, data.password, _now(state))
        return Response(_out(account), status_code=201, headers={"Cache-Control": "no-store"})

    @post("/users/{user_id:str}/disable", status_code=200, summary="Nonaktifkan / disable")
    async def disable(self, state: State, who: Who, user_id: FromPath[str]) -> dict[str, Any]:
        await use_cases.disable(state.container.pool, who, user_id, _now(state))
        return {"user_id": user_id, "disabled": True}

    @post("/users/{user_id:str}/tokens", summary="Token API baru / issue a token (shown once)")
    async def issue(
        self, state: State, who: Who, user_id: FromPath[str], data: JSONBody[TokenIn]
    ) -> Response[Any]:
        token_id, token, expires = await use_cases.issue_token(
            state.container.pool, who, user_id, data.name, data.expires_in_days, _now(state)
        )
        body = {"id": token_id, "user_id": user_id, "token": token, "expires_at": expires}
        return Response(body, status_code=201, headers={"Cache-Control": "no-store"})

    @delete("/tokens/{token_id:str}", summary="Cabut token / revoke a token")
    async def revoke(self, state: State, who: Who, token_id: FromPath[str]) -> None:
        await use_cases.revoke_token(state.container.pool, who, token_id, _now(state))
