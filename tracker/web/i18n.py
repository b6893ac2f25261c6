"""Bahasa Indonesia first, English on request: `?lang=en` switches and a cookie remembers.

Every user-facing string of the portal comes from the one catalogue (tracker/catalogue.py,
gettext PO files); templates call `t(key)`. A missing key is an error in tests, never an
empty string on a page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tracker import catalogue

Translate = Callable[..., str]  # t(key, **values) -> text in the chosen language

LANGUAGES = catalogue.LANGUAGES
DEFAULT = catalogue.DEFAULT
COOKIE = "lang"


def language(query_lang: str | None, cookie_lang: str | None) -> str:
    for candidate in (query_lang, cookie_lang):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT


def translator(lang: str) -> Translate:
    if lang not in LANGUAGES:
        raise KeyError(lang)

    def t(key: str, **values: Any) -> str:
        return catalogue.text(lang, key, **values)  # KeyError: a key missing from the catalogue

    return t
