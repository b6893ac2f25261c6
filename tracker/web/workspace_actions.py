"""Workspace forms for the action itself: plan (/kerja/aksi/baru), amend, add a step,
reschedule, cancel, declare completion, and the Kanwil's review of a declared completion.

Each form is a `Form`: its fields, the command it builds, the policy rule that decides who
sees it. The pages and the posts are made from that table, so every form behaves the same:
a 403 page for the wrong account, the domain's reason beside the field, POST-redirect-GET.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import MediaType, Request, Response, get, post
from litestar.params import FromPath

from adapters.reference_data import kkp_criteria, national_priorities
from domain import commands as c
from domain.access import NotAllowed, Principal, Rule, SignInRequired, Target, authorize
from domain.action_events import ReturnReason
from domain.period import PeriodKind
from domain.values import IndicatorType
from tracker import queries
from tracker.fields import plans as af
from tracker.http.deps import Bus, Files
from tracker.http.principal import Who
from tracker.http.reading import Reads
from tracker.uploads import FORM_BODY_LIMIT
from tracker.web.workspace_common import (
    full_action,
    missing,
    refused_page,
    render,
    send,
    sign_in_first,
    text,
    uuid_or_none,
)

ACCEPT = ".pdf,.jpg,.jpeg,.png,.webp,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.csv,.txt"
Fields = Callable[[Any, dict[str, Any]], list[dict[str, Any]]]


def _field(name: str, label: str, kind: str = "text", **extra: Any) -> dict[str, Any]:
    spec = {"name": name, "label": label, "kind": kind, "hint": "", "required": False, "rows": 4}
    return {**spec, **extra}


def _plan_fields(t: Any, context: dict[str, Any]) -> list[dict[str, Any]]:
    """The plan's fields; `context["commitments"]` lists what the region signed."""
    none = [("", "—")]
    commitments = [(str(x["id"]), f"{x['title']} ({x['made_on']})") for x in context["commitments"]]
    fields = [
        _field("commitment_id", t("action.commitment"), "select", options=none + commitments),
        _field("title", t("work.action_title"), required=True),
        _field("description", t("action.description"), "textarea"),
        _field("owner_opd", t("action.owner"), required=True, hint=t("work.opd_hint")),
        _field("partners", t("action.partners"), "textarea", rows=3, hint=t("work.partners_hint")),
        _field(
            "rpjmn_pn",
            t("action.pn"),
            "select",
            options=none + [(p.code, f"{p.code} · {p.title}") for p in national_priorities()],
        ),
        _field("rpjmn_code", t("work.rpjmn_code"), hint=t("work.rpjmn_code_hint")),
        _field(
            "kkp_criterion",
            t("action.kkp"),
            "select",
            options=none + [(str(k.number), f"{k.number}. {k.name}") for k in kkp_criteria()],
        ),
        _field(
            "indicator_type",
            t("work.indicator_type"),
            "select",
            options=[(v.value, t(f"indicator_type.{v.value}")) for v in IndicatorType],
        ),
        _field("indicator_name", t("work.indicator_name"), hint=t("work.indicator_hint")),
        _field("indicator_unit", t("work.indicator_unit")),
        _field("indicator_baseline", t("work.indicator_baseline"), "number"),
        _field("indicator_target", t("work.indicator_target"), "number"),
        _field("weight", t("action.weight"), "number", hint=t("work.weight_hint")),
    ]
    if context.get("amending"):
        fields = [f for f in fields if f["name"] != "commitment_id"]
        return [*fields, _field("reason", t("work.reason"), "textarea", rows=2, required=True)]
    cadence = _field(
        "cadence",
        t("work.cadence"),
        "select",
        options=[(k.value, t(f"cadence.{k.value}")) for k in PeriodKind],
        hint=t("work.cadence_hint"),
    )
    return [*fields, cadence, _field("due_on", t("action.due"), "date", required=True)]


def _step_fields(t: Any, context: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        _field("title", t("step.title"), required=True),
        _field("owner_opd", t("action.owner"), required=True, hint=t("work.opd_hint")),
        _field("due_on", t("action.due"), "date", required=True, hint=t("work.step_due_hint")),
        _field("weight", t("step.weight"), "number", hint=t("work.step_weight_hint")),
    ]


def _reason_fields(t: Any, context: dict[str, Any]) -> list[dict[str, Any]]:
    return [_field("reason", t("work.reason"), "textarea", rows=3, required=True)]


def _reschedule_fields(t: Any, context: dict[str, Any]) -> list[dict[str, Any]]:
    return [_field("due_on", t("work.new_due"), "date", required=True), *_reason_fields(t, context)]


def _evidence_fields(t: Any) -> list[dict[str, Any]]:
    return [
        _field("evidence_file", t("work.evidence_file"), "file", hint=t("work.evidence_file_hint")),
        _field("evidence_title", t("work.evidence_title")),
        _field("evidence_url", t("work.evidence_url"), "url"),
        _field("evidence_private", t("work.evidence_private"), "checkbox"),
    ]


def _completion_fields(t: Any, context: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        _field("note", t("work.closing_note"), "textarea", rows=3),
        *_evidence_fields(t),
    ]


def _completion_review_fields(t: Any, context: dict[str, Any]) -> list[dict[str, Any]]:
    reasons = [("", "—")] + [(r.value, t(f"return.{r.value}")) for r in ReturnReason]
    return [
        _field("note", t("report.note"), "textarea", rows=3),
        _field("reason_code", t("work.return_reason"), "select", options=reasons),
    ]


@dataclass(frozen=True)
class Form:
    slug: str  # the path after /kerja/aksi/{id}/ (or /kerja/tinjau/{id}/)
    title: str  # catalogue key of the heading and the main button
    rule: Rule
    fields: Fields
    build: Callable[[UUID, dict[str, str]], c.Command]
    buttons: tuple[tuple[str, str], ...] = (("send", "work.save"),)
    prefill: Callable[[dict[str, Any]], dict[str, str]] = lambda action: {}
    files: bool = False
    review: bool = False  # a Kanwil form under /kerja/tinjau


FORMS = (
    Form(
        "ubah",
        "work.amend",
        c.AmendAction.RULE,
        lambda t, ctx: _plan_fields(t, {**ctx, "amending": True}),
        af.amend_command,
        prefill=af.plan_values,
    ),
    Form(
        "jadwal",
        "work.reschedule",
        c.RescheduleAction.RULE,
        _reschedule_fields,
        af.reschedule_command,
        prefill=lambda action: {"due_on": str(action["due_on"])},
    ),
    Form("tahapan", "work.add_step", c.AddActionStep.RULE, _step_fields, af.step_command),
    Form("batal", "work.cancel", c.CancelAction.RULE, _reason_fields, af.cancel_command),
    Form(
        "selesai",
        "work.complete",
        c.DeclareCompletion.RULE,
        _completion_fields,
        af.completion_command,
        files=True,
    ),
    Form(
        "selesai",
        "work.review_completion",
        c.VerifyCompletion.RULE,
        _completion_review_fields,
        af.completion_review_command,
        buttons=(("verify", "work.verify"), ("return", "work.return")),
        review=True,
    ),
)


def _allowed(rule: Rule, who: Principal, action: dict[str, Any]) -> None:
    authorize(rule, who, Target(region_code=action["region_code"], owner_opd=action["owner_opd"]))


async def _show(
    request: Request[Any, Any, Any],
    reads: Reads,
    who: Principal,
    form: Form,
    action_id: str,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response[Any]:
    action = await full_action(reads, action_id)
    if action is None:
        return missing(request, who)
    try:
        _allowed(form.rule, who, action)
    except (NotAllowed, SignInRequired) as error:
        return refused_page(request, who, error)
    t = _translator(request)
    context: dict[str, Any] = {"commitments": []}
    return render(
        request,
        who,
        "kerja_form.html",
        status,
        heading=t(form.title),
        intro=t(f"{form.title}_intro"),
        action=action,
        fields=form.fields(t, context),
        values=values if values is not None else form.prefill(action),
        errors=errors or {},
        buttons=[(decision, t(label)) for decision, label in form.buttons],
        multipart=form.files,
        accept=ACCEPT,
        summary=form.review,
    )


def _translator(request: Request[Any, Any, Any]) -> Callable[..., str]:
    return lambda key, **values: text(request, key, **values)


def _handlers(form: Form) -> list[Any]:
    base = "/kerja/tinjau" if form.review else "/kerja/aksi"
    path = f"{base}/{{action_id:str}}/{form.slug}"

    async def page(
        request: Request[Any, Any, Any], reads: Reads, who: Who, action_id: FromPath[str]
    ) -> Response[Any]:
        if not who.signed_in:
            return sign_in_first(request)
        return await _show(request, reads, who, form, action_id)

    async def submit(
        request: Request[Any, Any, Any],
        reads: Reads,
        bus: Bus,
        files: Files,
        who: Who,
        action_id: FromPath[str],
    ) -> Response[Any]:
        ident = uuid_or_none(action_id)
        if ident is None:
            return await _show(request, reads, who, form, action_id)

        async def again(**kwargs: Any) -> Response[Any]:
            return await _show(request, reads, who, form, action_id, **kwargs)

        build = lambda values: form.build(ident, values)  # noqa: E731
        done = "/kerja" if form.review else f"/aksi/{ident}"
        return await send(request, bus, who, build, done, again, files if form.files else None)

    name = f"work:{'review' if form.review else 'action'}-{form.slug}"
    page.__name__ = submit.__name__ = name.replace(":", "_").replace("-", "_")
    return [
        get(path, include_in_schema=False, media_type=MediaType.HTML, name=name)(page),
        post(
            path,
            include_in_schema=False,
            status_code=303,
            request_max_body_size=FORM_BODY_LIMIT if form.files else None,
            name=f"{name}:post",
        )(submit),
    ]


# -- planning a new action: a region-level form ---------------------------------------------
def _plan_target(who: Principal, values: dict[str, str] | None = None) -> Target:
    opd = (values or {}).get("owner_opd") or who.opd or ""
    return Target(region_code=who.region_code or "", owner_opd=opd)


async def _plan_form(
    request: Request[Any, Any, Any],
    reads: Reads,
    who: Principal,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response[Any]:
    try:
        authorize(c.PlanAction.RULE, who, _plan_target(who))
    except (NotAllowed, SignInRequired) as error:
        return refused_page(request, who, error)
    signed = await queries.commitments(reads.data, region_code=who.region_code)
    t = _translator(request)
    context = {"commitments": [x for x in signed if x["status"] != "withdrawn"]}
    return render(
        request,
        who,
        "kerja_form.html",
        status,
        heading=t("work.plan"),
        intro=t("work.plan_intro"),
        action=None,
        fields=_plan_fields(t, context),
        values=values if values is not None else {"owner_opd": who.opd or ""},
        errors=errors or {},
        buttons=[("send", t("work.plan"))],
        multipart=False,
        accept=ACCEPT,
        summary=False,
    )


@get("/kerja/aksi/baru", include_in_schema=False, media_type=MediaType.HTML, name="work:plan")
async def plan_page(request: Request[Any, Any, Any], reads: Reads, who: Who) -> Response[Any]:
    if not who.signed_in:
        return sign_in_first(request)
    return await _plan_form(request, reads, who)


@post("/kerja/aksi/baru", include_in_schema=False, status_code=303)
async def plan(request: Request[Any, Any, Any], reads: Reads, bus: Bus, who: Who) -> Response[Any]:
    async def again(**kwargs: Any) -> Response[Any]:
        return await _plan_form(request, reads, who, **kwargs)

    region = who.region_code or ""
    return await send(
        request, bus, who, lambda values: af.plan_command(region, values), "/kerja", again
    )


HANDLERS: list[Any] = [plan_page, plan, *(h for form in FORMS for h in _handlers(form))]
