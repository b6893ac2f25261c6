"""KKP HAM (Kabupaten/Kota Peduli HAM) indicators: per right (the ten criteria) and type
(structure, process, outcome), each with an id, a text and a weight.

The list is reference data (adapters/reference/kkp_ham_indikator.json, versioned) so the
official indicators can replace the shipped illustrative ones without a code change; this
module only says what a set must look like and how a data year is told.
"""

from __future__ import annotations

from enum import StrEnum

import msgspec

from domain.errors import InvalidInput
from domain.values import KKP_CRITERIA, IndicatorType

THRESHOLD = 75  # the Peduli HAM predicate's pass mark, out of 100


class CellRule(StrEnum):
    """How one cell (right × type) reads its actions: the best verified figure among them, or
    their mean weighted by each action's weight."""

    MAX = "max"
    MEAN = "mean"


class KkpIndicator(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    id: str
    criterion: int
    type: IndicatorType
    weight: int
    text: str


class IndicatorSet(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    version: str
    illustrative: bool
    note: str
    threshold: int
    cell_rule: CellRule
    method: str
    indicators: tuple[KkpIndicator, ...]

    def __post_init__(self) -> None:
        ids = [i.id for i in self.indicators]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate KKP HAM indicator id")
        for item in self.indicators:
            if item.criterion not in KKP_CRITERIA or not 1 <= item.weight <= 100:
                raise ValueError(f"KKP HAM indicator {item.id}: criterion 1-10, weight 1-100")

    def require(self, indicator_id: str) -> KkpIndicator:
        for item in self.indicators:
            if item.id == indicator_id:
                return item
        raise InvalidInput("unknown-kkp-indicator", indicator_id=indicator_id)

    def cell_weight(self, criterion: int, kind: IndicatorType) -> int:
        """A cell counts as much as the indicators in it."""
        return sum(i.weight for i in self.indicators if (i.criterion, i.type) == (criterion, kind))

    @property
    def total_weight(self) -> int:
        return sum(i.weight for i in self.indicators)


def check_data_year(year: int) -> int:
    """A data year is a calendar year, January to December, that an assessment looks back at."""
    if not 2000 <= year <= 2100:
        raise InvalidInput("data-year", year=year)
    return year
