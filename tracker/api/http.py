"""Small HTTP helpers shared by the controllers: actor, If-Match, ETag, threads, waiting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread
from litestar import Request, Response
from litestar.exceptions import ClientException

from domain.values import Actor, Role
from tracker.api.schemas import CommandOut
from tracker.service import CommandResult

T = TypeVar("T")

POSITION_HEADER = "X-Tracker-Position"
READ_WAIT_SECONDS = 2.0


class BadHeader(ClientException):
    status_code = 400


def actor_of(request: Request[Any, Any, Any]) -> Actor:
    """Self-declared until accounts land (issue #4): the server binds to loopback by default."""
    headers = request.headers
    role = headers.get("x-actor-role", Role.PEMDA.value)
    if role not in {r.value for r in Role} or role == Role.SYSTEM.value:
        raise BadHeader(f"X-Actor-Role must be one of pemda, kanwil, admin (got {role!r})")
    return Actor(
        user_id=headers.get("x-actor-id", "anonim")[:100],
        role=Role(role),
        office=headers.get("x-actor-office", "")[:200],
    )


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
