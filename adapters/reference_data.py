"""Loads the shipped reference data: Kepmendagri region codes (MIT, Cahya DSN), the ten
KKP HAM criteria and their (illustrative) indicators, RPJMN 2025-2029 national priorities,
the ministry's 2025 targets and the Kanwil office names by era."""

from __future__ import annotations

import csv
from datetime import date
from functools import cache
from importlib import resources

import msgspec

from domain.kkp import IndicatorSet
from domain.offices import OfficeEra, OfficeNames
from domain.regions import Region, RegionCatalogue


class KkpCriterion(msgspec.Struct, frozen=True):
    number: int
    group: str
    name: str
    usual_owner: str


class NationalPriority(msgspec.Struct, frozen=True):
    code: str
    title: str
    human_rights_note: str


class NationalTarget(msgspec.Struct, frozen=True):
    """A ministry target that regional indicators of the same name roll up to."""

    indicator: str
    unit: str
    target: int
    year: int
    context: str


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("adapters").joinpath("reference", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def region_catalogue() -> RegionCatalogue:
    provinces = [
        Region(code=r["kode"], name=r["nama"], kind="provinsi", province_code=r["kode"])
        for r in _rows("wilayah_provinsi.csv")
    ]
    regencies = [
        Region(code=r["kode"], name=r["nama"], kind=r["jenis"], province_code=r["kode_provinsi"])
        for r in _rows("wilayah_kabupaten_kota.csv")
    ]
    return RegionCatalogue([*provinces, *regencies])


@cache
def kkp_criteria() -> tuple[KkpCriterion, ...]:
    return tuple(
        KkpCriterion(int(r["no"]), r["kelompok_hak"], r["kriteria"], r["opd_pengampu_tebakan"])
        for r in _rows("kkp_ham_kriteria.csv")
    )


@cache
def kkp_indicators() -> IndicatorSet:
    """The versioned KKP HAM indicator list (the shipped one is illustrative: see its note)."""
    path = resources.files("adapters").joinpath("reference", "kkp_ham_indikator.json")
    return msgspec.json.decode(path.read_bytes(), type=IndicatorSet)


@cache
def kanwil_jurisdictions() -> dict[str, tuple[str, ...]]:
    """The 2025 Kanwil Kementerian HAM by the province they sit in, with the provinces each
    covers: its own and those its working area is known to include (kanwil_wilayah_kerja.csv).
    The 2025 list is partial; a province no Kanwil lists is in no jurisdiction here."""
    extra: dict[str, list[str]] = {}
    for r in _rows("kanwil_wilayah_kerja.csv"):
        extra.setdefault(r["kode_prov_kanwil"], []).append(r["kode_prov_cakupan"])
    return {
        r["kode_prov"]: (r["kode_prov"], *extra.get(r["kode_prov"], []))
        for r in _rows("kanwil_kemenham_2025.csv")
    }


@cache
def national_priorities() -> tuple[NationalPriority, ...]:
    return tuple(
        NationalPriority(r["kode"], r["judul"], r["catatan_ham"] or "")
        for r in _rows("rpjmn_2025_2029_prioritas_nasional.csv")
    )


@cache
def national_targets() -> tuple[NationalTarget, ...]:
    return tuple(
        NationalTarget(r["indikator"], r["satuan"], int(r["target"]), int(r["tahun"]), r["konteks"])
        for r in _rows("target_nasional_2025.csv")
    )


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


@cache
def kanwil_offices() -> OfficeNames:
    return OfficeNames(
        tuple(
            OfficeEra(
                template=r["template"],
                valid_from=_day(r["valid_from"]),
                valid_until=_day(r["valid_until"]),
            )
            for r in _rows("kanwil_offices.csv")
        )
    )
