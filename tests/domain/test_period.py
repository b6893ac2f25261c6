from __future__ import annotations

import itertools
from datetime import date

import pytest

from domain.errors import InvalidInput
from domain.period import PeriodKind, ReportingPeriod

from .helpers import then_refused


@pytest.mark.parametrize(
    ("label", "kind", "number", "starts_on", "ends_on"),
    [
        ("2025-B04", PeriodKind.FOUR_MONTHLY, 4, date(2025, 1, 1), date(2025, 4, 30)),
        ("2025-B08", PeriodKind.FOUR_MONTHLY, 8, date(2025, 5, 1), date(2025, 8, 31)),
        ("2025-B12", PeriodKind.FOUR_MONTHLY, 12, date(2025, 9, 1), date(2025, 12, 31)),
        ("2025-Q1", PeriodKind.QUARTER, 1, date(2025, 1, 1), date(2025, 3, 31)),
        ("2025-Q2", PeriodKind.QUARTER, 2, date(2025, 4, 1), date(2025, 6, 30)),
        ("2025-Q3", PeriodKind.QUARTER, 3, date(2025, 7, 1), date(2025, 9, 30)),
        ("2025-Q4", PeriodKind.QUARTER, 4, date(2025, 10, 1), date(2025, 12, 31)),
        ("2025-07", PeriodKind.MONTH, 7, date(2025, 7, 1), date(2025, 7, 31)),
        ("2025-01", PeriodKind.MONTH, 1, date(2025, 1, 1), date(2025, 1, 31)),
        ("2025-02", PeriodKind.MONTH, 2, date(2025, 2, 1), date(2025, 2, 28)),
        ("2024-02", PeriodKind.MONTH, 2, date(2024, 2, 1), date(2024, 2, 29)),
        ("2025-04", PeriodKind.MONTH, 4, date(2025, 4, 1), date(2025, 4, 30)),
        ("2025-12", PeriodKind.MONTH, 12, date(2025, 12, 1), date(2025, 12, 31)),
    ],
)
def test_parse_valid_labels(label, kind, number, starts_on, ends_on):
    period = ReportingPeriod.parse(label)
    assert period == ReportingPeriod(kind=kind, year=int(label[:4]), number=number)
    assert period.label == label
    assert ReportingPeriod.parse(period.label) == period
    assert period.starts_on == starts_on
    assert period.ends_on == ends_on


def test_parse_ignores_surrounding_whitespace():
    assert ReportingPeriod.parse("  2025-Q3 ").label == "2025-Q3"


@pytest.mark.parametrize(
    "label",
    [
        "2025-B05",
        "2025-B00",
        "2025-B4",
        "2025-Q5",
        "2025-Q0",
        "2025-13",
        "2025-00",
        "2025-7",
        "25-07",
        "1999-07",
        "2101-01",
        "2025/07",
        "abc",
        "",
    ],
)
def test_parse_rejects_unknown_labels(label):
    with then_refused(InvalidInput, "period-format"):
        ReportingPeriod.parse(label)


def test_four_monthly_periods_tile_the_year():
    periods = [ReportingPeriod.parse(f"2025-B{n:02d}") for n in (4, 8, 12)]
    assert periods[0].starts_on == date(2025, 1, 1)
    for before, after in itertools.pairwise(periods):
        assert (after.starts_on - before.ends_on).days == 1
    assert periods[-1].ends_on == date(2025, 12, 31)


def test_a_period_is_due_fifteen_days_after_it_ends() -> None:
    from domain.period import REPORTING_GRACE_DAYS

    assert REPORTING_GRACE_DAYS == 15
    assert ReportingPeriod.parse("2025-B08").deadline == date(2025, 9, 15)
    assert ReportingPeriod.parse("2025-Q4").deadline == date(2026, 1, 15)
    assert ReportingPeriod.parse("2024-02").deadline == date(2024, 3, 15)


def test_late_is_judged_on_the_regions_calendar() -> None:
    from datetime import UTC, datetime

    from domain.regions import WIB, WIT, WITA

    period = ReportingPeriod.parse("2025-B08")  # due 15 September 2025
    last_minute_wib = datetime(2025, 9, 15, 16, 59, tzinfo=UTC)  # 23:59 WIB
    assert not period.filed_late(last_minute_wib, WIB)
    assert period.filed_late(datetime(2025, 9, 15, 17, 0, tzinfo=UTC), WIB)  # 16 Sep, 00:00 WIB
    assert period.filed_late(datetime(2025, 9, 15, 15, 0, tzinfo=UTC), WIT)  # 16 Sep in WIT
    assert not period.filed_late(datetime(2025, 9, 15, 15, 0, tzinfo=UTC), WITA)  # 23:00 WITA
