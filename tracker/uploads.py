"""Evidence files chosen in a form (workspace or API): checked, fingerprinted, stored.

The server computes the SHA-256 itself and decides the type from the name and the first
bytes (domain/evidence_files.py); the browser's declared type is ignored. Every file is
checked before any is stored, so one bad file leaves nothing behind.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar.datastructures import UploadFile

from domain.evidence_files import MAX_BYTES, file_url, media_type_of
from domain.values import Evidence
from tracker.ports import FileStore

FORM_FIELD = "evidence_file"
# A form may carry a few files of up to MAX_BYTES each; past this the request is refused whole.
FORM_BODY_LIMIT = 3 * MAX_BYTES + (1 << 20)


def uploads(form: Any) -> list[UploadFile]:
    """The files chosen in the form; a file input left empty still sends a nameless part."""
    found = form.getall(FORM_FIELD, []) if hasattr(form, "getall") else []
    return [item for item in found if isinstance(item, UploadFile) and item.filename]


async def stored_evidence(
    files: FileStore, action_id: UUID, chosen: list[UploadFile], public: bool
) -> tuple[Evidence, ...]:
    """Check and store each chosen file; a refusal names the file and is raised before
    anything is dispatched."""
    checked: list[tuple[UploadFile, bytes, str]] = []
    for upload in chosen:
        content = await upload.read(MAX_BYTES + 1)  # one byte past the limit is enough to refuse
        checked.append(
            (upload, content, media_type_of(upload.filename, content[:16], len(content)))
        )
    out: list[Evidence] = []
    for upload, content, media_type in checked:
        stored = await files.put(content, media_type)
        out.append(
            Evidence(
                title=upload.filename[-300:],
                url=file_url(action_id, stored.sha256),
                sha256=stored.sha256,
                public=public,
                media_type=stored.media_type,
                size=stored.size,
            )
        )
    return tuple(out)
