"""What is due when: each action's obligations (domain/obligations.py) read from the facts its
read model stores, against the reporting schedules in force, on a given day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import msgspec

from domain.obligations import Due, DueState, ReportingFacts, obligations
from domain.period import PeriodKind, ReportingPeriod
from domain.schedule import PeriodDeadline


class Schedules:
    """The due day of any period: a year's table where one is set, else the default."""

    def __init__(self, docs: Iterable[dict[str, Any]]) -> None:
        self._days: dict[ReportingPeriod, date] = {}
        self.years: set[int] = set()
        for doc in docs:
            self.years.add(int(doc["year"]))
            for entry in msgspec.convert(doc["deadlines"], tuple[PeriodDeadline, ...]):
                self._days[entry.period] = entry.due_on

    def __call__(self, period: ReportingPeriod) -> date:
        return self._days.get(period, period.deadline)

    def set_by_table(self, period: ReportingPeriod) -> bool:
        return period in self._days

    def year(self, year: int) -> list[dict[str, Any]]:
        """Every period of the year, of every cadence, with its due day and where it comes from."""
        rows = []
        for kind, numbers in (
            (PeriodKind.FOUR_MONTHLY, (4, 8, 12)),
            (PeriodKind.QUARTER, (1, 2, 3, 4)),
            (PeriodKind.MONTH, tuple(range(1, 13))),
        ):
            for number in numbers:
                period = ReportingPeriod(kind=kind, year=year, number=number)
                rows.append(
                    {
                        "period": period.label,
                        "kind": kind.value,
                        "ends_on": period.ends_on,
                        "due_on": self(period),
                        "default": not self.set_by_table(period),
                    }
                )
        return rows


def due(actions: Iterable[dict[str, Any]], schedules: Schedules, today: date) -> list[Due]:
    """The obligations of these actions (read-model documents) on `today`, soonest due first."""
    out: list[Due] = []
    for doc in actions:
        facts = msgspec.convert(doc["figures"]["reporting"], ReportingFacts)
        out.extend(obligations(facts, schedules, today))
    out.sort(key=lambda d: (d.due_on, d.region_code, d.title, d.period.order))
    return out


def counts(items: Iterable[Due]) -> dict[str, int]:
    """How many obligations are in each state (every state named, zeros included)."""
    found = {state.value: 0 for state in DueState}
    for item in items:
        found[item.state.value] += 1
    return found
