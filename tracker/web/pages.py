"""Portal pages: the national overview and the region search; the other pages live in
pages_region, pages_forum and pages_action. `HANDLERS` lists them all for routes.py."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, get
from litestar.params import FromQuery

from adapters.reference_data import region_catalogue
from tracker import queries
from tracker.http.reading import Reads
from tracker.web import pages_action, pages_commitment, pages_forum, pages_kkp, pages_region
from tracker.web.pages_common import dated, feeds, fmt, status_chart, unchanged
from tracker.web.render import page

SEARCH_LIMIT = 100


@get("/", include_in_schema=False, media_type=MediaType.HTML, name="portal:national")
async def national_page(request: Request[Any, Any, Any], reads: Reads) -> Any:
    reads, picker = await dated(request, reads)
    if (early := await unchanged(request, reads)) is not None:
        return early
    f = fmt(request)
    data = reads.data
    body = await queries.national(data, reads.today())
    return await page(
        request,
        reads,
        "national.html",
        f=f,
        feeds=feeds("nasional"),
        chart=status_chart(body["summary"]["by_status"], f),
        forums=await queries.forums(data),
        **picker,
        **body,
    )


def matching_regions(text: str) -> list[Any]:
    """Regions whose name holds every word of `text` (case-insensitive), provinces first."""
    words = text.casefold().split()
    if not words:
        return []
    catalogue = region_catalogue()
    everything = [r for p in catalogue.provinces() for r in (p, *catalogue.in_province(p.code))]
    found = [r for r in everything if all(word in r.name.casefold() for word in words)]
    return sorted(found, key=lambda r: (not r.is_province, r.name))


@get("/cari", include_in_schema=False, media_type=MediaType.HTML, name="portal:search")
async def search_page(request: Request[Any, Any, Any], reads: Reads, q: FromQuery[str] = "") -> Any:
    if (early := await unchanged(request, reads)) is not None:
        return early
    text = q.strip()[:100]
    found = matching_regions(text)
    records = await reads.data.search(text, SEARCH_LIMIT) if text else []
    tracked = {}
    if found:
        today = reads.today()
        body = await queries.national(reads.data, today)
        tracked = {  # a province counts all its actions, a kab/kota its own
            entry["code"]: entry["summary"]["actions"]
            for entry in (*body["regions"], *body["provinces"])
        }
    return await page(
        request,
        reads,
        "search.html",
        f=fmt(request),
        q=text,
        total=len(found),
        results=found[:SEARCH_LIMIT],
        tracked=tracked,
        records=records,
        provinces={p.code: p.name for p in region_catalogue().provinces()},
    )


HANDLERS: list[Any] = [
    national_page,
    search_page,
    *pages_region.HANDLERS,
    *pages_forum.HANDLERS,
    *pages_commitment.HANDLERS,
    *pages_kkp.HANDLERS,
    *pages_action.HANDLERS,
]
