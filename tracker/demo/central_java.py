"""Kota Semarang (Festival HAM 2021, SNP training 2022) and Kota Pekalongan (KKP HAM FGD 2023)."""

from __future__ import annotations

from datetime import date

from domain import action as act
from domain.action_events import ReturnReason
from domain.forum import ForumKind
from domain.values import Indicator, IndicatorType, Partner, RpjmnTag, Signatory
from tracker.demo.builder import (
    ADMIN,
    KANWIL_JATENG,
    PEKALONGAN,
    SEMARANG,
    Demo,
    evidence,
)


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
        evidence=evidence("Naskah akademik Perwali Kota HAM", "semarang-na-kota-ham"),
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
        evidence=evidence("Notulen pembahasan rancangan Perwali", "semarang-notulen-2023"),
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
        evidence=evidence("Daftar hadir pelatihan SNP", "semarang-snp-hadir"),
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
            evidence=evidence(f"Dokumen kriteria {criterion}", f"pkl-k{criterion}-b08"),
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
                evidence=evidence(f"Data kriteria {criterion} (revisi)", f"pkl-k{criterion}-rev"),
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
                evidence=evidence(f"Rekap kriteria {criterion}", f"pkl-k{criterion}-b12"),
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
