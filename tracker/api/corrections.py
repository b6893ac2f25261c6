"""/api/v1/actions/{id}/amendment, /steps and /completion/return: correcting a plan with a
reason, splitting it into steps, and a Kanwil sending a declared completion back. Same bus,
same rules as every write."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, post
from litestar.params import FromPath, JSONBody

from domain import commands as c
from tracker.api.schemas import ActionAmendmentIn, CommandOut, ReturnIn, StepIn
from tracker.api.writes import command_response
from tracker.http.deps import Bus
from tracker.http.helpers import expected_version
from tracker.http.principal import Who


def _tuple(items: list[Any] | None) -> tuple[Any, ...] | None:
    return None if items is None else tuple(items)


class ActionCorrectionController(Controller):
    path = "/actions"
    tags = ("actions",)

    @post("/{action_id:uuid}/amendment", status_code=200, summary="Koreksi aksi / amend")
    async def amend(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        action_id: FromPath[UUID],
        data: JSONBody[ActionAmendmentIn],
    ) -> Response[CommandOut]:
        command = c.AmendAction(
            action_id=action_id,
            reason=data.reason,
            title=data.title,
            description=data.description,
            owner_opd=data.owner_opd,
            partners=_tuple(data.partners),
            rpjmn=_tuple(data.rpjmn),
            kkp_criterion=data.kkp_criterion,
            indicator_type=data.indicator_type,
            indicator=data.indicator,
            weight=data.weight,
        )
        result = await bus.dispatch(command, who, expected_version(request))
        return command_response(result)

    @post("/{action_id:uuid}/steps", summary="Tambah tahapan / add a step")
    async def add_step(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        action_id: FromPath[UUID],
        data: JSONBody[StepIn],
    ) -> Response[CommandOut]:
        """Split the action into steps; from then on each report names its `step_id` and the
        action's figures are the weighted mean of its steps' (the new step's id is in
        `data.steps` of the answer)."""
        command = c.AddActionStep(
            action_id=action_id,
            title=data.title,
            owner_opd=data.owner_opd,
            due_on=data.due_on,
            weight=data.weight,
        )
        result = await bus.dispatch(command, who, expected_version(request))
        return command_response(result, 201)

    @post(
        "/{action_id:uuid}/completion/return",
        status_code=200,
        summary="Kembalikan penyelesaian / return a completion",
    )
    async def return_completion(
        self,
        request: Request[Any, Any, Any],
        bus: Bus,
        who: Who,
        action_id: FromPath[UUID],
        data: JSONBody[ReturnIn],
    ) -> Response[CommandOut]:
        command = c.ReturnCompletion(
            action_id=action_id, reason_code=data.reason_code, note=data.note
        )
        result = await bus.dispatch(command, who, expected_version(request))
        return command_response(result)
