"""Mail preferences and the delivery log in the workspace. `/kerja/notifikasi`: an account
sets where its reminders are mailed (or none: the inbox only), in which language, and
whether as one daily digest — the same `SetNotifications` command for every door.
`/kerja/admin/pengiriman`: the ministry reads every mail's state, attempts and last error."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import MediaType, Request, Response, get, post

from domain.access import NotAllowed, Principal, SignInRequired, require_admin
from domain.errors import Refusal
from tracker import commands as app
from tracker.http.deps import Bus, Config, Outbox
from tracker.http.principal import Who
from tracker.web.workspace_common import refused_page, render, send, sign_in_first

PATH = "/kerja/notifikasi"
LOG = "/kerja/admin/pengiriman"


async def _page(
    request: Request[Any, Any, Any],
    who: Principal,
    outbox: Outbox,
    config: Config,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response[Any]:
    if not who.signed_in:
        return sign_in_first(request)
    current = (await outbox.preferences()).get(who.user_id)
    shown = {
        "email": (current.email or "") if current else "",
        "lang": current.lang if current else "id",
        "digest": "on" if current and current.digest else "",
    } | (values or {})
    return render(
        request,
        who,
        "kerja_notifications.html",
        status,
        values=shown,
        errors=errors or {},
        mail_on=bool(config.smtp_host and config.delivery),
        saved=request.query_params.get("disimpan") == "1",
    )


def _field(error: Refusal) -> str | None:
    return {"email-format": "email", "lang-unknown": "lang"}.get(error.code)


@get(PATH, include_in_schema=False, media_type=MediaType.HTML)
async def notifications_page(
    request: Request[Any, Any, Any], who: Who, outbox: Outbox, config: Config
) -> Response[Any]:
    return await _page(request, who, outbox, config)


@post(PATH, include_in_schema=False, status_code=303)
async def set_notifications(
    request: Request[Any, Any, Any], bus: Bus, who: Who, outbox: Outbox, config: Config
) -> Response[Any]:
    def build(form: Mapping[str, str]) -> app.SetNotifications:
        return app.SetNotifications(
            user_id=who.user_id,
            email=form.get("email", "").strip() or None,
            lang=form.get("lang", "id").strip(),
            digest=form.get("digest") == "on",
        )

    async def again(**kwargs: Any) -> Response[Any]:
        return await _page(request, who, outbox, config, **kwargs)

    return await send(request, bus, who, build, f"{PATH}?disimpan=1", again, locate=_field)


@get(LOG, include_in_schema=False, media_type=MediaType.HTML)
async def delivery_log(request: Request[Any, Any, Any], who: Who, outbox: Outbox) -> Response[Any]:
    if not who.signed_in:
        return sign_in_first(request)
    try:
        require_admin(who, "read-delivery-log")
    except (NotAllowed, SignInRequired) as error:
        return refused_page(request, who, error)
    return render(request, who, "kerja_delivery.html", rows=await outbox.log())


HANDLERS: list[Any] = [notifications_page, set_notifications, delivery_log]
