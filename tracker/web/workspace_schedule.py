"""What is due when, in the workspace (/kerja/jadwal): a Pemda sees every report its actions
owe (its own OPD's, for an OPD account), what is waiting first; a Kanwil sees what is open,
late or returned across its provinces; everyone sees the year's schedule, and the ministry
sets it with the same command as POST /api/v1/schedule/{year}."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from litestar import MediaType, Request, Response, get, post

from adapters import readmodels
from adapters.reference_data import region_catalogue
from domain import commands as c
from domain.access import Principal
from domain.errors import InvalidInput, Refusal
from domain.obligations import WAITING
from domain.period import ReportingPeriod
from domain.schedule import PeriodDeadline
from domain.values import Role
from tracker import queries
from tracker.http.deps import Bus
from tracker.http.principal import Who
from tracker.http.reading import Reads, wait_after
from tracker.web.pages_kkp import chosen_year
from tracker.web.workspace_common import render, send, sign_in_first

PATH = "/kerja/jadwal"


def _filters(who: Principal) -> list[readmodels.ActionFilter]:
    """Whose actions the list covers: the Pemda's region (its OPD's, if scoped), the
    Kanwil's provinces; the ministry sees only the table and the national counts."""
    if who.role is Role.PEMDA and who.region_code:
        return [readmodels.ActionFilter(region_code=who.region_code, owner_opd=who.opd)]
    if who.role is Role.KANWIL:
        return [readmodels.ActionFilter(province_code=p) for p in sorted(who.provinces)]
    return [readmodels.ActionFilter()]


async def _due(reads: Reads, who: Principal, today: date, everything: bool) -> dict[str, Any]:
    counts: dict[str, int] = {}
    items: list[dict[str, Any]] = []
    for where in _filters(who):
        found = await queries.due(reads.data, where, today)
        for state, n in found["counts"].items():
            counts[state] = counts.get(state, 0) + n
        items.extend(found["items"])
    if who.role is Role.PEMDA and who.opd:  # a step of the action may belong to another OPD
        items = [i for i in items if i["owner_opd"] == who.opd]
    waiting = {s.value for s in WAITING}
    if not everything or who.role is not Role.PEMDA:
        items = [i for i in items if i["state"] in waiting]
    if who.role is Role.ADMIN:
        items = []  # the national list is the compliance page's; here the counts and table
    names = region_catalogue()
    for item in items:
        region = names.get(item["region_code"])
        item["region_name"] = region.name if region else item["region_code"]
    items.sort(key=lambda i: (i["state"] not in waiting, i["due_on"], i["region_code"]))
    return {"counts": counts, "items": items}


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
    today = reads.today(who.region_code or min(who.provinces, default=None))
    year, year_error = chosen_year(request, today)
    if not request.query_params.get("tahun"):
        year = today.year  # the schedule of the year in course, not the last data year
    if values and values.get("year", "").isdigit():
        year = int(values["year"])  # a refused form: the year it was for
    errors = dict(errors or {})
    if year_error:
        errors.setdefault("tahun", year_error)
    table = await queries.schedules(reads.data)
    everything = request.query_params.get("semua") == "1"
    return render(
        request,
        who,
        "kerja_schedule.html",
        422 if errors and status == 200 else status,
        today=today,
        year=year,
        periods=table.year(year),
        set=year in table.years,
        due=await _due(reads, who, today, everything),
        everything=everything,
        values=values or {},
        errors=errors,
        can_set=who.role is Role.ADMIN,
    )


@get(PATH, include_in_schema=False, media_type=MediaType.HTML)
async def schedule_workspace(
    request: Request[Any, Any, Any], reads: Reads, who: Who
) -> Response[Any]:
    """The reports the account's actions owe, and the year's schedule."""
    return await _page(request, reads, who)


def deadlines_of(form: Mapping[str, str], year: int) -> tuple[PeriodDeadline, ...]:
    """One due day per period field (`due-2026-B08`); a blank one keeps the default."""
    found = []
    for key, value in form.items():
        if not key.startswith("due-") or not value.strip():
            continue
        period = ReportingPeriod.parse(key[4:])
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput("not-a-date", field=key) from None
        found.append(PeriodDeadline(period=period, due_on=day))
    return tuple(found)


def _at_period(error: Refusal) -> str | None:
    label = error.params.get("period_label")
    return f"due-{label}" if isinstance(label, str) else None


@post(PATH, include_in_schema=False, status_code=303)
async def set_schedule(
    request: Request[Any, Any, Any], reads: Reads, bus: Bus, who: Who
) -> Response[Any]:
    def build(form: Mapping[str, str]) -> c.Command:
        raw = form.get("year", "").strip()
        if not raw.isdigit():
            raise InvalidInput("schedule-year", year=raw)
        year = int(raw)
        return c.SetReportingSchedule(
            year=year,
            deadlines=deadlines_of(form, year),
            reason=form.get("reason", "").strip() or None,
        )

    async def again(**kwargs: Any) -> Response[Any]:
        return await _page(request, reads, who, **kwargs)

    form = await request.form()
    done = f"{PATH}?tahun={str(form.get('year', '')).strip()}"
    return await send(request, bus, who, build, done, again, locate=_at_period)


HANDLERS: list[Any] = [schedule_workspace, set_schedule]
