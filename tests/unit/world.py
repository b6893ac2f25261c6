"""An in-memory world for use-case tests: the real bus on the in-memory event store and
account store, a settable clock, and the accounts every test can act as."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from adapters.account_types import Account
from adapters.memory.accounts import MemoryAccounts
from adapters.memory.delivery import MemoryDelivery
from adapters.memory.eventstore import MemoryEventStore
from adapters.memory.subscriptions import MemorySubscriptions
from adapters.passwords import Argon2Hasher
from adapters.reference_data import region_catalogue
from domain import commands as c
from domain.access import ANONYMOUS, Principal
from domain.forum import ForumKind
from domain.values import Evidence, Role, Signatory
from tracker.bus import CommandResult, MessageBus

ACCOUNTS = {
    "admin": Account("t-admin", "Admin", Role.ADMIN, "Kementerian HAM"),
    "kanwil_jatim": Account(
        "t-kanwil-jatim", "Kanwil", Role.KANWIL, "Kanwil Jawa Timur", provinces=("35",)
    ),
    "kanwil_jateng": Account(
        "t-kanwil-jateng", "Kanwil", Role.KANWIL, "Kanwil Jawa Tengah", provinces=("33",)
    ),
    "pemda_blitar": Account(
        "t-pemda-blitar", "Blitar", Role.PEMDA, "Bag. Hukum Kota Blitar", region_code="35.72"
    ),
    "pemda_semarang": Account(
        "t-pemda-semarang", "Semarang", Role.PEMDA, "Bag. Hukum Kota Semarang", region_code="33.74"
    ),
    "dinkes_blitar": Account(
        "t-dinkes-blitar", "Dinkes", Role.PEMDA, "Dinkes Kota Blitar", "35.72", opd="Dinkes"
    ),
}
PRINCIPALS: dict[str, Principal] = {
    "anonymous": ANONYMOUS,
    **{name: account.principal() for name, account in ACCOUNTS.items()},
}
EVIDENCE = (Evidence(title="Daftar hadir", url="https://example.org/hadir.pdf"),)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class World:
    """A forum, a commitment signed by Kota Blitar and Kota Semarang, and the accounts."""

    def __init__(self) -> None:
        self.clock = Clock()
        self.store = MemoryEventStore()
        self.accounts = MemoryAccounts()
        self.bus = MessageBus(
            store=self.store,
            accounts=self.accounts,
            hasher=Argon2Hasher(),
            regions=region_catalogue(),
            clock=self.clock,
            ids=uuid.uuid4,
            delivery=MemoryDelivery(),
            subscriptions=MemorySubscriptions(),
            mail=True,
        )
        for account in ACCOUNTS.values():
            self.run(self.accounts.add(account, None, "tests", self.clock()))
        admin = PRINCIPALS["admin"]
        self.forum_id = self.execute(forum(), admin).id
        self.commitment_id = self.execute(commitment(self.forum_id), admin).id

    @staticmethod
    def run(work: Any) -> Any:
        return asyncio.run(work)

    def execute(self, command: c.Command, who: Principal) -> CommandResult:
        return self.bus.execute(command, who)

    def dispatch(self, command: c.Command, who: Principal) -> Any:
        return self.run(self.bus.dispatch(command, who))

    def action(self, owner_opd: str = "Bagian Hukum Setda", region: str = "35.72") -> UUID:
        writer = "pemda_blitar" if region == "35.72" else "pemda_semarang"
        planned = plan(self.commitment_id, region, owner_opd)
        return self.execute(planned, PRINCIPALS[writer]).id

    def report(self, action_id: UUID, writer: str = "pemda_blitar") -> UUID:
        submitted = self.execute(submit(action_id), PRINCIPALS[writer])
        report_id: UUID = submitted.state.reports[-1].id
        return report_id


def forum() -> c.ConveneForum:
    return c.ConveneForum(
        kind=ForumKind.RAKERNAS,
        title="Rapat Kerja Pemerintah Daerah bidang HAM",
        organisers=("Kementerian HAM",),
        host_region_code="61.72",
        starts_on=date(2025, 11, 13),
        ends_on=date(2025, 11, 13),
    )


def commitment(forum_id: UUID) -> c.RecordCommitment:
    return c.RecordCommitment(
        forum_id=forum_id,
        title="Komitmen bersama Pemda bidang HAM",
        made_on=date(2025, 11, 13),
        signatories=(
            Signatory(region_code="35.72", office="Wali Kota Blitar"),
            Signatory(region_code="33.74", office="Wali Kota Semarang"),
        ),
        kkp_criteria=(1, 2),
    )


def plan(commitment_id: UUID, region: str, owner_opd: str) -> c.PlanAction:
    return c.PlanAction(
        commitment_id=commitment_id,
        region_code=region,
        title="Pelatihan HAM bagi ASN",
        owner_opd=owner_opd,
        due_on=date(2026, 12, 31),
    )


def submit(action_id: UUID) -> c.SubmitProgressReport:
    from domain.period import ReportingPeriod

    return c.SubmitProgressReport(
        action_id=action_id,
        period=ReportingPeriod.parse("2026-Q1"),
        percent=20,
        narrative="Tahap awal",
        evidence=EVIDENCE,
    )
