"""Which uploaded files the tracker accepts as evidence, decided from the bytes and the name.

The browser's declared type is not trusted: the extension names a family, and the file's
first bytes must be that family's signature, so a renamed executable is refused by name.
Stored files are addressed by their SHA-256 and linked as `/bukti/{action_id}/{sha256}`.
"""

from __future__ import annotations

import re
from uuid import UUID

from domain.errors import InvalidInput

MAX_BYTES = 20 * 1024 * 1024
FILE_PREFIX = "/bukti/"
_FILE_URL = re.compile(r"^/bukti/([0-9a-f-]{36})/([0-9a-f]{64})$")

_PDF = (b"%PDF-",)
_ZIP = (b"PK\x03\x04",)  # docx, xlsx, pptx, odt, ods
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # doc, xls, ppt
_JPEG = (b"\xff\xd8\xff",)
_PNG = (b"\x89PNG\r\n\x1a\n",)
_WEBP = (b"RIFF",)

# extension → (media type, the signatures its first bytes may start with; () = plain text)
ACCEPTED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", _PDF),
    "jpg": ("image/jpeg", _JPEG),
    "jpeg": ("image/jpeg", _JPEG),
    "png": ("image/png", _PNG),
    "webp": ("image/webp", _WEBP),
    "doc": ("application/msword", _OLE),
    "xls": ("application/vnd.ms-excel", _OLE),
    "ppt": ("application/vnd.ms-powerpoint", _OLE),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ZIP,
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ZIP,
    ),
    "odt": ("application/vnd.oasis.opendocument.text", _ZIP),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    "csv": ("text/csv", ()),
    "txt": ("text/plain", ()),
}
ACCEPTED_NAMES = ", ".join(sorted({name.upper() for name in ACCEPTED} - {"JPEG"}))


def media_type_of(filename: str, head: bytes, size: int) -> str:
    """The media type to store and serve, or a refusal naming what is wrong."""
    if size == 0:
        raise InvalidInput("evidence-empty", name=filename)
    if size > MAX_BYTES:
        raise InvalidInput("evidence-too-large", name=filename, limit_mb=MAX_BYTES >> 20)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    accepted = ACCEPTED.get(extension)
    if accepted is None:
        raise InvalidInput(
            "evidence-type",
            name=filename,
            kind=extension.upper() or "?",
            accepted=ACCEPTED_NAMES,
        )
    media_type, signatures = accepted
    if signatures and not head.startswith(signatures):
        raise InvalidInput("evidence-content", name=filename)
    if not signatures and b"\x00" in head:
        raise InvalidInput("evidence-content", name=filename)
    return media_type


def file_url(action_id: UUID, sha256: str) -> str:
    return f"{FILE_PREFIX}{action_id}/{sha256}"


def stored_file_of(url: str) -> tuple[str, str] | None:
    """The action id and fingerprint a stored file's link names, or None for an outside link."""
    found = _FILE_URL.match(url)
    return (found.group(1), found.group(2)) if found else None
