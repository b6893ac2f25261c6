"""/api/v1/regions/{code}: reference data plus how the region is doing."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.params import FromPath

from adapters import readstore
from adapters.reference_data import (
    kkp_criteria,
    national_priorities,
    national_targets,
    region_catalogue,
)
from tracker.api.params import After, Limit, Offset
from tracker.api.reads import raw_items, wait_for_read_model
from tracker.errors import NotFound


def _region(code: str) -> Any:
    region = region_catalogue().get(code)
    if region is None:
        raise NotFound("region", code)
    return region


class RegionController(Controller):
    path = "/regions"
    tags = ("regions",)

    @get("/", summary="Provinsi / provinces")
    async def provinces(self) -> dict[str, Any]:
        return {"items": region_catalogue().provinces()}

    @get("/{code:str}", summary="Satu wilayah / one region")
    async def region(
        self,
        request: Request[Any, Any, Any],
        state: State,
        code: FromPath[str],
        after: After = None,
    ) -> Any:
        region = _region(code)
        if (late := await wait_for_read_model(request, state, after)) is not None:
            return late
        column = "province_code" if region.is_province else "region_code"
        summary = await readstore.region_counts(state.container.pool, column, code)
        body: dict[str, Any] = {"region": region, "summary": summary}
        if region.is_province:
            body["regions"] = region_catalogue().in_province(code)
        else:
            body["province"] = region_catalogue().get(region.province_code)
        return body

    @get("/{code:str}/actions", summary="Aksi suatu wilayah / a region's actions")
    async def region_actions(
        self,
        request: Request[Any, Any, Any],
        state: State,
        code: FromPath[str],
        limit: Limit = 100,
        offset: Offset = 0,
        after: After = None,
    ) -> Any:
        region = _region(code)
        if (late := await wait_for_read_model(request, state, after)) is not None:
            return late
        where = (
            readstore.ActionFilter(province_code=code)
            if region.is_province
            else readstore.ActionFilter(region_code=code)
        )
        docs = await readstore.list_actions(state.container.pool, where, limit, offset)
        return raw_items(docs, limit=limit, offset=offset)


class ReferenceController(Controller):
    path = "/reference"
    tags = ("reference",)

    @get("/kkp-ham", summary="10 kriteria KKP HAM")
    async def kkp(self) -> dict[str, Any]:
        return {"items": kkp_criteria()}

    @get("/rpjmn", summary="Prioritas Nasional RPJMN 2025-2029")
    async def rpjmn(self) -> dict[str, Any]:
        return {"items": national_priorities()}

    @get("/national-targets", summary="Target nasional 2025 / national targets")
    async def targets(self) -> dict[str, Any]:
        return {"items": national_targets()}
