"""Domain errors carry a stable code and a message in Bahasa Indonesia and English.

The HTTP layer maps the class to a status (409 for a broken rule, 422 for invalid input)
without knowing any rule itself.
"""

from __future__ import annotations


class DomainError(Exception):
    """A command was refused; nothing was recorded."""

    code: str = "domain-error"

    def __init__(self, code: str, message_id: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_id = message_id
        self.message_en = message_en


class InvalidInput(DomainError):
    """The command itself is malformed for the domain (a value out of range, unknown region)."""


class RuleViolated(DomainError):
    """The command is well-formed but the aggregate's current state forbids it."""
