"""/api/v1/regions: reference data plus how each region is doing, from the read models."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath, FromQuery

from adapters import readmodels
from adapters.reference_data import (
    kkp_criteria,
    national_priorities,
    national_targets,
    region_catalogue,
)
from tracker import queries
from tracker.api.params import After, Limit, Pada
from tracker.api.reads import board_page
from tracker.api.reference_out import KkpCriteriaOut, PrioritiesOut, ProvincesOut, TargetsOut
from tracker.errors import NotFound
from tracker.http.openapi_docs import RESPONDS
from tracker.http.reading import Reads, as_of, before_read, between, fresh


def region_or_404(code: str) -> Any:
    region = region_catalogue().get(code)
    if region is None:
        raise NotFound("region", code)
    return region


class RegionController(Controller):
    path = "/regions"
    tags = ("regions",)

    @get("/", summary="Provinsi / provinces")
    async def provinces(self) -> ProvincesOut:
        return ProvincesOut(region_catalogue().provinces())

    @get(
        "/{code:str}",
        summary="Ringkasan wilayah / region summary, ranking for a province",
        opt={RESPONDS: ("figures", "region")},
    )
    async def region(
        self,
        request: Request[Any, Any, Any],
        reads: Reads,
        code: FromPath[str],
        after: After = None,
        pada: Pada = None,
    ) -> Any:
        region = region_or_404(code)
        reads = await as_of(reads, pada, code)
        if (early := await before_read(request, reads, after)) is not None:
            return early
        today = reads.today(code)
        return fresh(request, await queries.region_summary(reads.data, today, region))

    @get(
        "/{code:str}/actions",
        summary="Aksi suatu wilayah / a region's actions",
        opt={RESPONDS: ("list", "action")},
    )
    async def region_actions(
        self,
        request: Request[Any, Any, Any],
        reads: Reads,
        code: FromPath[str],
        limit: Limit = 100,
        cursor: FromQuery[str | None] = None,
        after: After = None,
        pada: Pada = None,
    ) -> Any:
        region = region_or_404(code)
        reads = await as_of(reads, pada, code)
        if (early := await before_read(request, reads, after)) is not None:
            return early
        where = (
            readmodels.ActionFilter(province_code=code)
            if region.is_province
            else readmodels.ActionFilter(region_code=code)
        )
        return await board_page(request, reads, where, limit, cursor)

    @get(
        "/{code:str}/due",
        summary="Laporan yang jatuh tempo / what is due when",
        opt={RESPONDS: ("read", "due")},
    )
    async def due(
        self,
        request: Request[Any, Any, Any],
        reads: Reads,
        code: FromPath[str],
        waiting: FromQuery[bool] = False,
        after: After = None,
        pada: Pada = None,
    ) -> Any:
        """Every report the place's actions owe, per action (per step on an action split into
        steps) and period: its due day under the year's schedule and how it stands on the day
        (`upcoming`, `open`, `late`, `returned`, `filed`, `filed_late`, `verified`); `waiting`
        keeps what the region has to act on. As of any day with `pada`."""
        region = region_or_404(code)
        reads = await as_of(reads, pada, code)
        if (early := await before_read(request, reads, after)) is not None:
            return early
        where = (
            readmodels.ActionFilter(province_code=code)
            if region.is_province
            else readmodels.ActionFilter(region_code=code)
        )
        body = await queries.due(reads.data, where, reads.today(code), waiting=waiting)
        return fresh(request, {"code": code, **body})

    @get(
        "/{code:str}/timeline",
        summary="Linimasa kegiatan / activity timeline",
        opt={RESPONDS: ("read", "timeline")},
    )
    async def timeline(
        self,
        request: Request[Any, Any, Any],
        reads: Reads,
        code: FromPath[str],
        limit: Limit = 50,
        before: FromQuery[int | None] = None,
        after: After = None,
        pada: Pada = None,
    ) -> Any:
        region = region_or_404(code)
        reads = await as_of(reads, pada, code)
        if (early := await before_read(request, reads, after)) is not None:
            return early
        return fresh(request, await queries.timeline(reads.data, region, limit, before))

    @get(
        "/{code:str}/changes",
        summary="Perubahan antara dua tanggal / what changed between two dates",
        opt={RESPONDS: ("read", "changes")},
    )
    async def changes(
        self,
        request: Request[Any, Any, Any],
        reads: Reads,
        code: FromPath[str],
        dari: FromQuery[str],
        sampai: FromQuery[str],
        after: After = None,
    ) -> Any:
        """Both summaries at the ends of the two days (the region's time zone), every action
        whose status or completion moved, and the public activity in between."""
        region = region_or_404(code)
        then, now = await between(reads, dari, sampai, code)
        if (early := await before_read(request, now, after)) is not None:
            return early
        days = (then.today(code), now.today(code))
        body = await queries.changes(then.data, now.data, days, region)
        assert then.as_of is not None  # between() always reads as of a day
        assert now.as_of is not None
        return fresh(request, {**body, "from": then.as_of.describe(), "to": now.as_of.describe()})


class ReferenceController(Controller):
    path = "/reference"
    tags = ("reference",)

    @get("/kkp-ham", summary="10 kriteria KKP HAM")
    async def kkp(self) -> KkpCriteriaOut:
        return KkpCriteriaOut(list(kkp_criteria()))

    @get("/rpjmn", summary="Prioritas Nasional RPJMN 2025-2029")
    async def rpjmn(self) -> PrioritiesOut:
        return PrioritiesOut(list(national_priorities()))

    @get("/national-targets", summary="Target nasional 2025 / national targets")
    async def targets(self) -> TargetsOut:
        return TargetsOut(list(national_targets()))
