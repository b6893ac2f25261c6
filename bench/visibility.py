"""Commit → visible in the read model, seen the way any other process would see it: the
projector NOTIFYs `tracker_projection` with `<projection>:<position>` when a batch commits,
and we LISTEN on our own asyncpg connection (the API's `?after=` waits on the same signal).
"""

from __future__ import annotations

import asyncio
import bisect
import time
from dataclasses import dataclass
from typing import Any

import asyncpg

from adapters.projector import POSITION_CHANNEL
from bench.stats import percentile
from bench.workload import Sent

PROJECTION = "catalog"


class ProjectionListener:
    """Records (arrival time, position) of every NOTIFY of one projection, in order."""

    def __init__(self, database_url: str, projection: str = PROJECTION) -> None:
        self.database_url = database_url
        self.projection = projection
        self.times: list[float] = []
        self.positions: list[int] = []  # running maximum, so bisect works on it
        self.went_backwards = 0  # a NOTIFY below an earlier one: a rebuild, or a bug
        self.other_projections: set[str] = set()
        self._conn: Any = None
        self._moved = asyncio.Event()

    async def start(self) -> None:
        self._conn = await asyncpg.connect(self.database_url)
        await self._conn.add_listener(POSITION_CHANNEL, self._on_notify)

    def _on_notify(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        now = time.perf_counter()
        name, _, value = payload.rpartition(":")
        if name != self.projection or not value.isdigit():
            self.other_projections.add(name)
            return
        position = int(value)
        if self.positions and position < self.positions[-1]:
            self.went_backwards += 1
            position = self.positions[-1]
        self.times.append(now)
        self.positions.append(position)
        self._moved.set()

    @property
    def position(self) -> int:
        return self.positions[-1] if self.positions else 0

    def visible_at(self, position: int) -> float | None:
        """When the first NOTIFY at or past `position` arrived, if one did."""
        index = bisect.bisect_left(self.positions, position)
        return self.times[index] if index < len(self.times) else None

    async def wait_for(self, position: int, timeout: float) -> float | None:
        """Seconds until the projection reached `position`, or None after `timeout`."""
        started = time.perf_counter()
        while self.position < position:
            left = timeout - (time.perf_counter() - started)
            if left <= 0:
                return None
            self._moved.clear()
            try:
                await asyncio.wait_for(self._moved.wait(), timeout=min(left, 1.0))
            except TimeoutError:
                continue
        return time.perf_counter() - started

    async def stop(self) -> None:
        if self._conn is not None:
            await self._conn.remove_listener(POSITION_CHANNEL, self._on_notify)
            await self._conn.close()


@dataclass(frozen=True)
class Visibility:
    """Milliseconds from the HTTP answer (the write is committed) to the NOTIFY."""

    measured: int
    never_seen: int  # committed writes whose position no NOTIFY reached within the wait
    before_answer: int  # already visible when the answer arrived (counted as 0 ms)
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float


def visibility(sent: list[Sent], listener: ProjectionListener) -> Visibility:
    delays: list[float] = []
    never = before = 0
    for command in sent:
        if command.position is None:
            continue  # refused: nothing was written
        seen = listener.visible_at(command.position)
        if seen is None:
            never += 1
            continue
        delay = seen - command.received_at
        before += delay <= 0
        delays.append(max(0.0, delay) * 1000)
    return Visibility(
        measured=len(delays),
        never_seen=never,
        before_answer=before,
        p50_ms=percentile(delays, 50),
        p95_ms=percentile(delays, 95),
        p99_ms=percentile(delays, 99),
        max_ms=max(delays, default=float("nan")),
    )
