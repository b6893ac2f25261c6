"""The catalogue of Indonesian regions (Kepmendagri codes), built from rows the caller loads.

Pure: the adapters read the CSV files; the domain only answers questions about codes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

import msgspec

from domain.errors import InvalidInput


class Region(msgspec.Struct, frozen=True, kw_only=True):
    code: str  # "35" for a province, "35.72" for a kab/kota
    name: str
    kind: str  # provinsi | kabupaten | kota
    province_code: str

    @property
    def is_province(self) -> bool:
        return self.kind == "provinsi"


class RegionCatalogue:
    def __init__(self, regions: Iterable[Region]) -> None:
        self._by_code = {region.code: region for region in regions}

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Region | None:
        return self._by_code.get(code)

    def require(self, code: str) -> Region:
        region = self._by_code.get(code)
        if region is None:
            raise InvalidInput("unknown-region", code=code)
        return region

    def provinces(self) -> list[Region]:
        return [r for r in self._by_code.values() if r.is_province]

    def in_province(self, province_code: str) -> list[Region]:
        return [
            r
            for r in self._by_code.values()
            if r.province_code == province_code and not r.is_province
        ]


class TimeZone(msgspec.Struct, frozen=True):
    """One of Indonesia's three civil time zones (no daylight saving, so a fixed offset)."""

    name: str  # WIB | WITA | WIT
    utc_offset_hours: int

    @property
    def tzinfo(self) -> timezone:
        return timezone(timedelta(hours=self.utc_offset_hours))

    def local(self, at: datetime) -> datetime:
        """The same instant on this zone's clock."""
        return at.astimezone(self.tzinfo)


WIB = TimeZone("WIB", 7)
WITA = TimeZone("WITA", 8)
WIT = TimeZone("WIT", 9)

# Provinces by the first digit of their Kepmendagri code, with the exceptions below: Sumatra
# (1x) and Java (3x) keep WIB; Bali and Nusa Tenggara (5x) and Sulawesi (7x) WITA; Maluku
# (8x) and Papua (9x) WIT; Kalimantan (6x) is split — Barat and Tengah are WIB.
_ZONE_BY_ISLAND = {
    "1": WIB, "2": WIB, "3": WIB, "5": WITA, "6": WITA, "7": WITA, "8": WIT, "9": WIT
}  # fmt: skip
_KALIMANTAN_WIB = frozenset({"61", "62"})


def time_zone(code: str | None) -> TimeZone:
    """The civil time zone of a province or of a region in it (by code); WIB, the capital's,
    for national figures (code None)."""
    if not code:
        return WIB
    province = code.split(".")[0]
    if province in _KALIMANTAN_WIB:
        return WIB
    return _ZONE_BY_ISLAND.get(province[:1], WIB)
