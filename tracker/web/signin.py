"""Sign-in for browsers: the form at /masuk, sign-out at /keluar, the account page at /akun.

A fresh session id on every sign-in (no fixation); the form carries a CSRF token in a
strict cookie; failures are throttled per account and client (tracker/accounts.sign_in).
"""

from __future__ import annotations

import hmac
import secrets
from functools import cache
from html import escape
from typing import Any
from urllib.parse import quote

import structlog
from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.enums import MediaType
from litestar.response import Redirect

from adapters.account_types import SESSION_TTL, SignInThrottled, TokenRefused
from domain.access import NotAllowed
from tracker import catalogue
from tracker.accounts import sign_in
from tracker.http.deps import Accounts, Bus, Config, Now
from tracker.http.principal import LOGIN_CSRF_COOKIE, SESSION_COOKIE, Who
from tracker.settings import Settings


def _cookie(config: Settings, key: str, value: str, max_age: int) -> Cookie:
    return Cookie(
        key=key,
        value=value,
        max_age=max_age,
        path="/",
        httponly=True,
        secure=config.cookie_secure,
        samesite="lax" if key == SESSION_COOKIE else "strict",
    )


def _language(request: Request[Any, Any, Any]) -> str:
    chosen = str(request.query_params.get("lang", ""))
    if chosen in ("id", "en"):
        return chosen
    return "en" if request.headers.get("accept-language", "").lower().startswith("en") else "id"


@cache
def _texts(lang: str) -> dict[str, str]:
    """The sign-in pages' texts (catalogue keys `signin.*`) in one language."""
    return {
        key.removeprefix("signin."): value
        for key, value in catalogue.messages(lang).items()
        if key.startswith("signin.")
    }


PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Pelacak Komitmen HAM Pemda</title>
<style>body{{font:1rem/1.5 system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}}
label,input,button{{display:block;width:100%;margin:.3rem 0}}input{{padding:.5rem}}
button{{padding:.6rem}}.error{{color:#a40000;font-weight:600}}</style></head>
<body><main><h1>{title}</h1>{body}
<p><a href="?lang={other_lang}">{other}</a></p></main></body></html>"""


def _page(
    lang: str, title: str, body: str, status: int = 200, cookies: Any = None
) -> Response[Any]:
    text = _texts(lang)
    html = PAGE.format(
        lang=lang,
        title=escape(title),
        body=body,
        other_lang="en" if lang == "id" else "id",
        other=text["other"],
    )
    return Response(
        html,
        status_code=status,
        media_type=MediaType.HTML,
        cookies=cookies or [],
        headers={"Cache-Control": "no-store"},
    )


def _safe_next(raw: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if raw and raw.startswith("/") and not raw.startswith("//") and "\\" not in raw:
        return raw
    return "/kerja"  # the workspace: it shows who is signed in, their office and scope


def _login_form(
    request: Request[Any, Any, Any],
    config: Settings,
    lang: str,
    error: str = "",
    status: int = 200,
    user: str = "",
) -> Response[Any]:
    text = _texts(lang)
    token = secrets.token_urlsafe(32)
    next_path = escape(_safe_next(request.query_params.get("next")))
    body = (
        (f'<p class="error" role="alert">{escape(error)}</p>' if error else "")
        + f'<form method="post" action="/masuk?lang={lang}&amp;next={quote(next_path)}">'
        f'<input type="hidden" name="csrf_token" value="{token}">'
        f'<label for="u">{text["user"]}</label>'
        f'<input id="u" name="username" autocomplete="username" required value="{escape(user)}">'
        f'<label for="p">{text["password"]}</label>'
        f'<input id="p" name="password" type="password" autocomplete="current-password" required>'
        f'<button type="submit">{text["submit"]}</button></form>'
    )
    return _page(
        lang, text["title"], body, status, [_cookie(config, LOGIN_CSRF_COOKIE, token, 3600)]
    )


@get("/masuk", include_in_schema=False)
async def login_page(request: Request[Any, Any, Any], config: Config) -> Response[Any]:
    return _login_form(request, config, _language(request))


@post("/masuk", include_in_schema=False, status_code=303)
async def login(
    request: Request[Any, Any, Any], config: Config, bus: Bus, accounts: Accounts, clock: Now
) -> Response[Any]:
    """A fresh session id on every sign-in, whatever cookie came in (no fixation)."""
    lang = _language(request)
    form = await request.form()
    user_id = str(form.get("username", "")).strip().lower()
    password = str(form.get("password", ""))
    sent = str(form.get("csrf_token", "")).encode()
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "").encode()
    if not expected or not hmac.compare_digest(sent, expected):
        return _login_form(request, config, lang, _texts(lang)["csrf"], 403, user_id)
    client = request.client.host if request.client else "unknown"
    try:
        account = await sign_in(bus.account_context(), user_id, password, client)
    except SignInThrottled as throttled:
        response = _login_form(
            request,
            config,
            lang,
            _texts(lang)["throttled"].format(s=throttled.retry_after),
            429,
            user_id,
        )
        response.headers["Retry-After"] = str(throttled.retry_after)
        return response
    log = structlog.get_logger("auth")
    if account is None:
        log.info("auth.sign_in_failed", user_id=user_id, client=client)
        return _login_form(request, config, lang, _texts(lang)["wrong"], 401, user_id)
    if old := request.cookies.get(SESSION_COOKIE):
        await accounts.close_session(old)
    session_id, _ = await accounts.open_session(account.user_id, clock())
    log.info("auth.signed_in", user_id=account.user_id, client=client)
    return Redirect(
        _safe_next(request.query_params.get("next")),
        status_code=303,
        cookies=[
            _cookie(config, SESSION_COOKIE, session_id, int(SESSION_TTL.total_seconds())),
            _cookie(config, LOGIN_CSRF_COOKIE, "", 0),
        ],
    )


@post("/keluar", include_in_schema=False, status_code=303)
async def logout(
    request: Request[Any, Any, Any], config: Config, accounts: Accounts, clock: Now
) -> Response[Any]:
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        form = await request.form()
        try:
            _, csrf = await accounts.session_principal(session_id, clock())
        except TokenRefused:
            csrf = None
        if csrf is not None and not hmac.compare_digest(
            str(form.get("csrf_token", "")).encode(), csrf.encode()
        ):
            raise NotAllowed("csrf-token", text="csrf-token.form")
        await accounts.close_session(session_id)
    return Redirect("/masuk", status_code=303, cookies=[_cookie(config, SESSION_COOKIE, "", 0)])


@get("/akun", include_in_schema=False)
async def account_page(request: Request[Any, Any, Any], who: Who) -> Response[Any]:
    """Kept for old bookmarks: the workspace header now says who is signed in."""
    lang = _language(request)
    if not who.signed_in:
        return Redirect(f"/masuk?lang={lang}")
    return Redirect(f"/kerja?lang={lang}")


HANDLERS = [login_page, login, logout, account_page]
