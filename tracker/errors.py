"""Application-level refusals that are not domain rules (HTTP maps each to a status)."""

from __future__ import annotations


class NotFound(Exception):
    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(f"{kind} {ident} not found")
        self.kind = kind
        self.ident = ident


class StaleVersion(Exception):
    """If-Match named a version that is no longer current (or a concurrent write won)."""

    def __init__(self, expected: int | None, current: int | None) -> None:
        super().__init__(f"expected version {expected}, current is {current}")
        self.expected = expected
        self.current = current


class BadQuery(Exception):
    """A query value that is well-formed for the router but means nothing (a date that does
    not exist, a day not yet over): 400 with a catalogue message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
