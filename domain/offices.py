"""Office names that change with the state's organisation: the human-rights work of a
Kanwil was the Bidang HAM of the Kanwil Kementerian Hukum dan HAM until the 2024–2025
split, and the Kanwil Kementerian HAM after it. An event names the office as it was on the
day it was recorded, so a 2023 verification does not carry a 2025 name.

The eras come from reference data (adapters/reference/kanwil_offices.csv); this module only
matches a name to its era and renders it for another day.
"""

from __future__ import annotations

from datetime import date

import msgspec

PLACE = "{province}"


class OfficeEra(msgspec.Struct, frozen=True, kw_only=True):
    """One way of naming a province's Kanwil, valid on the days from `valid_from` through
    `valid_until` (None: open-ended)."""

    template: str  # with {province}
    valid_from: date | None
    valid_until: date | None

    def covers(self, day: date) -> bool:
        starts = self.valid_from is None or self.valid_from <= day
        return starts and (self.valid_until is None or day <= self.valid_until)

    def province_in(self, office: str) -> str | None:
        """The province of an office named in this era's way, or None."""
        head, _, tail = self.template.partition(PLACE)
        if (
            len(office) > len(head) + len(tail)
            and office.startswith(head)
            and office.endswith(tail)
        ):
            return office[len(head) : len(office) - len(tail)]
        return None

    def name(self, province: str) -> str:
        return self.template.replace(PLACE, province)


class OfficeNames(msgspec.Struct, frozen=True):
    eras: tuple[OfficeEra, ...] = ()

    def on(self, office: str, day: date) -> str:
        """`office` as it was named on `day`; unchanged when no era names it that way or no
        era covers the day (a custom name an admin gave an account stays as given)."""
        now = next((era for era in self.eras if era.covers(day)), None)
        if now is None:
            return office
        for era in self.eras:
            province = era.province_in(office)
            if province is not None:
                return now.name(province)
        return office
