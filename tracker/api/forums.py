"""/api/v1/forums and /api/v1/commitments."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, patch, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery, JSONBody

from adapters import readmodels
from tracker.api.auth import Who
from tracker.api.http import command_response, expected_version, in_thread
from tracker.api.params import After
from tracker.api.reads import aggregate_response, before_read, fresh, history, raw_items
from tracker.api.schemas import (
    CommitmentAmendmentIn,
    CommitmentIn,
    ForumCorrectionIn,
    ForumIn,
    ReasonIn,
)


class ForumController(Controller):
    path = "/forums"
    tags = ("forums",)

    @get("/", summary="Daftar forum / list forums")
    async def list_forums(
        self, request: Request[Any, Any, Any], state: State, after: After = None
    ) -> Any:
        if (early := await before_read(request, state, after)) is not None:
            return early
        return fresh(request, raw_items(await readmodels.list_forums(state.container.pool)))

    @post("/", summary="Catat forum / record a forum")
    async def convene(
        self, request: Request[Any, Any, Any], state: State, who: Who, data: JSONBody[ForumIn]
    ) -> Response[Any]:
        service = state.container.service
        result = await in_thread(
            service.convene_forum,
            who,
            kind=data.kind,
            title=data.title,
            theme=data.theme,
            organisers=tuple(data.organisers),
            host_region_code=data.host_region_code,
            venue=data.venue,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
        )
        return command_response(result, 201, f"/api/v1/forums/{result.id}")

    @get("/{forum_id:uuid}", summary="Satu forum / one forum")
    async def get_forum(self, state: State, who: Who, forum_id: FromPath[UUID]) -> Response[Any]:
        return await aggregate_response(state, who, "forum", forum_id)

    @get("/{forum_id:uuid}/history", summary="Riwayat peristiwa / event history")
    async def get_history(self, state: State, who: Who, forum_id: FromPath[UUID]) -> dict[str, Any]:
        return {"items": await history(state, who, forum_id, "forum")}

    @patch("/{forum_id:uuid}", summary="Koreksi forum / correct a forum")
    async def correct(
        self,
        request: Request[Any, Any, Any],
        state: State,
        who: Who,
        forum_id: FromPath[UUID],
        data: JSONBody[ForumCorrectionIn],
    ) -> Response[Any]:
        result = await in_thread(
            state.container.service.correct_forum,
            forum_id,
            expected_version(request),
            who,
            reason=data.reason,
            title=data.title,
            theme=data.theme,
            venue=data.venue,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
        )
        return command_response(result)


class CommitmentController(Controller):
    path = "/commitments"
    tags = ("commitments",)

    @get("/", summary="Daftar komitmen / list commitments")
    async def list_commitments(
        self,
        request: Request[Any, Any, Any],
        state: State,
        forum_id: FromQuery[UUID | None] = None,
        region: FromQuery[str | None] = None,
        after: After = None,
    ) -> Any:
        if (early := await before_read(request, state, after)) is not None:
            return early
        docs = await readmodels.list_commitments(state.container.pool, forum_id, region)
        return fresh(request, raw_items(docs))

    @post("/", summary="Catat komitmen / record a commitment")
    async def make(
        self,
        request: Request[Any, Any, Any],
        state: State,
        who: Who,
        data: JSONBody[CommitmentIn],
    ) -> Response[Any]:
        result = await in_thread(
            state.container.service.make_commitment,
            who,
            data.forum_id,
            title=data.title,
            summary=data.summary,
            made_on=data.made_on,
            signatories=tuple(data.signatories),
            rpjmn=tuple(data.rpjmn),
            kkp_criteria=tuple(data.kkp_criteria),
        )
        return command_response(result, 201, f"/api/v1/commitments/{result.id}")

    @get("/{commitment_id:uuid}", summary="Satu komitmen / one commitment")
    async def get_commitment(
        self, state: State, who: Who, commitment_id: FromPath[UUID]
    ) -> Response[Any]:
        return await aggregate_response(state, who, "commitment", commitment_id)

    @get("/{commitment_id:uuid}/history", summary="Riwayat peristiwa / event history")
    async def get_history(
        self, state: State, who: Who, commitment_id: FromPath[UUID]
    ) -> dict[str, Any]:
        return {"items": await history(state, who, commitment_id, "commitment")}

    @patch("/{commitment_id:uuid}", summary="Ubah komitmen / amend a commitment")
    async def amend(
        self,
        request: Request[Any, Any, Any],
        state: State,
        who: Who,
        commitment_id: FromPath[UUID],
        data: JSONBody[CommitmentAmendmentIn],
    ) -> Response[Any]:
        def as_tuple(value: list[Any] | None) -> tuple[Any, ...] | None:
            return tuple(value) if value is not None else None

        result = await in_thread(
            state.container.service.amend_commitment,
            commitment_id,
            expected_version(request),
            who,
            reason=data.reason,
            title=data.title,
            summary=data.summary,
            signatories=as_tuple(data.signatories),
            rpjmn=as_tuple(data.rpjmn),
            kkp_criteria=as_tuple(data.kkp_criteria),
        )
        return command_response(result)

    @post("/{commitment_id:uuid}/withdrawal", summary="Tarik komitmen / withdraw", status_code=200)
    async def withdraw(
        self,
        request: Request[Any, Any, Any],
        state: State,
        who: Who,
        commitment_id: FromPath[UUID],
        data: JSONBody[ReasonIn],
    ) -> Response[Any]:
        result = await in_thread(
            state.container.service.withdraw_commitment,
            commitment_id,
            expected_version(request),
            who,
            data.reason,
        )
        return command_response(result)
