"""The catalogue of Indonesian regions (Kepmendagri codes), built from rows the caller loads.

Pure: the adapters read the CSV files; the domain only answers questions about codes.
"""

from __future__ import annotations

from collections.abc import Iterable

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
