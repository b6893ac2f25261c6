"""`create_app(settings)`: the litestar application factory. It builds the services with
tracker/bootstrap.py, starts and stops them with the app's lifespan, provides them to the
handlers by name (tracker/http/deps.py), and mounts the API and the portal."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import structlog
from litestar import Litestar, Request, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.enums import ScopeType
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from tracker.api import routes as api
from tracker.bootstrap import Services, bootstrap
from tracker.http.deps import App, provided
from tracker.http.idempotency import idempotency_middleware
from tracker.http.openapi import CompletedJson
from tracker.http.openapi_docs import RESPONDS
from tracker.http.principal import account_first, provide_principal
from tracker.http.problems import EXCEPTION_HANDLERS, problem
from tracker.http.response_cache import response_cache
from tracker.http.scrape import metrics
from tracker.http.strict import refuse_unknown_query
from tracker.metrics import Metrics
from tracker.settings import Settings
from tracker.web import routes as web

MAX_BODY_BYTES = 1_048_576


def request_middleware(app: ASGIApp, metrics: Metrics) -> ASGIApp:
    """Bind a request id (from X-Request-ID or new) to every log line of the request, and
    time the request for /metrics by its route template (not its path: bounded labels)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")[:64]
        request_id = incoming if incoming.isprintable() and incoming else uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = str(scope.get("path_template") or "unmatched")
            metrics.observe_request(str(scope.get("method")), route, status, seconds)
            structlog.get_logger("http").info(
                "request",
                method=scope.get("method"),
                path=scope.get("path"),
                status=status,
                ms=round(seconds * 1000, 1),
            )

    return middleware


@get("/health", tags=["ops"], summary="Proses hidup / liveness")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@get("/ready", tags=["ops"], summary="Siap melayani / readiness", opt={RESPONDS: ("read", "ready")})
async def ready(request: Request[Any, Any, Any], services: App) -> Any:
    """200 only when this replica can answer as the others do: its database answers, NATS
    (when configured) is connected, the read models have caught up with the log as it was
    when the process started, and they are not more than TRACKER_READY_MAX_LAG events
    behind. Otherwise 503 with the reasons and the positions (a load balancer or
    Kubernetes stops sending traffic meanwhile)."""
    try:
        head = await services.data.head_position()  # index-only, unlike count(*)
    except Exception as error:  # the database is what we are probing
        return problem(
            request, 503, "database-unavailable", "problem.database-unavailable", {"error": error}
        )
    projected, nats = services.positions.position, services.nats_connected()
    reasons = []
    if nats is False:
        reasons.append("nats-disconnected")
    if projected < services.runtime.start_head:
        reasons.append("catching-up")
    elif head - projected > services.settings.ready_max_lag:
        reasons.append("projection-lag")
    state: dict[str, Any] = {"head_position": head, "projection_position": projected}
    state["nats"] = nats
    if reasons:
        params = {"reasons": ", ".join(reasons), **state}
        return problem(request, 503, "not-ready", "problem.not-ready", params, **state)
    return {"status": "ready", **state}


def create_app(
    settings: Settings, *, services: Services | None = None, debug: bool = False
) -> Litestar:
    """The application for `settings`; tests pass `services` built with other adapters."""
    built = services or bootstrap(settings)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await built.start()
        if built.runtime.demo_accounts:
            print(built.runtime.demo_accounts, flush=True)
        try:
            yield
        finally:
            await built.stop()

    api_guards = [account_first(built.accounts, built.clock)]
    app = Litestar(
        route_handlers=[*api.handlers(api_guards), health, ready, metrics, *web.handlers()],
        template_config=web.template_config(),
        state=State({"runtime": built.runtime}),
        dependencies={"who": Provide(provide_principal), **provided(built)},
        lifespan=[lifespan],
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[idempotency_middleware(built, built.clock)],
        before_request=refuse_unknown_query,
        request_max_body_size=MAX_BODY_BYTES,
        openapi_config=OpenAPIConfig(
            title="Pelacak Komitmen HAM Pemda / Regional Human-Rights Commitment Tracker",
            version="1.0.0",
            path="/schema",
            render_plugins=[SwaggerRenderPlugin(), CompletedJson()],
            create_examples=False,  # examples are written, not random (tracker/api/examples.py)
        ),
        logging_config=None,
        debug=debug,
    )
    # Around the whole application, not per route as litestar's middleware is: a path that
    # matches no route (404) also gets its request id, its log line and its metric.
    # Inside it, the response cache: a kept answer gets this request's id and metric too.
    app.asgi_handler = request_middleware(response_cache(app.asgi_handler, built), built.metrics)
    return app
