"""/api/v1/periods: reporting periods closed for a province or one region, and the close and
reopen commands (the province's Kanwil or the ministry). After a close, a report for that
period in that place is a correction (domain/period_close.py)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from domain import commands as c
from domain.period import ReportingPeriod
from tracker import queries
from tracker.api.params import After, Pada
from tracker.api.schemas import CommandOut
from tracker.api.writes import command_response
from tracker.http.deps import Bus
from tracker.http.helpers import expected_version
from tracker.http.openapi_docs import RESPONDS
from tracker.http.principal import Who
from tracker.http.reading import Reads, as_of, before_read, fresh

Note = Annotated[str, msgspec.Meta(max_length=2000, examples=["Rekap B08 telah dikirim"])]


class CloseIn(msgspec.Struct, forbid_unknown_fields=True):
    note: Note = ""


class ReopenIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(examples=["Ditutup sebelum semua OPD melapor"])]


class PeriodController(Controller):
    path = "/periods"
    tags = ("periods",)

    @get(
        "/",
        summary="Periode yang ditutup / closed reporting periods",
        opt={RESPONDS: ("list", "period")},
    )
    async def list_closures(
        self,
        request: Request[Any, Any, Any],
        reads: Reads,
        place: FromQuery[str | None] = None,
        after: After = None,
        pada: Pada = None,
    ) -> Any:
        """Closures in force and reopened ones (`closed` false), newest first; `place` keeps
        those that hold for a province or region (a region: its own and its province's)."""
        reads = await as_of(reads, pada, place)
        if (early := await before_read(request, reads, after)) is not None:
            return early
        return fresh(request, {"items": await queries.closures(reads.data, place)})

    @post(
        "/{place_code:str}/{period:str}/close",
        status_code=200,
        summary="Tutup periode / close a period",
    )
    async def close(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        place_code: FromPath[str],
        period: FromPath[str],
        data: JSONBody[CloseIn],
    ) -> Response[CommandOut]:
        command = c.CloseReportingPeriod(
            place_code=place_code, period=ReportingPeriod.parse(period), note=data.note
        )
        return command_response(await bus.dispatch(command, who, expected_version(request)))

    @post(
        "/{place_code:str}/{period:str}/reopen",
        status_code=200,
        summary="Buka kembali periode / reopen a period",
    )
    async def reopen(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        place_code: FromPath[str],
        period: FromPath[str],
        data: JSONBody[ReopenIn],
    ) -> Response[CommandOut]:
        command = c.ReopenReportingPeriod(
            place_code=place_code, period=ReportingPeriod.parse(period), reason=data.reason
        )
        return command_response(await bus.dispatch(command, who, expected_version(request)))
