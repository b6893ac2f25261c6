"""The public reporting schedule (/jadwal?tahun=): the day each period's report is due that
year, default or set by the ministry, so anyone can tell a late report from an early one."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, get

from tracker import queries
from tracker.http.reading import Reads
from tracker.web.pages_common import dated, fmt, unchanged
from tracker.web.pages_kkp import chosen_year
from tracker.web.render import page


@get("/jadwal", include_in_schema=False, media_type=MediaType.HTML, name="portal:schedule")
async def schedule_page(request: Request[Any, Any, Any], reads: Reads) -> Any:
    reads, picker = await dated(request, reads, None)
    if (early := await unchanged(request, reads)) is not None:
        return early
    today = reads.today()
    year, year_error = chosen_year(request, today)
    if not (request.query_params.get("tahun") or "").strip():
        year = today.year  # the year in course, not the last data year
    table = await queries.schedules(reads.data)
    return await page(
        request,
        reads,
        "schedule.html",
        f=fmt(request),
        year=year,
        year_error=year_error,
        periods=table.year(year),
        set=year in table.years,
        **picker,
    )


HANDLERS: list[Any] = [schedule_page]
