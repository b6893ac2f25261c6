"""How the API answers a write: the new version as ETag, the position to wait for."""

from __future__ import annotations

from typing import Any

from litestar import Response

from tracker.api.schemas import CommandOut
from tracker.bus import CommandResult
from tracker.http.helpers import POSITION_HEADER, etag


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
