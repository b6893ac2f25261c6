"""Evidence files served at /bukti/{action}/{sha256} (stored by tracker/uploads.py).

A file is served only through an action whose reports or completion reference it: public
evidence to anyone, private evidence to those who may audit the region. Bytes whose command
was refused stay stored but unreachable.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote
from uuid import UUID

from litestar import Response, get
from litestar.params import FromPath

from adapters import codec
from domain.access import require_auditor
from domain.evidence_files import file_url
from tracker.errors import NotFound
from tracker.http.deps import Files
from tracker.http.principal import Who
from tracker.http.reading import Reads


def _references(state: dict[str, Any], drafts: bool) -> Iterator[dict[str, Any]]:
    for report in state.get("reports", ()):
        yield from report.get("evidence", ())
    yield from state.get("completion_evidence", ())
    if drafts:  # a draft's files: only the region's own accounts
        for draft in state.get("drafts", ()):
            yield from draft.get("evidence", ())


def _disposition(title: str) -> str:
    ascii_name = title.encode("ascii", "replace").decode().replace('"', "'")
    return f"inline; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(title)}"


@get("/bukti/{action_id:str}/{sha256:str}", include_in_schema=False, name="evidence:file")
async def evidence_file(
    reads: Reads, files: Files, who: Who, action_id: FromPath[str], sha256: FromPath[str]
) -> Response[bytes]:
    """One evidence file, opened in the browser; 404 unless an action references it."""
    try:
        ident = UUID(action_id)
    except ValueError:
        raise NotFound("evidence", sha256) from None
    state = await reads.data.load_state("action", ident)
    found = codec.to_builtins(state) if state is not None else {}
    url = file_url(ident, sha256)
    drafts = bool(found) and who.sees_drafts(found["region_code"])
    item = next((e for e in _references(found, drafts) if e.get("url") == url), None)
    if item is None:
        raise NotFound("evidence", sha256)
    private = item.get("public") is False
    if private:
        require_auditor(who, found["region_code"])  # 401/403 problem from the handlers
    stored = await files.get(sha256)
    if stored is None:
        raise NotFound("evidence", sha256)
    return Response(
        content=stored.content,
        media_type=stored.media_type,
        headers={
            "Content-Disposition": _disposition(str(item.get("title") or sha256)),
            "X-Content-Type-Options": "nosniff",
            "ETag": f'"{sha256}"',
            "Cache-Control": "private, no-store" if private else "public, max-age=86400",
        },
    )


HANDLERS: list[Any] = [evidence_file]
