"""Ruang kerja (/kerja): the signed-in workspace of Pemda and Kanwil staff.

Pages read the same read models as the portal; forms build the same typed commands as the
JSON API (tracker/web/workspace_forms.py) and hand them to the same bus. A refused command
re-renders the form with the domain's reason beside its field and what was typed kept
(422/409); a policy refusal is a 403 page; a success redirects (POST-redirect-GET) to a page
that waits for the write's position. Nothing here is cached: pages are personal.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

import msgspec
from litestar import MediaType, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from adapters import codec, readmodels
from adapters.reference_data import region_catalogue
from domain import commands as c
from domain.access import NotAllowed, Principal, SignInRequired, Target, authorize
from domain.action_events import ReturnReason
from domain.errors import DomainError, Refusal
from domain.values import Role
from tracker import catalogue, queries
from tracker.http.deps import Bus, Files
from tracker.http.principal import Who
from tracker.http.reading import Reads, wait_after
from tracker.ports import FileStore
from tracker.uploads import FORM_BODY_LIMIT, stored_evidence, uploads
from tracker.web import i18n
from tracker.web.pages_common import Fmt, fmt
from tracker.web.render import lang_of
from tracker.web.workspace_forms import (
    field_of,
    progress_command,
    resubmit_command,
    review_command,
    text_fields,
)

OPEN_STATUSES = ("planned", "in_progress")
AWAITING = ("submitted", "resubmitted")


def _scope(who: Principal) -> str:
    if who.role is Role.PEMDA and who.region_code:
        region = region_catalogue().get(who.region_code)
        name = region.name if region else who.region_code
        return f"{name} ({who.opd})" if who.opd else name
    if who.provinces:
        provinces = {p.code: p.name for p in region_catalogue().provinces()}
        return ", ".join(provinces.get(code, code) for code in sorted(who.provinces))
    return ""


def _render(
    request: Request[Any, Any, Any],
    who: Principal,
    template: str,
    status: int = 200,
    **context: Any,
) -> Response[Any]:
    lang = lang_of(request)
    other = {**dict(request.query_params), "lang": "en" if lang == "id" else "id"}
    return Template(
        template_name=template,
        status_code=status,
        context={
            "lang": lang,
            "t": i18n.translator(lang),
            "f": fmt(request),
            "path": request.url.path,
            "query": dict(request.query_params),
            "switch_url": f"{request.url.path}?{urlencode(other)}",
            "who": who,
            "who_scope": _scope(who),
            "csrf": getattr(request.state, "csrf", ""),
            "has_session": True,
            **context,
        },
        headers={"Cache-Control": "no-store"},
    )


def _refused_page(request: Request[Any, Any, Any], who: Principal, error: Refusal) -> Response[Any]:
    status = 401 if isinstance(error, SignInRequired) else 403
    message = catalogue.refusal(error, lang_of(request))
    return _render(request, who, "kerja_refused.html", status, message=message)


def _sign_in_first(request: Request[Any, Any, Any]) -> Response[Any]:
    return Redirect(f"/masuk?{urlencode({'next': request.url.path, 'lang': lang_of(request)})}")


def _uuid(raw: str) -> UUID | None:
    try:
        return UUID(raw)
    except ValueError:
        return None


async def _action(reads: Reads, raw: str) -> dict[str, Any] | None:
    """The full current state (private evidence included): only shown after a policy check."""
    ident = _uuid(raw)
    state = await reads.data.load_state("action", ident) if ident else None
    if state is None:
        return None
    found: dict[str, Any] = codec.to_builtins(state)
    return found


def _late(action: dict[str, Any], today: date) -> bool:
    return action["status"] in OPEN_STATUSES and date.fromisoformat(action["due_on"]) < today


# -- home -------------------------------------------------------------------------------------
async def _region_actions(reads: Reads, who: Principal) -> list[dict[str, Any]]:
    where = readmodels.ActionFilter(region_code=who.region_code, owner_opd=who.opd)
    found, _ = await queries.actions(reads.data, where)
    return found


async def _queue(reads: Reads, who: Principal, params: dict[str, str]) -> list[dict[str, Any]]:
    """Reports (and completions) awaiting review in the jurisdiction, oldest first."""
    provinces = sorted(who.provinces) if who.role is Role.KANWIL else [None]
    province = params.get("provinsi") or None
    items: list[dict[str, Any]] = []
    for code in provinces:
        if province and code not in (None, province):
            continue
        where = readmodels.ActionFilter(province_code=province or code)
        actions, _ = await queries.actions(reads.data, where)
        for action in actions:
            if params.get("wilayah") and action["region_code"] != params["wilayah"]:
                continue
            for report in action["reports"]:
                wanted = params.get("periode")
                label = Fmt.period(report["period"])
                if report["status"] in AWAITING and (not wanted or label == wanted):
                    items.append(
                        {"action": action, "report": report, "since": report["submitted_at"]}
                    )
            if action["status"] == "completed" and not params.get("periode"):
                items.append({"action": action, "report": None, "since": action["completed_at"]})
    return sorted(items, key=lambda item: item["since"])


@get("/kerja", include_in_schema=False, media_type=MediaType.HTML, name="work:home")
async def home(request: Request[Any, Any, Any], reads: Reads, who: Who) -> Response[Any]:
    if not who.signed_in:
        return _sign_in_first(request)
    await wait_after(request, reads)
    today = reads.clock().date()
    if who.role is Role.PEMDA:
        actions = await _region_actions(reads, who)
        returned = [
            {"action": a, "report": r}
            for a in actions
            for r in a["reports"]
            if r["status"] == "returned"
        ]
        return _render(
            request,
            who,
            "kerja_home.html",
            actions=actions,
            late={a["id"] for a in actions if _late(a, today)},
            returned=returned,
            today=today,
        )
    params = {k: str(v) for k, v in request.query_params.items()}
    return _render(
        request,
        who,
        "kerja_queue.html",
        queue=await _queue(reads, who, params),
        provinces=[p for p in region_catalogue().provinces() if p.code in who.provinces],
        params=params,
        today=today,
    )


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
    action = await _action(reads, action_id)
    if action is None:
        return _render(request, who, "kerja_refused.html", 404, message=_t(request, "work.missing"))
    try:
        _writer_check(who, action)
    except (NotAllowed, SignInRequired) as error:
        return _refused_page(request, who, error)
    report = next((r for r in action["reports"] if r["id"] == report_id), None)
    if report_id is not None and report is None:
        return _render(request, who, "kerja_refused.html", 404, message=_t(request, "work.missing"))
    shown = values if values is not None else _prefill(report)
    return _render(
        request,
        who,
        "kerja_report.html",
        status,
        action=action,
        report=report,
        values=shown,
        errors=errors or {},
    )


def _prefill(report: dict[str, Any] | None) -> dict[str, str]:
    if report is None:
        return {}

    def show(value: Any) -> str:
        return "" if value is None else f"{value:g}"

    return {
        "percent": show(report["percent"]),
        "indicator_value": show(report["indicator_value"]),
        "narrative": report["narrative"],
    }


def _t(request: Request[Any, Any, Any], key: str, **values: Any) -> str:
    return catalogue.text(lang_of(request), key, **values)


async def _send(
    request: Request[Any, Any, Any],
    bus: Bus,
    who: Principal,
    build: Any,
    done: str,
    again: Any,
    files: FileStore | None = None,
) -> Response[Any]:
    """Build the command from the form, dispatch it, redirect on success; on a domain
    refusal, show the form again with the reason beside its field. With a file store, the
    files chosen in the form are checked, stored and added to the command's evidence."""
    form = await request.form()
    values = text_fields(form)
    try:
        command = build(values)
        chosen = uploads(form) if files is not None else []
        if files is not None and chosen:
            public = values.get("evidence_private") != "on"
            added = await stored_evidence(files, command.action_id, chosen, public)
            command = msgspec.structs.replace(command, evidence=(*command.evidence, *added))
        result = await bus.dispatch(command, who)
    except (NotAllowed, SignInRequired) as error:
        return _refused_page(request, who, error)
    except DomainError as error:
        message = catalogue.refusal(error, lang_of(request))
        field = field_of(error) or "_form"
        refused: Response[Any] = await again(values=values, errors={field: message}, status=422)
        return refused
    query = urlencode({"after": result.position, "lang": lang_of(request)})
    return Redirect(f"{done}?{query}", status_code=303)


@get("/kerja/aksi/{action_id:str}/laporan", include_in_schema=False, media_type=MediaType.HTML)
async def report_page(
    request: Request[Any, Any, Any], reads: Reads, who: Who, action_id: FromPath[str]
) -> Response[Any]:
    if not who.signed_in:
        return _sign_in_first(request)
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
    ident = _uuid(action_id)
    if ident is None:
        return await _report_form(request, reads, who, action_id, None)

    async def again(**kwargs: Any) -> Response[Any]:
        return await _report_form(request, reads, who, action_id, None, **kwargs)

    return await _send(
        request, bus, who, lambda form: progress_command(ident, form), "/kerja", again, files
    )


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
        return _sign_in_first(request)
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
    action_ident, report_ident = _uuid(action_id), _uuid(report_id)
    if action_ident is None or report_ident is None:
        return await _report_form(request, reads, who, action_id, report_id)

    async def again(**kwargs: Any) -> Response[Any]:
        return await _report_form(request, reads, who, action_id, report_id, **kwargs)

    return await _send(
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
    action = await _action(reads, action_id)
    report = next((r for r in action["reports"] if r["id"] == report_id), None) if action else None
    if action is None or report is None:
        return _render(request, who, "kerja_refused.html", 404, message=_t(request, "work.missing"))
    try:
        authorize(c.VerifyReport.RULE, who, Target(region_code=action["region_code"]))
    except (NotAllowed, SignInRequired) as error:
        return _refused_page(request, who, error)
    return _render(
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
        return _sign_in_first(request)
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
    action_ident, report_ident = _uuid(action_id), _uuid(report_id)
    if action_ident is None or report_ident is None:
        return await _review_form(request, reads, who, action_id, report_id)

    async def again(**kwargs: Any) -> Response[Any]:
        return await _review_form(request, reads, who, action_id, report_id, **kwargs)

    return await _send(
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
