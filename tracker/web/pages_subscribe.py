"""Following a place by mail, for anyone (/langganan): the form (double-submit CSRF, as the
sign-in form), the confirmation link's page and the unsubscribe page. A link in a mail only
ever shows a page with a button: mail scanners that open links confirm nothing. The
unsubscribe URL also takes the one-click POST of RFC 8058 (`List-Unsubscribe-Post`), which
mail programs send without a form."""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import urlencode

from litestar import MediaType, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.response import Redirect, Template

from adapters.account_types import AccountError
from adapters.reference_data import region_catalogue
from domain.access import ANONYMOUS
from tracker import catalogue
from tracker import commands as app
from tracker.http.deps import Bus, Config
from tracker.settings import Settings
from tracker.web import i18n
from tracker.web.pages_common import fmt
from tracker.web.render import lang_of

CSRF_COOKIE = "tracker_follow_csrf"
PATH = "/langganan"


def _scope_name(scope: str, lang: str) -> str:
    kind, _, rest = scope.partition(":")
    if kind in ("forum", "action"):
        return catalogue.text(lang, f"subscribe.scope.{kind}", id=rest[:8])
    found = region_catalogue().get(scope)
    return found.name if found else scope


def _form(
    request: Request[Any, Any, Any],
    config: Settings,
    template: str,
    status: int = 200,
    **context: Any,
) -> Response[Any]:
    lang = lang_of(request)
    token = secrets.token_urlsafe(32)
    other = {**dict(request.query_params), "lang": "en" if lang == "id" else "id"}
    cookie = Cookie(
        key=CSRF_COOKIE,
        value=token,
        max_age=3600,
        path=PATH,
        httponly=True,
        secure=config.cookie_secure,
        samesite="strict",
    )
    return Template(
        template_name=template,
        status_code=status,
        context={
            "lang": lang,
            "t": i18n.translator(lang),
            "f": fmt(request),
            "path": request.url.path,
            "query": dict(request.query_params),
            "switch_url": f"{request.url.path}?{urlencode(other)}",
            "position": None,
            "has_session": False,
            "csrf": token,
            **context,
        },
        headers={"Cache-Control": "no-store"},
        cookies=[cookie],
    )


@get(PATH, include_in_schema=False, media_type=MediaType.HTML)
async def follow_page(request: Request[Any, Any, Any], config: Config) -> Response[Any]:
    scope = (request.query_params.get("lingkup") or "").strip()
    lang = lang_of(request)
    return _form(
        request,
        config,
        "subscribe.html",
        scope=scope,
        scope_name=_scope_name(scope, lang) if scope else "",
        sent=request.query_params.get("terkirim") == "1",
        values={},
        errors={},
    )


@post(PATH, include_in_schema=False, status_code=303)
async def follow(request: Request[Any, Any, Any], config: Config, bus: Bus) -> Any:
    form = await request.form()
    lang = lang_of(request)
    scope = str(form.get("scope", "")).strip()
    values = {"email": str(form.get("email", "")).strip(), "lang": str(form.get("lang", lang))}

    def again(errors: dict[str, str], status: int) -> Response[Any]:
        name = _scope_name(scope, lang) if scope else ""
        return _form(
            request, config, "subscribe.html", status, scope=scope, scope_name=name,
            sent=False, values=values, errors=errors,
        )  # fmt: skip

    sent = str(form.get("csrf_token", "")).encode()
    expected = request.cookies.get(CSRF_COOKIE, "").encode()
    if not expected or not hmac.compare_digest(sent, expected):
        return again({"_form": catalogue.text(lang, "subscribe.csrf")}, 403)
    command = app.Subscribe(email=values["email"], scope=scope, lang=values["lang"])
    try:
        await bus.dispatch(command, ANONYMOUS)  # anyone; a session plays no part here
    except AccountError as error:
        field = {"email-format": "email", "lang-unknown": "lang"}.get(error.code, "_form")
        return again({field: catalogue.refusal(error, lang)}, 422)
    query = urlencode({"lingkup": scope, "terkirim": "1", "lang": lang})
    return Redirect(f"{PATH}?{query}", status_code=303)


async def _token_page(
    request: Request[Any, Any, Any], config: Config, which: str, **more: Any
) -> Response[Any]:
    token = (request.query_params.get("token") or "").strip()
    shown = {"done": "", "error": ""} | more
    return _form(request, config, "subscribe_token.html", which=which, token=token, **shown)


@get(f"{PATH}/konfirmasi", include_in_schema=False, media_type=MediaType.HTML)
async def confirm_page(request: Request[Any, Any, Any], config: Config) -> Response[Any]:
    return await _token_page(request, config, "confirm")


@get(f"{PATH}/berhenti", include_in_schema=False, media_type=MediaType.HTML)
async def stop_page(request: Request[Any, Any, Any], config: Config) -> Response[Any]:
    return await _token_page(request, config, "stop")


async def _by_token(
    request: Request[Any, Any, Any], config: Config, bus: Bus, which: str
) -> Response[Any]:
    form = await request.form()
    token = str(form.get("token") or request.query_params.get("token") or "").strip()
    command: Any = (
        app.ConfirmSubscription(token=token) if which == "confirm" else app.Unsubscribe(token=token)
    )
    lang = lang_of(request)
    try:
        scope = await bus.dispatch(command, ANONYMOUS)
    except AccountError as error:
        message = catalogue.refusal(error, lang)
        return await _token_page(request, config, which, error=message, status=422)
    done = "subscribe.confirmed" if which == "confirm" else "subscribe.stopped"
    text = catalogue.text(lang, done, scope=_scope_name(scope, lang))
    return await _token_page(request, config, which, done=text)


@post(f"{PATH}/konfirmasi", include_in_schema=False, status_code=200)
async def confirm(request: Request[Any, Any, Any], config: Config, bus: Bus) -> Any:
    return await _by_token(request, config, bus, "confirm")


@post(f"{PATH}/berhenti", include_in_schema=False, status_code=200)
async def stop(request: Request[Any, Any, Any], config: Config, bus: Bus) -> Any:
    """Also the one-click POST from a mail program (the token is in the URL)."""
    return await _by_token(request, config, bus, "stop")


HANDLERS: list[Any] = [follow_page, follow, confirm_page, stop_page, confirm, stop]
