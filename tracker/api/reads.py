"""API read helpers: single aggregates from the event store (their ETag is the version),
lists from the read models in their public form."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from litestar import Request, Response

from adapters import readmodels
from domain import access
from domain.access import Principal
from projections import catalog, public
from tracker import queries
from tracker.errors import NotFound
from tracker.http.helpers import decode_cursor, encode_cursor, etag
from tracker.http.reading import Reading, fresh
from tracker.ports import ReadStore


def sees_everything(who: Principal, kind: str, value: Any) -> bool:
    """Auditors of a region see private evidence and account ids; everyone else the
    public form (projections.public)."""
    return access.covers_any(who, catalog.places(kind, value)[0])


def sees_drafts(who: Principal, kind: str, value: Any) -> bool:
    return kind == "action" and who.sees_drafts(value.region_code)


async def aggregate_response(
    data: ReadStore, who: Principal, kind: str, aggregate_id: UUID
) -> Response[Any]:
    value = await data.load_state(kind, aggregate_id)
    if value is None:
        raise NotFound(kind, str(aggregate_id))
    body = catalog.document(kind, value)
    if not sees_everything(who, kind, value):
        body = public.redact(body)
    elif getattr(value, "drafts", ()) and not sees_drafts(who, kind, value):
        body = public.without_drafts(body)
    return Response(body, headers={"ETag": etag(value.version), "Vary": "Authorization, Cookie"})


def raw_items(docs: list[str], **extra: Any) -> dict[str, Any]:
    return {"items": [msgspec.Raw(d.encode()) for d in docs], **extra}


async def board_page(
    request: Request[Any, Any, Any],
    reads: Reading,
    where: readmodels.ActionFilter,
    limit: int,
    cursor: str | None,
) -> Response[Any]:
    docs, following = await reads.data.list_actions(where, limit, decode_cursor(cursor))
    return fresh(request, raw_items(docs, next_cursor=encode_cursor(following)))


async def history(
    data: ReadStore, who: Principal, aggregate_id: UUID, kind: str
) -> list[dict[str, Any]]:
    entries = await queries.history(
        data,
        kind,
        aggregate_id,
        lambda value: sees_everything(who, kind, value),
        lambda value: sees_drafts(who, kind, value),
    )
    if entries is None:
        raise NotFound(kind, str(aggregate_id))
    return entries
