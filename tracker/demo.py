"""Demo scenario built from public reporting on real forums (facts only, our own words).

Dates, places, organisers and OPD names come from news coverage of: Festival HAM 2021 in
Semarang; Komnas HAM's SNP training in Semarang (22-24 Aug 2022); Kota Pekalongan's KKP
HAM FGD (21 Jun 2023); the ASN human-rights session in Kota Blitar (11 Jun 2025); and the
Rakernas Pemda bidang HAM in Singkawang (13 Nov 2025). Which regions signed the
Singkawang commitment, and every progress figure below, are illustrative.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from adapters.eventstore import EventStore
from adapters.reference_data import region_catalogue
from domain import action as act
from domain import progress
from domain.action_events import ReturnReason
from domain.forum import ForumKind
from domain.period import ReportingPeriod
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
from tracker.service import TrackerService

# The ministry's 2025 national targets that regional indicators roll up to.
NATIONAL_TARGETS = (
    {
        "indicator": "ASN yang mendapat penguatan HAM",
        "unit": "orang",
        "target": 1_000_000,
        "year": 2025,
        "context": "dari sekitar 4 juta ASN",
    },
    {
        "indicator": "Masyarakat yang mendapat penguatan HAM",
        "unit": "orang",
        "target": 250_000,
        "year": 2025,
        "context": "",
    },
)
ASN_TRAINED = NATIONAL_TARGETS[0]["indicator"]
PUBLIC_TRAINED = NATIONAL_TARGETS[1]["indicator"]

ADMIN = Actor(user_id="demo-admin", role=Role.ADMIN, office="Kementerian HAM")
KANWIL_JATENG = Actor(
    user_id="demo-kanwil-jateng", role=Role.KANWIL, office="Kanwil Kementerian HAM Jawa Tengah"
)
KANWIL_JATIM = Actor(
    user_id="demo-kanwil-jatim", role=Role.KANWIL, office="Kanwil Kementerian HAM Jawa Timur"
)
KANWIL_KALTENG = Actor(
    user_id="demo-kanwil-kalteng",
    role=Role.KANWIL,
    office="Kanwil Kementerian HAM Kalimantan Tengah",
)


def pemda(region: str, office: str) -> Actor:
    return Actor(user_id=f"demo-pemda-{region.replace('.', '')}", role=Role.PEMDA, office=office)


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


def _evidence(title: str, slug: str) -> tuple[Evidence, ...]:
    return (Evidence(title=title, url=f"https://jdih.example.go.id/dokumen/{slug}.pdf"),)


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

    def action(self, day: date, actor: Actor, commitment_id: UUID, **fields: Any) -> UUID:
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
        actor: Actor,
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

    def verify(self, day: date, kanwil: Actor, action_id: UUID, report_id: UUID, note: str) -> None:
        self.clock.at(day, 14)
        self.service.act(
            action_id, None, kanwil, progress.verify_report, report_id=report_id, note=note
        )

    def give_back(
        self,
        day: date,
        kanwil: Actor,
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
        actor: Actor,
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
        self, day: date, actor: Actor, action_id: UUID, command: Any, **fields: Any
    ) -> None:
        self.clock.at(day, 16)
        self.service.act(action_id, None, actor, command, **fields)


def load(store: EventStore) -> None:
    demo = Demo(store)
    semarang(demo)
    pekalongan(demo)
    blitar_and_singkawang(demo)


def semarang(d: Demo) -> None:
    festival = d.forum(
        date(2021, 11, 20),
        kind=ForumKind.FESTIVAL_HAM,
        title="Festival HAM 2021",
        theme="Kota HAM",
        organisers=("Komnas HAM", "Pemerintah Kota Semarang"),
        host_region_code="33.74",
        venue="Kota Semarang",
        starts_on=date(2021, 11, 17),
        ends_on=date(2021, 11, 20),
    )
    declaration = d.commitment(
        date(2021, 11, 20),
        festival,
        title="Deklarasi Semarang",
        summary="Komitmen bersama mewujudkan Kota HAM yang lahir dari Festival HAM 2021.",
        made_on=date(2021, 11, 20),
        signatories=(Signatory(region_code="33.74", office="Wali Kota Semarang"),),
        rpjmn=(RpjmnTag(pn="PN1"),),
        kkp_criteria=(1, 3, 4),
    )
    training = d.forum(
        date(2022, 8, 22),
        kind=ForumKind.PELATIHAN,
        title="Pelatihan Kota Semarang sebagai Kota HAM (SNP Hak Memperoleh Keadilan; "
        "SNP Hak atas Tanah dan Sumber Daya Alam)",
        theme="Tindak lanjut Festival HAM 2021",
        organisers=("Komnas HAM", "Pemerintah Kota Semarang"),
        host_region_code="33.74",
        venue="Kota Semarang",
        starts_on=date(2022, 8, 22),
        ends_on=date(2022, 8, 24),
    )
    d.clock.at(date(2022, 8, 24), 16)
    d.service.amend_commitment(
        declaration,
        None,
        ADMIN,
        reason="Tindak lanjut pelatihan SNP Agustus 2022.",
        summary="Komitmen bersama mewujudkan Kota HAM; ditindaklanjuti dengan penyusunan "
        "rancangan Peraturan Wali Kota tentang Kota HAM bersama Komnas HAM.",
    )
    perwali = d.action(
        date(2022, 8, 24),
        SEMARANG,
        declaration,
        region_code="33.74",
        title="Menyusun rancangan Peraturan Wali Kota tentang Kota HAM",
        description=f"Tindak lanjut pelatihan SNP (forum {training}).",
        owner_opd="Bagian Hukum Setda Kota Semarang",
        partners=(
            Partner(name="Komnas HAM", kind="lembaga_nasional_ham"),
            Partner(name="Kesbangpol Kota Semarang", kind="opd"),
        ),
        kkp_criterion=3,
        indicator_type=IndicatorType.STRUCTURE,
        due_on=date(2023, 12, 31),
    )
    r1 = d.report(
        date(2022, 12, 28),
        SEMARANG,
        perwali,
        "2022-B12",
        "Naskah akademik disusun bersama Komnas HAM.",
        percent=30,
        evidence=_evidence("Naskah akademik Perwali Kota HAM", "semarang-na-kota-ham"),
    )
    d.verify(date(2023, 1, 16), KANWIL_JATENG, perwali, r1, "Naskah akademik diterima.")
    r2 = d.report(
        date(2023, 9, 12),
        SEMARANG,
        perwali,
        "2023-B08",
        "Rancangan Perwali dibahas dengan OPD, masyarakat sipil dan komunitas bisnis.",
        percent=60,
    )
    d.give_back(
        date(2023, 9, 25),
        KANWIL_JATENG,
        perwali,
        r2,
        ReturnReason.INSUFFICIENT_EVIDENCE,
        "Lampirkan notulen dan daftar hadir pembahasan.",
    )
    d.resubmit(
        date(2023, 10, 6),
        SEMARANG,
        perwali,
        r2,
        "Rancangan Perwali dibahas dengan OPD, masyarakat sipil dan komunitas bisnis; "
        "notulen terlampir.",
        percent=60,
        evidence=_evidence("Notulen pembahasan rancangan Perwali", "semarang-notulen-2023"),
    )
    d.verify(date(2023, 10, 20), KANWIL_JATENG, perwali, r2, "Bukti lengkap.")
    d.lifecycle(
        date(2023, 12, 20),
        SEMARANG,
        perwali,
        act.reschedule,
        due_on=date(2024, 6, 30),
        reason="Menunggu fasilitasi harmonisasi.",
    )
    snp = d.action(
        date(2022, 8, 24),
        SEMARANG,
        declaration,
        region_code="33.74",
        title="Rencana aksi pasca pelatihan SNP bagi OPD, masyarakat sipil dan bisnis",
        owner_opd="Kesbangpol Kota Semarang",
        partners=(Partner(name="Komnas HAM", kind="lembaga_nasional_ham"),),
        kkp_criterion=4,
        due_on=date(2023, 6, 30),
        indicator=Indicator(name="Peserta pelatihan SNP", unit="orang", baseline=0, target=32),
    )
    r3 = d.report(
        date(2022, 9, 5),
        SEMARANG,
        snp,
        "2022-B08",
        "32 peserta dari OPD, OMS dan komunitas bisnis mengikuti pelatihan.",
        percent=50,
        value=32,
        evidence=_evidence("Daftar hadir pelatihan SNP", "semarang-snp-hadir"),
    )
    d.verify(date(2022, 9, 30), KANWIL_JATENG, snp, r3, "Sesuai laporan Komnas HAM.")


def pekalongan(d: Demo) -> None:
    fgd = d.forum(
        date(2023, 6, 21),
        kind=ForumKind.FGD,
        title="FGD dan Sosialisasi Permenkumham 22/2021 tentang Kriteria Kabupaten/Kota Peduli HAM",
        theme="Meraih kembali predikat Peduli HAM",
        organisers=("Bagian Hukum Setda Kota Pekalongan", "Kanwil Kemenkumham Jawa Tengah"),
        host_region_code="33.75",
        venue="Ruang Jawa Hokokai Setda Kota Pekalongan",
        starts_on=date(2023, 6, 21),
        ends_on=date(2023, 6, 21),
    )
    commitment = d.commitment(
        date(2023, 6, 21),
        fgd,
        title="Kota Pekalongan meraih kembali predikat KKP HAM",
        summary="Bagian Hukum mengoordinasikan OPD untuk memenuhi sepuluh kriteria KKP HAM.",
        made_on=date(2023, 6, 21),
        signatories=(Signatory(region_code="33.75", office="Wali Kota Pekalongan"),),
        rpjmn=(RpjmnTag(pn="PN1"),),
        kkp_criteria=tuple(range(1, 11)),
    )
    owners = {
        1: "Bagian Hukum Setda",
        2: "Dinkominfo",
        3: "Bappeda",
        4: "Bakesbangpol",
        5: "Dindukcapil",
        6: "Dinas Kesehatan",
        7: "Dinas Pendidikan",
        8: "Dinperinaker",
        9: "DLH dan Dinperkim",
        10: "DPMPPA dan Dinsos P2KB",
    }
    titles = {
        1: "Dokumen layanan bantuan hukum bagi warga miskin",
        2: "Layanan PPID dan informasi publik",
        3: "Partisipasi warga dalam Musrenbang",
        4: "Penguatan FKUB dan kerukunan",
        5: "Kepemilikan dokumen kependudukan",
        6: "Layanan kesehatan dasar",
        7: "Akses pendidikan dasar",
        8: "Layanan ketenagakerjaan",
        9: "Lingkungan sehat dan rumah layak huni",
        10: "Perlindungan perempuan dan anak",
    }
    for criterion in range(1, 11):
        action_id = d.action(
            date(2023, 6, 23),
            PEKALONGAN,
            commitment,
            region_code="33.75",
            title=f"Kuesioner KKP HAM kriteria {criterion}: {titles[criterion]}",
            owner_opd=owners[criterion],
            kkp_criterion=criterion,
            indicator_type=IndicatorType.PROCESS if criterion % 2 else IndicatorType.OUTCOME,
            partners=(Partner(name="Kanwil Kemenkumham Jawa Tengah", kind="kanwil"),),
            due_on=date(2023, 12, 31),
        )
        if criterion == 9:
            continue  # never reported: shows up as overdue
        first = d.report(
            date(2023, 8, 10 + criterion),
            PEKALONGAN,
            action_id,
            "2023-B08",
            "Dokumen pendukung kuesioner dikumpulkan.",
            percent=40 + criterion * 3,
            evidence=_evidence(f"Dokumen kriteria {criterion}", f"pkl-k{criterion}-b08"),
        )
        if criterion in (2, 6):
            d.give_back(
                date(2023, 9, 4),
                KANWIL_JATENG,
                action_id,
                first,
                ReturnReason.INCONSISTENT_DATA,
                "Angka capaian berbeda dengan data OPD.",
            )
            d.resubmit(
                date(2023, 10, 2),
                PEKALONGAN,
                action_id,
                first,
                "Data capaian diselaraskan dengan OPD.",
                percent=40 + criterion * 3,
                evidence=_evidence(f"Data kriteria {criterion} (revisi)", f"pkl-k{criterion}-rev"),
            )
        d.verify(date(2023, 10, 16), KANWIL_JATENG, action_id, first, "Sesuai dokumen.")
        if criterion <= 5:
            final = d.report(
                date(2024, 1, 8 + criterion),
                PEKALONGAN,
                action_id,
                "2023-B12",
                "Seluruh dokumen kriteria lengkap.",
                percent=100,
                evidence=_evidence(f"Rekap kriteria {criterion}", f"pkl-k{criterion}-b12"),
            )
            d.verify(date(2024, 1, 25), KANWIL_JATENG, action_id, final, "Lengkap.")
            d.lifecycle(
                date(2024, 1, 26),
                PEKALONGAN,
                action_id,
                act.complete,
                evidence=(),
                note="Dokumen dikirim untuk penilaian KKP HAM.",
            )
            if criterion <= 3:
                d.lifecycle(
                    date(2024, 2, 12),
                    KANWIL_JATENG,
                    action_id,
                    act.verify_completion,
                    note="Terverifikasi.",
                )


def blitar_and_singkawang(d: Demo) -> None:
    session = d.forum(
        date(2025, 6, 11),
        kind=ForumKind.SOSIALISASI,
        title="Sosialisasi Penguatan Kapasitas HAM bagi ASN Pemkot Blitar",
        theme="Menuju Kota Blitar sebagai Human Rights City",
        organisers=("Kementerian HAM", "Kanwil Jawa Timur"),
        host_region_code="35.72",
        venue="Hotel Santika Blitar",
        starts_on=date(2025, 6, 11),
        ends_on=date(2025, 6, 11),
    )
    roadmap = d.commitment(
        date(2025, 6, 11),
        session,
        title="Peta jalan Kota Blitar menuju Human Rights City",
        summary="Memetakan masalah HAM lokal, memastikan ASN memahami tanggung jawab HAM, "
        "dan menyiapkan regulasi daerah bagi kelompok rentan.",
        made_on=date(2025, 6, 11),
        signatories=(Signatory(region_code="35.72", office="Wali Kota Blitar"),),
        rpjmn=(RpjmnTag(pn="PN1"), RpjmnTag(pn="PN4")),
        kkp_criteria=(1, 3, 9, 10),
    )
    mapping = d.action(
        date(2025, 6, 20),
        BLITAR,
        roadmap,
        region_code="35.72",
        title="Pemetaan permasalahan HAM di tingkat lokal",
        owner_opd="Bagian Hukum Setda",
        partners=(Partner(name="Kanwil Kementerian HAM Jawa Timur", kind="kanwil"),),
        kkp_criterion=3,
        indicator_type=IndicatorType.STRUCTURE,
        due_on=date(2025, 12, 31),
    )
    r = d.report(
        date(2025, 9, 3),
        BLITAR,
        mapping,
        "2025-B08",
        "Identifikasi isu HAM lokal bersama OPD dan kelurahan.",
        percent=45,
        evidence=_evidence("Matriks isu HAM lokal", "blitar-isu-ham"),
    )
    d.verify(date(2025, 9, 22), KANWIL_JATIM, mapping, r, "Matriks diterima.")
    r = d.report(
        date(2026, 1, 14),
        BLITAR,
        mapping,
        "2025-B12",
        "Pemetaan selesai dan dipaparkan kepada Wali Kota.",
        percent=100,
        evidence=_evidence("Laporan pemetaan HAM Kota Blitar", "blitar-pemetaan"),
    )
    d.verify(date(2026, 2, 2), KANWIL_JATIM, mapping, r, "Lengkap.")
    d.lifecycle(
        date(2026, 2, 3), BLITAR, mapping, act.complete, evidence=(), note="Pemetaan rampung."
    )
    d.lifecycle(
        date(2026, 2, 20),
        KANWIL_JATIM,
        mapping,
        act.verify_completion,
        note="Penyelesaian terverifikasi.",
    )
    perwali = d.action(
        date(2025, 6, 20),
        BLITAR,
        roadmap,
        region_code="35.72",
        title="Rancangan Perwali perlindungan kelompok rentan (disabilitas, perempuan, anak, "
        "lingkungan hidup)",
        owner_opd="Bagian Hukum Setda",
        partners=(
            Partner(name="DPMPPA Kota Blitar", kind="opd"),
            Partner(name="DLH Kota Blitar", kind="opd"),
        ),
        kkp_criterion=10,
        indicator_type=IndicatorType.STRUCTURE,
        due_on=date(2026, 6, 30),
    )
    r = d.report(
        date(2025, 12, 29),
        BLITAR,
        perwali,
        "2025-B12",
        "Naskah awal rancangan Perwali.",
        percent=25,
    )
    d.give_back(
        date(2026, 1, 12),
        KANWIL_JATIM,
        perwali,
        r,
        ReturnReason.INSUFFICIENT_EVIDENCE,
        "Belum ada bukti; lampirkan naskah rancangan.",
    )
    r = d.report(
        date(2026, 5, 20),
        BLITAR,
        perwali,
        "2026-B04",
        "Rancangan dibahas dengan OPD teknis.",
        percent=40,
        evidence=_evidence("Berita acara pembahasan", "blitar-perwali-ba"),
    )

    rakernas = d.forum(
        date(2025, 11, 13),
        kind=ForumKind.RAKERNAS,
        title="Rapat Kerja Pemerintah Daerah bidang HAM",
        theme="Pemerintah Daerah dan Hak Asasi Manusia: Dari Komitmen ke Implementasi",
        organisers=("Kementerian HAM",),
        host_region_code="61.72",
        venue="Swiss-Belinn Hotel, Kota Singkawang",
        starts_on=date(2025, 11, 13),
        ends_on=date(2025, 11, 13),
    )
    joint = d.commitment(
        date(2025, 11, 13),
        rakernas,
        title="Komitmen bersama Pemerintah Daerah dalam pelaksanaan agenda HAM",
        summary="Ditandatangani pada Pleno III; selaras dengan RPJMN 2025-2029 PN1.",
        made_on=date(2025, 11, 13),
        signatories=(
            Signatory(region_code="61.72", office="Wali Kota Singkawang"),
            Signatory(region_code="35.72", office="Wali Kota Blitar"),
            Signatory(region_code="33.74", office="Wali Kota Semarang"),
            Signatory(region_code="33.75", office="Wali Kota Pekalongan"),
            Signatory(region_code="61", office="Gubernur Kalimantan Barat"),
        ),
        rpjmn=(RpjmnTag(pn="PN1"),),
        kkp_criteria=(2, 3, 4),
    )
    for region, actor, kanwil, target, values in (
        ("35.72", BLITAR, KANWIL_JATIM, 2500, (600, 1400)),
        ("61.72", SINGKAWANG, KANWIL_KALTENG, 2000, (350,)),
        ("33.74", SEMARANG, KANWIL_JATENG, 9000, (1200, 2600)),
    ):
        training = d.action(
            date(2025, 11, 24),
            actor,
            joint,
            region_code=region,
            title="Penguatan kapasitas HAM bagi ASN",
            owner_opd="BKPSDM",
            partners=(Partner(name=kanwil.office, kind="kanwil"),),
            kkp_criterion=3,
            indicator_type=IndicatorType.OUTCOME,
            due_on=date(2026, 10, 31),
            indicator=Indicator(name=ASN_TRAINED, unit="orang", baseline=0, target=target),
        )
        periods = ("2026-B04", "2026-B08")
        for n, value in enumerate(values):
            report_id = d.report(
                date(2026, 5 + 4 * n, 12),
                actor,
                training,
                periods[n],
                f"{value} ASN telah mengikuti penguatan HAM.",
                percent=round(100 * value / target),
                value=value,
                evidence=_evidence("Rekap peserta", f"asn-{region}-{n}"),
            )
            if n == 0:
                d.verify(
                    date(2026, 6, 2) + timedelta(days=n),
                    kanwil,
                    training,
                    report_id,
                    "Rekap peserta sesuai.",
                )
    community = d.action(
        date(2025, 12, 1),
        SINGKAWANG,
        joint,
        region_code="61.72",
        title="Penguatan HAM bagi masyarakat dan tokoh lintas agama",
        owner_opd="Kesbangpol",
        partners=(Partner(name="FKUB Kota Singkawang", kind="oms"),),
        kkp_criterion=4,
        indicator_type=IndicatorType.OUTCOME,
        due_on=date(2026, 8, 31),
        indicator=Indicator(name=PUBLIC_TRAINED, unit="orang", baseline=0, target=1500),
    )
    d.report(
        date(2026, 5, 18),
        SINGKAWANG,
        community,
        "2026-B04",
        "Dialog HAM di enam kelurahan.",
        percent=30,
        value=450,
        evidence=_evidence("Foto dan daftar hadir dialog", "skw-dialog"),
    )
