"""/api/v1/webhooks: integrators register an HTTPS endpoint for the public events of a region,
a province, a forum, an action or all (`*`), and read its delivery log with the management
token they were given once (header `Tracker-Webhook-Token`); POSTing to
`/langganan/berhenti?token=<that token>` ends it, as for a mail subscription. Every body is signed:
`Tracker-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>`."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody

from tracker import commands as app
from tracker.errors import NotFound
from tracker.http.deps import App, Bus
from tracker.http.openapi_docs import RESPONDS
from tracker.http.principal import PUBLIC_WRITE, Who

TOKEN_HEADER = "tracker-webhook-token"  # noqa: S105 - a header name, not a secret


class WebhookIn(msgspec.Struct, forbid_unknown_fields=True):
    url: Annotated[str, msgspec.Meta(examples=["https://lsm.example.org/hook/pelacak"])]
    secret: Annotated[str, msgspec.Meta(min_length=16, max_length=256)]
    scope: Annotated[str, msgspec.Meta(examples=["35.72", "33", "forum:…", "*"])] = "*"


async def _owned(request: Request[Any, Any, Any], services: Any, webhook_id: UUID) -> Any:
    token = request.headers.get(TOKEN_HEADER, "")
    found = await services.subscriptions.by_token(token) if token else None
    if found is None or found.id != webhook_id:
        raise NotFound("webhook", str(webhook_id))  # unknown or not this token's: the same
    return found


class WebhookController(Controller):
    path = "/webhooks"
    tags = ("subscriptions",)

    @post(
        "/",
        status_code=201,
        summary="Daftarkan webhook / register a webhook",
        opt={PUBLIC_WRITE: True},
    )
    async def register(self, bus: Bus, who: Who, data: JSONBody[WebhookIn]) -> dict[str, Any]:
        """Anyone may register; the answer holds the management token, shown once."""
        command = app.RegisterWebhook(url=data.url, secret=data.secret, scope=data.scope)
        ident, token = await bus.dispatch(command, who)
        return {"id": str(ident), "token": token, "url": data.url, "scope": data.scope}

    @get(
        "/{webhook_id:uuid}",
        summary="Webhook dan log pengirimannya / a webhook's log",
        opt={RESPONDS: ("read", "webhook")},
    )
    async def read(
        self, request: Request[Any, Any, Any], services: App, webhook_id: FromPath[UUID]
    ) -> dict[str, Any]:
        found = await _owned(request, services, webhook_id)
        log = await services.subscriptions.log(found.id)
        body: dict[str, Any] = msgspec.to_builtins(found)
        for hidden in ("secret", "token", "email"):
            body.pop(hidden, None)
        body["active"] = found.active
        body["deliveries"] = [
            {k: v for k, v in msgspec.to_builtins(n).items() if k != "payload"}
            | {"type": n.payload.get("type")}
            for n in log
        ]
        return body
