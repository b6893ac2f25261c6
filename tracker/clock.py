"""The system clock, in one place: everything else receives a clock from the composition
root, so tests and the demo can set the time."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)
