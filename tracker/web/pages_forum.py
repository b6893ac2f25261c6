"""Portal page of a forum (/forum/{id}): its commitments and, per signatory, how far each
has gone from commitment to implementation."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, get
from litestar.params import FromPath

from adapters.reference_data import kkp_criteria, national_priorities
from tracker import queries
from tracker.http.reading import Reads
from tracker.web.pages_common import (
    dated,
    feeds,
    fmt,
    not_found,
    not_yet,
    parse_uuid,
    unchanged,
)
from tracker.web.render import page


@get(
    "/forum/{forum_id:str}", include_in_schema=False, media_type=MediaType.HTML, name="portal:forum"
)
async def forum_page(request: Request[Any, Any, Any], reads: Reads, forum_id: FromPath[str]) -> Any:
    ident = parse_uuid(forum_id)
    if ident is None:
        return not_found(request)
    live = reads
    reads, picker = await dated(request, reads)
    if (early := await unchanged(request, reads)) is not None:
        return early
    body = await queries.forum_progress(reads.data, reads.today(), ident)
    if body is None and picker.get("as_of"):
        reads, picker = not_yet(request, live, picker)
        body = await queries.forum_progress(reads.data, reads.today(), ident)
    if body is None:
        return not_found(request)
    return await page(
        request,
        reads,
        "forum.html",
        f=fmt(request),
        feeds=feeds("forum", str(ident)),
        kkp={c.number: c.name for c in kkp_criteria()},
        pns={p.code: p.title for p in national_priorities()},
        **picker,
        **body,
    )


HANDLERS: list[Any] = [forum_page]
