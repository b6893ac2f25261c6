"""Small HTTP helpers shared by the API and the portal: If-Match, ETag, cursors."""

from __future__ import annotations

import base64
from typing import Any

import msgspec
from litestar import Request
from litestar.exceptions import ClientException

from adapters.readmodels import BoardCursor

POSITION_HEADER = "X-Tracker-Position"


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


def requested_position(request: Request[Any, Any, Any], after: int | None) -> int | None:
    if after is not None:
        return after
    raw = request.headers.get(POSITION_HEADER.lower())
    if raw is None:
        return None
    if not raw.isdigit():
        raise BadHeader(f"{POSITION_HEADER} must be a whole number (got {raw!r})")
    return int(raw)


def encode_cursor(cursor: BoardCursor | None) -> str | None:
    if cursor is None:
        return None
    return base64.urlsafe_b64encode(msgspec.json.encode(cursor)).decode().rstrip("=")


def decode_cursor(raw: str | None) -> BoardCursor | None:
    if raw is None:
        return None
    try:
        padded = raw + "=" * (-len(raw) % 4)
        return msgspec.json.decode(base64.urlsafe_b64decode(padded), type=BoardCursor)
    except (ValueError, msgspec.DecodeError):
        raise BadHeader(f"cursor {raw!r} is not one this API gave out") from None
