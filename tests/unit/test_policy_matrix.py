"""The authorization matrix of the bus, generated from the policies the commands declare
(tracker/commands.COMMANDS): every command × every kind of principal × every region it can
concern, on the in-memory adapters.

`expected` reads the declared policy (never the code under test) and says who may; each case
builds its prerequisite as the accounts whose job it is, then checks that an allowed
principal's command is carried out and a refused one is a 401/403-kind refusal that writes
nothing. A command without a sample here fails `test_every_command_has_a_sample`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from domain import commands as c
from domain.access import ANONYMOUS, NotAllowed, Policy, Principal, SignInRequired, province_of
from domain.action_events import ReturnReason
from domain.forum_session import ForumSession, Speaker
from domain.kkp_assessment_events import Answer, IndicatorAnswer
from domain.period import ReportingPeriod
from domain.reminder import Audience, AudienceKind, Stage
from domain.schedule import PeriodDeadline
from domain.values import Role
from tests.unit.world import (
    ACCOUNTS,
    EVIDENCE,
    PRINCIPALS,
    World,
    commitment,
    forum,
    plan,
    submit,
)
from tracker import commands as app
from tracker import subscriptions
from tracker.commands import COMMANDS

# Whose records a command may concern: (region, owner OPD, writer, reviewer).
PLACES = {
    "blitar": ("35.72", "Bagian Hukum Setda", "pemda_blitar", "kanwil_jatim"),
    "blitar-dinkes": ("35.72", "Dinkes", "dinkes_blitar", "kanwil_jatim"),
    "semarang": ("33.74", "Bagian Hukum Setda", "pemda_semarang", "kanwil_jateng"),
}
OWN = "t-pemda-blitar"  # the account the account commands are about


def _reported(w: World, place: str) -> tuple[Any, Any]:
    region, opd, writer, _ = PLACES[place]
    action_id = w.action(opd, region)
    return action_id, w.report(action_id, writer)


def _returned(w: World, place: str) -> tuple[Any, Any]:
    action_id, report_id = _reported(w, place)
    back = c.ReturnReport(
        action_id=action_id, report_id=report_id, reason_code=ReturnReason.OTHER, note="Lengkapi"
    )
    w.execute(back, PRINCIPALS[PLACES[place][3]])
    return action_id, report_id


def _completed(w: World, place: str) -> Any:
    action_id, _ = _reported(w, place)
    w.execute(
        c.DeclareCompletion(action_id=action_id, evidence=EVIDENCE), PRINCIPALS[PLACES[place][2]]
    )
    return action_id


def _drafted(w: World, place: str) -> tuple[Any, Any]:
    action_id = _planned(w, place)
    saved = w.execute(
        c.SaveReportDraft(action_id=action_id, narrative="Draf"), PRINCIPALS[PLACES[place][2]]
    )
    return action_id, saved.state.drafts[0].id


def _planned(w: World, place: str) -> Any:
    region, opd, _, _ = PLACES[place]
    return w.action(opd, region)


PERIOD = ReportingPeriod.parse("2025-B12")


def _closed(w: World, place: str) -> str:
    region = PLACES[place][0]
    w.execute(c.CloseReportingPeriod(place_code=region, period=PERIOD), PRINCIPALS["admin"])
    return region


ANSWER = IndicatorAnswer(indicator_id="5.S1", answer=Answer.MET, note="Perwal layanan adminduk")


def _coordinator(region: str) -> Principal:
    return PRINCIPALS["pemda_blitar" if region == "35.72" else "pemda_semarang"]


def _assessing(w: World, place: str) -> str:
    region = PLACES[place][0]
    w.execute(c.OpenSelfAssessment(region_code=region, data_year=2025), _coordinator(region))
    return region


def _submitted(w: World, place: str) -> str:
    region = _assessing(w, place)
    submitted = c.SubmitSelfAssessment(region_code=region, data_year=2025, answers=(ANSWER,))
    w.execute(submitted, _coordinator(region))
    return region


Sample = Callable[[World, str], c.Command]
SAMPLES: dict[type[c.Command], Sample] = {
    c.ConveneForum: lambda w, p: forum(),
    c.CorrectForum: lambda w, p: c.CorrectForum(forum_id=w.forum_id, reason="Typo", venue="Aula"),
    c.ArchiveForum: lambda w, p: c.ArchiveForum(forum_id=w.forum_id, reason="Selesai"),
    c.RecordForumSession: lambda w, p: c.RecordForumSession(
        forum_id=w.forum_id,
        session=ForumSession(number=1, title="Pleno I", speakers=(Speaker(name="Mugiyanto"),)),
    ),
    c.RecordCommitment: lambda w, p: commitment(w.forum_id),
    c.AmendCommitment: lambda w, p: c.AmendCommitment(
        commitment_id=w.commitment_id, reason="Salah ketik", title="Komitmen (perbaikan)"
    ),
    c.WithdrawCommitment: lambda w, p: c.WithdrawCommitment(
        commitment_id=w.commitment_id, reason="Diganti"
    ),
    c.PlanAction: lambda w, p: plan(w.commitment_id, PLACES[p][0], PLACES[p][1]),
    c.StartAction: lambda w, p: c.StartAction(action_id=_planned(w, p)),
    c.AddActionStep: lambda w, p: c.AddActionStep(
        action_id=_planned(w, p),
        title="Pelatihan aparat kelurahan",
        owner_opd="DPMPPA",
        due_on=date(2026, 6, 30),
        weight=2,
    ),
    c.RescheduleAction: lambda w, p: c.RescheduleAction(
        action_id=_planned(w, p), due_on=date(2027, 6, 30), reason="Anggaran bergeser"
    ),
    c.CancelAction: lambda w, p: c.CancelAction(action_id=_planned(w, p), reason="Digabung"),
    c.AmendAction: lambda w, p: c.AmendAction(
        action_id=_planned(w, p), reason="Salah ketik", title="Judul yang benar"
    ),
    c.DeclareCompletion: lambda w, p: c.DeclareCompletion(
        action_id=_reported(w, p)[0], evidence=EVIDENCE
    ),
    c.VerifyCompletion: lambda w, p: c.VerifyCompletion(action_id=_completed(w, p)),
    c.ReturnCompletion: lambda w, p: c.ReturnCompletion(
        action_id=_completed(w, p), reason_code=ReturnReason.OTHER, note="Bukti belum cukup"
    ),
    c.SubmitProgressReport: lambda w, p: submit(_planned(w, p)),
    c.SaveReportDraft: lambda w, p: c.SaveReportDraft(
        action_id=_planned(w, p), period="2025-Q4", narrative="Baru setengah"
    ),
    c.DiscardReportDraft: lambda w, p: c.DiscardReportDraft(
        action_id=(ids := _drafted(w, p))[0], draft_id=ids[1]
    ),
    c.ResubmitReport: lambda w, p: c.ResubmitReport(
        action_id=(ids := _returned(w, p))[0], report_id=ids[1], percent=25, narrative="Ulang"
    ),
    c.VerifyReport: lambda w, p: c.VerifyReport(
        action_id=(ids := _reported(w, p))[0], report_id=ids[1]
    ),
    c.ReturnReport: lambda w, p: c.ReturnReport(
        action_id=(ids := _reported(w, p))[0],
        report_id=ids[1],
        reason_code=ReturnReason.INSUFFICIENT_EVIDENCE,
        note="Lampirkan daftar hadir",
    ),
    c.CloseReportingPeriod: lambda w, p: c.CloseReportingPeriod(
        place_code=PLACES[p][0], period=PERIOD, note="Rekap dikirim"
    ),
    c.ReopenReportingPeriod: lambda w, p: c.ReopenReportingPeriod(
        place_code=_closed(w, p), period=PERIOD, reason="Ditutup terlalu dini"
    ),
    c.SetReportingSchedule: lambda w, p: c.SetReportingSchedule(
        year=PERIOD.year,
        deadlines=(PeriodDeadline(period=PERIOD, due_on=PERIOD.deadline + timedelta(days=5)),),
        reason="Cuti bersama Idul Fitri",
    ),
    c.IssueReminder: lambda w, p: c.IssueReminder(
        reminder_id=uuid.uuid4(),  # a reminder of its own each time
        stage=Stage.DUE_7,
        region_code=PLACES[p][0],
        action_id=uuid.uuid4(),
        title="Pelatihan HAM bagi ASN",
        owner_opd="Bagian Hukum Setda",
        period=PERIOD,
        due_on=PERIOD.deadline,
        to=(Audience(kind=AudienceKind.COORDINATOR, region_code=PLACES[p][0]),),
    ),
    c.OpenSelfAssessment: lambda w, p: c.OpenSelfAssessment(
        region_code=PLACES[p][0], data_year=2025
    ),
    c.SubmitSelfAssessment: lambda w, p: c.SubmitSelfAssessment(
        region_code=_assessing(w, p), data_year=2025, answers=(ANSWER,)
    ),
    c.VerifySelfAssessment: lambda w, p: c.VerifySelfAssessment(
        region_code=_submitted(w, p), data_year=2025, note="Dokumen lengkap"
    ),
    c.ReturnSelfAssessment: lambda w, p: c.ReturnSelfAssessment(
        region_code=_submitted(w, p), data_year=2025, reason="Bukti indikator 5.S1 belum ada"
    ),
    c.RecordAssessmentResult: lambda w, p: c.RecordAssessmentResult(
        region_code=PLACES[p][0], data_year=2025, score=81.5, predicate=True
    ),
    c.ApplyImport: lambda w, p: c.ApplyImport(
        region_code=PLACES[p][0],
        template="rencana-aksi",
        template_version="1",
        file_name="rencana.xlsx",
        file_size=2048,
        sha256=uuid.uuid4().hex * 2,  # a new file each time
        rows=(plan(w.commitment_id, PLACES[p][0], "Dinkes"),),  # any of the region's accounts
    ),
    app.CreateAccount: lambda w, p: app.CreateAccount(
        user_id="baru.blitar", role="pemda", region_code="35.72"
    ),
    app.DisableAccount: lambda w, p: app.DisableAccount(user_id=OWN),
    app.SetPassword: lambda w, p: app.SetPassword(user_id=OWN, password="kata-sandi-baru-99"),
    app.IssueToken: lambda w, p: app.IssueToken(user_id=OWN),
    app.Subscribe: lambda w, p: app.Subscribe(email="warga@example.org", scope="35.72"),
    app.ConfirmSubscription: lambda w, p: app.ConfirmSubscription(token=_pending(w)),
    app.Unsubscribe: lambda w, p: app.Unsubscribe(token=_pending(w, confirmed=True)),
    app.RegisterWebhook: lambda w, p: app.RegisterWebhook(
        url="https://lsm.example.org/hook", secret="rahasia-yang-cukup-panjang"
    ),
    app.SetNotifications: lambda w, p: app.SetNotifications(
        user_id=OWN, email="hukum@blitarkota.go.id", lang="id"
    ),
    app.RevokeToken: lambda w, p: app.RevokeToken(
        token_id=w.run(w.accounts.issue_token(OWN, "t", None, w.clock()))[0]
    ),
}


def _pending(w: World, confirmed: bool = False) -> str:
    """A mail subscription waiting for its confirmation (or confirmed); its link's token."""
    made = w.run(
        subscriptions.subscribe(
            subscriptions.SubscriptionContext(
                w.bus.subscriptions, w.clock(), lambda code: True, True
            ),
            app.Subscribe(email="warga@example.org", scope="35.72"),
            ANONYMOUS,
        )
    )
    found = w.run(w.bus.subscriptions.get(made))
    if confirmed:
        w.run(w.bus.subscriptions.confirm(made, w.clock()))
    token: str = found.token
    return token


def expected(policy: Policy, who: Principal, place: str) -> bool:
    """Who may, read off the declared policy alone."""
    region, opd, _, _ = PLACES[place]
    if policy is Policy.ANYONE:  # the public too: the command's own secret decides
        return True
    if not who.signed_in:
        return False
    if policy is Policy.MINISTRY:
        return who.role is Role.ADMIN
    if policy is Policy.REGION_WRITER:
        return (
            who.role is Role.PEMDA
            and who.region_code == region
            and (who.opd is None or who.opd.casefold() == opd.casefold())
        )
    if policy is Policy.COORDINATOR:
        return who.role is Role.PEMDA and who.region_code == region and who.opd is None
    if policy is Policy.REGION_MEMBER:
        return who.role is Role.PEMDA and who.region_code == region
    if policy is Policy.REVIEWER:
        return who.role is Role.KANWIL and province_of(region) in who.provinces
    if policy is Policy.PERIOD_CLOSER:
        return who.role is Role.ADMIN or (
            who.role is Role.KANWIL and province_of(region) in who.provinces
        )
    return who.role is Role.ADMIN or who.user_id == OWN


def places_of(policy: Policy) -> tuple[str, ...]:
    """A command about a region is tried on each place; the others on one."""
    by_region = (
        Policy.REGION_WRITER,
        Policy.REGION_MEMBER,
        Policy.COORDINATOR,
        Policy.REVIEWER,
        Policy.PERIOD_CLOSER,
    )
    return tuple(PLACES) if policy in by_region else ("blitar",)


CASES = [
    pytest.param(command, name, place, id=f"{command.__name__}@{place} as {name}")
    for command, rule in COMMANDS.items()
    for place in places_of(rule.policy)
    for name in PRINCIPALS
]


def snapshot(w: World) -> tuple[Any, ...]:
    accounts = w.run(w.accounts.all_accounts())
    tokens = w.run(w.accounts.tokens())
    _, password_hash = w.run(w.accounts.password_hash(OWN))
    mail = w.run(w.bus.delivery.preferences()) if w.bus.delivery else {}
    subs = w.run(w.bus.subscriptions.active()), w.run(w.bus.subscriptions.due(w.clock()))
    return (
        w.store.head(),
        tuple(accounts),
        tuple(tokens),
        password_hash,
        tuple(mail.items()),
        tuple(subs[0]),
        tuple(n.subscription_id for n in subs[1]),
    )


@pytest.mark.parametrize(("command_type", "name", "place"), CASES)
def test_policy(command_type: type[c.Command], name: str, place: str) -> None:
    world = World()
    command = SAMPLES[command_type](world, place)
    who = PRINCIPALS[name]
    before = snapshot(world)
    if not expected(command_type.RULE.policy, who, place):
        refusal = SignInRequired if not who.signed_in else NotAllowed
        with pytest.raises(refusal):
            world.dispatch(command, who)
        assert snapshot(world) == before, "a refused command changed something"
        return
    world.dispatch(command, who)
    assert snapshot(world) != before, "an allowed command changed nothing"


def test_every_command_has_a_sample() -> None:
    assert set(SAMPLES) == set(COMMANDS)


def test_every_principal_kind_is_in_the_matrix() -> None:
    roles = {p.role for p in PRINCIPALS.values()}
    assert roles == {None, Role.PEMDA, Role.KANWIL, Role.ADMIN}
    assert any(a.opd for a in ACCOUNTS.values()), "an OPD-scoped Pemda account"
