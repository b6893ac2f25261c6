"""What every workspace page shares: rendering with the signed-in header, the refusal and
sign-in pages, loading an action's full state, and sending a form's command to the bus
(POST-redirect-GET on success, the form again with the reason beside its field on refusal).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

import msgspec
from litestar import Request, Response
from litestar.response import Redirect, Template

from adapters import codec
from adapters.account_types import AccountError, AccountExists
from adapters.reference_data import region_catalogue
from domain.access import NotAllowed, Principal, SignInRequired
from domain.errors import DomainError, Refusal, RuleViolated
from domain.values import Role
from tracker import catalogue
from tracker.fields.reports import field_of, text_fields
from tracker.http.deps import Bus
from tracker.http.reading import Reads
from tracker.ports import FileStore
from tracker.uploads import stored_evidence, uploads
from tracker.web import i18n
from tracker.web.pages_common import fmt
from tracker.web.render import lang_of


def scope_of(who: Principal) -> str:
    if who.role is Role.PEMDA and who.region_code:
        region = region_catalogue().get(who.region_code)
        name = region.name if region else who.region_code
        return f"{name} ({who.opd})" if who.opd else name
    if who.provinces:
        provinces = {p.code: p.name for p in region_catalogue().provinces()}
        return ", ".join(provinces.get(code, code) for code in sorted(who.provinces))
    return ""


def render(
    request: Request[Any, Any, Any],
    who: Principal,
    template: str,
    status: int = 200,
    **context: Any,
) -> Response[Any]:
    lang = lang_of(request)
    other = {**dict(request.query_params), "lang": "en" if lang == "id" else "id"}
    return Template(
        template_name=template,
        status_code=status,
        context={
            "lang": lang,
            "t": i18n.translator(lang),
            "f": fmt(request, who.region_code or min(who.provinces, default=None)),
            "path": request.url.path,
            "query": dict(request.query_params),
            "switch_url": f"{request.url.path}?{urlencode(other)}",
            "who": who,
            "who_scope": scope_of(who),
            "csrf": getattr(request.state, "csrf", ""),
            "has_session": True,
            **context,
        },
        headers={"Cache-Control": "no-store"},
    )


def refused_page(request: Request[Any, Any, Any], who: Principal, error: Refusal) -> Response[Any]:
    status = 401 if isinstance(error, SignInRequired) else 403
    message = catalogue.refusal(error, lang_of(request))
    return render(request, who, "kerja_refused.html", status, message=message)


def sign_in_first(request: Request[Any, Any, Any]) -> Response[Any]:
    return Redirect(f"/masuk?{urlencode({'next': request.url.path, 'lang': lang_of(request)})}")


def uuid_or_none(raw: str) -> UUID | None:
    try:
        return UUID(raw)
    except ValueError:
        return None


async def full_action(reads: Reads, raw: str) -> dict[str, Any] | None:
    """The full current state (private evidence included): only shown after a policy check."""
    ident = uuid_or_none(raw)
    state = await reads.data.load_state("action", ident) if ident else None
    if state is None:
        return None
    found: dict[str, Any] = codec.to_builtins(state)
    return found


def text(request: Request[Any, Any, Any], key: str, **values: Any) -> str:
    return catalogue.text(lang_of(request), key, **values)


async def send(
    request: Request[Any, Any, Any],
    bus: Bus,
    who: Principal,
    build: Any,
    done: str,
    again: Any,
    files: FileStore | None = None,
    locate: Callable[[Refusal], str | None] | None = None,
) -> Response[Any]:
    """Build the command from the form, dispatch it, redirect on success; on a domain
    refusal, show the form again with the reason beside its field (`locate` may name the
    field first, e.g. an answer sheet's row). With a file store, the files chosen in the
    form are checked, stored and added to the command's evidence."""
    form = await request.form()
    values = text_fields(form)
    try:
        command = build(values)
        chosen = uploads(form) if files is not None else []
        if files is not None and chosen and hasattr(command, "evidence"):
            public = values.get("evidence_private") != "on"
            added = await stored_evidence(files, command.action_id, chosen, public)
            command = msgspec.structs.replace(command, evidence=(*command.evidence, *added))
        result = await bus.dispatch(command, who)
    except (NotAllowed, SignInRequired) as error:
        return refused_page(request, who, error)
    except (DomainError, AccountError) as error:
        message = catalogue.refusal(error, lang_of(request))
        field = (locate(error) if locate else None) or field_of(error) or "_form"
        conflict = isinstance(error, RuleViolated | AccountExists)
        status = 409 if conflict else 422  # as the JSON API answers
        refused: Response[Any] = await again(values=values, errors={field: message}, status=status)
        return refused
    position = getattr(result, "position", None)  # account commands write no event
    shown = ({"after": position} if position else {}) | {"lang": lang_of(request)}
    joint = "&" if "?" in done else "?"
    return Redirect(f"{done}{joint}{urlencode(shown)}", status_code=303)


def missing(request: Request[Any, Any, Any], who: Principal) -> Response[Any]:
    return render(request, who, "kerja_refused.html", 404, message=text(request, "work.missing"))
