"""/api/v1 dashboards: national roll-up, forum follow-through, matrices, indicators."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery

from adapters import readmodels
from adapters.reference_data import national_targets, region_catalogue
from projections import rollups
from tracker.api.params import After
from tracker.api.reads import before_read, fresh
from tracker.api.regions import ranked_regions
from tracker.errors import NotFound


class DashboardController(Controller):
    path = "/"
    tags = ("dashboards",)

    @get("/national", summary="Nasional: provinsi dan peringkat / provinces and ranking")
    async def national(
        self, request: Request[Any, Any, Any], state: State, after: After = None
    ) -> Any:
        if (early := await before_read(request, state, after)) is not None:
            return early
        today = state.container.clock().date()
        pool = state.container.pool
        total = (await readmodels.counts_by(pool, "", today))[0]
        names = {p.code: p.name for p in region_catalogue().provinces()}
        provinces = rollups.ranking(
            {
                "code": row["province_code"],
                "name": names.get(row["province_code"], row["province_code"]),
                "summary": rollups.summary(row),
            }
            for row in await readmodels.counts_by(pool, "province_code", today)
        )
        return fresh(
            request,
            {
                "summary": rollups.summary(total),
                "provinces": provinces,
                "regions": await ranked_regions(state),
            },
        )

    @get(
        "/forums/{forum_id:uuid}/progress",
        summary="Dari komitmen ke implementasi / from commitment to implementation",
    )
    async def forum_progress(
        self,
        request: Request[Any, Any, Any],
        state: State,
        forum_id: FromPath[UUID],
        after: After = None,
    ) -> Any:
        if (early := await before_read(request, state, after)) is not None:
            return early
        pool = state.container.pool
        forum = await readmodels.forum_doc(pool, forum_id)
        if forum is None:
            raise NotFound("forum", str(forum_id))
        today = state.container.clock().date()
        rows = await readmodels.counts_by_commitment_region(pool, forum_id, today)
        commitments = []
        for doc in await readmodels.list_commitments(pool, forum_id, None):
            commitment = msgspec.json.decode(doc)
            mine = [r for r in rows if str(r["commitment_id"]) == commitment["id"]]
            commitment["signatories"] = [
                {**s, "progress": rollups.signatory_progress(s["region_code"], mine)}
                for s in commitment["signatories"]
            ]
            commitment["progress"] = rollups.summary(rollups.merge(mine))
            commitments.append(commitment)
        return fresh(request, {"forum": msgspec.Raw(forum.encode()), "commitments": commitments})

    @get("/matrices/{dimension:str}", summary="Matriks PN RPJMN / kriteria KKP HAM × wilayah")
    async def matrix(
        self,
        request: Request[Any, Any, Any],
        state: State,
        dimension: FromPath[str],
        province: FromQuery[str | None] = None,
        after: After = None,
    ) -> Any:
        if dimension not in ("rpjmn", "kkp"):
            raise NotFound("matrix", dimension)
        if (early := await before_read(request, state, after)) is not None:
            return early
        rows = await readmodels.matrix(state.container.pool, dimension, province)
        cells: dict[str, dict[str, Any]] = {}
        for row in rows:
            cells.setdefault(row["region_code"], {})[row["key"]] = {
                "actions": row["actions"],
                "completion": round(row["completion"], 1),
            }
        return fresh(request, {"dimension": dimension, "regions": cells})

    @get("/indicators", summary="Indikator terhadap target / indicators against targets")
    async def indicators(
        self,
        request: Request[Any, Any, Any],
        state: State,
        province: FromQuery[str | None] = None,
        after: After = None,
    ) -> Any:
        if (early := await before_read(request, state, after)) is not None:
            return early
        targets = {t.indicator: t for t in national_targets()}
        items = []
        for row in await readmodels.indicator_totals(state.container.pool, province):
            national = targets.get(row["indicator_name"])
            items.append(
                {
                    **dict(row),
                    "national_target": national.target if national else None,
                    "national_share": (
                        round(row["reported"] / national.target, 6) if national else None
                    ),
                }
            )
        return fresh(request, {"items": items})
