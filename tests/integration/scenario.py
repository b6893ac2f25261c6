"""Shared setup for integration tests: a bus on the real event store, a forum and a
commitment signed by some regions."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from adapters.memory.accounts import MemoryAccounts
from adapters.passwords import Argon2Hasher
from adapters.reference_data import region_catalogue
from domain import commands as c
from domain.access import Principal
from domain.forum import ForumKind
from domain.values import IndicatorType, Signatory
from tracker.bus import CommandResult, MessageBus
from tracker.ports import EventStore


def bus_on(
    store: EventStore, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> MessageBus:
    """The message bus on `store` (accounts are not what these tests are about)."""
    return MessageBus(
        store=store,
        accounts=MemoryAccounts(),
        hasher=Argon2Hasher(),
        regions=region_catalogue(),
        clock=clock,
        ids=uuid.uuid4,
    )


def seed_commitment(
    bus: MessageBus,
    actor: Principal,
    signatories: tuple[str, ...] = ("33.75",),
    *,
    host: str | None = None,
    signed_on: date = date(2023, 6, 21),
    kkp_criteria: tuple[int, ...] = (5,),
) -> UUID:
    forum = bus.execute(
        c.ConveneForum(
            kind=ForumKind.FGD,
            title="FGD KKP HAM",
            organisers=("Bagian Hukum",),
            host_region_code=host or signatories[0],
            starts_on=signed_on,
            ends_on=signed_on,
        ),
        actor,
    )
    return bus.execute(
        c.RecordCommitment(
            forum_id=forum.id,
            title="Komitmen",
            made_on=signed_on,
            signatories=tuple(
                Signatory(region_code=s, office="Kepala Daerah") for s in signatories
            ),
            kkp_criteria=kkp_criteria,
        ),
        actor,
    ).id


def plan_action(
    bus: MessageBus, actor: Principal, commitment_id: UUID, region_code: str, **fields: Any
) -> CommandResult:
    defaults: dict[str, Any] = {
        "title": "Aksi",
        "owner_opd": "Dindukcapil",
        "kkp_criterion": 5,
        "indicator_type": IndicatorType.OUTCOME,
        "due_on": date(2026, 12, 31),
    }
    command = c.PlanAction(
        commitment_id=commitment_id, region_code=region_code, **{**defaults, **fields}
    )
    return bus.execute(command, actor)
