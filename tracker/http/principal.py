"""Who is asking: bearer tokens for integrations, a session cookie for browsers.

The principal is resolved once per request (dependency `who`) and handed to the bus, which
decides. A bearer token that is sent but does not work is a 401, never a silent fall-back
to the public. An ended session cookie does read as the public, so public pages keep
working after it expires; a write then asks to sign in. A session's unsafe requests must
echo its CSRF token.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.handlers import BaseRouteHandler

from adapters.account_types import TokenRefused
from domain.access import ANONYMOUS, NotAllowed, Principal, SignInRequired
from tracker.http.deps import Accounts, Now
from tracker.ports import AccountStore, Clock

SESSION_COOKIE = "tracker_session"
LOGIN_CSRF_COOKIE = "tracker_login_csrf"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})

Who = NamedDependency[Principal]  # handlers declare `who: Who`; resolved once per request


def bearer_token(header: str) -> str:
    """The token of an `Authorization: Bearer <token>` header; anything else is refused."""
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenRefused("not a Bearer token")
    return token.strip()


PUBLIC_WRITE = "public_write"  # handler opt: anyone may call it (registering a webhook)


async def provide_principal(
    request: Request[Any, Any, Any], accounts: Accounts, clock: Now
) -> Principal:
    known: Principal | None = getattr(request.state, "principal", None)
    if known is not None:  # resolved by the guard below, before the body was read
        return known
    request.state.principal = who = await _resolve(request, accounts, clock)
    return who


Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]


def account_first(accounts: AccountStore, clock: Clock) -> Guard:
    """The guard of the API's writes: who is asking is settled before the body is parsed,
    so an anonymous or badly authenticated caller gets 401 and never learns the body's
    rules from a 422. Which account may do what stays the bus's decision."""

    async def guard(
        connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
    ) -> None:
        if connection.scope.get("method") not in UNSAFE_METHODS or handler.opt.get(PUBLIC_WRITE):
            return
        request: Request[Any, Any, Any] = connection  # type: ignore[assignment]
        if not (await provide_principal(request, accounts, clock)).signed_in:
            raise SignInRequired("sign-in-required")

    return guard


async def _resolve(request: Request[Any, Any, Any], accounts: Accounts, clock: Now) -> Principal:
    now = clock()
    header = request.headers.get("authorization")
    if header is not None:
        who = await accounts.token_principal(bearer_token(header), now)
        structlog.contextvars.bind_contextvars(user_id=who.user_id, via="token")
        return who
    session_id = request.cookies.get(SESSION_COOKIE)
    if not session_id:
        return ANONYMOUS
    try:
        who, csrf = await accounts.session_principal(session_id, now)
    except TokenRefused:
        return ANONYMOUS  # an ended session reads as the public; writes then ask to sign in
    if request.method in UNSAFE_METHODS and not hmac.compare_digest(
        (await _sent_csrf(request)).encode(), csrf.encode()
    ):
        raise NotAllowed("csrf-token")
    request.state.csrf = csrf
    structlog.contextvars.bind_contextvars(user_id=who.user_id, via="session")
    return who


async def _sent_csrf(request: Request[Any, Any, Any]) -> str:
    """Scripts send the token in a header; a browser form without JavaScript sends it as the
    `csrf_token` field (the form is parsed once; the handler reads the same parsed form)."""
    header = request.headers.get(CSRF_HEADER)
    if header is not None:
        return header
    if request.content_type[0] in FORM_TYPES:
        return str((await request.form()).get("csrf_token", ""))
    return ""


def describe(who: Principal) -> dict[str, Any]:
    return {
        "user_id": who.user_id or None,
        "role": who.role.value if who.role else "public",
        "office": who.office or None,
        "region_code": who.region_code,
        "opd": who.opd,
        "provinces": sorted(who.provinces),
    }
