"""Render a portal page: language, shared context, and conditional requests.

Pages change only when the read models move (or the day changes, for 'overdue'), and they
differ by language, so position + date + language is a complete validator: a repeat
request with the same ETag is answered 304 without touching a template.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response
from litestar.datastructures import Cookie
from litestar.response import Template

from tracker.http import reading
from tracker.http.principal import SESSION_COOKIE
from tracker.http.reading import Reads, not_modified
from tracker.web import i18n


def lang_of(request: Request[Any, Any, Any]) -> str:
    return i18n.language(request.query_params.get("lang"), request.cookies.get(i18n.COOKIE))


async def validators(request: Request[Any, Any, Any], reads: Reads) -> dict[str, str]:
    """The read models' validators, per language (pages differ by it)."""
    headers = await reading.validators(request, reads, f"-{lang_of(request)}")
    return {**headers, "Vary": "Cookie"}


def _language_cookie(request: Request[Any, Any, Any]) -> list[Cookie]:
    chosen = request.query_params.get("lang")
    if chosen in i18n.LANGUAGES and chosen != request.cookies.get(i18n.COOKIE):
        return [Cookie(key=i18n.COOKIE, value=chosen, max_age=365 * 86400, samesite="lax")]
    return []


async def page(
    request: Request[Any, Any, Any], reads: Reads, template: str, **context: Any
) -> Response[Any]:
    """A full page, or 304 if the client's copy is current. `?after=<position>` waits (up to
    2 s) for the read models to include a write, like the API's reads."""
    await reading.wait_after(request, reads)
    headers = await validators(request, reads)
    if (early := not_modified(request, headers)) is not None:
        return early
    lang = lang_of(request)
    other = {**dict(request.query_params), "lang": "en" if lang == "id" else "id"}
    return Template(
        template_name=template,
        context={
            "lang": lang,
            "t": i18n.translator(lang),
            "path": request.url.path,
            "query": dict(request.query_params),
            "switch_url": f"{request.url.path}?{urlencode(other)}",
            "position": request.state.read_position,
            "has_session": SESSION_COOKIE in request.cookies,  # a link, not a permission
            **context,
        },
        headers=headers,
        cookies=_language_cookie(request),
    )
