"""The checks the ledger's signed texts share (checkpoints, key rotations): exact base64
of a fixed size, a printable origin, an ISO-8601 moment with an offset."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import datetime

TOKEN = re.compile(r"[\x21-\x7e]+")  # printable ASCII, no spaces


def exact_base64(text: str, size: int) -> bytes | None:
    """The `size` bytes `text` is the canonical standard base64 of, else None."""
    try:
        value = base64.b64decode(text, validate=True)
    except binascii.Error:
        return None
    if len(value) != size or base64.b64encode(value).decode() != text:
        return None
    return value


def is_origin(text: str) -> bool:
    return bool(text) and text == text.strip() and text.isprintable()


def is_moment(text: str) -> bool:
    """ISO-8601 with an offset, as one token (no spaces)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return False
    return moment.tzinfo is not None and TOKEN.fullmatch(text) is not None
