"""/api/v1/forums and /api/v1/commitments."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from domain import commands as c
from domain.forum_session import ForumSession
from tracker.api.params import After, Pada
from tracker.api.reads import aggregate_response, history, raw_items
from tracker.api.schemas import (
    CommandOut,
    CommitmentAmendmentIn,
    CommitmentIn,
    ForumCorrectionIn,
    ForumIn,
    ForumSessionIn,
    ReasonIn,
)
from tracker.api.writes import command_response
from tracker.http.deps import Bus, Reader
from tracker.http.helpers import expected_version
from tracker.http.openapi_docs import RESPONDS
from tracker.http.principal import Who
from tracker.http.reading import Reads, as_of, before_read, fresh


def _tuple(value: list[Any] | None) -> tuple[Any, ...] | None:
    return tuple(value) if value is not None else None


class ForumController(Controller):
    path = "/forums"
    tags = ("forums",)

    @get("/", summary="Daftar forum / list forums", opt={RESPONDS: ("list", "forum")})
    async def list_forums(
        self, request: Request[Any, Any, Any], reads: Reads, after: After = None, pada: Pada = None
    ) -> Any:
        reads = await as_of(reads, pada)
        if (early := await before_read(request, reads, after)) is not None:
            return early
        return fresh(request, raw_items(await reads.data.list_forums()))

    @post("/", summary="Catat forum / record a forum")
    async def convene(self, bus: Bus, who: Who, data: JSONBody[ForumIn]) -> Response[CommandOut]:
        command = c.ConveneForum(
            kind=data.kind,
            title=data.title,
            theme=data.theme,
            organisers=tuple(data.organisers),
            host_region_code=data.host_region_code,
            venue=data.venue,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            sources=tuple(data.sources),
        )
        result = await bus.dispatch(command, who)
        return command_response(result, 201, f"/api/v1/forums/{result.id}")

    @get("/{forum_id:uuid}", summary="Satu forum / one forum", opt={RESPONDS: ("one", "forum")})
    async def get_forum(self, reader: Reader, who: Who, forum_id: FromPath[UUID]) -> Response[Any]:
        return await aggregate_response(reader, who, "forum", forum_id)

    @get(
        "/{forum_id:uuid}/history",
        summary="Riwayat peristiwa / event history",
        opt={RESPONDS: ("history", "forum")},
    )
    async def get_history(
        self, reader: Reader, who: Who, forum_id: FromPath[UUID]
    ) -> dict[str, Any]:
        return {"items": await history(reader, who, forum_id, "forum")}

    @patch("/{forum_id:uuid}", summary="Koreksi forum / correct a forum")
    async def correct(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        forum_id: FromPath[UUID],
        data: JSONBody[ForumCorrectionIn],
    ) -> Response[CommandOut]:
        command = c.CorrectForum(
            forum_id=forum_id,
            reason=data.reason,
            title=data.title,
            theme=data.theme,
            venue=data.venue,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
        )
        return command_response(await bus.dispatch(command, who, expected_version(request)))

    @post("/{forum_id:uuid}/archive", summary="Arsipkan forum / archive a forum", status_code=200)
    async def archive(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        forum_id: FromPath[UUID],
        data: JSONBody[ReasonIn],
    ) -> Response[CommandOut]:
        command = c.ArchiveForum(forum_id=forum_id, reason=data.reason)
        return command_response(await bus.dispatch(command, who, expected_version(request)))

    @post(
        "/{forum_id:uuid}/sessions",
        summary="Catat sesi dan pembicara / record a session and its speakers",
        status_code=200,
    )
    async def record_session(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        forum_id: FromPath[UUID],
        data: JSONBody[ForumSessionIn],
    ) -> Response[CommandOut]:
        session = ForumSession(
            number=data.number,
            title=data.title,
            held_on=data.held_on,
            speakers=tuple(data.speakers),
            sources=tuple(data.sources),
        )
        command = c.RecordForumSession(forum_id=forum_id, session=session, reason=data.reason)
        return command_response(await bus.dispatch(command, who, expected_version(request)))


class CommitmentController(Controller):
    path = "/commitments"
    tags = ("commitments",)

    @get(
        "/",
        summary="Daftar komitmen / list commitments",
        opt={RESPONDS: ("list", "commitment")},
    )
    async def list_commitments(
        self,
        request: Request[Any, Any, Any],
        reads: Reads,
        forum_id: FromQuery[UUID | None] = None,
        region: FromQuery[str | None] = None,
        after: After = None,
        pada: Pada = None,
    ) -> Any:
        reads = await as_of(reads, pada, region)
        if (early := await before_read(request, reads, after)) is not None:
            return early
        docs = await reads.data.list_commitments(forum_id, region)
        return fresh(request, raw_items(docs))

    @post("/", summary="Catat komitmen / record a commitment")
    async def make(self, bus: Bus, who: Who, data: JSONBody[CommitmentIn]) -> Response[CommandOut]:
        command = c.RecordCommitment(
            forum_id=data.forum_id,
            title=data.title,
            summary=data.summary,
            made_on=data.made_on,
            signatories=tuple(data.signatories),
            rpjmn=tuple(data.rpjmn),
            kkp_criteria=tuple(data.kkp_criteria),
        )
        result = await bus.dispatch(command, who)
        return command_response(result, 201, f"/api/v1/commitments/{result.id}")

    @get(
        "/{commitment_id:uuid}",
        summary="Satu komitmen / one commitment",
        opt={RESPONDS: ("one", "commitment")},
    )
    async def get_commitment(
        self, reader: Reader, who: Who, commitment_id: FromPath[UUID]
    ) -> Response[Any]:
        return await aggregate_response(reader, who, "commitment", commitment_id)

    @get(
        "/{commitment_id:uuid}/history",
        summary="Riwayat peristiwa / event history",
        opt={RESPONDS: ("history", "commitment")},
    )
    async def get_history(
        self, reader: Reader, who: Who, commitment_id: FromPath[UUID]
    ) -> dict[str, Any]:
        return {"items": await history(reader, who, commitment_id, "commitment")}

    @patch("/{commitment_id:uuid}", summary="Ubah komitmen / amend a commitment")
    async def amend(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        commitment_id: FromPath[UUID],
        data: JSONBody[CommitmentAmendmentIn],
    ) -> Response[CommandOut]:
        command = c.AmendCommitment(
            commitment_id=commitment_id,
            reason=data.reason,
            title=data.title,
            summary=data.summary,
            signatories=_tuple(data.signatories),
            rpjmn=_tuple(data.rpjmn),
            kkp_criteria=_tuple(data.kkp_criteria),
        )
        return command_response(await bus.dispatch(command, who, expected_version(request)))

    @post("/{commitment_id:uuid}/withdrawal", summary="Tarik komitmen / withdraw", status_code=200)
    async def withdraw(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        commitment_id: FromPath[UUID],
        data: JSONBody[ReasonIn],
    ) -> Response[CommandOut]:
        command = c.WithdrawCommitment(commitment_id=commitment_id, reason=data.reason)
        return command_response(await bus.dispatch(command, who, expected_version(request)))
