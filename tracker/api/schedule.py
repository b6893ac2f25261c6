"""/api/v1/schedule/{year}: the day each period's report is due, and the ministry's command
that sets a year's table (domain/schedule.py). Periods the table does not name keep the
default: 15 days after the period ends."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, JSONBody

from domain import commands as c
from domain.errors import InvalidInput
from domain.period import ReportingPeriod
from domain.schedule import PeriodDeadline
from tracker import queries
from tracker.api.params import After, Pada
from tracker.api.schemas import CommandOut
from tracker.api.writes import command_response
from tracker.http.deps import Bus
from tracker.http.helpers import expected_version
from tracker.http.openapi_docs import RESPONDS
from tracker.http.principal import Who
from tracker.http.problems import PROBLEMS
from tracker.http.reading import Reads, as_of, before_read, fresh


class DeadlineIn(msgspec.Struct, forbid_unknown_fields=True):
    period: Annotated[str, msgspec.Meta(examples=["2026-B08"])]
    due_on: Annotated[date, msgspec.Meta(examples=["2026-09-21"])]


class ScheduleIn(msgspec.Struct, forbid_unknown_fields=True):
    deadlines: list[DeadlineIn] = []
    reason: Annotated[
        str | None, msgspec.Meta(examples=["Surat edaran: tenggat B08 diundur enam hari"])
    ] = None


def _year(value: int) -> int:
    if not 2000 <= value <= 2100:
        raise InvalidInput("schedule-year", year=value)
    return value


class ScheduleController(Controller):
    path = "/schedule"
    tags = ("periods",)

    @get(
        "/{year:int}",
        summary="Jadwal pelaporan setahun / a year's reporting schedule",
        opt={PROBLEMS: ("422",), RESPONDS: ("read", "schedule")},  # 422: a year outside 2000-2100
    )
    async def year(
        self,
        request: Request[Any, Any, Any],
        reads: Reads,
        year: FromPath[int],
        after: After = None,
        pada: Pada = None,
    ) -> Any:
        """Every period of the year (four-monthly, quarters, months) with its last day, the
        day its report is due and whether that day is the default or the year's table."""
        reads = await as_of(reads, pada)
        if (early := await before_read(request, reads, after)) is not None:
            return early
        table = await queries.schedules(reads.data)
        body = {"year": _year(year), "set": year in table.years, "periods": table.year(year)}
        return fresh(request, body)

    @post("/{year:int}", status_code=200, summary="Tetapkan jadwal / set a year's schedule")
    async def set_year(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        year: FromPath[int],
        data: JSONBody[ScheduleIn],
    ) -> Response[CommandOut]:
        """The whole table each time: a period not listed goes back to the default; replacing
        a set table needs a reason. Reports already filed keep the due day they were filed
        against."""
        deadlines = tuple(
            PeriodDeadline(period=ReportingPeriod.parse(d.period), due_on=d.due_on)
            for d in data.deadlines
        )
        command = c.SetReportingSchedule(year=year, deadlines=deadlines, reason=data.reason)
        return command_response(await bus.dispatch(command, who, expected_version(request)))
