"""Server-drawn SVG charts: well-formed, described in words, escaped, proportional."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from typing import Any

import msgspec
import pytest
from markupsafe import Markup

from tracker.web import charts
from tracker.web.i18n import translator

SVG = "{http://www.w3.org/2000/svg}"
t_id = translator("id")
t_en = translator("en")


def parse(markup: Markup) -> ET.Element:
    assert isinstance(markup, Markup)
    return ET.fromstring(str(markup))


def text_of(svg: ET.Element) -> list[str]:
    return ["".join(e.itertext()) for e in svg.iter(f"{SVG}text")]


def alternatives(svg: ET.Element) -> tuple[str, str]:
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and desc is not None
    labelled_by = svg.get("aria-labelledby", "").split()
    assert labelled_by == [title.get("id"), desc.get("id")]
    return title.text or "", desc.text or ""


def test_status_breakdown_says_everything_in_words() -> None:
    counts = {"planned": 0, "in_progress": 3, "verified": 2, "cancelled": 0}
    svg = parse(charts.status_breakdown(counts, t_id))
    assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
    assert svg.get("viewBox", "").startswith("0 0 320 ")
    assert svg.get("width") is None  # scales with its container
    title, desc = alternatives(svg)
    assert title == "Status aksi"
    assert desc == "Berjalan: 3, Selesai dan terverifikasi: 2"
    legend = [s for s in text_of(svg) if ":" in s]
    assert legend == ["Berjalan: 3 (60%)", "Selesai dan terverifikasi: 2 (40%)"]
    assert "3" in text_of(svg) and "2" in text_of(svg)  # the numbers on the bar itself

    english = parse(charts.status_breakdown(counts, t_en, title="Action status"))
    assert alternatives(english) == ("Action status", "In progress: 3, Completed and verified: 2")


def test_segment_widths_are_proportional() -> None:
    counts = {"planned": 1, "in_progress": 2, "completed": 3, "verified": 4, "cancelled": 6}
    svg = parse(charts.status_breakdown(counts, t_id))
    segments = [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "segment"]
    assert [r.get("data-status") for r in segments] == list(charts.STATUSES)
    widths = [float(r.get("width", "")) for r in segments]
    assert sum(widths) == pytest.approx(320, abs=0.05)
    for width, count in zip(widths, counts.values(), strict=True):
        assert width == pytest.approx(320 * count / 16, abs=0.01)
    xs = [float(r.get("x", "")) for r in segments]
    assert xs == sorted(xs) and xs[0] == 0


def test_labels_are_escaped() -> None:
    def hostile(key: str) -> str:
        return '<script>"x" & y</script>'

    markup = charts.status_breakdown({"planned": 1}, hostile, title="A < B & C")
    assert "<script>" not in markup
    svg = parse(markup)
    assert alternatives(svg) == ("A < B & C", '<script>"x" & y</script>: 1')
    assert '<script>"x" & y</script>: 1 (100%)' in text_of(svg)

    line = charts.completion_over_time([(date(2026, 1, 1), 5)], t_id, title="<&>", axis="<&>")
    assert "<&>" not in line
    assert alternatives(parse(line))[0] == "<&>"
    assert "<&>" in text_of(parse(line))
    assert "&lt;&amp;&gt;" in charts.completion_over_time([], t_id, empty="<&>")


def test_empty_cases() -> None:
    for counts in ({}, {"planned": 0}, {"unknown": 5}, {"in_progress": -2}):
        empty = charts.status_breakdown(counts, t_id)
        assert empty == Markup('<p class="chart-empty chart-status">Belum ada aksi</p>')
    assert "No actions" in charts.status_breakdown({}, t_en, empty="No actions")
    none = charts.completion_over_time([], t_id)
    assert none == Markup('<p class="chart-empty chart-completion">Belum ada laporan</p>')
    ET.fromstring(str(none))


def test_completion_over_time() -> None:
    points = [(date(2026, 3, 31), 100.0), (date(2025, 12, 31), 20.0), (date(2026, 1, 31), 35.5)]
    svg = parse(charts.completion_over_time(points, t_id))
    title, desc = alternatives(svg)
    assert title == "Kemajuan dari waktu ke waktu"
    assert desc == "Dari 20% pada 2025-12-31 menjadi 100% pada 2026-03-31 (3 laporan)."
    labels = text_of(svg)
    assert {"0%", "50%", "100%", "2025-12-31", "2026-03-31", "Persen selesai"} <= set(labels)
    dots = list(svg.iter(f"{SVG}circle"))
    assert len(dots) == 3
    xs = [float(d.get("cx", "")) for d in dots]
    ys = [float(d.get("cy", "")) for d in dots]
    assert xs == sorted(xs)  # by date, whatever order they came in
    assert ys[0] > ys[1] > ys[2]  # higher percent, higher on the chart
    bottom, top = ys[0] + (ys[0] - ys[2]) * 20 / 80, ys[2]  # 20% .. 100%
    assert (bottom - ys[1]) / (bottom - top) == pytest.approx(0.355, abs=0.01)
    path = next(svg.iter(f"{SVG}path")).get("d", "")
    assert path.startswith("M") and path.count("H") == 2 and path.count("V") == 2

    english = charts.completion_over_time(
        points,
        t_en,
        summary="From {first} on {first_on} to {last} on {last_on} ({count} reports).",
    )
    assert "From 20% on 2025-12-31 to 100% on 2026-03-31 (3 reports)." in english


def test_one_point_and_out_of_range_values() -> None:
    svg = parse(charts.completion_over_time([(date(2026, 2, 1), 140.0)], t_id))
    assert alternatives(svg)[1].startswith("Dari 100% pada 2026-02-01 menjadi 100%")
    assert text_of(svg).count("2026-02-01") == 1
    low = parse(charts.completion_over_time([(date(2026, 2, 1), -5)], t_id))
    assert "Dari 0%" in alternatives(low)[1]


def test_deterministic_and_distinct_ids() -> None:
    counts = {"in_progress": 1, "completed": 2}
    assert charts.status_breakdown(counts, t_id) == charts.status_breakdown(dict(counts), t_id)
    first = parse(charts.status_breakdown(counts, t_id)).get("aria-labelledby")
    other = parse(charts.status_breakdown({"in_progress": 2}, t_id)).get("aria-labelledby")
    assert first != other


def test_colours_contrast_with_white() -> None:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for colour in [*charts.COLOURS.values(), charts.INK]:
        assert 1.05 / (luminance(colour) + 0.05) >= 4.5, colour
    assert len(set(charts.COLOURS.values())) == len(charts.STATUSES)


def test_charts_plot_by_reporting_period_not_by_filing_date() -> None:
    from domain import action as domain_action
    from projections.catalog import document
    from tests.domain.helpers import action_planned, at, given, uid
    from tests.domain.helpers import report_returned as returned
    from tests.domain.helpers import report_submitted as submitted
    from tracker.queries import mean_completion_series, percent_series

    def doc(*events: Any, **planned: Any) -> dict[str, Any]:
        state = given(domain_action.evolve, action_planned(**planned), *events)
        return msgspec.json.decode(msgspec.json.encode(document("action", state)))

    action = doc(
        submitted(uid(1), "2023-B08", 60.0, at=at(2023, 9, 2)),
        submitted(uid(2), "2023-B04", 45.0, at=at(2023, 11, 6)),  # back-filled
        submitted(uid(3), "2023-B12", 90.0, at=at(2024, 1, 5)),
        returned(uid(3)),
        at=at(2023, 1, 10),
    )
    # the back-filled B04 sits at 30 April, before B08; the returned B12 is left out
    assert percent_series(action) == [(date(2023, 4, 30), 45.0), (date(2023, 8, 31), 60.0)]
    later = doc(at=at(2023, 6, 1))
    assert mean_completion_series([action, later]) == [
        (date(2023, 4, 30), 45.0),  # the second action was not planned yet
        (date(2023, 8, 31), 30.0),
    ]
    heavy = doc(at=at(2023, 6, 1), weight=3)  # three times the weight, nothing reported
    assert mean_completion_series([action, heavy])[-1] == (date(2023, 8, 31), 15.0)
