"""Portal pages of one action (/aksi/{id}) and the action board with its filters (/aksi)."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import msgspec
from litestar import MediaType, Request, get
from litestar.params import FromPath

from adapters import readmodels
from adapters.reference_data import kkp_criteria, national_priorities, region_catalogue
from projections.rollups import STATUSES
from tracker import queries
from tracker.http.helpers import BadHeader, decode_cursor, encode_cursor
from tracker.http.reading import Reads
from tracker.web.downloads import BOARD_COLUMNS, action_rows, table, wanted
from tracker.web.pages_common import (
    Fmt,
    completion_chart,
    dated,
    feeds,
    fmt,
    not_found,
    not_yet,
    parse_uuid,
    unchanged,
)
from tracker.web.render import page

BOARD_PAGE = 50
PN = re.compile(r"^PN[1-8]$")


def history_detail(entry: dict[str, Any], f: Fmt) -> str:
    """One line saying what an event changed, in the page's language."""
    data, kind = entry["data"], entry["type"]
    if kind == "ActionPlanned":
        return f.t("detail.due", due=f.date(data["due_on"]))
    if kind == "ActionRescheduled":
        return f.t(
            "detail.rescheduled",
            before=f.date(data["previous_due_on"]),
            after=f.date(data["due_on"]),
            reason=data["reason"],
        )
    if kind in ("ActionCancelled", "ActionAmended"):
        return str(data["reason"])
    if kind in ("ActionCompleted", "ActionVerified", "ProgressReportVerified"):
        return str(data["note"])
    if kind == "ProgressReportSubmitted":
        return f"{f.t('detail.period', period=f.period(data['period']))}: {f.pct(data['percent'])}"
    if kind == "ProgressReportResubmitted":
        return f.pct(data["percent"])
    if kind in ("ProgressReportReturned", "ActionCompletionReturned"):
        return f"{f.t('return.' + data['reason_code'])}: {data['note']}"
    return ""


@get(
    "/aksi/{action_id:str}",
    include_in_schema=False,
    media_type=MediaType.HTML,
    name="portal:action",
)
async def action_page(
    request: Request[Any, Any, Any], reads: Reads, action_id: FromPath[str]
) -> Any:
    ident = parse_uuid(action_id)
    live = reads
    action = await queries.public_aggregate(reads.data, "action", ident) if ident else None
    if ident is None or action is None:
        return not_found(request)
    reads, picker = await dated(request, reads, action["region_code"])
    if picker.get("as_of"):
        then = await queries.public_aggregate(reads.data, "action", ident)
        if then is None:
            reads, picker = not_yet(request, live, picker)
        else:
            action = then
    data = reads.data
    if (early := await unchanged(request, reads)) is not None:
        return early
    f = fmt(request, action["region_code"])
    forum_doc = await data.forum_doc(UUID(action["forum_id"]))
    forum = msgspec.json.decode(forum_doc) if forum_doc else None
    commitment = next(
        (
            c
            for c in await queries.commitments(data, forum_id=parse_uuid(action["forum_id"]))
            if c["id"] == action["commitment_id"]
        ),
        None,
    )
    history = [
        {**entry, "detail": history_detail(entry, f)}
        for entry in await queries.public_history(data, "action", ident)
    ]
    criteria = {c.number: c for c in kkp_criteria()}
    return await page(
        request,
        reads,
        "action.html",
        f=f,
        today=reads.today(action["region_code"]),
        feeds=feeds("aksi", str(ident)),
        action=action,
        reports_by_id={r["id"]: r for r in action["reports"]},
        steps=steps_of(action),
        forum=forum,
        commitment=commitment,
        history=history,
        criterion=criteria.get(action["kkp_criterion"]),
        pns={p.code: p.title for p in national_priorities()},
        chart=completion_chart(queries.percent_series(action), f),
        **picker,
    )


def steps_of(action: dict[str, Any]) -> list[dict[str, Any]]:
    """Each step with its stored figures, in the order the steps were added."""
    figures = {f["step_id"]: f for f in action["figures"].get("steps", ())}
    return [{**step, **figures.get(step["id"], {})} for step in action.get("steps", ())]


def board_filter(params: dict[str, str], today: Any) -> tuple[dict[str, str], Any]:
    """The filters a visitor chose that make sense (others are ignored, never an error),
    as the form should show them and as an ActionFilter."""
    catalogue = region_catalogue()
    chosen: dict[str, str] = {}
    kkp = params.get("kkp", "")
    if kkp.isdigit() and 1 <= int(kkp) <= 10:
        chosen["kkp"] = kkp
    if PN.match(params.get("pn", "")):
        chosen["pn"] = params["pn"]
    if opd := params.get("opd", "").strip()[:200]:
        chosen["opd"] = opd
    if params.get("status") in STATUSES:
        chosen["status"] = params["status"]
    if params.get("terlambat") == "1":
        chosen["terlambat"] = "1"
    province = catalogue.get(params.get("provinsi", ""))
    if province is not None and province.is_province:
        chosen["provinsi"] = province.code
    region = catalogue.get(params.get("wilayah", ""))
    if region is not None and not region.is_province:
        chosen["wilayah"] = region.code
    where = readmodels.ActionFilter(
        kkp_criterion=int(chosen["kkp"]) if "kkp" in chosen else None,
        rpjmn_pn=chosen.get("pn"),
        owner_opd=chosen.get("opd"),
        status=chosen.get("status"),
        overdue_on=today if "terlambat" in chosen else None,
        province_code=chosen.get("provinsi"),
        region_code=chosen.get("wilayah"),
    )
    return chosen, where


@get("/aksi", include_in_schema=False, media_type=MediaType.HTML, name="portal:board")
async def board_page(request: Request[Any, Any, Any], reads: Reads) -> Any:
    if (early := await unchanged(request, reads)) is not None:
        return early
    f = fmt(request)
    data = reads.data
    params = {key: str(value) for key, value in request.query_params.items()}
    place = params.get("wilayah") or params.get("provinsi") or None
    today = reads.today(place if region_catalogue().get(place or "") else None)
    chosen, where = board_filter(params, today)
    try:
        cursor = decode_cursor(params.get("halaman") or None)
    except BadHeader:
        cursor = None
    if chosen_format := wanted(request):  # every page of the board, with its filters
        rows = action_rows(await queries.all_actions(data, where))
        return await table(request, "aksi-terpilih", BOARD_COLUMNS, rows, chosen_format)
    actions, following = await queries.actions(data, where, BOARD_PAGE, cursor)
    ranking = await queries.ranked_regions(data, today)
    regions = sorted((e for e in ranking if "." in e["code"]), key=lambda e: e["name"])
    next_url = None
    if following is not None:
        next_url = f.url("/aksi", **chosen, halaman=encode_cursor(following))
    return await page(
        request,
        reads,
        "board.html",
        f=f,
        today=today,
        chosen=chosen,
        actions=actions,
        next_url=next_url,
        paged=cursor is not None,
        criteria=kkp_criteria(),
        priorities=national_priorities(),
        statuses=STATUSES,
        provinces=sorted(region_catalogue().provinces(), key=lambda r: r.name),
        regions=regions,
    )


HANDLERS: list[Any] = [board_page, action_page]
