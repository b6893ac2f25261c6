"""The answers of the reference reads, typed, so the OpenAPI document describes them: the
provinces and the three national lists the tracker tags actions with."""

from __future__ import annotations

import msgspec

from adapters.reference_data import KkpCriterion, NationalPriority, NationalTarget
from domain.regions import Region


class ProvincesOut(msgspec.Struct):
    items: list[Region]


class KkpCriteriaOut(msgspec.Struct):
    items: list[KkpCriterion]


class PrioritiesOut(msgspec.Struct):
    items: list[NationalPriority]


class TargetsOut(msgspec.Struct):
    items: list[NationalTarget]
