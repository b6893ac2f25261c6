"""Given/when/then helpers and fixed sample data for the pure domain tests.

Everything is deterministic: fixed UUIDs, fixed timezone-aware datetimes (WIB, UTC+7).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from typing import Any, TypeVar
from uuid import UUID

import msgspec
import pytest

from domain.action_events import (
    ActionPlanned,
    ActionStarted,
    ProgressReportResubmitted,
    ProgressReportReturned,
    ProgressReportSubmitted,
    ProgressReportVerified,
    ReturnReason,
)
from domain.commitment import CommitmentMade, CommitmentWithdrawn
from domain.errors import DomainError
from domain.forum import ForumConvened, ForumKind
from domain.period import ReportingPeriod
from domain.regions import Region, RegionCatalogue
from domain.values import (
    Actor,
    Evidence,
    Indicator,
    IndicatorType,
    Partner,
    Role,
    RpjmnTag,
    Signatory,
)
from tracker import catalogue

S = TypeVar("S")
E = TypeVar("E")

WIB = timezone(timedelta(hours=7))


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A fixed, timezone-aware instant in Western Indonesia Time."""
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def uid(n: int) -> UUID:
    return UUID(int=n)


FORUM_ID = uid(0xF0)
COMMITMENT_ID = uid(0xC0)
ACTION_ID = uid(0xA0)
REPORT_1 = uid(0x101)
REPORT_2 = uid(0x102)
REPORT_3 = uid(0x103)

ADMIN = Actor(user_id="admin-1", role=Role.ADMIN, office="Kementerian HAM")
PEMDA = Actor(user_id="pemda-blitar-1", role=Role.PEMDA, office="35.72")
KANWIL = Actor(user_id="kanwil-jatim-1", role=Role.KANWIL, office="Kanwil Kemenham Jawa Timur")

SAMPLE_REGIONS = (
    Region(code="35", name="Jawa Timur", kind="provinsi", province_code="35"),
    Region(code="35.72", name="Kota Blitar", kind="kota", province_code="35"),
    Region(code="33", name="Jawa Tengah", kind="provinsi", province_code="33"),
    Region(code="33.74", name="Kota Semarang", kind="kota", province_code="33"),
    Region(code="33.75", name="Kota Pekalongan", kind="kota", province_code="33"),
    Region(code="61", name="Kalimantan Barat", kind="provinsi", province_code="61"),
    Region(code="61.72", name="Kota Singkawang", kind="kota", province_code="61"),
)


def sample_catalogue() -> RegionCatalogue:
    return RegionCatalogue(SAMPLE_REGIONS)


SHA = "0123456789abcdef" * 4
EVIDENCE = Evidence(
    title="Notulen rapat koordinasi",
    url="https://blitarkota.go.id/dokumen/notulen.pdf",
    sha256=SHA,
)
INDICATOR = Indicator(name="Posyandu ramah disabilitas", unit="unit", baseline=0.0, target=20.0)

FORUM_STARTS = date(2025, 6, 10)
FORUM_ENDS = date(2025, 6, 12)
COMMITMENT_MADE_ON = date(2025, 6, 11)
ACTION_DUE = date(2025, 12, 31)


def given(evolve: Callable[[S | None, E], S], *events: E) -> S:
    """Fold past events into the current state, exactly as the application does."""
    state: S | None = None
    for event in events:
        state = evolve(state, event)
    assert state is not None, "given() needs at least one event"
    return state


@contextmanager
def then_refused(kind: type[DomainError], code: str) -> Iterator[None]:
    """Then: the command is refused with exactly this error class and code."""
    with pytest.raises(DomainError) as info:
        yield
    assert type(info.value) is kind, f"expected {kind.__name__}, got {info.value!r}"
    assert info.value.code == code
    for lang in catalogue.LANGUAGES:  # worded in both languages, every parameter filled in
        assert catalogue.refusal(info.value, lang)


def _with(event: Any, changes: dict[str, Any]) -> Any:
    return msgspec.structs.replace(event, **changes) if changes else event


# ---- sample past events -------------------------------------------------------------------


def forum_convened(**changes: Any) -> ForumConvened:
    return _with(
        ForumConvened(
            forum_id=FORUM_ID,
            kind=ForumKind.FESTIVAL_HAM,
            title="Festival HAM 2025",
            theme="Kabupaten/Kota Peduli HAM",
            organisers=("Kementerian HAM", "Pemerintah Kota Blitar"),
            host_region_code="35.72",
            venue="Kota Blitar",
            starts_on=FORUM_STARTS,
            ends_on=FORUM_ENDS,
            actor=ADMIN,
            at=at(2025, 6, 1),
        ),
        changes,
    )


def commitment_made(**changes: Any) -> CommitmentMade:
    return _with(
        CommitmentMade(
            commitment_id=COMMITMENT_ID,
            forum_id=FORUM_ID,
            title="Deklarasi Blitar",
            summary="Layanan publik ramah HAM",
            made_on=COMMITMENT_MADE_ON,
            signatories=(
                Signatory(region_code="35", office="Gubernur Jawa Timur"),
                Signatory(region_code="33.74", office="Wali Kota Semarang"),
            ),
            rpjmn=(RpjmnTag(pn="PN1"),),
            kkp_criteria=(1, 4),
            actor=ADMIN,
            at=at(2025, 6, 11),
        ),
        changes,
    )


def commitment_withdrawn(**changes: Any) -> CommitmentWithdrawn:
    return _with(
        CommitmentWithdrawn(reason="Digantikan deklarasi baru", actor=ADMIN, at=at(2025, 7, 1)),
        changes,
    )


def action_planned(**changes: Any) -> ActionPlanned:
    return _with(
        ActionPlanned(
            action_id=ACTION_ID,
            commitment_id=COMMITMENT_ID,
            forum_id=FORUM_ID,
            region_code="35.72",
            province_code="35",
            title="Posyandu ramah disabilitas",
            description="Membangun akses di seluruh posyandu",
            owner_opd="Dinas Kesehatan",
            partners=(Partner(name="LBH Surabaya", kind="cso"),),
            rpjmn=(RpjmnTag(pn="PN1"),),
            kkp_criterion=4,
            indicator_type=IndicatorType.PROCESS,
            indicator=INDICATOR,
            due_on=ACTION_DUE,
            actor=PEMDA,
            at=at(2025, 6, 20),
        ),
        changes,
    )


def action_started(when: datetime | None = None) -> ActionStarted:
    return ActionStarted(actor=PEMDA, at=when or at(2025, 7, 5))


def report_submitted(
    report_id: UUID = REPORT_1,
    period: str = "2025-06",
    percent: float | None = 20.0,
    **changes: Any,
) -> ProgressReportSubmitted:
    return _with(
        ProgressReportSubmitted(
            report_id=report_id,
            period=ReportingPeriod.parse(period),
            percent=percent,
            indicator_value=None,
            narrative="Pendataan posyandu selesai",
            evidence=(EVIDENCE,),
            actor=PEMDA,
            at=at(2025, 7, 5),
        ),
        changes,
    )


def report_verified(report_id: UUID = REPORT_1, **changes: Any) -> ProgressReportVerified:
    return _with(
        ProgressReportVerified(
            report_id=report_id, note="Sesuai bukti", actor=KANWIL, at=at(2025, 7, 10)
        ),
        changes,
    )


def report_returned(report_id: UUID = REPORT_1, **changes: Any) -> ProgressReportReturned:
    return _with(
        ProgressReportReturned(
            report_id=report_id,
            reason_code=ReturnReason.INSUFFICIENT_EVIDENCE,
            note="Bukti tidak dapat dibuka",
            actor=KANWIL,
            at=at(2025, 7, 10),
        ),
        changes,
    )


def report_resubmitted(report_id: UUID = REPORT_1, **changes: Any) -> ProgressReportResubmitted:
    return _with(
        ProgressReportResubmitted(
            report_id=report_id,
            percent=15.0,
            indicator_value=None,
            narrative="Bukti diperbaiki",
            evidence=(EVIDENCE,),
            actor=PEMDA,
            at=at(2025, 7, 12),
        ),
        changes,
    )
