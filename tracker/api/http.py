"""Small HTTP helpers shared by the controllers: If-Match, ETag, threads, waiting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread
from litestar import Request, Response
from litestar.exceptions import ClientException

from tracker.api.schemas import CommandOut
from tracker.service import CommandResult

T = TypeVar("T")

POSITION_HEADER = "X-Tracker-Position"
READ_WAIT_SECONDS = 2.0


class BadHeader(ClientException):
    status_code = 400


def expected_version(request: Request[Any, Any, Any]) -> int | None:
    """If-Match: "3" (or W/"3", or 3). Absent or * means 'whatever is current'."""
    raw = request.headers.get("if-match")
    if raw is None or raw.strip() == "*":
        return None
    value = raw.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise BadHeader(f'If-Match must be an ETag like "3" (got {raw!r})')
    return int(value)


def etag(version: int) -> str:
    return f'"{version}"'


async def in_thread(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """eventsourcing is synchronous; never run it on the event loop."""
    return await anyio.to_thread.run_sync(lambda: fn(*args, **kwargs))


def command_response(
    result: CommandResult, status: int = 200, location: str | None = None
) -> Response[Any]:
    headers = {"ETag": etag(result.version), POSITION_HEADER: str(result.position)}
    if location:
        headers["Location"] = location
    return Response(
        CommandOut(
            id=result.id, version=result.version, position=result.position, data=result.state
        ),
        status_code=status,
        headers=headers,
    )


def requested_position(request: Request[Any, Any, Any], after: int | None) -> int | None:
    if after is not None:
        return after
    raw = request.headers.get(POSITION_HEADER.lower())
    if raw is None:
        return None
    if not raw.isdigit():
        raise BadHeader(f"{POSITION_HEADER} must be a whole number (got {raw!r})")
    return int(raw)
