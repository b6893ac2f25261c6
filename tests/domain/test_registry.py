from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import msgspec
import pytest

from domain import action, commitment, forum, registry
from domain.action import Action, ActionStatus, ProgressReport, ReportStatus
from domain.action_events import (
    ActionAmended,
    ActionCancelled,
    ActionCompleted,
    ActionCompletionReturned,
    ActionPlanned,
    ActionRescheduled,
    ActionStarted,
    ActionStepAdded,
    ActionVerified,
    ProgressReportResubmitted,
    ProgressReportReturned,
    ProgressReportSubmitted,
    ProgressReportVerified,
    ReportDraftDiscarded,
    ReportDraftSaved,
    ReturnReason,
)
from domain.commitment import (
    Commitment,
    CommitmentAmended,
    CommitmentMade,
    CommitmentStatus,
    CommitmentWithdrawn,
)
from domain.events import DomainEvent
from domain.forum import Forum, ForumArchived, ForumConvened, ForumCorrected
from domain.forum_session import ForumSession, ForumSessionRecorded, Speaker, SpeakerRole
from domain.import_batch import EventRef, ImportApplied, batch_id
from domain.kkp_assessment import assessment_id
from domain.kkp_assessment_events import (
    Answer,
    AssessmentResultRecorded,
    IndicatorAnswer,
    SelfAssessmentOpened,
    SelfAssessmentReturned,
    SelfAssessmentSubmitted,
    SelfAssessmentVerified,
)
from domain.period import ReportingPeriod
from domain.period_close import ReportingPeriodClosed, ReportingPeriodReopened, closure_id
from domain.reminder import Audience, AudienceKind, ReminderIssued, Stage, reminder_id
from domain.schedule import PeriodDeadline, ReportingScheduleSet, schedule_id
from domain.values import Evidence, RpjmnTag, Signatory

from .helpers import (
    ADMIN,
    EVIDENCE,
    KANWIL,
    PEMDA,
    action_planned,
    action_started,
    at,
    commitment_made,
    commitment_withdrawn,
    forum_convened,
    given,
    report_resubmitted,
    report_returned,
    report_submitted,
    report_verified,
)

DRAFT_ID = UUID("00000000-0000-0000-0000-00000000d0af")
PRIVATE = Evidence(title="Daftar penerima", url="http://intra.example.go.id/x", public=False)

B04_2026 = ReportingPeriod.parse("2026-B04")

SAMPLES: dict[type[DomainEvent], DomainEvent] = {
    ForumConvened: forum_convened(),
    ForumCorrected: ForumCorrected(
        reason="Ralat",
        title="Festival HAM",
        starts_on=date(2025, 6, 9),
        actor=ADMIN,
        at=at(2025, 6, 2),
    ),
    ForumArchived: ForumArchived(reason="Forum selesai", actor=ADMIN, at=at(2025, 7, 2)),
    ImportApplied: ImportApplied(
        batch_id=batch_id("35.72", "laporan", "ab" * 32),
        region_code="35.72",
        province_code="35",
        template="laporan",
        template_version="1",
        file_name="laporan-B08.xlsx",
        file_size=20_480,
        sha256="ab" * 32,
        rows=1,
        caused=(EventRef(aggregate_id=UUID(int=0xA0), version=3, type="ProgressReportSubmitted"),),
        actor=PEMDA,
        at=at(2026, 9, 1),
    ),
    ReportingScheduleSet: ReportingScheduleSet(
        schedule_id=schedule_id(2026),
        year=2026,
        deadlines=(
            PeriodDeadline(period=ReportingPeriod.parse("2026-B04"), due_on=date(2026, 5, 22)),
        ),
        reason="Cuti bersama",
        actor=ADMIN,
        at=at(2026, 3, 2),
    ),
    ReminderIssued: ReminderIssued(
        reminder_id=reminder_id(
            UUID(int=0xA0), None, ReportingPeriod.parse("2026-B04"), Stage.LATE
        ),
        stage=Stage.LATE,
        region_code="35.72",
        province_code="35",
        action_id=UUID(int=0xA0),
        step_id=None,
        title="Posyandu ramah disabilitas",
        owner_opd="Dinas Kesehatan",
        period=ReportingPeriod.parse("2026-B04"),
        due_on=date(2026, 5, 15),
        to=(Audience(kind=AudienceKind.COORDINATOR, region_code="35.72"),),
        actor=ADMIN,
        at=at(2026, 5, 16),
    ),
    ForumSessionRecorded: ForumSessionRecorded(
        session=ForumSession(
            number=2,
            title="Pleno II",
            held_on=date(2025, 6, 10),
            speakers=(Speaker(name="Harniati", office="Dirjen", role=SpeakerRole.SPEAKER),),
        ),
        actor=ADMIN,
        at=at(2025, 6, 10),
    ),
    CommitmentMade: commitment_made(rpjmn=(RpjmnTag(pn="PN1"), RpjmnTag(pn="PN8", code="8.2.1"))),
    CommitmentAmended: CommitmentAmended(
        reason="Tambah penanda tangan",
        signatories=(Signatory(region_code="61.72", office="Wali Kota Singkawang"),),
        kkp_criteria=(2, 9),
        actor=ADMIN,
        at=at(2025, 6, 15),
    ),
    CommitmentWithdrawn: commitment_withdrawn(),
    ActionPlanned: action_planned(),
    ActionStarted: action_started(),
    ActionAmended: ActionAmended(
        reason="Salah ketik", title="Posyandu ramah lansia", actor=PEMDA, at=at(2025, 7, 6)
    ),
    ActionStepAdded: ActionStepAdded(
        step_id=UUID("00000000-0000-4000-8000-00000000a001"),
        title="Sosialisasi di 5 kecamatan",
        owner_opd="DPMPPA",
        due_on=date(2025, 10, 31),
        weight=3,
        actor=PEMDA,
        at=at(2025, 7, 2),
    ),
    ActionRescheduled: ActionRescheduled(
        previous_due_on=date(2025, 12, 31),
        due_on=date(2026, 6, 30),
        reason="Banjir",
        actor=PEMDA,
        at=at(2025, 8, 1),
    ),
    ActionCompleted: ActionCompleted(
        evidence=(EVIDENCE, PRIVATE), note="Selesai", actor=PEMDA, at=at(2025, 9, 1)
    ),
    ActionVerified: ActionVerified(note="Terverifikasi", actor=KANWIL, at=at(2025, 9, 5)),
    ActionCompletionReturned: ActionCompletionReturned(
        reason_code=ReturnReason.OTHER, note="Belum lengkap", actor=KANWIL, at=at(2025, 9, 4)
    ),
    ActionCancelled: ActionCancelled(reason="Anggaran dialihkan", actor=PEMDA, at=at(2025, 9, 1)),
    ProgressReportSubmitted: report_submitted(
        period="2025-B08", percent=12.5, indicator_value=3.0, correction_reason="Ralat"
    ),
    ProgressReportVerified: report_verified(),
    ProgressReportReturned: report_returned(reason_code=ReturnReason.INCONSISTENT_DATA),
    ProgressReportResubmitted: report_resubmitted(percent=None, indicator_value=4.5),
    ReportDraftSaved: ReportDraftSaved(
        draft_id=DRAFT_ID,
        period="2025-B0",
        percent=None,
        indicator_value=2.0,
        narrative="Setengah",
        evidence=(PRIVATE,),
        actor=PEMDA,
        at=at(2025, 8, 3),
    ),
    ReportDraftDiscarded: ReportDraftDiscarded(draft_id=DRAFT_ID, actor=PEMDA, at=at(2025, 8, 4)),
    ReportingPeriodClosed: ReportingPeriodClosed(
        closure_id=closure_id("35", ReportingPeriod.parse("2025-B08")),
        place_code="35",
        province_code="35",
        period=ReportingPeriod.parse("2025-B08"),
        note="Rekap B08 dikirim ke pusat",
        actor=KANWIL,
        at=at(2025, 9, 20),
    ),
    ReportingPeriodReopened: ReportingPeriodReopened(
        reason="Ditutup terlalu dini", actor=KANWIL, at=at(2025, 9, 21)
    ),
    SelfAssessmentOpened: SelfAssessmentOpened(
        assessment_id=assessment_id("35.72", 2025),
        region_code="35.72",
        province_code="35",
        data_year=2025,
        indicator_set="ilustratif-2026.1",
        actor=PEMDA,
        at=at(2026, 2, 1),
    ),
    SelfAssessmentSubmitted: SelfAssessmentSubmitted(
        answers=(
            IndicatorAnswer(
                indicator_id="5.S1", answer=Answer.PARTIAL, evidence=(PRIVATE,), note="Perwal"
            ),
        ),
        note="Dikoordinasikan Bagian Hukum",
        actor=PEMDA,
        at=at(2026, 2, 10),
    ),
    SelfAssessmentReturned: SelfAssessmentReturned(
        reason="Bukti 5.S1 belum ada", actor=KANWIL, at=at(2026, 2, 12)
    ),
    SelfAssessmentVerified: SelfAssessmentVerified(
        note="Lengkap", actor=KANWIL, at=at(2026, 2, 20)
    ),
    AssessmentResultRecorded: AssessmentResultRecorded(
        assessment_id=assessment_id("35.72", 2025),
        region_code="35.72",
        province_code="35",
        data_year=2025,
        score=80.25,
        predicate=True,
        decree_number="M.HH-01.HA.01.01 TAHUN 2026",
        decree_date=date(2026, 12, 10),
        note="Ilustratif",
        actor=ADMIN,
        at=at(2026, 12, 11),
    ),
}


def test_every_registered_event_type_has_a_sample():
    assert set(registry.EVENT_TYPES.values()) == set(SAMPLES)
    assert len(registry.EVENT_TYPES) == 32
    assert all(name == cls.__name__ for name, cls in registry.EVENT_TYPES.items())
    assert set(registry.AGGREGATE_OF_EVENT) == set(registry.EVENT_TYPES)


@pytest.mark.parametrize("name", sorted(registry.EVENT_TYPES))
def test_event_round_trips_through_json(name):
    cls = registry.EVENT_TYPES[name]
    sample = SAMPLES[cls]
    encoded = msgspec.json.encode(sample)
    decoded = msgspec.json.decode(encoded, type=cls)
    assert decoded == sample
    assert type(decoded) is cls
    assert decoded.at.utcoffset() == sample.at.utcoffset()
    assert msgspec.json.decode(encoded)["type"] == name  # the stored topic is the class name


@pytest.mark.parametrize("name", sorted(registry.EVENT_TYPES))
def test_event_decodes_through_its_aggregate_union(name):
    cls = registry.EVENT_TYPES[name]
    union: Any = registry.AGGREGATE_EVENTS[registry.AGGREGATE_OF_EVENT[name]]
    decoded = msgspec.json.decode(msgspec.json.encode(SAMPLES[cls]), type=union)
    assert decoded == SAMPLES[cls]
    assert type(decoded) is cls


def test_action_state_with_reports_round_trips_for_snapshots():
    state = given(
        action.evolve,
        action_planned(),
        action_started(),
        report_submitted(),
        report_returned(),
        report_resubmitted(),
        report_verified(),
        ActionCompleted(evidence=(EVIDENCE,), note="Selesai", actor=PEMDA, at=at(2025, 9, 1)),
    )
    assert state.status is ActionStatus.COMPLETED
    assert state.reports[0].status is ReportStatus.VERIFIED
    assert isinstance(state.reports[0], ProgressReport)
    assert state.reports[0].period == ReportingPeriod.parse("2025-06")
    decoded = msgspec.json.decode(
        msgspec.json.encode(state), type=registry.AGGREGATE_STATES["action"]
    )
    assert decoded == state
    assert type(decoded) is Action


def test_forum_and_commitment_states_round_trip():
    forum_state = given(forum.evolve, forum_convened())
    commitment_state = given(commitment.evolve, commitment_made(), commitment_withdrawn())
    assert commitment_state.status is CommitmentStatus.WITHDRAWN
    for state, cls in ((forum_state, Forum), (commitment_state, Commitment)):
        assert msgspec.json.decode(msgspec.json.encode(state), type=cls) == state


def test_evolvers_fold_their_own_events():
    assert registry.EVOLVERS["forum"](None, forum_convened()).version == 1
    assert registry.EVOLVERS["commitment"](None, commitment_made()).version == 1
    assert registry.EVOLVERS["action"](None, action_planned()).version == 1
