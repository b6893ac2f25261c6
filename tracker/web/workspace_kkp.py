"""KKP HAM in the workspace (/kerja/kkp-ham): the Bagian Hukum coordinator opens and submits the
region's self-assessment for a data year (an answer, linked actions, a link to evidence and a
note per indicator); the Kanwil verifies or returns a submitted one in its jurisdiction; the
ministry records the central result. Each form builds the same command as /api/v1/kkp-ham and
hands it to the same bus; a refusal comes back beside the indicator or field it concerns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

import msgspec
from litestar import MediaType, Request, Response, get, post

from adapters.reference_data import kkp_criteria, kkp_indicators, region_catalogue
from domain import commands as c
from domain.access import Principal
from domain.errors import InvalidInput, Refusal
from domain.kkp_assessment_events import Answer, IndicatorAnswer
from domain.regions import Region
from domain.values import Evidence, Role
from tracker.fields.reports import number_of
from tracker.http.deps import Bus
from tracker.http.principal import Who
from tracker.http.reading import Reads, wait_after
from tracker.web.pages_kkp import chosen_year, region_section
from tracker.web.workspace_common import render, send, sign_in_first

PATH = "/kerja/kkp-ham"


def _region(who: Principal, raw: str) -> Region | None:
    """Whose assessment the page is about: a Pemda's own region; for a Kanwil one of its
    provinces' regions, for the ministry any, named by `?wilayah=`."""
    if who.role is Role.PEMDA:
        return region_catalogue().get(who.region_code or "")
    found = region_catalogue().get(raw.strip())
    if found is None or (who.role is Role.KANWIL and found.province_code not in who.provinces):
        return None
    return found


def _sheet(readiness: dict[str, Any]) -> list[dict[str, Any]]:
    """The indicators grouped by right, each with the region's actions in its cell."""
    cells = {(cell["criterion"], cell["type"]): cell["actions"] for cell in readiness["cells"]}
    names = {criterion.number: criterion.name for criterion in kkp_criteria()}
    rights: dict[int, dict[str, Any]] = {}
    for item in kkp_indicators().indicators:
        right = rights.setdefault(
            item.criterion, {"criterion": item.criterion, "name": names.get(item.criterion, "")}
        )
        right.setdefault("indicators", []).append(
            {"item": item, "actions": cells.get((item.criterion, item.type.value), [])}
        )
    return [rights[k] for k in sorted(rights)]


def _answered(doc: dict[str, Any] | None) -> dict[str, str]:
    """The form's fields as the last submitted sheet left them (for a returned one)."""
    values: dict[str, str] = {}
    for a in (doc or {}).get("answers", []):
        ident = a["indicator_id"]
        values[f"ans-{ident}"] = a["answer"]
        values[f"note-{ident}"] = a.get("note", "")
        values.update({f"act-{ident}-{action}": "on" for action in a.get("action_ids", [])})
        if a.get("evidence"):
            values[f"evurl-{ident}"] = a["evidence"][0]["url"]
            values[f"evtitle-{ident}"] = a["evidence"][0]["title"]
    return values


async def _assessments(reads: Reads, who: Principal, year: int) -> list[dict[str, Any]]:
    """The year's assessments a reviewer may act on: its provinces', or all for the ministry."""
    places: Sequence[str | None]
    if who.role is Role.ADMIN:
        places = [None]
    elif who.role is Role.KANWIL:
        places = sorted(who.provinces)
    else:
        return []
    docs = [
        msgspec.json.decode(raw)
        for place in places
        for raw in await reads.data.list_assessments(year, place)
    ]
    catalogue_ = region_catalogue()
    for doc in docs:
        found = catalogue_.get(doc["region_code"])
        doc["region_name"] = found.name if found else doc["region_code"]
    order = {"submitted": 0, "returned": 1, "open": 2, "verified": 3, "none": 4}
    return sorted(docs, key=lambda d: (order.get(d["status"], 9), d["region_code"]))


async def _page(
    request: Request[Any, Any, Any],
    reads: Reads,
    who: Principal,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response[Any]:
    if not who.signed_in:
        return sign_in_first(request)
    await wait_after(request, reads)
    params = {k: str(v) for k, v in request.query_params.items()} | (values or {})
    year, year_error = chosen_year(request, reads.clock().date())
    if "data_year" in params and params["data_year"].isdigit():
        year = int(params["data_year"])  # a refused form: the year it was for
    errors = dict(errors or {})
    if year_error:
        errors.setdefault("tahun", year_error)
    region = _region(who, params.get("wilayah") or params.get("region_code", ""))
    section = await region_section(reads.data, region, year) if region else None
    doc = section["assessment"] if section else None
    shown = _answered(doc) | (values or {})
    return render(
        request,
        who,
        "kerja_kkp.html",
        422 if errors and status == 200 else status,
        year=year,
        region=region,
        section=section,
        doc=doc,
        sheet=_sheet(section["readiness"]) if section else [],
        answers=list(Answer),
        values=shown,
        errors=errors,
        coordinator=who.role is Role.PEMDA and not who.opd,
        reviewable=await _assessments(reads, who, year),
        params=params,
    )


@get(PATH, include_in_schema=False, media_type=MediaType.HTML)
async def kkp_workspace(request: Request[Any, Any, Any], reads: Reads, who: Who) -> Response[Any]:
    """The data year's self-assessment: the coordinator's sheet, the reviewer's queue."""
    return await _page(request, reads, who)


def _year_of(form: Mapping[str, str]) -> int:
    raw = form.get("data_year", "").strip()
    if not raw.isdigit():
        raise InvalidInput("data-year", year=raw)
    return int(raw)


def _evidence(form: Mapping[str, str], ident: str) -> tuple[Evidence, ...]:
    url = form.get(f"evurl-{ident}", "").strip()
    if not url:
        return ()
    return (Evidence(title=form.get(f"evtitle-{ident}", ""), url=url),)


def _linked(form: Mapping[str, str], ident: str) -> tuple[UUID, ...]:
    prefix = f"act-{ident}-"
    linked = []
    for key, value in form.items():
        if key.startswith(prefix) and value == "on":
            try:
                linked.append(UUID(key[len(prefix) :]))
            except ValueError:
                raise InvalidInput("assessment-action", action_id=key[len(prefix) :]) from None
    return tuple(linked)


def answers_of(form: Mapping[str, str]) -> tuple[IndicatorAnswer, ...]:
    """Every indicator given an answer; one left at "not answered" is not sent."""
    found = []
    for item in kkp_indicators().indicators:
        raw = form.get(f"ans-{item.id}", "").strip()
        if not raw:
            continue
        if raw not in {a.value for a in Answer}:
            raise InvalidInput("answer-value", value=raw)
        found.append(
            IndicatorAnswer(
                indicator_id=item.id,
                answer=Answer(raw),
                action_ids=_linked(form, item.id),
                evidence=_evidence(form, item.id),
                note=form.get(f"note-{item.id}", ""),
            )
        )
    return tuple(found)


def _at_indicator(error: Refusal) -> str | None:
    return f"ans-{error.subject}" if error.subject else None


def _at_result(error: Refusal) -> str | None:
    """The result form's own reason field (the return form beside it has one too)."""
    return "result_reason" if error.code == "reason-required" else None


async def _form(
    request: Request[Any, Any, Any],
    reads: Reads,
    bus: Bus,
    who: Principal,
    build: Any,
    locate: Any = _at_indicator,
) -> Response[Any]:
    async def again(**kwargs: Any) -> Response[Any]:
        return await _page(request, reads, who, **kwargs)

    form = {k: str(v) for k, v in (await request.form()).items() if isinstance(v, str)}
    back = {"tahun": form.get("data_year", ""), "wilayah": form.get("region_code", "")}
    done = f"{PATH}?{urlencode(back)}"
    return await send(request, bus, who, build, done, again, locate=locate)


def _place(form: Mapping[str, str]) -> dict[str, Any]:
    return {"region_code": form.get("region_code", "").strip(), "data_year": _year_of(form)}


@post(f"{PATH}/buka", include_in_schema=False, status_code=303)
async def open_self_assessment(
    request: Request[Any, Any, Any], reads: Reads, bus: Bus, who: Who
) -> Response[Any]:
    def build(form: Mapping[str, str]) -> c.Command:
        return c.OpenSelfAssessment(**_place(form))

    return await _form(request, reads, bus, who, build)


@post(f"{PATH}/ajukan", include_in_schema=False, status_code=303)
async def submit_self_assessment(
    request: Request[Any, Any, Any], reads: Reads, bus: Bus, who: Who
) -> Response[Any]:
    def build(form: Mapping[str, str]) -> c.Command:
        return c.SubmitSelfAssessment(
            **_place(form), answers=answers_of(form), note=form.get("note", "").strip()
        )

    return await _form(request, reads, bus, who, build)


@post(f"{PATH}/verifikasi", include_in_schema=False, status_code=303)
async def verify_self_assessment(
    request: Request[Any, Any, Any], reads: Reads, bus: Bus, who: Who
) -> Response[Any]:
    def build(form: Mapping[str, str]) -> c.Command:
        return c.VerifySelfAssessment(**_place(form), note=form.get("review_note", "").strip())

    return await _form(request, reads, bus, who, build)


@post(f"{PATH}/kembalikan", include_in_schema=False, status_code=303)
async def return_self_assessment(
    request: Request[Any, Any, Any], reads: Reads, bus: Bus, who: Who
) -> Response[Any]:
    def build(form: Mapping[str, str]) -> c.Command:
        return c.ReturnSelfAssessment(**_place(form), reason=form.get("reason", "").strip())

    return await _form(request, reads, bus, who, build)


def _day(form: Mapping[str, str], name: str) -> date | None:
    raw = form.get(name, "").strip()
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        raise InvalidInput("not-a-date", field=name) from None


@post(f"{PATH}/hasil", include_in_schema=False, status_code=303)
async def record_assessment_result(
    request: Request[Any, Any, Any], reads: Reads, bus: Bus, who: Who
) -> Response[Any]:
    def build(form: Mapping[str, str]) -> c.Command:
        return c.RecordAssessmentResult(
            **_place(form),
            score=number_of(form, "score"),
            predicate=form.get("predicate") == "on",
            decree_number=form.get("decree_number", ""),
            decree_date=_day(form, "decree_date"),
            note=form.get("result_note", ""),
            reason=form.get("result_reason", "").strip() or None,
        )

    return await _form(request, reads, bus, who, build, _at_result)


HANDLERS: list[Any] = [
    kkp_workspace,
    open_self_assessment,
    submit_self_assessment,
    verify_self_assessment,
    return_self_assessment,
    record_assessment_result,
]
