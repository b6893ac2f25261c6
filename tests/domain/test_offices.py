"""Office names by era: an event names a Kanwil as it was called on the day it was
recorded; names no era knows (an admin's custom office) are kept as given."""

from __future__ import annotations

from datetime import date

from domain.offices import OfficeEra, OfficeNames

OLD = OfficeEra(
    template="Kanwil Kementerian Hukum dan HAM {province} (Bidang HAM)",
    valid_from=None,
    valid_until=date(2024, 12, 31),
)
NEW = OfficeEra(
    template="Kanwil Kementerian HAM {province}", valid_from=date(2025, 1, 1), valid_until=None
)
NAMES = OfficeNames((OLD, NEW))


def test_a_current_name_is_given_its_older_form_before_the_split():
    name = "Kanwil Kementerian HAM Jawa Tengah"
    assert (
        NAMES.on(name, date(2023, 11, 6))
        == "Kanwil Kementerian Hukum dan HAM Jawa Tengah (Bidang HAM)"
    )
    assert NAMES.on(name, date(2024, 12, 31)).startswith("Kanwil Kementerian Hukum dan HAM")
    assert NAMES.on(name, date(2025, 1, 1)) == name


def test_an_older_name_is_given_its_current_form_after_the_split():
    old = "Kanwil Kementerian Hukum dan HAM Kalimantan Tengah (Bidang HAM)"
    assert NAMES.on(old, date(2026, 6, 2)) == "Kanwil Kementerian HAM Kalimantan Tengah"


def test_names_no_era_knows_and_days_no_era_covers_are_kept():
    assert NAMES.on("Tim HAM Provinsi", date(2023, 1, 1)) == "Tim HAM Provinsi"
    assert NAMES.on("Kanwil Kementerian HAM ", date(2023, 1, 1)) == "Kanwil Kementerian HAM "
    only_new = OfficeNames((NEW,))
    assert (
        only_new.on("Kanwil Kementerian HAM Aceh", date(2020, 1, 1))
        == "Kanwil Kementerian HAM Aceh"
    )
    assert (
        OfficeNames().on("Kanwil Kementerian HAM Aceh", date(2020, 1, 1))
        == "Kanwil Kementerian HAM Aceh"
    )
