"""Reads from the read models, written once for the API and the portal: wait for a position
the caller has seen (`?after=`, read-your-writes), then answer 304 when the caller's copy
is current.

A read model changes only when its position moves (or, for 'overdue', when the day
changes), so position + date (+ the page's language) is a complete validator.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import format_datetime
from typing import Any

from litestar import Request, Response
from litestar.di import NamedDependency

from tracker.http.helpers import requested_position
from tracker.http.problems import problem
from tracker.ports import Clock, Positions, ReadStore

READ_WAIT_SECONDS = 2.0


@dataclass(frozen=True)
class Reading:
    """What every read handler needs: the read store, the projection's position, the clock
    (today decides 'overdue') and the log's name in feeds."""

    data: ReadStore
    positions: Positions
    clock: Clock
    origin: str


Reads = NamedDependency[Reading]


async def wait_for(reads: Reading, position: int | None) -> bool:
    """True once the read models include `position` (at once when None)."""
    if position is None:
        return True
    return await reads.positions.wait_for(position, READ_WAIT_SECONDS)


async def wait_after(request: Request[Any, Any, Any], reads: Reading) -> None:
    """Pages: wait briefly for `?after=<position>`; if the read models stay behind, the
    page shows what they hold (a page is never a 503)."""
    after = request.query_params.get("after", "")
    if after.isdigit():
        await wait_for(reads, int(after))


async def validators(
    request: Request[Any, Any, Any], reads: Reading, variant: str = ""
) -> dict[str, str]:
    """ETag / Last-Modified of any read-model response (`variant`: e.g. the page language).
    Remembers the position in `request.state.read_position` for pages."""
    current, moved_at = await reads.data.freshness()
    request.state.read_position = current
    day = reads.clock().date().isoformat()
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


async def before_read(
    request: Request[Any, Any, Any], reads: Reading, after: int | None
) -> Response[Any] | None:
    """The API's guard: 503 if `after` is not visible in time, 304 if nothing changed;
    None means go on (and `fresh` adds the validators to the answer)."""
    position = requested_position(request, after)
    if not await wait_for(reads, position):
        return problem(
            request,
            503,
            "read-model-behind",
            "problem.read-model-behind",
            {"position": position},
            headers={"Retry-After": "1"},
            projection_position=reads.positions.position,
        )
    headers = await validators(request, reads)
    request.state.validators = headers
    return not_modified(request, headers)


def fresh(request: Request[Any, Any, Any], body: Any) -> Response[Any]:
    return Response(body, headers=request.state.validators)
