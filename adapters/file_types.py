"""A stored evidence file, as both file stores (PostgreSQL, memory) hand it back."""

from __future__ import annotations

import hashlib

import msgspec


class StoredFile(msgspec.Struct, frozen=True, kw_only=True):
    sha256: str
    media_type: str
    size: int
    content: bytes = b""


def fingerprint(content: bytes) -> str:
    """CPU-bound for large files: async callers run it in a worker thread."""
    return hashlib.sha256(content).hexdigest()
