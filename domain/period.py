"""Reporting periods: RANHAM's four-monthly B04/B08/B12, quarters, or months of a year."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

import msgspec

from domain.errors import InvalidInput
from domain.regions import TimeZone

REPORTING_GRACE_DAYS = 15


class PeriodKind(StrEnum):
    FOUR_MONTHLY = "four_monthly"
    QUARTER = "quarter"
    MONTH = "month"


_PATTERNS = (
    (re.compile(r"^(\d{4})-B(04|08|12)$"), PeriodKind.FOUR_MONTHLY),
    (re.compile(r"^(\d{4})-Q([1-4])$"), PeriodKind.QUARTER),
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), PeriodKind.MONTH),
)


class ReportingPeriod(msgspec.Struct, frozen=True, kw_only=True):
    kind: PeriodKind
    year: int
    number: int  # 4/8/12 for B04/B08/B12, 1-4 for quarters, 1-12 for months

    @classmethod
    def parse(cls, label: str) -> ReportingPeriod:
        for pattern, kind in _PATTERNS:
            match = pattern.match(label.strip())
            if match:
                year = int(match.group(1))
                if not 2000 <= year <= 2100:
                    break
                return cls(kind=kind, year=year, number=int(match.group(2)))
        raise InvalidInput("period-format", label=label)

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> ReportingPeriod:
        """From a stored document (`{"kind", "year", "number"}`), with the kind as an enum."""
        return cls(kind=PeriodKind(doc["kind"]), year=int(doc["year"]), number=int(doc["number"]))

    @classmethod
    def containing(cls, day: date, kind: PeriodKind) -> ReportingPeriod:
        """The period of `kind` that `day` falls in."""
        if kind is PeriodKind.FOUR_MONTHLY:
            number = ((day.month - 1) // 4 + 1) * 4
        elif kind is PeriodKind.QUARTER:
            number = (day.month - 1) // 3 + 1
        else:
            number = day.month
        return cls(kind=kind, year=day.year, number=number)

    def following(self) -> ReportingPeriod:
        """The next period of the same kind."""
        return ReportingPeriod.containing(self.ends_on + timedelta(days=1), self.kind)

    @property
    def order(self) -> tuple[int, int, int]:
        """Periods of any cadence in time order: by their last day, then their first (the
        year and months say the same as the dates, without building them: it is a sort key
        on every report of an action)."""
        kind, number = self.kind, self.number
        if kind is PeriodKind.MONTH:
            return (self.year, number, number)
        if kind is PeriodKind.QUARTER:
            return (self.year, number * 3, number * 3 - 2)
        return (self.year, number, number - 3)  # four-monthly

    @property
    def label(self) -> str:
        if self.kind is PeriodKind.FOUR_MONTHLY:
            return f"{self.year}-B{self.number:02d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}-Q{self.number}"
        return f"{self.year}-{self.number:02d}"

    @property
    def first_month(self) -> int:
        if self.kind is PeriodKind.FOUR_MONTHLY:
            return self.number - 3
        if self.kind is PeriodKind.QUARTER:
            return self.number * 3 - 2
        return self.number

    @property
    def last_month(self) -> int:
        if self.kind is PeriodKind.FOUR_MONTHLY:
            return self.number
        if self.kind is PeriodKind.QUARTER:
            return self.number * 3
        return self.number

    @property
    def deadline(self) -> date:
        """The last day a report for this period is on time: REPORTING_GRACE_DAYS after it
        ends, as RANHAM's four-monthly reports are due in the month after the period."""
        return self.ends_on + timedelta(days=REPORTING_GRACE_DAYS)

    def filed_late(self, at: datetime, zone: TimeZone, due_on: date | None = None) -> bool:
        """A report recorded at `at` is late (*terlambat*) when that moment, on the region's
        civil calendar, falls after its due day: `due_on` from the year's schedule, or the
        default deadline."""
        return zone.local(at).date() > (due_on or self.deadline)

    @property
    def starts_on(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def ends_on(self) -> date:
        if self.last_month == 12:
            return date(self.year, 12, 31)
        return date.fromordinal(date(self.year, self.last_month + 1, 1).toordinal() - 1)
