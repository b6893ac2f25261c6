"""Read helpers: single aggregates from the event store, lists from the read model."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from litestar import Request, Response
from litestar.datastructures import State

from adapters import readstore
from tracker.api.http import READ_WAIT_SECONDS, etag, requested_position
from tracker.api.problems import problem
from tracker.errors import NotFound


async def aggregate_response(state: State, kind: str, aggregate_id: UUID) -> Response[Any]:
    value = await readstore.load_state(state.container.pool, kind, aggregate_id)
    if value is None:
        raise NotFound(kind, str(aggregate_id))
    return Response(value, headers={"ETag": etag(value.version)})


async def wait_for_read_model(
    request: Request[Any, Any, Any], state: State, after: int | None
) -> Response[bytes] | None:
    """Read-your-writes: hold a list read until the projector has reached `after`."""
    position = requested_position(request, after)
    if position is None:
        return None
    if await state.container.projector.wait_for(position, READ_WAIT_SECONDS):
        return None
    return problem(
        request,
        503,
        "read-model-behind",
        f"Model baca belum mencapai posisi {position}; coba lagi sebentar.",
        f"The read model has not reached position {position} yet; retry shortly.",
        headers={"Retry-After": "1"},
        projection_position=state.container.projector.position,
    )


def raw_items(docs: list[str], **extra: Any) -> dict[str, Any]:
    return {"items": [msgspec.Raw(d.encode()) for d in docs], **extra}
