"""Helpers for writing the demo history: actors, a settable clock, short commands."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

from adapters.eventstore import EventStore
from adapters.reference_data import national_targets, region_catalogue
from domain import progress
from domain.access import Principal
from domain.action_events import ReturnReason
from domain.period import ReportingPeriod
from domain.values import Evidence, IndicatorType, Role, RpjmnTag
from tracker.service import TrackerService

# Regional training actions report against the ministry's 2025 national targets.
ASN_TRAINED, PUBLIC_TRAINED = (t.indicator for t in national_targets())

# The demo writes through the same access policy as everyone; `serve --demo` also creates
# an account for each of these principals (tracker.demo.accounts).
ADMIN = Principal(user_id="demo-admin", role=Role.ADMIN, office="Kementerian HAM")


def kanwil(name: str, office: str, *provinces: str) -> Principal:
    return Principal(
        user_id=f"demo-kanwil-{name}",
        role=Role.KANWIL,
        office=office,
        provinces=frozenset(provinces),
    )


KANWIL_JATENG = kanwil("jateng", "Kanwil Kementerian HAM Jawa Tengah", "33")
KANWIL_JATIM = kanwil("jatim", "Kanwil Kementerian HAM Jawa Timur", "35")
# Kanwil Kalimantan Tengah's jurisdiction also covers Kalimantan Barat.
KANWIL_KALTENG = kanwil("kalteng", "Kanwil Kementerian HAM Kalimantan Tengah", "62", "61")


def pemda(region: str, office: str) -> Principal:
    return Principal(
        user_id=f"demo-pemda-{region.replace('.', '')}",
        role=Role.PEMDA,
        office=office,
        region_code=region,
    )


BLITAR = pemda("35.72", "Bagian Hukum Setda Kota Blitar")
SEMARANG = pemda("33.74", "Bagian Hukum Setda Kota Semarang")
PEKALONGAN = pemda("33.75", "Bagian Hukum Setda Kota Pekalongan")
SINGKAWANG = pemda("61.72", "Bagian Hukum Setda Kota Singkawang")


class DemoClock:
    """The demo writes a history spread over years; its clock is set step by step."""

    def __init__(self) -> None:
        self.now = datetime(2021, 11, 20, 10, tzinfo=UTC)

    def at(self, day: date, hour: int = 10) -> None:
        self.now = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def evidence(title: str, slug: str, *, public: bool = True) -> tuple[Evidence, ...]:
    """Illustrative documents: the fingerprint is the SHA-256 of the slug, not of a file."""
    return (
        Evidence(
            title=title,
            url=f"https://jdih.example.go.id/dokumen/{slug}.pdf",
            sha256=hashlib.sha256(slug.encode()).hexdigest(),
            public=public,
        ),
    )


class Demo:
    def __init__(self, store: EventStore) -> None:
        self.clock = DemoClock()
        self.service = TrackerService(store, region_catalogue(), self.clock)

    def forum(self, day: date, **fields: Any) -> UUID:
        self.clock.at(day)
        return self.service.convene_forum(ADMIN, **fields).id

    def commitment(self, day: date, forum_id: UUID, **fields: Any) -> UUID:
        self.clock.at(day, 15)
        return self.service.make_commitment(ADMIN, forum_id, **fields).id

    def action(self, day: date, actor: Principal, commitment_id: UUID, **fields: Any) -> UUID:
        self.clock.at(day)
        fields.setdefault("partners", ())
        fields.setdefault("rpjmn", (RpjmnTag(pn="PN1"),))
        fields.setdefault("indicator_type", IndicatorType.PROCESS)
        fields.setdefault("indicator", None)
        fields.setdefault("description", "")
        return self.service.plan_action(actor, commitment_id, **fields).id

    def report(
        self,
        day: date,
        actor: Principal,
        action_id: UUID,
        period: str,
        narrative: str,
        percent: float | None = None,
        value: float | None = None,
        evidence: tuple[Evidence, ...] = (),
    ) -> UUID:
        self.clock.at(day)
        report_id = uuid4()
        self.service.act(
            action_id,
            None,
            actor,
            progress.submit_report,
            report_id=report_id,
            period=ReportingPeriod.parse(period),
            percent=percent,
            indicator_value=value,
            narrative=narrative,
            evidence=evidence,
        )
        return report_id

    def verify(
        self, day: date, kanwil: Principal, action_id: UUID, report_id: UUID, note: str
    ) -> None:
        self.clock.at(day, 14)
        self.service.act(
            action_id, None, kanwil, progress.verify_report, report_id=report_id, note=note
        )

    def give_back(
        self,
        day: date,
        kanwil: Principal,
        action_id: UUID,
        report_id: UUID,
        reason: ReturnReason,
        note: str,
    ) -> None:
        self.clock.at(day, 14)
        self.service.act(
            action_id,
            None,
            kanwil,
            progress.return_report,
            report_id=report_id,
            reason_code=reason,
            note=note,
        )

    def resubmit(
        self,
        day: date,
        actor: Principal,
        action_id: UUID,
        report_id: UUID,
        narrative: str,
        percent: float | None = None,
        value: float | None = None,
        evidence: tuple[Evidence, ...] = (),
    ) -> None:
        self.clock.at(day)
        self.service.act(
            action_id,
            None,
            actor,
            progress.resubmit_report,
            report_id=report_id,
            percent=percent,
            indicator_value=value,
            narrative=narrative,
            evidence=evidence,
        )

    def lifecycle(
        self, day: date, actor: Principal, action_id: UUID, command: Any, **fields: Any
    ) -> None:
        self.clock.at(day, 16)
        self.service.act(action_id, None, actor, command, **fields)
