"""What the mail delivery and the public fan-out share: a background loop that consumes the
event stream into its outbox and sends what is due, every few seconds, until asked to stop.
The stream is the notification log, or a JetStream feed (adapters/nats_feed.JetStreamFeed)
that this loop opens and closes with itself."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import structlog

from adapters.tasks import finish


class OutboxWorker:
    name = "outbox"  # the task's name and the logger's
    round_event, failed_event = "outbox.round", "outbox.round_failed"

    def __init__(self, poll_seconds: float, feed: Any = None) -> None:
        """`feed`: a source with its own start and stop whose `read` is the events."""
        self.poll, self.feed = poll_seconds, feed
        self.log = structlog.get_logger(self.name)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> tuple[int, int, int]:
        """(queued, sent, failed) in one round; both workers define it."""
        raise NotImplementedError

    async def start(self) -> None:
        if self.feed is not None:
            await self.feed.start()
        self._stop.clear()
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await finish(self._task, grace=10)
            self._task = None
        if self.feed is not None:
            await self.feed.stop()

    async def _run(self) -> None:
        while not self._stop.is_set():
            try:
                queued, sent, failed = await self.run_once()
                if queued or sent or failed:
                    self.log.info(self.round_event, queued=queued, sent=sent, failed=failed)
            except Exception:  # the next round tries again; nothing was lost
                self.log.exception(self.failed_event)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=self.poll)
