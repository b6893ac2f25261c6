"""/api/v1/actions: plan, report progress, review, complete, cancel, and read history.

Each write builds its command and hands it to the bus; the rules are the domain's."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from adapters import readmodels
from domain import commands as c
from domain.access import Target, authorize
from domain.action_state import ActionStatus
from domain.commands import Command
from domain.errors import InvalidInput
from domain.period import ReportingPeriod
from tracker.api.params import After, Kkp, Limit, Pada, Pn
from tracker.api.reads import aggregate_response, board_page, history
from tracker.api.schemas import (
    ActionIn,
    CommandOut,
    CompletionIn,
    ProgressIn,
    ReasonIn,
    RescheduleIn,
    ResubmissionIn,
    ReturnIn,
    VerificationIn,
)
from tracker.api.writes import command_response
from tracker.errors import NotFound
from tracker.http.deps import Bus, Files, Reader
from tracker.http.helpers import expected_version
from tracker.http.openapi_docs import RESPONDS
from tracker.http.principal import Who
from tracker.http.reading import Reads, as_of, before_read
from tracker.uploads import FORM_BODY_LIMIT, stored_evidence, uploads


async def _send(
    request: Request[Any, Any, Any], bus: Bus, who: Who, command: Command, status: int = 200
) -> Response[Any]:
    result = await bus.dispatch(command, who, expected_version(request))
    return command_response(result, status)


class ActionController(Controller):
    path = "/actions"
    tags = ("actions",)

    @get("/", summary="Papan aksi / action board", opt={RESPONDS: ("list", "action")})
    async def list_actions(
        self,
        request: Request[Any, Any, Any],
        reads: Reads,
        region: FromQuery[str | None] = None,
        province: FromQuery[str | None] = None,
        status: FromQuery[ActionStatus | None] = None,
        owner_opd: FromQuery[str | None] = None,
        kkp: Kkp = None,
        pn: Pn = None,
        commitment_id: FromQuery[UUID | None] = None,
        forum_id: FromQuery[UUID | None] = None,
        due_before: FromQuery[date | None] = None,
        overdue: FromQuery[bool] = False,
        limit: Limit = 100,
        cursor: FromQuery[str | None] = None,
        after: After = None,
        pada: Pada = None,
    ) -> Any:
        reads = await as_of(reads, pada, region or province)
        if (early := await before_read(request, reads, after)) is not None:
            return early
        where = readmodels.ActionFilter(
            region_code=region,
            province_code=province,
            status=status.value if status else None,
            owner_opd=owner_opd,
            kkp_criterion=kkp,
            rpjmn_pn=pn,
            commitment_id=commitment_id,
            forum_id=forum_id,
            due_before=due_before,
            overdue_on=reads.today(region or province) if overdue else None,
        )
        return await board_page(request, reads, where, limit, cursor)

    @post("/", summary="Rencanakan aksi / plan an action")
    async def plan(self, bus: Bus, who: Who, data: JSONBody[ActionIn]) -> Response[CommandOut]:
        command = c.PlanAction(
            commitment_id=data.commitment_id,
            region_code=data.region_code,
            title=data.title,
            description=data.description,
            owner_opd=data.owner_opd,
            partners=tuple(data.partners),
            rpjmn=tuple(data.rpjmn),
            kkp_criterion=data.kkp_criterion,
            indicator_type=data.indicator_type,
            cadence=data.cadence,
            indicator=data.indicator,
            due_on=data.due_on,
            weight=data.weight,
        )
        result = await bus.dispatch(command, who)
        return command_response(result, 201, f"/api/v1/actions/{result.id}")

    @post(
        "/{action_id:uuid}/evidence-files",
        summary="Unggah berkas bukti / upload evidence files",
        request_max_body_size=FORM_BODY_LIMIT,
    )
    async def upload_evidence(
        self,
        request: Request[Any, Any, Any],
        reader: Reader,
        files: Files,
        who: Who,
        action_id: FromPath[UUID],
    ) -> Response[Any]:
        """Multipart `evidence_file` parts (and `public=false` for private evidence); answers
        the evidence items to put in a report's or a completion's `evidence`. Only the
        action's writers may upload: the same policy as a progress report."""
        state = await reader.load_state("action", action_id)
        if state is None:
            raise NotFound("action", str(action_id))
        target = Target(region_code=state.region_code, owner_opd=state.owner_opd)
        authorize(c.SubmitProgressReport.RULE, who, target)
        form = await request.form()
        chosen = uploads(form)
        if not chosen:
            raise InvalidInput("evidence-none")
        public = str(form.get("public", "true")).lower() not in ("false", "0", "off")
        stored = await stored_evidence(files, action_id, chosen, public)
        return Response({"items": list(stored)}, status_code=201)

    @get(
        "/{action_id:uuid}",
        summary="Satu aksi dengan laporannya / one action",
        opt={RESPONDS: ("one", "action")},
    )
    async def get_action(
        self, reads: Reads, who: Who, action_id: FromPath[UUID], pada: Pada = None
    ) -> Response[Any]:
        """The action now, or with `?pada=` as it stood at the end of that day in its
        region's time zone (404 if it did not exist yet); an as-of answer has no ETag to
        send back in If-Match."""
        if pada is None:
            return await aggregate_response(reads.data, who, "action", action_id)
        current = await reads.data.load_state("action", action_id)
        if current is None:
            raise NotFound("action", str(action_id))
        dated = await as_of(reads, pada, current.region_code)
        then = await aggregate_response(dated.data, who, "action", action_id)
        assert dated.as_of is not None
        body = {**then.content, "as_of": dated.as_of.describe()}
        return Response(body, headers={"Vary": "Authorization, Cookie"})

    @get(
        "/{action_id:uuid}/history",
        summary="Riwayat peristiwa / event history",
        opt={RESPONDS: ("history", "action")},
    )
    async def get_history(
        self, reader: Reader, who: Who, action_id: FromPath[UUID]
    ) -> dict[str, Any]:
        return {"items": await history(reader, who, action_id, "action")}

    @post("/{action_id:uuid}/progress", summary="Kirim laporan kemajuan / submit a progress report")
    async def submit_progress(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        action_id: FromPath[UUID],
        data: JSONBody[ProgressIn],
    ) -> Response[CommandOut]:
        command = c.SubmitProgressReport(
            action_id=action_id,
            period=ReportingPeriod.parse(data.period),
            percent=data.percent,
            indicator_value=data.indicator_value,
            narrative=data.narrative,
            evidence=tuple(data.evidence),
            correction_reason=data.correction_reason,
            step_id=data.step_id,
        )
        return await _send(request, bus, who, command, 201)

    @post("/{action_id:uuid}/progress/{report_id:uuid}/verification", status_code=200)
    async def verify_report(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        action_id: FromPath[UUID],
        report_id: FromPath[UUID],
        data: JSONBody[VerificationIn],
    ) -> Response[CommandOut]:
        command = c.VerifyReport(action_id=action_id, report_id=report_id, note=data.note)
        return await _send(request, bus, who, command)

    @post("/{action_id:uuid}/progress/{report_id:uuid}/return", status_code=200)
    async def return_report(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        action_id: FromPath[UUID],
        report_id: FromPath[UUID],
        data: JSONBody[ReturnIn],
    ) -> Response[CommandOut]:
        command = c.ReturnReport(
            action_id=action_id, report_id=report_id, reason_code=data.reason_code, note=data.note
        )
        return await _send(request, bus, who, command)

    @post("/{action_id:uuid}/progress/{report_id:uuid}/resubmission", status_code=200)
    async def resubmit_report(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        action_id: FromPath[UUID],
        report_id: FromPath[UUID],
        data: JSONBody[ResubmissionIn],
    ) -> Response[CommandOut]:
        command = c.ResubmitReport(
            action_id=action_id,
            report_id=report_id,
            percent=data.percent,
            indicator_value=data.indicator_value,
            narrative=data.narrative,
            evidence=tuple(data.evidence),
            correction_reason=data.correction_reason,
        )
        return await _send(request, bus, who, command)

    @post("/{action_id:uuid}/start", status_code=200)
    async def start(
        self, request: Request[Any, Any, Any], bus: Bus, who: Who, action_id: FromPath[UUID]
    ) -> Response[CommandOut]:
        return await _send(request, bus, who, c.StartAction(action_id=action_id))

    @post("/{action_id:uuid}/completion", status_code=200)
    async def complete(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        action_id: FromPath[UUID],
        data: JSONBody[CompletionIn],
    ) -> Response[CommandOut]:
        command = c.DeclareCompletion(
            action_id=action_id, evidence=tuple(data.evidence), note=data.note
        )
        return await _send(request, bus, who, command)

    @post("/{action_id:uuid}/verification", status_code=200)
    async def verify(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        action_id: FromPath[UUID],
        data: JSONBody[VerificationIn],
    ) -> Response[CommandOut]:
        command = c.VerifyCompletion(action_id=action_id, note=data.note)
        return await _send(request, bus, who, command)

    @post("/{action_id:uuid}/rescheduling", status_code=200)
    async def reschedule(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        action_id: FromPath[UUID],
        data: JSONBody[RescheduleIn],
    ) -> Response[CommandOut]:
        command = c.RescheduleAction(action_id=action_id, due_on=data.due_on, reason=data.reason)
        return await _send(request, bus, who, command)

    @post("/{action_id:uuid}/cancellation", status_code=200)
    async def cancel(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        action_id: FromPath[UUID],
        data: JSONBody[ReasonIn],
    ) -> Response[CommandOut]:
        command = c.CancelAction(action_id=action_id, reason=data.reason)
        return await _send(request, bus, who, command)
