"""Shared setup for integration tests: a forum and a commitment signed by some regions."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.access import Principal
from domain.forum import ForumKind
from domain.values import IndicatorType, Signatory
from tracker.service import CommandResult, TrackerService


def seed_commitment(
    service: TrackerService,
    actor: Principal,
    signatories: tuple[str, ...] = ("33.75",),
    *,
    host: str | None = None,
    signed_on: date = date(2023, 6, 21),
    kkp_criteria: tuple[int, ...] = (5,),
) -> UUID:
    forum = service.convene_forum(
        actor,
        kind=ForumKind.FGD,
        title="FGD KKP HAM",
        theme="",
        organisers=("Bagian Hukum",),
        host_region_code=host or signatories[0],
        venue="",
        starts_on=signed_on,
        ends_on=signed_on,
    )
    return service.make_commitment(
        actor,
        forum.id,
        title="Komitmen",
        summary="",
        made_on=signed_on,
        signatories=tuple(Signatory(region_code=c, office="Kepala Daerah") for c in signatories),
        rpjmn=(),
        kkp_criteria=kkp_criteria,
    ).id


def plan_action(
    service: TrackerService, actor: Principal, commitment_id: UUID, region_code: str, **fields: Any
) -> CommandResult:
    defaults: dict[str, Any] = {
        "title": "Aksi",
        "description": "",
        "owner_opd": "Dindukcapil",
        "partners": (),
        "rpjmn": (),
        "kkp_criterion": 5,
        "indicator_type": IndicatorType.OUTCOME,
        "indicator": None,
        "due_on": date(2026, 12, 31),
    }
    return service.plan_action(
        actor, commitment_id, region_code=region_code, **{**defaults, **fields}
    )
