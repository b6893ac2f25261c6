"""/api/v1 dashboards: national roll-up, forum follow-through, matrices, indicators."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get
from litestar.params import FromPath, FromQuery

from adapters.reference_data import national_targets
from tracker import queries
from tracker.api.params import After, Pada
from tracker.errors import NotFound
from tracker.http.openapi_docs import RESPONDS
from tracker.http.reading import Reads, as_of, before_read, fresh


class DashboardController(Controller):
    path = "/"
    tags = ("dashboards",)

    @get(
        "/national",
        summary="Nasional: provinsi dan peringkat / provinces and ranking",
        opt={RESPONDS: ("figures", "national")},
    )
    async def national(
        self, request: Request[Any, Any, Any], reads: Reads, after: After = None, pada: Pada = None
    ) -> Any:
        reads = await as_of(reads, pada)
        if (early := await before_read(request, reads, after)) is not None:
            return early
        today = reads.today()
        return fresh(request, await queries.national(reads.data, today))

    @get(
        "/forums/{forum_id:uuid}/progress",
        summary="Dari komitmen ke implementasi / from commitment to implementation",
        opt={RESPONDS: ("read", "forum-progress")},
    )
    async def forum_progress(
        self,
        request: Request[Any, Any, Any],
        reads: Reads,
        forum_id: FromPath[UUID],
        after: After = None,
        pada: Pada = None,
    ) -> Any:
        reads = await as_of(reads, pada)
        if (early := await before_read(request, reads, after)) is not None:
            return early
        today = reads.today()
        body = await queries.forum_progress(reads.data, today, forum_id)
        if body is None:
            raise NotFound("forum", str(forum_id))
        return fresh(request, body)

    @get(
        "/matrices/{dimension:str}",
        summary="Matriks PN RPJMN / kriteria KKP HAM × wilayah",
        opt={RESPONDS: ("read", "matrix")},
    )
    async def matrix(
        self,
        request: Request[Any, Any, Any],
        reads: Reads,
        dimension: FromPath[str],
        province: FromQuery[str | None] = None,
        after: After = None,
        pada: Pada = None,
    ) -> Any:
        if dimension not in ("rpjmn", "kkp"):
            raise NotFound("matrix", dimension)
        reads = await as_of(reads, pada, province)
        if (early := await before_read(request, reads, after)) is not None:
            return early
        rows = await reads.data.matrix(dimension, province)
        cells: dict[str, dict[str, Any]] = {}
        for row in rows:
            cells.setdefault(row["region_code"], {})[row["key"]] = {
                "actions": row["actions"],
                "completion": round(row["completion"], 1),
                "verified_completion": round(row["verified_completion"], 1),
            }
        return fresh(request, {"dimension": dimension, "regions": cells})

    @get(
        "/indicators",
        summary="Indikator terhadap target / indicators against targets",
        opt={RESPONDS: ("read", "indicators")},
    )
    async def indicators(
        self,
        request: Request[Any, Any, Any],
        reads: Reads,
        province: FromQuery[str | None] = None,
        after: After = None,
        pada: Pada = None,
    ) -> Any:
        reads = await as_of(reads, pada, province)
        if (early := await before_read(request, reads, after)) is not None:
            return early
        targets = {t.indicator: t for t in national_targets()}
        items = []
        for row in await reads.data.indicator_totals(province):
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
