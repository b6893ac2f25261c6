"""Domain errors carry a stable code and the parameters of their message, never the text.

The words, in Bahasa Indonesia and English, come from the application's one catalogue
(`tracker/locale/*/LC_MESSAGES/messages.po`, key `error.<text>`), so the API, the pages and
the CLI say the same thing. The HTTP layer maps the class to a status (409 for a broken
rule, 422 for invalid input) without knowing any rule itself.
"""

from __future__ import annotations

from typing import Any, ClassVar

import msgspec


class Text(msgspec.Struct, frozen=True):
    """A parameter that is itself a catalogue entry (what was being done, a status name):
    translated into the message's language before it is filled in."""

    key: str


class Refusal(Exception):
    """Something refused, named by its catalogue entry `<PREFIX>.<text or code>` and the
    parameters of its message: domain rules here, accounts and the CLI in their layers.

    `text` names the entry when one code has several wordings (or the code is built from a
    state); by default it is the code itself.
    """

    PREFIX: ClassVar[str] = "error"
    # Which part of a many-part command it concerns (an indicator id of an answer sheet), so
    # a form can show it beside that part and problem details can name it; not in the text.
    subject: str | None = None

    def __init__(self, code: str, /, *, text: str | None = None, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.key = f"{self.PREFIX}.{text or code}"
        self.params = params

    def __str__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.params.items())
        return f"{self.code} ({shown})" if shown else self.code


class DomainError(Refusal):
    """A command was refused; nothing was recorded."""


class InvalidInput(DomainError):
    """The command itself is malformed for the domain (a value out of range, unknown region)."""


class RuleViolated(DomainError):
    """The command is well-formed but the aggregate's current state forbids it."""
