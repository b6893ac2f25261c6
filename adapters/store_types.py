"""What both event stores (PostgreSQL and memory) take for a write of several aggregates."""

from __future__ import annotations

from typing import Any, NamedTuple
from uuid import UUID

from domain.events import DomainEvent


class Write(NamedTuple):
    """New events for one aggregate, after `state` (None for a new one)."""

    kind: str
    aggregate_id: UUID
    state: Any | None
    events: list[DomainEvent]
