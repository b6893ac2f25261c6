"""/api/v1/actions: plan, report progress, review, complete, cancel, and read history."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery, JSONBody

from adapters import readmodels
from domain import action as action_domain
from domain import progress as progress_domain
from domain.period import ReportingPeriod
from tracker.api.auth import Who
from tracker.api.http import command_response, expected_version, in_thread
from tracker.api.params import After, Kkp, Limit, Pn
from tracker.api.reads import aggregate_response, before_read, board_page, history
from tracker.api.schemas import (
    ActionIn,
    CompletionIn,
    ProgressIn,
    ReasonIn,
    RescheduleIn,
    ResubmissionIn,
    ReturnIn,
    VerificationIn,
)


class ActionController(Controller):
    path = "/actions"
    tags = ("actions",)

    @get("/", summary="Papan aksi / action board")
    async def list_actions(
        self,
        request: Request[Any, Any, Any],
        state: State,
        region: FromQuery[str | None] = None,
        province: FromQuery[str | None] = None,
        status: FromQuery[str | None] = None,
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
    ) -> Any:
        if (early := await before_read(request, state, after)) is not None:
            return early
        where = readmodels.ActionFilter(
            region_code=region,
            province_code=province,
            status=status,
            owner_opd=owner_opd,
            kkp_criterion=kkp,
            rpjmn_pn=pn,
            commitment_id=commitment_id,
            forum_id=forum_id,
            due_before=due_before,
            overdue_on=state.container.clock().date() if overdue else None,
        )
        return await board_page(request, state, where, limit, cursor)

    @post("/", summary="Rencanakan aksi / plan an action")
    async def plan(
        self,
        request: Request[Any, Any, Any],
        state: State,
        who: Who,
        data: JSONBody[ActionIn],
    ) -> Response[Any]:
        result = await in_thread(
            state.container.service.plan_action,
            who,
            data.commitment_id,
            region_code=data.region_code,
            title=data.title,
            description=data.description,
            owner_opd=data.owner_opd,
            partners=tuple(data.partners),
            rpjmn=tuple(data.rpjmn),
            kkp_criterion=data.kkp_criterion,
            indicator_type=data.indicator_type,
            indicator=data.indicator,
            due_on=data.due_on,
        )
        return command_response(result, 201, f"/api/v1/actions/{result.id}")

    @get("/{action_id:uuid}", summary="Satu aksi dengan laporannya / one action")
    async def get_action(self, state: State, who: Who, action_id: FromPath[UUID]) -> Response[Any]:
        return await aggregate_response(state, who, "action", action_id)

    @get("/{action_id:uuid}/history", summary="Riwayat peristiwa / event history")
    async def get_history(
        self, state: State, who: Who, action_id: FromPath[UUID]
    ) -> dict[str, Any]:
        return {"items": await history(state, who, action_id, "action")}

    async def _act(
        self,
        request: Request[Any, Any, Any],
        state: State,
        who: Who,
        action_id: FromPath[UUID],
        command: Any,
        **fields: Any,
    ) -> Response[Any]:
        result = await in_thread(
            state.container.service.act,
            action_id,
            expected_version(request),
            who,
            command,
            **fields,
        )
        return command_response(result)

    @post("/{action_id:uuid}/progress", summary="Kirim laporan kemajuan / submit a progress report")
    async def submit_progress(
        self,
        request: Request[Any, Any, Any],
        state: State,
        who: Who,
        action_id: FromPath[UUID],
        data: JSONBody[ProgressIn],
    ) -> Response[Any]:
        response = await self._act(
            request,
            state,
            who,
            action_id,
            progress_domain.submit_report,
            report_id=uuid4(),
            period=ReportingPeriod.parse(data.period),
            percent=data.percent,
            indicator_value=data.indicator_value,
            narrative=data.narrative,
            evidence=tuple(data.evidence),
            correction_reason=data.correction_reason,
        )
        response.status_code = 201
        return response

    @post("/{action_id:uuid}/progress/{report_id:uuid}/verification", status_code=200)
    async def verify_report(
        self,
        request: Request[Any, Any, Any],
        state: State,
        who: Who,
        action_id: FromPath[UUID],
        report_id: FromPath[UUID],
        data: JSONBody[VerificationIn],
    ) -> Response[Any]:
        return await self._act(
            request,
            state,
            who,
            action_id,
            progress_domain.verify_report,
            report_id=report_id,
            note=data.note,
        )

    @post("/{action_id:uuid}/progress/{report_id:uuid}/return", status_code=200)
    async def return_report(
        self,
        request: Request[Any, Any, Any],
        state: State,
        who: Who,
        action_id: FromPath[UUID],
        report_id: FromPath[UUID],
        data: JSONBody[ReturnIn],
    ) -> Response[Any]:
        return await self._act(
            request,
            state,
            who,
            action_id,
            progress_domain.return_report,
            report_id=report_id,
            reason_code=data.reason_code,
            note=data.note,
        )

    @post("/{action_id:uuid}/progress/{report_id:uuid}/resubmission", status_code=200)
    async def resubmit_report(
        self,
        request: Request[Any, Any, Any],
        state: State,
        who: Who,
        action_id: FromPath[UUID],
        report_id: FromPath[UUID],
        data: JSONBody[ResubmissionIn],
    ) -> Response[Any]:
        return await self._act(
            request,
            state,
            who,
            action_id,
            progress_domain.resubmit_report,
            report_id=report_id,
            percent=data.percent,
            indicator_value=data.indicator_value,
            narrative=data.narrative,
            evidence=tuple(data.evidence),
            correction_reason=data.correction_reason,
        )

    @post("/{action_id:uuid}/start", status_code=200)
    async def start(
        self,
        request: Request[Any, Any, Any],
        state: State,
        who: Who,
        action_id: FromPath[UUID],
    ) -> Response[Any]:
        return await self._act(request, state, who, action_id, action_domain.start)

    @post("/{action_id:uuid}/completion", status_code=200)
    async def complete(
        self,
        request: Request[Any, Any, Any],
        state: State,
        who: Who,
        action_id: FromPath[UUID],
        data: JSONBody[CompletionIn],
    ) -> Response[Any]:
        return await self._act(
            request,
            state,
            who,
            action_id,
            action_domain.complete,
            evidence=tuple(data.evidence),
            note=data.note,
        )

    @post("/{action_id:uuid}/verification", status_code=200)
    async def verify(
        self,
        request: Request[Any, Any, Any],
        state: State,
        who: Who,
        action_id: FromPath[UUID],
        data: JSONBody[VerificationIn],
    ) -> Response[Any]:
        return await self._act(
            request, state, who, action_id, action_domain.verify_completion, note=data.note
        )

    @post("/{action_id:uuid}/rescheduling", status_code=200)
    async def reschedule(
        self,
        request: Request[Any, Any, Any],
        state: State,
        who: Who,
        action_id: FromPath[UUID],
        data: JSONBody[RescheduleIn],
    ) -> Response[Any]:
        return await self._act(
            request,
            state,
            who,
            action_id,
            action_domain.reschedule,
            due_on=data.due_on,
            reason=data.reason,
        )

    @post("/{action_id:uuid}/cancellation", status_code=200)
    async def cancel(
        self,
        request: Request[Any, Any, Any],
        state: State,
        who: Who,
        action_id: FromPath[UUID],
        data: JSONBody[ReasonIn],
    ) -> Response[Any]:
        return await self._act(
            request, state, who, action_id, action_domain.cancel, reason=data.reason
        )
