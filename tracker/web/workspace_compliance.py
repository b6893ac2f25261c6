"""Kanwil workspace: reporting compliance per period (/kerja/kepatuhan), and closing or
reopening that period for a province of the jurisdiction. The forms build the same commands
as /api/v1/periods and hand them to the same bus; a refusal shows its reason beside the
period field (or the reason field), a success redirects back to the same period."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import MediaType, Request, Response, get, post

from adapters import readmodels
from adapters.reference_data import region_catalogue
from domain import commands as c
from domain.access import NotAllowed, Principal
from domain.errors import DomainError
from domain.period import ReportingPeriod
from domain.values import Role
from tracker import catalogue, queries
from tracker.http.deps import Bus
from tracker.http.principal import Who
from tracker.http.reading import Reads, wait_after
from tracker.web.downloads import Col, table, wanted
from tracker.web.pages_common import Fmt
from tracker.web.render import lang_of
from tracker.web.workspace import OPEN_STATUSES, last_closed_period
from tracker.web.workspace_common import refused_page, render, send, sign_in_first


async def _compliance(
    reads: Reads, provinces: list[str], period: ReportingPeriod
) -> list[dict[str, Any]]:
    """Per kab/kota of the provinces: the actions that should report for `period` (open or
    completed, planned before it ended) and how many did, were returned, or did not."""
    rows = []
    catalogue_ = region_catalogue()
    for province in provinces:
        where = readmodels.ActionFilter(province_code=province)
        actions = await queries.all_actions(reads.data, where)
        by_region: dict[str, list[dict[str, Any]]] = {}
        for action in actions:
            by_region.setdefault(action["region_code"], []).append(action)
        for region in [catalogue_.require(province), *catalogue_.in_province(province)]:
            due = [
                a
                for a in by_region.get(region.code, [])
                if a["status"] in (*OPEN_STATUSES, "completed")
                and date.fromisoformat(str(a["created_at"])[:10]) <= period.ends_on
            ]
            statuses = [
                next(
                    (
                        r["status"]
                        for r in reversed(a["reports"])
                        if Fmt.period(r["period"]) == period.label
                    ),
                    None,
                )
                for a in due
            ]
            returned = sum(s == "returned" for s in statuses)
            missing = sum(s is None for s in statuses)
            rows.append(
                {
                    "region": region,
                    "due": len(due),
                    "reported": len(due) - returned - missing,
                    "returned": returned,
                    "missing": missing,
                }
            )
    return sorted(rows, key=lambda row: (-row["missing"], -row["returned"], row["region"].code))


COMPLIANCE_COLUMNS = (
    Col("region_code", "text"),
    Col("region_name", "text"),
    Col("period", "text"),
    Col("due", "int"),
    Col("reported", "int"),
    Col("returned", "int"),
    Col("missing", "int"),
)


async def _closures(reads: Reads, provinces: list[str], label: str) -> list[dict[str, Any]]:
    """For each province in view: its closure of the period, if one was ever recorded."""
    found = []
    for code in provinces:
        recorded = [
            closure
            for closure in await queries.closures(reads.data, code)
            if closure["place_code"] == code and closure["title"] == label
        ]
        found.append(
            {"province": region_catalogue().require(code), "closure": next(iter(recorded), None)}
        )
    return found


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
    if who.role not in (Role.KANWIL, Role.ADMIN):
        return refused_page(request, who, NotAllowed("kanwil-only"))
    await wait_after(request, reads)
    params = {k: str(v) for k, v in request.query_params.items()} | (values or {})
    if "place_code" in params:  # a refused close or reopen: the province it was for
        params["provinsi"] = params["place_code"]
    label = params.get("periode", "").strip() or last_closed_period(reads.clock().date())
    mine = sorted(who.provinces) if who.role is Role.KANWIL else []
    choices = [
        p for p in region_catalogue().provinces() if who.role is Role.ADMIN or p.code in mine
    ]
    chosen = params.get("provinsi", "")
    provinces = [chosen] if chosen in {p.code for p in choices} else mine
    errors = dict(errors or {})
    rows: list[dict[str, Any]] = []
    closings: list[dict[str, Any]] = []
    try:
        period = ReportingPeriod.parse(label)
    except DomainError as error:
        errors.setdefault("periode", catalogue.refusal(error, lang_of(request)))
    else:
        label = period.label
        rows = await _compliance(reads, provinces, period)
        closings = await _closures(reads, provinces, label)
    if (download := wanted(request)) and not errors:
        flat = [
            {"region_code": r["region"].code, "region_name": r["region"].name, "period": label}
            | {k: r[k] for k in ("due", "reported", "returned", "missing")}
            for r in rows
        ]
        return await table(request, f"kepatuhan-{label}", COMPLIANCE_COLUMNS, flat, download)
    return render(
        request,
        who,
        "kerja_compliance.html",
        422 if errors and status == 200 else status,
        rows=rows,
        period=label,
        provinces=choices,
        closings=closings,
        params=params,
        errors=errors,
    )


@get("/kerja/kepatuhan", include_in_schema=False, media_type=MediaType.HTML)
async def compliance(request: Request[Any, Any, Any], reads: Reads, who: Who) -> Response[Any]:
    """Which regions of the jurisdiction have not reported for a period; the period's close."""
    return await _page(request, reads, who)


def _back(form: dict[str, str]) -> str:
    shown = {"periode": form.get("periode", ""), "provinsi": form.get("place_code", "")}
    return f"/kerja/kepatuhan?{urlencode(shown)}"


async def _period_form(
    request: Request[Any, Any, Any], reads: Reads, bus: Bus, who: Principal, build: Any
) -> Response[Any]:
    async def again(**kwargs: Any) -> Response[Any]:
        return await _page(request, reads, who, **kwargs)

    form = {k: str(v) for k, v in (await request.form()).items() if isinstance(v, str)}
    return await send(request, bus, who, build, _back(form), again)


@post("/kerja/kepatuhan/tutup", include_in_schema=False, status_code=303)
async def close_period(
    request: Request[Any, Any, Any], reads: Reads, bus: Bus, who: Who
) -> Response[Any]:
    def build(form: dict[str, str]) -> c.Command:
        return c.CloseReportingPeriod(
            place_code=form.get("place_code", "").strip(),
            period=ReportingPeriod.parse(form.get("periode", "")),
            note=form.get("note", "").strip(),
        )

    return await _period_form(request, reads, bus, who, build)


@post("/kerja/kepatuhan/buka", include_in_schema=False, status_code=303)
async def reopen_period(
    request: Request[Any, Any, Any], reads: Reads, bus: Bus, who: Who
) -> Response[Any]:
    def build(form: dict[str, str]) -> c.Command:
        return c.ReopenReportingPeriod(
            place_code=form.get("place_code", "").strip(),
            period=ReportingPeriod.parse(form.get("periode", "")),
            reason=form.get("reason", "").strip(),
        )

    return await _period_form(request, reads, bus, who, build)


HANDLERS: list[Any] = [compliance, close_period, reopen_period]
