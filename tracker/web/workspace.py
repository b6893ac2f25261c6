"""Ruang kerja (/kerja): the signed-in workspace of Pemda and Kanwil staff.

Pages read the same read models as the portal; forms build the same typed commands as the
JSON API (tracker/fields/reports.py) and hand them to the same bus. A refused command
re-renders the form with the domain's reason beside its field and what was typed kept
(422/409); a policy refusal is a 403 page; a success redirects (POST-redirect-GET) to a page
that waits for the write's position. Nothing here is cached: pages are personal.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec
from litestar import MediaType, Request, Response, get, post
from litestar.params import FromPath

from adapters import readmodels
from adapters.reference_data import kkp_criteria, region_catalogue
from domain import commands as c
from domain.access import NotAllowed, Principal, SignInRequired, Target, authorize
from domain.action_events import ReturnReason
from domain.period import ReportingPeriod
from domain.values import Evidence, Role
from tracker import queries
from tracker.fields.reports import (
    progress_command,
    resubmit_command,
    review_command,
)
from tracker.http.deps import Bus, Files
from tracker.http.principal import Who
from tracker.http.reading import Reads, wait_after
from tracker.uploads import FORM_BODY_LIMIT
from tracker.web.downloads import PLAN_COLUMNS, Col, action_rows, table, wanted
from tracker.web.pages_common import Fmt
from tracker.web.workspace_common import (
    full_action,
    refused_page,
    render,
    send,
    sign_in_first,
    text,
    uuid_or_none,
)

OPEN_STATUSES = ("planned", "in_progress")
AWAITING = ("submitted", "resubmitted")


def _late(action: dict[str, Any], today: date) -> bool:
    since = action["figures"]["overdue_from"]  # domain Action.overdue_from
    return since is not None and date.fromisoformat(since) <= today


# -- home -------------------------------------------------------------------------------------
async def _region_actions(reads: Reads, who: Principal) -> list[dict[str, Any]]:
    where = readmodels.ActionFilter(region_code=who.region_code, owner_opd=who.opd)
    return await queries.all_actions(reads.data, where)


def current_period(today: date) -> str:
    """The four-monthly period today falls in (B04 Jan-Apr, B08 May-Aug, B12 Sep-Dec)."""
    return f"{today.year}-B{((today.month - 1) // 4 + 1) * 4:02d}"


def _unreported(actions: list[dict[str, Any]], label: str) -> list[dict[str, Any]]:
    """Open actions with no report for the period other than a returned one."""
    ends = ReportingPeriod.parse(label).ends_on
    return [
        a
        for a in actions
        if a["status"] in OPEN_STATUSES
        and date.fromisoformat(str(a["created_at"])[:10]) <= ends
        and not any(
            Fmt.period(r["period"]) == label and r["status"] != "returned" for r in a["reports"]
        )
    ]


async def _drafts(reads: Reads, actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The region's saved drafts: only in the full state, never in the public documents."""
    found: list[dict[str, Any]] = []
    for listed in actions:
        if listed["status"] not in (*OPEN_STATUSES, "completed"):
            continue
        action = await full_action(reads, listed["id"])
        found.extend({"action": listed, "draft": d} for d in (action or {}).get("drafts", ()))
    return sorted(found, key=lambda item: item["draft"]["saved_at"], reverse=True)


def _wanted(item: dict[str, Any], params: dict[str, str]) -> bool:
    """The queue's filters: region, period, KKP HAM criterion, minimum age in days."""
    action, report = item["action"], item["report"]
    if params.get("wilayah") and action["region_code"] != params["wilayah"].strip():
        return False
    if params.get("periode") and (
        report is None or Fmt.period(report["period"]) != params["periode"].strip()
    ):
        return False
    if params.get("kkp") and str(action["kkp_criterion"]) != params["kkp"]:
        return False
    age = params.get("umur", "").strip()
    return not (age.isdigit() and item["age"] < int(age))


async def _queue(
    reads: Reads, who: Principal, params: dict[str, str], today: date
) -> list[dict[str, Any]]:
    """Reports (and completions) awaiting review in the jurisdiction, oldest first."""
    provinces = sorted(who.provinces) if who.role is Role.KANWIL else [None]
    province = params.get("provinsi") or None
    items: list[dict[str, Any]] = []
    for code in provinces:
        if province and code not in (None, province):
            continue
        where = readmodels.ActionFilter(province_code=province or code)
        for action in await queries.all_actions(reads.data, where):
            waiting = [(r, r["submitted_at"]) for r in action["reports"] if r["status"] in AWAITING]
            if action["status"] == "completed":
                waiting.append((None, action["completed_at"]))
            for report, since in waiting:
                age = (today - datetime.fromisoformat(str(since)).date()).days
                items.append({"action": action, "report": report, "since": since, "age": age})
    chosen = [item for item in items if _wanted(item, params)]
    return sorted(chosen, key=lambda item: str(item["since"]))


QUEUE_COLUMNS = (
    Col("region_code", "text"),
    Col("action_id", "uuid"),
    Col("action_title", "text"),
    Col("owner_opd", "text"),
    Col("kind", "text"),
    Col("period", "text"),
    Col("percent", "number"),
    Col("since", "datetime"),
    Col("age_days", "int"),
)


def _queue_rows(queue: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "region_code": item["action"]["region_code"],
            "action_id": item["action"]["id"],
            "action_title": item["action"]["title"],
            "owner_opd": item["action"]["owner_opd"],
            "kind": "report" if item["report"] else "completion",
            "period": Fmt.period(item["report"]["period"]) if item["report"] else "",
            "percent": item["report"]["percent"] if item["report"] else None,
            "since": item["since"],
            "age_days": item["age"],
        }
        for item in queue
    ]


@get("/kerja", include_in_schema=False, media_type=MediaType.HTML, name="work:home")
async def home(request: Request[Any, Any, Any], reads: Reads, who: Who) -> Response[Any]:
    if not who.signed_in:
        return sign_in_first(request)
    await wait_after(request, reads)
    today = reads.today(who.region_code or min(who.provinces, default=None))
    chosen = wanted(request)
    if who.role is Role.PEMDA:
        actions = await _region_actions(reads, who)
        if chosen:
            stem = f"rencana-aksi-{who.region_code}"
            return await table(request, stem, PLAN_COLUMNS, action_rows(actions), chosen)
        returned = [
            {"action": a, "report": r}
            for a in actions
            for r in a["reports"]
            if r["status"] == "returned"
        ]
        drafts = await _drafts(reads, actions)
        now, last = current_period(today), last_closed_period(today)
        recent = await reads.data.region_activity(
            who.region_code or "",
            since=None,
            until=None,
            actor=None,
            event_type=None,
            limit=10,
            before_position=None,
        )
        return render(
            request,
            who,
            "kerja_home.html",
            actions=actions,
            drafts=drafts,
            commitments=await queries.commitments(reads.data, region_code=who.region_code),
            period_now=now,
            due_now=_unreported(actions, now),
            period_last=last,
            missed=_unreported(actions, last),
            recent=msgspec.to_builtins(recent),
            late={a["id"] for a in actions if _late(a, today)},
            returned=returned,
            today=today,
        )
    params = {k: str(v) for k, v in request.query_params.items()}
    queue = await _queue(reads, who, params, today)
    if chosen:
        return await table(request, "antrean-tinjauan", QUEUE_COLUMNS, _queue_rows(queue), chosen)
    return render(
        request,
        who,
        "kerja_queue.html",
        queue=queue,
        criteria=kkp_criteria(),
        provinces=[p for p in region_catalogue().provinces() if p.code in who.provinces],
        params=params,
        today=today,
    )


# -- compliance per period (Kanwil) ----------------------------------------------------------
def last_closed_period(today: date) -> str:
    """The four-monthly period (B04 Jan-Apr, B08 May-Aug, B12 Sep-Dec) that ended last."""
    if today.month <= 4:
        return f"{today.year - 1}-B12"
    return f"{today.year}-B04" if today.month <= 8 else f"{today.year}-B08"


# -- progress reports: submit, resubmit -------------------------------------------------------
def _writer_check(who: Principal, action: dict[str, Any]) -> None:
    target = Target(region_code=action["region_code"], owner_opd=action["owner_opd"])
    authorize(c.SubmitProgressReport.RULE, who, target)


async def _report_form(
    request: Request[Any, Any, Any],
    reads: Reads,
    who: Principal,
    action_id: str,
    report_id: str | None,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response[Any]:
    action = await full_action(reads, action_id)
    if action is None:
        return render(
            request, who, "kerja_refused.html", 404, message=text(request, "work.missing")
        )
    try:
        _writer_check(who, action)
    except (NotAllowed, SignInRequired) as error:
        return refused_page(request, who, error)
    report = next((r for r in action["reports"] if r["id"] == report_id), None)
    if report_id is not None and report is None:
        return render(
            request, who, "kerja_refused.html", 404, message=text(request, "work.missing")
        )
    wanted = str((values or {}).get("draft_id") or request.query_params.get("draf") or "")
    draft = _draft(action, wanted)
    if wanted and draft is None and values is None:
        return render(
            request, who, "kerja_refused.html", 404, message=text(request, "work.missing")
        )
    shown = values if values is not None else _prefill(report or draft)
    return render(
        request,
        who,
        "kerja_report.html",
        status,
        action=action,
        report=report,
        draft=draft,
        values=shown,
        errors=errors or {},
    )


def _draft(action: dict[str, Any], draft_id: str) -> dict[str, Any] | None:
    return next((d for d in action.get("drafts", ()) if d["id"] == draft_id), None)


def _prefill(report: dict[str, Any] | None) -> dict[str, str]:
    if report is None:
        return {}

    def show(value: Any) -> str:
        return "" if value is None else f"{value:g}"

    shown = {
        "percent": show(report["percent"]),
        "indicator_value": show(report["indicator_value"]),
        "narrative": report["narrative"],
    }
    if isinstance(report.get("period"), str):  # a draft: the period as typed, and its id
        shown |= {"period": report["period"], "draft_id": report["id"]}
    return shown


@get("/kerja/aksi/{action_id:str}/laporan", include_in_schema=False, media_type=MediaType.HTML)
async def report_page(
    request: Request[Any, Any, Any], reads: Reads, who: Who, action_id: FromPath[str]
) -> Response[Any]:
    if not who.signed_in:
        return sign_in_first(request)
    return await _report_form(request, reads, who, action_id, None)


@post(
    "/kerja/aksi/{action_id:str}/laporan",
    include_in_schema=False,
    status_code=303,
    request_max_body_size=FORM_BODY_LIMIT,
)
async def submit_report(
    request: Request[Any, Any, Any],
    reads: Reads,
    bus: Bus,
    files: Files,
    who: Who,
    action_id: FromPath[str],
) -> Response[Any]:
    ident = uuid_or_none(action_id)
    action = await full_action(reads, action_id)
    if ident is None or action is None:
        return await _report_form(request, reads, who, action_id, None)

    async def again(**kwargs: Any) -> Response[Any]:
        return await _report_form(request, reads, who, action_id, None, **kwargs)

    def build(form: dict[str, str]) -> c.Command:
        draft = _draft(action, form.get("draft_id", ""))
        carried = msgspec.convert(draft["evidence"], tuple[Evidence, ...]) if draft else ()
        return progress_command(ident, form, carried)

    return await send(request, bus, who, build, "/kerja", again, files)


@get(
    "/kerja/aksi/{action_id:str}/laporan/{report_id:str}/ulang",
    include_in_schema=False,
    media_type=MediaType.HTML,
)
async def resubmit_page(
    request: Request[Any, Any, Any],
    reads: Reads,
    who: Who,
    action_id: FromPath[str],
    report_id: FromPath[str],
) -> Response[Any]:
    if not who.signed_in:
        return sign_in_first(request)
    return await _report_form(request, reads, who, action_id, report_id)


@post(
    "/kerja/aksi/{action_id:str}/laporan/{report_id:str}/ulang",
    include_in_schema=False,
    status_code=303,
    request_max_body_size=FORM_BODY_LIMIT,
)
async def resubmit_report(
    request: Request[Any, Any, Any],
    reads: Reads,
    bus: Bus,
    files: Files,
    who: Who,
    action_id: FromPath[str],
    report_id: FromPath[str],
) -> Response[Any]:
    action_ident, report_ident = uuid_or_none(action_id), uuid_or_none(report_id)
    if action_ident is None or report_ident is None:
        return await _report_form(request, reads, who, action_id, report_id)

    async def again(**kwargs: Any) -> Response[Any]:
        return await _report_form(request, reads, who, action_id, report_id, **kwargs)

    return await send(
        request,
        bus,
        who,
        lambda form: resubmit_command(action_ident, report_ident, form),
        "/kerja",
        again,
        files,
    )


# -- review (Kanwil) --------------------------------------------------------------------------
async def _review_form(
    request: Request[Any, Any, Any],
    reads: Reads,
    who: Principal,
    action_id: str,
    report_id: str,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response[Any]:
    action = await full_action(reads, action_id)
    report = next((r for r in action["reports"] if r["id"] == report_id), None) if action else None
    if action is None or report is None:
        return render(
            request, who, "kerja_refused.html", 404, message=text(request, "work.missing")
        )
    try:
        authorize(c.VerifyReport.RULE, who, Target(region_code=action["region_code"]))
    except (NotAllowed, SignInRequired) as error:
        return refused_page(request, who, error)
    return render(
        request,
        who,
        "kerja_review.html",
        status,
        action=action,
        report=report,
        earlier=[r for r in action["reports"] if r["id"] != report_id],
        reasons=[r.value for r in ReturnReason],
        values=values or {},
        errors=errors or {},
    )


@get("/kerja/tinjau/{action_id:str}/{report_id:str}", include_in_schema=False)
async def review_page(
    request: Request[Any, Any, Any],
    reads: Reads,
    who: Who,
    action_id: FromPath[str],
    report_id: FromPath[str],
) -> Response[Any]:
    if not who.signed_in:
        return sign_in_first(request)
    return await _review_form(request, reads, who, action_id, report_id)


@post("/kerja/tinjau/{action_id:str}/{report_id:str}", include_in_schema=False, status_code=303)
async def review(
    request: Request[Any, Any, Any],
    reads: Reads,
    bus: Bus,
    who: Who,
    action_id: FromPath[str],
    report_id: FromPath[str],
) -> Response[Any]:
    action_ident, report_ident = uuid_or_none(action_id), uuid_or_none(report_id)
    if action_ident is None or report_ident is None:
        return await _review_form(request, reads, who, action_id, report_id)

    async def again(**kwargs: Any) -> Response[Any]:
        return await _review_form(request, reads, who, action_id, report_id, **kwargs)

    return await send(
        request,
        bus,
        who,
        lambda form: review_command(action_ident, report_ident, form),
        "/kerja",
        again,
    )


HANDLERS: list[Any] = [
    home,
    report_page,
    submit_report,
    resubmit_page,
    resubmit_report,
    review_page,
    review,
]
