from __future__ import annotations

import csv
from pathlib import Path

from domain.errors import InvalidInput
from domain.regions import Region, RegionCatalogue

from .helpers import then_refused

REFERENCE = Path(__file__).resolve().parents[2] / "adapters" / "reference"


def load_shipped_catalogue() -> tuple[list[Region], list[Region]]:
    with (REFERENCE / "wilayah_provinsi.csv").open(encoding="utf-8", newline="") as f:
        provinces = [
            Region(code=r["kode"], name=r["nama"], kind="provinsi", province_code=r["kode"])
            for r in csv.DictReader(f)
        ]
    with (REFERENCE / "wilayah_kabupaten_kota.csv").open(encoding="utf-8", newline="") as f:
        regencies = [
            Region(
                code=r["kode"],
                name=r["nama"],
                kind=r["jenis"],
                province_code=r["kode_provinsi"],
            )
            for r in csv.DictReader(f)
        ]
    return provinces, regencies


def test_shipped_csvs_make_a_catalogue_of_552_regions():
    provinces, regencies = load_shipped_catalogue()
    assert len(provinces) == 38
    assert len(regencies) == 514
    catalogue = RegionCatalogue([*provinces, *regencies])
    assert len(catalogue) == 552  # no duplicate codes
    assert len(catalogue.provinces()) == 38
    assert "35.72" in catalogue
    assert catalogue.require("35.72") == Region(
        code="35.72", name="Kota Blitar", kind="kota", province_code="35"
    )
    assert "99.99" not in catalogue
    assert catalogue.get("99.99") is None
    with then_refused(InvalidInput, "unknown-region"):
        catalogue.require("99.99")
    assert {r.kind for r in regencies} == {"kabupaten", "kota"}
    assert all(r.province_code in catalogue for r in regencies)
    assert all(catalogue.require(r.province_code).is_province for r in regencies)


def test_sample_catalogue_answers_questions(regions):
    assert len(regions) == 7
    assert [r.code for r in regions.provinces()] == ["35", "33", "61"]
    assert [r.code for r in regions.in_province("33")] == ["33.74", "33.75"]
    assert regions.in_province("99") == []
    assert regions.require("35").is_province
    assert not regions.require("35.72").is_province
    assert 35 not in regions  # codes are strings
    with then_refused(InvalidInput, "unknown-region"):
        regions.require("35.7")
