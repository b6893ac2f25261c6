"""The base of every event: who did it and when, both passed in by the application."""

from __future__ import annotations

from datetime import datetime

import msgspec

from domain.values import Actor


class DomainEvent(msgspec.Struct, frozen=True, kw_only=True, tag=True):
    """Past-tense fact. The tag (class name) is the stored topic; never rename a subclass."""

    at: datetime
    actor: Actor
