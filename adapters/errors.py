"""Failures every event-store adapter reports the same way."""

from __future__ import annotations


class ConcurrencyConflict(Exception):
    """Another writer appended to the same aggregate first."""
