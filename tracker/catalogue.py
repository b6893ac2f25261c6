"""The one message catalogue: every user-facing text of the API, the pages, the feeds and
the CLI, in Bahasa Indonesia (the default) and English.

The texts are gettext PO files under `tracker/locale/<lang>/LC_MESSAGES/messages.po`, read
with Babel on first use (never at import) and kept for the life of the process. A msgid is
a stable key (`error.other-region`, `nav.national`); parameters are `{name}`. Refusals
(domain, account, CLI) carry only a code and parameters; `refusal()` puts them into words.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any

from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from domain.errors import Refusal, Text

LANGUAGES = ("id", "en")
DEFAULT = "id"
LOCALES = {"id": "id_ID", "en": "en"}  # Babel's locales: number and date formats


@cache
def messages(lang: str) -> Mapping[str, str]:
    """Every key of one language and its text (KeyError for a language we do not ship)."""
    locale = LOCALES[lang]
    source = files("tracker").joinpath("locale", lang, "LC_MESSAGES", "messages.po")
    with source.open("rb") as po:
        catalog = read_po(po, locale=locale)
    return MappingProxyType(
        {m.id: m.string for m in catalog if isinstance(m.id, str) and isinstance(m.string, str)}
    )


def has(key: str) -> bool:
    return key in messages(DEFAULT)


def text(lang: str, key: str, /, **params: Any) -> str:
    """The text of `key` in `lang`, its `{name}`s filled in; a `Text` parameter is itself
    translated first. A missing key is a KeyError: tests see every key in both languages."""
    template = messages(lang)[key]
    if not params:
        return template
    values = {
        name: text(lang, value.key) if isinstance(value, Text) else value
        for name, value in params.items()
    }
    return template.format(**values)


def refusal(error: Refusal, lang: str = DEFAULT) -> str:
    """A refused command, in words."""
    return text(lang, error.key, **error.params)


def terminal_language() -> str:
    """The CLI's language: TRACKER_LANG (id or en) if set, else Bahasa Indonesia unless the
    terminal's locale is English."""
    chosen = os.environ.get("TRACKER_LANG", "").strip().lower()
    if chosen in LANGUAGES:
        return chosen
    return "en" if os.environ.get("LANG", "").lower().startswith("en") else DEFAULT


def number(value: float, lang: str = DEFAULT) -> str:
    """A number as readers of `lang` write it, to one decimal at most (id: 1.234,5; en:
    1,234.5; 20 rather than 20,0)."""
    return format_decimal(round(value, 1), format="#,##0.#", locale=LOCALES[lang])


def day(value: date, lang: str = DEFAULT) -> str:
    """A date as readers of `lang` write it (id: 17 Agu 2025; en: 17 Aug 2025)."""
    return format_date(value, format="d MMM y", locale=LOCALES[lang])
