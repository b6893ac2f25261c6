"""Portal page of a commitment (/komitmen/{id}): its text, signatories and the sources of
the forum where it was made, each signatory's own progress, and the actions planned under
it with their figures. The same reads as the forum page, so both always agree."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import MediaType, Request, get
from litestar.params import FromPath

from adapters import readmodels
from adapters.reference_data import kkp_criteria, national_priorities
from tracker import queries
from tracker.http.reading import Reads
from tracker.web.pages_common import dated, feeds, fmt, not_found, not_yet, parse_uuid, unchanged
from tracker.web.render import page


async def _found(reads: Reads, ident: UUID) -> dict[str, Any] | None:
    """The commitment with its progress, and its forum; None when the log has none."""
    doc = await queries.public_aggregate(reads.data, "commitment", ident)
    if doc is None:
        return None
    body = await queries.forum_progress(reads.data, reads.today(), UUID(doc["forum_id"]))
    if body is None:
        return None
    mine = next((c for c in body["commitments"] if c["id"] == str(ident)), None)
    return None if mine is None else {"forum": body["forum"], "commitment": mine}


@get(
    "/komitmen/{commitment_id:str}",
    include_in_schema=False,
    media_type=MediaType.HTML,
    name="portal:commitment",
)
async def commitment_page(
    request: Request[Any, Any, Any], reads: Reads, commitment_id: FromPath[str]
) -> Any:
    ident = parse_uuid(commitment_id)
    if ident is None:
        return not_found(request)
    live = reads
    reads, picker = await dated(request, reads)
    if (early := await unchanged(request, reads)) is not None:
        return early
    found = await _found(reads, ident)
    if found is None and picker.get("as_of"):
        reads, picker = not_yet(request, live, picker)
        found = await _found(reads, ident)
    if found is None:
        return not_found(request)
    actions, more = await queries.actions(reads.data, readmodels.ActionFilter(commitment_id=ident))
    return await page(
        request,
        reads,
        "commitment.html",
        f=fmt(request),
        feeds=feeds("forum", found["forum"]["id"]),
        kkp={c.number: c.name for c in kkp_criteria()},
        pns={p.code: p.title for p in national_priorities()},
        actions=actions,
        more=more is not None,
        today=reads.today(),
        **picker,
        **found,
    )


HANDLERS: list[Any] = [commitment_page]
