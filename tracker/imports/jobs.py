"""Imports that outlast a page load. The workspace waits a moment for a check or an
application; a longer one goes on in the background and its page shows how many rows are
done (a page that refreshes itself: no JavaScript needed) until the result is ready.

Jobs live in the process that started them, for a quarter of an hour after they end. The
result does not depend on them: an applied batch is in the event log whatever happens to
its job, and an unfinished check can simply be started again.
"""

from __future__ import annotations

import asyncio
import secrets
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from adapters.tasks import finish

KEPT_FOR = 15 * 60.0  # seconds a finished job's result stays readable
MAX_JOBS = 200  # the oldest finished ones are dropped first beyond this


@dataclass
class Job:
    """One import's progress; `done`/`total` are set from the worker thread (plain ints)."""

    id: str
    owner: str  # the account that started it: nobody else sees it
    about: dict[str, Any] = field(default_factory=dict)  # what its page says it is doing
    done: int = 0
    total: int = 0
    result: Any = None  # what the page shows once finished
    finished: threading.Event = field(default_factory=threading.Event)
    ended_at: float | None = None

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 0


Work = Callable[[Job], Awaitable[Any]]


class ImportJobs:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._jobs: dict[str, Job] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._clock = clock

    def start(self, owner: str, work: Work, **about: Any) -> tuple[Job, asyncio.Task[Any]]:
        """Run `work(job)` as a task of the running loop; its return value becomes the
        job's result (an exception it raises is its result too, for the page to show)."""
        self._prune()
        job = Job(id=secrets.token_urlsafe(16), owner=owner, about=about)
        self._jobs[job.id] = job

        async def run() -> None:
            try:
                job.result = await work(job)
            except Exception as error:
                job.result = error
            finally:
                job.ended_at = self._clock()
                job.finished.set()

        task = asyncio.get_running_loop().create_task(run(), name=f"import-{job.id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return job, task

    def get(self, job_id: str, owner: str) -> Job | None:
        job = self._jobs.get(job_id)
        return job if job is not None and job.owner == owner else None

    def add(self, job: Job) -> None:
        """Keep a job made elsewhere (tests show a job's page at a given point)."""
        self._jobs[job.id] = job

    def _prune(self) -> None:
        now = self._clock()
        ended = sorted((j.ended_at, j.id) for j in self._jobs.values() if j.ended_at is not None)
        stale = {job_id for at, job_id in ended if now - at > KEPT_FOR}
        excess = len(self._jobs) - len(stale) - MAX_JOBS
        if excess > 0:
            oldest = [job_id for _, job_id in ended if job_id not in stale]
            stale |= set(oldest[:excess])
        for job_id in stale:
            del self._jobs[job_id]

    async def stop(self, grace: float = 10.0) -> None:
        """Let running imports end (an application is one transaction: it commits or not)."""
        for task in list(self._tasks):
            await finish(task, grace)
