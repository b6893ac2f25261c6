"""Portal pages of a province (/provinsi/{code}) and of a kab/kota (/wilayah/{code})."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, get
from litestar.params import FromPath
from litestar.response import Redirect

from adapters import readmodels
from adapters.reference_data import region_catalogue
from tracker import queries
from tracker.errors import BadQuery
from tracker.http.reading import Reads, between
from tracker.web.pages_common import (
    completion_chart,
    dated,
    feeds,
    fmt,
    not_found,
    status_chart,
    unchanged,
)
from tracker.web.pages_kkp import chosen_year, region_section
from tracker.web.render import page

TIMELINE_LIMIT = 50


@get(
    "/provinsi/{code:str}",
    include_in_schema=False,
    media_type=MediaType.HTML,
    name="portal:province",
)
async def province_page(request: Request[Any, Any, Any], reads: Reads, code: FromPath[str]) -> Any:
    region = region_catalogue().get(code)
    if region is None:
        return not_found(request)
    if not region.is_province:
        return Redirect(f"/wilayah/{code}", status_code=301)
    reads, picker = await dated(request, reads, code)
    if (early := await unchanged(request, reads)) is not None:
        return early
    f = fmt(request, code)
    data = reads.data
    today = reads.today(code)
    body = await queries.region_summary(data, today, region)
    actions, more = await queries.actions(data, readmodels.ActionFilter(province_code=code))
    return await page(
        request,
        reads,
        "province.html",
        f=f,
        today=today,
        closures=await queries.closures(data, code),
        feeds=feeds("provinsi", code),
        chart=status_chart(body["summary"]["by_status"], f),
        actions=actions,
        capped=more is not None,
        **picker,
        **body,
    )


def by_commitment(
    actions: list[dict[str, Any]], signed: list[dict[str, Any]], covering: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each commitment the region signed (or its province signed for it) with the region's
    actions under it, and the actions under none of them."""
    groups = []
    seen: set[str] = set()
    for via_province, commitments in ((False, signed), (True, covering)):
        for commitment in commitments:
            if commitment["id"] in seen:
                continue
            seen.add(commitment["id"])
            mine = [a for a in actions if a["commitment_id"] == commitment["id"]]
            if via_province and not mine:
                continue
            groups.append({"commitment": commitment, "actions": mine, "via_province": via_province})
    return groups, [a for a in actions if a["commitment_id"] not in seen]


def signatory_office(commitment: dict[str, Any], code: str) -> str:
    return next((s["office"] for s in commitment["signatories"] if s["region_code"] == code), "")


@get(
    "/wilayah/{code:str}", include_in_schema=False, media_type=MediaType.HTML, name="portal:region"
)
async def region_page(request: Request[Any, Any, Any], reads: Reads, code: FromPath[str]) -> Any:
    region = region_catalogue().get(code)
    if region is None:
        return not_found(request)
    if region.is_province:
        return Redirect(f"/provinsi/{code}", status_code=301)
    reads, picker = await dated(request, reads, code)
    if (early := await unchanged(request, reads)) is not None:
        return early
    f = fmt(request, code)
    data = reads.data
    today = reads.today(code)
    body = await queries.region_summary(data, today, region)
    actions, more = await queries.actions(data, readmodels.ActionFilter(region_code=code))
    groups, others = by_commitment(
        actions,
        await queries.commitments(data, region_code=code),
        await queries.commitments(data, region_code=region.province_code),
    )
    forums = {forum["id"]: forum for forum in await queries.forums(data)}
    year, year_error = chosen_year(request, today)
    return await page(
        request,
        reads,
        "region.html",
        f=f,
        today=today,
        kkp=await region_section(data, region, year),
        kkp_year=year,
        kkp_year_error=year_error,
        closures=await queries.closures(data, code),
        feeds=feeds("wilayah", code),
        chart=status_chart(body["summary"]["by_status"], f),
        completion=completion_chart(queries.mean_completion_series(actions), f),
        groups=groups,
        others=others,
        capped=more is not None,
        forums=forums,
        office_of=signatory_office,
        timeline=sorted(  # the latest recorded, newest first by when it happened
            (await queries.timeline(data, region, TIMELINE_LIMIT))["items"],
            key=lambda item: item["at"],
            reverse=True,
        ),
        **picker,
        **body,
    )


@get(
    ["/wilayah/{code:str}/perubahan", "/provinsi/{code:str}/perubahan"],
    include_in_schema=False,
    media_type=MediaType.HTML,
    name="portal:changes",
)
async def changes_page(request: Request[Any, Any, Any], reads: Reads, code: FromPath[str]) -> Any:
    """What changed in a region or province between two dates (`?dari=` … `?sampai=`)."""
    region = region_catalogue().get(code)
    if region is None:
        return not_found(request)
    f = fmt(request, code)
    start = request.query_params.get("dari") or None
    end = request.query_params.get("sampai") or None
    context: dict[str, Any] = {"dari": start, "sampai": end, "error": None, "result": None}
    if start and end:
        try:
            then, now = await between(reads, start, end, code)
        except BadQuery as refused:
            context["error"] = f.t(f"problem.{refused.code}", **refused.params)
        else:
            days = (then.today(code), now.today(code))
            context["result"] = await queries.changes(then.data, now.data, days, region)
            context.update(start=then.as_of, end=now.as_of)
    elif start or end:
        context["error"] = f.t("changes.pick")
    return await page(
        request,
        reads,
        "changes.html",
        f=f,
        region=region,
        province=None if region.is_province else region_catalogue().get(region.province_code),
        region_url=f"/provinsi/{code}" if region.is_province else f"/wilayah/{code}",
        pada_max=reads.today(code).isoformat(),
        **context,
    )


HANDLERS: list[Any] = [province_page, region_page, changes_page]
