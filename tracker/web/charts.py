"""Inline SVG charts drawn on the server: no JavaScript, no library, same input same bytes.

Each chart is an `<svg role="img">` with a `viewBox` (it scales to its container; size it
with CSS on `.chart`), a `<title>` and a `<desc>` saying in words everything the picture
shows, and visible text (legend, numbers, axis labels), so colour never carries meaning
alone. Every colour has at least 4.5:1 contrast with white, in both directions.

The portal's i18n table belongs to the pages: chart labels beyond the status names
(`t("status.<key>")`) are keyword arguments with Indonesian defaults; an English page
passes its own (`title=t("...")`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date

from markupsafe import Markup, escape

STATUSES = ("planned", "in_progress", "completed", "verified", "cancelled")
COLOURS = {  # contrast with white: 5.9, 6.7, 6.3, 6.5, 7.3
    "planned": "#5b6670",
    "in_progress": "#0b5cad",
    "completed": "#8a5300",
    "verified": "#1e6b34",
    "cancelled": "#a3262d",
}
INK = "#1f2328"
GRID = "#8c959f"
WIDTH = 320
FONT = 'font-family="system-ui, sans-serif" font-size="13"'


def _num(value: float) -> str:
    """Fixed, short decimals: deterministic output whatever the float noise."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _percent(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _svg(kind: str, height: float, title: str, desc: str, body: list[str]) -> Markup:
    seed = f"{kind}\n{title}\n{desc}".encode()
    ident = "chart-" + hashlib.sha1(seed, usedforsecurity=False).hexdigest()[:10]
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" '
        f'viewBox="0 0 {WIDTH} {_num(height)}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d">'
        f'<title id="{ident}-t">{escape(title)}</title>'
        f'<desc id="{ident}-d">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 - every text part was escaped


def _empty(kind: str, text: str) -> Markup:
    return Markup(f'<p class="chart-empty chart-{kind}">{escape(text)}</p>')  # noqa: S704


def status_breakdown(
    counts: dict[str, int],
    t: Callable[[str], str],
    *,
    title: str = "Status aksi",
    empty: str = "Belum ada aksi",
) -> Markup:
    """A stacked bar of action statuses (in `STATUSES` order, zero counts left out), the
    count inside each segment wide enough for it, and a legend "Berjalan: 3" per status.
    No actions at all: a `<p class="chart-empty">` saying `empty`."""
    shown = [(key, max(int(counts.get(key, 0)), 0)) for key in STATUSES]
    shown = [(key, n) for key, n in shown if n > 0]
    total = sum(n for _, n in shown)
    if total == 0:
        return _empty("status", empty)
    words = ", ".join(f"{t('status.' + key)}: {n}" for key, n in shown)
    bar_height, row = 28, 22
    body: list[str] = []
    x = 0.0
    for key, n in shown:
        width = WIDTH * n / total
        body.append(
            f'<rect class="segment" data-status="{key}" x="{_num(x)}" y="0" '
            f'width="{_num(width)}" height="{bar_height}" fill="{COLOURS[key]}" '
            f'stroke="#ffffff" stroke-width="1"/>'
        )
        if width >= 10 + 8 * len(str(n)):
            body.append(
                f'<text x="{_num(x + width / 2)}" y="19" text-anchor="middle" fill="#ffffff" '
                f'font-weight="bold" {FONT} aria-hidden="true">{n}</text>'
            )
        x += width
    for i, (key, n) in enumerate(shown):
        y = bar_height + 12 + i * row
        label = f"{t('status.' + key)}: {n} ({_percent(100 * n / total)})"
        body.append(
            f'<rect x="0" y="{y}" width="14" height="14" fill="{COLOURS[key]}"/>'
            f'<text class="legend" x="22" y="{y + 12}" fill="{INK}" {FONT}>{escape(label)}</text>'
        )
    height = bar_height + 12 + len(shown) * row
    return _svg("status", height, title, words, body)


def completion_over_time(
    points: list[tuple[date, float]],
    t: Callable[[str], str],
    *,
    title: str = "Kemajuan dari waktu ke waktu",
    empty: str = "Belum ada laporan",
    summary: str = "Dari {first} pada {first_on} menjadi {last} pada {last_on} ({count} laporan).",
    axis: str = "Persen selesai",
) -> Markup:
    """A step chart of percent complete (clamped to 0–100) by date: each value holds until
    the next report. `summary` (the `<desc>`) is formatted with first, first_on, last,
    last_on (ISO dates) and count; `axis` names the vertical axis. No points: a
    `<p class="chart-empty">` saying `empty`. `t` is unused (kept for a uniform call)."""
    del t
    if not points:
        return _empty("completion", empty)
    ordered = sorted((day, min(max(float(p), 0.0), 100.0)) for day, p in points)
    left, right, top, bottom, height = 44, 12, 22, 40, 200
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    first_day, last_day = ordered[0][0], ordered[-1][0]
    span = (last_day - first_day).days

    def px(day: date) -> float:
        return left + (plot_w * (day - first_day).days / span if span else plot_w / 2)

    def py(percent: float) -> float:
        return top + plot_h * (1 - percent / 100)

    body = [
        f'<text x="0" y="12" fill="{INK}" {FONT}>{escape(axis)}</text>',
    ]
    for tick in (0, 50, 100):
        y = _num(py(tick))
        dashes = "" if tick == 0 else ' stroke-dasharray="3 3"'
        body.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y}" y2="{y}" stroke="{GRID}" '
            f'stroke-width="1"{dashes}/>'
            f'<text x="{left - 6}" y="{_num(py(tick) + 4)}" text-anchor="end" fill="{INK}" '
            f"{FONT}>{tick}%</text>"
        )
    steps = [f"M{_num(px(ordered[0][0]))} {_num(py(ordered[0][1]))}"]
    for day, percent in ordered[1:]:
        steps.append(f"H{_num(px(day))} V{_num(py(percent))}")
    body.append(
        f'<path class="line" d="{" ".join(steps)}" fill="none" stroke="{COLOURS["in_progress"]}" '
        'stroke-width="2.5"/>'
    )
    for day, percent in ordered:
        body.append(
            f'<circle cx="{_num(px(day))}" cy="{_num(py(percent))}" r="3.5" '
            f'fill="{COLOURS["in_progress"]}"><title>{day.isoformat()}: '
            f"{_percent(percent)}</title></circle>"
        )
    labels = [(first_day, "start" if span else "middle")]
    if span:
        labels.append((last_day, "end"))
    for day, anchor in labels:
        body.append(
            f'<text x="{_num(px(day))}" y="{height - bottom + 20}" text-anchor="{anchor}" '
            f'fill="{INK}" {FONT}>{day.isoformat()}</text>'
        )
    desc = summary.format(
        first=_percent(ordered[0][1]),
        first_on=first_day.isoformat(),
        last=_percent(ordered[-1][1]),
        last_on=last_day.isoformat(),
        count=len(ordered),
    )
    return _svg("completion", height, title, desc, body)
