"""/api/v1/kkp-ham: the tracker's readiness estimate per region × data year beside the
assessment cycle (self-assessment, Kanwil verification, central result), and its commands."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from adapters.reference_data import region_catalogue
from domain import commands as c
from domain.kkp_assessment_events import Answer, IndicatorAnswer
from domain.values import Evidence
from tracker import queries_kkp
from tracker.api.params import After, Pada
from tracker.api.regions import region_or_404
from tracker.api.schemas import CommandOut
from tracker.api.writes import command_response
from tracker.http.deps import Bus
from tracker.http.helpers import expected_version
from tracker.http.openapi_docs import RESPONDS
from tracker.http.principal import Who
from tracker.http.reading import Reads, as_of, before_read, fresh

Note = Annotated[str, msgspec.Meta(max_length=2000, examples=["Dikoordinasikan Bagian Hukum"])]


class AnswerIn(msgspec.Struct, forbid_unknown_fields=True):
    indicator_id: Annotated[str, msgspec.Meta(examples=["5.S1"])]
    answer: Annotated[Answer, msgspec.Meta(examples=["met"])]
    action_ids: list[UUID] = []
    evidence: list[Evidence] = []
    note: Annotated[str, msgspec.Meta(max_length=2000, examples=["Perwal adminduk 2022"])] = ""


class SubmitIn(msgspec.Struct, forbid_unknown_fields=True):
    answers: list[AnswerIn]
    note: Note = ""


class VerifyIn(msgspec.Struct, forbid_unknown_fields=True):
    note: Note = ""


class ReturnIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(examples=["Bukti indikator 10.P1 belum dilampirkan"])]


class ResultIn(msgspec.Struct, forbid_unknown_fields=True):
    predicate: Annotated[bool, msgspec.Meta(examples=[False])]
    score: Annotated[float | None, msgspec.Meta(examples=[68.5])] = None
    decree_number: Annotated[str, msgspec.Meta(max_length=200, examples=["(nomor keputusan)"])] = ""
    decree_date: Annotated[date | None, msgspec.Meta(examples=["2023-12-10"])] = None
    note: Note = ""
    reason: str | None = None


class KkpController(Controller):
    path = "/kkp-ham"
    tags = ("kkp-ham",)

    @get(
        "/method",
        summary="Cara menghitung perkiraan kesiapan / how the estimate is computed",
        opt={RESPONDS: ("read", "kkp-method")},
    )
    async def method(self) -> dict[str, Any]:
        return queries_kkp.method()

    @get(
        "/{year:int}",
        summary="Tabel nasional KKP HAM / national table for a data year",
        opt={RESPONDS: ("read", "kkp-national")},
    )
    async def national(
        self,
        request: Request[Any, Any, Any],
        reads: Reads,
        year: FromPath[int],
        province: FromQuery[str | None] = None,
        kanwil: FromQuery[str | None] = None,
        after: After = None,
        pada: Pada = None,
    ) -> Any:
        """`readiness` is the tracker's own estimate from verified work only, not the
        official score; `result` is the central result where one is recorded."""
        reads = await as_of(reads, pada, province)
        if (early := await before_read(request, reads, after)) is not None:
            return early
        found = await queries_kkp.national(
            reads.data, region_catalogue(), year, province=province, kanwil=kanwil
        )
        return fresh(request, found)

    @get(
        "/{year:int}/{code:str}",
        summary="KKP HAM satu wilayah / one region's data year",
        opt={RESPONDS: ("read", "kkp-region")},
    )
    async def region(
        self,
        request: Request[Any, Any, Any],
        reads: Reads,
        year: FromPath[int],
        code: FromPath[str],
        after: After = None,
        pada: Pada = None,
    ) -> Any:
        region = region_or_404(code)
        reads = await as_of(reads, pada, code)
        if (early := await before_read(request, reads, after)) is not None:
            return early
        return fresh(request, await queries_kkp.region(reads.data, region, year))

    @post(
        "/{year:int}/{code:str}/self-assessment",
        status_code=200,
        summary="Buka penilaian mandiri / open the self-assessment (coordinator)",
    )
    async def open_self_assessment(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        year: FromPath[int],
        code: FromPath[str],
    ) -> Response[CommandOut]:
        command = c.OpenSelfAssessment(region_code=code, data_year=year)
        return command_response(await bus.dispatch(command, who, expected_version(request)))

    @post(
        "/{year:int}/{code:str}/self-assessment/submission",
        status_code=200,
        summary="Ajukan penilaian mandiri / submit the self-assessment (coordinator)",
    )
    async def submit_self_assessment(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        year: FromPath[int],
        code: FromPath[str],
        data: JSONBody[SubmitIn],
    ) -> Response[CommandOut]:
        answers = tuple(
            IndicatorAnswer(
                indicator_id=a.indicator_id,
                answer=a.answer,
                action_ids=tuple(a.action_ids),
                evidence=tuple(a.evidence),
                note=a.note,
            )
            for a in data.answers
        )
        command = c.SubmitSelfAssessment(
            region_code=code, data_year=year, answers=answers, note=data.note
        )
        return command_response(await bus.dispatch(command, who, expected_version(request)))

    @post(
        "/{year:int}/{code:str}/self-assessment/verification",
        status_code=200,
        summary="Verifikasi penilaian mandiri / verify it (Kanwil)",
    )
    async def verify_self_assessment(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        year: FromPath[int],
        code: FromPath[str],
        data: JSONBody[VerifyIn],
    ) -> Response[CommandOut]:
        command = c.VerifySelfAssessment(region_code=code, data_year=year, note=data.note)
        return command_response(await bus.dispatch(command, who, expected_version(request)))

    @post(
        "/{year:int}/{code:str}/self-assessment/return",
        status_code=200,
        summary="Kembalikan penilaian mandiri / return it with a reason (Kanwil)",
    )
    async def return_self_assessment(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        year: FromPath[int],
        code: FromPath[str],
        data: JSONBody[ReturnIn],
    ) -> Response[CommandOut]:
        command = c.ReturnSelfAssessment(region_code=code, data_year=year, reason=data.reason)
        return command_response(await bus.dispatch(command, who, expected_version(request)))

    @post(
        "/{year:int}/{code:str}/result",
        status_code=200,
        summary="Catat hasil penilaian pusat / record the central result (ministry)",
    )
    async def record_result(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        year: FromPath[int],
        code: FromPath[str],
        data: JSONBody[ResultIn],
    ) -> Response[CommandOut]:
        command = c.RecordAssessmentResult(
            region_code=code,
            data_year=year,
            score=data.score,
            predicate=data.predicate,
            decree_number=data.decree_number,
            decree_date=data.decree_date,
            note=data.note,
            reason=data.reason,
        )
        return command_response(await bus.dispatch(command, who, expected_version(request)))
