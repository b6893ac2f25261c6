"""Kota Blitar's Human Rights City roadmap (2025) and the Singkawang Rakernas (13 Nov 2025)."""

from __future__ import annotations

from datetime import date, timedelta

from domain import action as act
from domain.action_events import ReturnReason
from domain.forum import ForumKind
from domain.values import Indicator, IndicatorType, Partner, RpjmnTag, Signatory
from tracker.demo.builder import (
    ASN_TRAINED,
    BLITAR,
    KANWIL_JATENG,
    KANWIL_JATIM,
    KANWIL_KALTENG,
    PUBLIC_TRAINED,
    SEMARANG,
    SINGKAWANG,
    Demo,
    evidence,
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
        due_on=date(2026, 3, 31),
    )
    r = d.report(
        date(2025, 9, 3),
        BLITAR,
        mapping,
        "2025-B08",
        "Identifikasi isu HAM lokal bersama OPD dan kelurahan.",
        percent=45,
        evidence=evidence("Matriks isu HAM lokal", "blitar-isu-ham")
        # Interview notes name residents: evidence for the Kanwil, never for the public.
        + evidence("Catatan wawancara warga (data pribadi)", "blitar-wawancara", public=False),
    )
    d.verify(date(2025, 9, 22), KANWIL_JATIM, mapping, r, "Matriks diterima.")
    r = d.report(
        date(2026, 1, 14),
        BLITAR,
        mapping,
        "2025-B12",
        "Pemetaan selesai dan dipaparkan kepada Wali Kota.",
        percent=100,
        evidence=evidence("Laporan pemetaan HAM Kota Blitar", "blitar-pemetaan"),
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
        evidence=evidence("Berita acara pembahasan", "blitar-perwali-ba"),
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
                evidence=evidence("Rekap peserta", f"asn-{region}-{n}"),
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
        evidence=evidence("Foto dan daftar hadir dialog", "skw-dialog"),
    )
