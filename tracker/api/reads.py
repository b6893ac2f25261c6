"""Read helpers: single aggregates from the event store; everything else from the read
models, with read-your-writes waits and conditional requests (ETag / Last-Modified)."""

from __future__ import annotations

import base64
from email.utils import format_datetime
from typing import Any
from uuid import UUID

import msgspec
from litestar import Request, Response
from litestar.datastructures import State

from adapters import codec, readmodels, readstore
from domain import access
from domain.access import Principal
from projections import catalog, public
from tracker import queries
from tracker.api.http import READ_WAIT_SECONDS, BadHeader, etag, requested_position
from tracker.api.problems import problem
from tracker.errors import NotFound


def sees_everything(who: Principal, kind: str, value: Any) -> bool:
    """Auditors of a region see private evidence and account ids; everyone else the
    public form (projections.public)."""
    return access.covers_any(who, catalog.places(kind, value)[0])


async def aggregate_response(
    state: State, who: Principal, kind: str, aggregate_id: UUID
) -> Response[Any]:
    value = await readstore.load_state(state.container.pool, kind, aggregate_id)
    if value is None:
        raise NotFound(kind, str(aggregate_id))
    body = value if sees_everything(who, kind, value) else public.redact(codec.to_builtins(value))
    return Response(body, headers={"ETag": etag(value.version), "Vary": "Authorization, Cookie"})


async def before_read(
    request: Request[Any, Any, Any], state: State, after: int | None
) -> Response[Any] | None:
    """Wait for `after` (read-your-writes), then answer 304 if the client's copy is current.

    A read model changes only when its position moves (or, for 'overdue', when the day
    changes), so position + date is a complete validator for every read-model response.
    """
    container = state.container
    position = requested_position(request, after)
    if position is not None and not await container.positions.wait_for(position, READ_WAIT_SECONDS):
        return problem(
            request,
            503,
            "read-model-behind",
            f"Model baca belum mencapai posisi {position}; coba lagi sebentar.",
            f"The read model has not reached position {position} yet; retry shortly.",
            headers={"Retry-After": "1"},
            projection_position=container.positions.position,
        )
    headers = await read_model_validators(request, state)
    request.state.validators = headers
    return not_modified(request, headers)


async def read_model_validators(
    request: Request[Any, Any, Any], state: State, variant: str = ""
) -> dict[str, str]:
    """ETag / Last-Modified of any read-model response (`variant`: e.g. the page language).
    Remembers the position in `request.state.read_position` for pages."""
    container = state.container
    current, moved_at = await readmodels.freshness(container.pool)
    request.state.read_position = current
    day = container.clock().date().isoformat()
    headers = {"ETag": f'W/"{current}-{day}{variant}"', "Cache-Control": "no-cache"}
    if moved_at is not None:
        headers["Last-Modified"] = format_datetime(moved_at, usegmt=True)
    return headers


def not_modified(request: Request[Any, Any, Any], headers: dict[str, str]) -> Response[Any] | None:
    """304 when If-None-Match names the current ETag."""
    sent = {tag.strip() for tag in request.headers.get("if-none-match", "").split(",")}
    if headers["ETag"] in sent:
        return Response(content=None, status_code=304, headers=headers)
    return None


def fresh(request: Request[Any, Any, Any], body: Any) -> Response[Any]:
    return Response(body, headers=request.state.validators)


def raw_items(docs: list[str], **extra: Any) -> dict[str, Any]:
    return {"items": [msgspec.Raw(d.encode()) for d in docs], **extra}


def encode_cursor(cursor: readmodels.BoardCursor | None) -> str | None:
    if cursor is None:
        return None
    return base64.urlsafe_b64encode(msgspec.json.encode(cursor)).decode().rstrip("=")


def decode_cursor(raw: str | None) -> readmodels.BoardCursor | None:
    if raw is None:
        return None
    try:
        padded = raw + "=" * (-len(raw) % 4)
        return msgspec.json.decode(base64.urlsafe_b64decode(padded), type=readmodels.BoardCursor)
    except (ValueError, msgspec.DecodeError):
        raise BadHeader(f"cursor {raw!r} is not one this API gave out") from None


async def board_page(
    request: Request[Any, Any, Any],
    state: State,
    where: readmodels.ActionFilter,
    limit: int,
    cursor: str | None,
) -> Response[Any]:
    docs, following = await readmodels.list_actions(
        state.container.pool, where, limit, decode_cursor(cursor)
    )
    return fresh(request, raw_items(docs, next_cursor=encode_cursor(following)))


async def history(
    state: State, who: Principal, aggregate_id: UUID, kind: str
) -> list[dict[str, Any]]:
    entries = await queries.history(
        state.container.pool, kind, aggregate_id, lambda value: sees_everything(who, kind, value)
    )
    if entries is None:
        raise NotFound(kind, str(aggregate_id))
    return entries
