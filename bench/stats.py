"""Counting and percentiles, kept trivial so the numbers are easy to audit."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of unsorted values; NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class Timings:
    """Per-operation durations in seconds plus the wall time of the whole loop."""

    samples: list[float] = field(default_factory=list)
    wall_s: float = 0.0
    cpu_s: float = math.nan  # CPU of the application process over the loop, when known
    statuses: Counter[int] = field(default_factory=Counter)

    def add(self, seconds: float, status: int = 0) -> None:
        self.samples.append(seconds)
        self.statuses[status] += 1

    @property
    def count(self) -> int:
        return len(self.samples)

    @property
    def ok(self) -> int:
        """Successful operations: 0 stands for 'not HTTP' (the raw loop), else 2xx."""
        return sum(n for status, n in self.statuses.items() if status == 0 or 200 <= status < 300)

    @property
    def errors(self) -> int:
        return self.count - self.ok

    @property
    def per_second(self) -> float:
        """Successful operations per second of wall time."""
        return self.ok / self.wall_s if self.wall_s > 0 else math.nan

    @property
    def cpu_ms_per_op(self) -> float:
        return self.cpu_s * 1000 / self.ok if self.ok else math.nan

    def ms(self, q: float) -> float:
        return percentile(self.samples, q) * 1000


def ratio(numerator: float, denominator: float) -> float:
    if denominator == 0 or math.isnan(numerator) or math.isnan(denominator):
        return math.nan
    return numerator / denominator
