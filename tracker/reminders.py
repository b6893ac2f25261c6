"""The reminder process manager: on each tick (a moment, passed in) it asks what every action
owes (domain/obligations.py), which reminders that calls for (domain/reminders.py), and hands
each to the bus as an `IssueReminder` of the system principal. A reminder's id is derived
from what it is about, so one already issued — by this process before a restart, or by
another replica — is refused by the event store and skipped: each is recorded exactly once.

`ReminderWorker` runs the ticks in `tracker serve`: when the read models move (a returned
report is told at once) and at least every `interval` seconds (deadlines pass with time).
The demo calls `run_once` with its own clock (tracker/demo/__init__.py).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

import msgspec
import structlog

from adapters import readmodels
from adapters.tasks import finish
from domain import commands as c
from domain import reminders
from domain.access import system
from domain.errors import RuleViolated
from domain.obligations import Due, DueDay, DueState, ReportingFacts, obligations
from domain.regions import time_zone
from tracker import queries

if TYPE_CHECKING:
    from tracker.bus import MessageBus
    from tracker.ports import ReadStore

SYSTEM = system("pengingat", "Pengingat otomatis")


class Returned(msgspec.Struct, frozen=True):
    due: Due
    returned_at: datetime


def plan(
    facts: Iterable[ReportingFacts], due_day: DueDay, now: datetime
) -> tuple[list[reminders.Planned], list[Returned]]:
    """The deadline reminders due at `now` (each region on its own calendar), and the
    recently returned reports, whose authors the caller looks up for `returned_notices`."""
    planned: list[reminders.Planned] = []
    returned: list[Returned] = []
    for item in facts:
        today = time_zone(item.region_code).local(now).date()
        when = {r.id: r.returned_at for r in item.reports}
        for due in obligations(item, due_day, today):
            planned.extend(reminders.plan(due, today))
            at = when.get(due.report_id) if due.report_id is not None else None
            if at is not None and reminders.recently_returned(due, at, today):
                returned.append(Returned(due, at))
    return planned, returned


def returned_notices(
    returned: Iterable[Returned], authors: Mapping[UUID, str], now: datetime
) -> list[reminders.Planned]:
    out = []
    for item in returned:
        due = item.due
        author = authors.get(due.report_id) if due.report_id is not None else None
        if author is not None:
            today = time_zone(due.region_code).local(now).date()
            out.extend(reminders.returned(due, author, item.returned_at, today))
    return out


def command(planned: reminders.Planned) -> c.IssueReminder:
    due = planned.due
    return c.IssueReminder(
        reminder_id=planned.reminder_id,
        stage=planned.stage,
        region_code=due.region_code,
        action_id=due.action_id,
        step_id=due.step_id,
        title=due.title,
        owner_opd=due.owner_opd,
        period=due.period,
        due_on=due.due_on,
        to=planned.to,
        report_id=due.report_id if due.state is DueState.RETURNED else None,
    )


def author_of(state: Any, report_id: UUID) -> str | None:
    """From an action's full state: the account that filed the report."""
    for report in getattr(state, "reports", ()):
        if report.id == report_id:
            user_id: str = report.reporter.user_id
            return user_id
    return None


def authors_of(returned: Iterable[Returned], state_of: Callable[[UUID], Any]) -> dict[UUID, str]:
    """The account that filed each returned report, by report id, from its action's state."""
    found = {}
    for item in returned:
        report_id = item.due.report_id
        author = author_of(state_of(item.due.action_id), report_id) if report_id else None
        if report_id is not None and author is not None:
            found[report_id] = author
    return found


def issue(bus: MessageBus, planned: Iterable[reminders.Planned], skip: set[UUID]) -> int:
    """Hand each reminder to the bus (synchronously: a worker thread or the demo); one
    already issued is refused and remembered in `skip`. Returns how many were issued."""
    issued = 0
    for item in planned:
        if item.reminder_id in skip:
            continue
        try:
            bus.execute(command(item), SYSTEM)
            issued += 1
        except RuleViolated as refused:
            if refused.code != "reminder-issued":
                raise
        skip.add(item.reminder_id)
    return issued


def run_once(
    bus: MessageBus,
    facts: Iterable[ReportingFacts],
    due_day: DueDay,
    now: datetime,
    skip: set[UUID] | None = None,
) -> int:
    """One tick on states the caller has (the demo: from the event store, synchronously)."""
    planned, returned = plan(facts, due_day, now)
    authors = authors_of(returned, lambda ident: bus.find("action", ident))
    notices = [*planned, *returned_notices(returned, authors, now)]
    return issue(bus, notices, set() if skip is None else skip)


async def tick(bus: MessageBus, data: ReadStore, now: datetime, skip: set[UUID]) -> int:
    """One tick on the read models: every action's stored facts and the schedules."""
    docs = await queries.all_actions(data, readmodels.ActionFilter())
    facts = [msgspec.convert(d["figures"]["reporting"], ReportingFacts) for d in docs]
    planned, returned = plan(facts, await queries.schedules(data), now)
    states = {r.due.action_id: await data.load_state("action", r.due.action_id) for r in returned}
    authors = authors_of(returned, states.get)
    notices = [*planned, *returned_notices(returned, authors, now)]
    todo = [p for p in notices if p.reminder_id not in skip]
    if not todo:
        return 0
    return await asyncio.to_thread(issue, bus, todo, skip)


class ReminderWorker:
    def __init__(
        self,
        bus: MessageBus,
        data: ReadStore,
        clock: Callable[[], datetime],
        interval_seconds: float = 300.0,
        *,
        poll_seconds: float = 5.0,
    ) -> None:
        self.bus, self.data, self.clock = bus, data, clock
        self.interval, self.poll = interval_seconds, poll_seconds
        self.log = structlog.get_logger("reminders")
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._skip: set[UUID] = set()
        self.issued = 0  # by this worker since it started
        self.rounds = 0  # ticks finished since it started
        self._rounds = asyncio.Condition()  # notified after every tick

    async def start(self) -> None:
        self._stop.clear()
        self._task = asyncio.create_task(self._run(), name="reminders")

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await finish(self._task, grace=10)
            self._task = None

    async def wait_for(self, issued: int = 0, rounds: int = 1, timeout: float = 10.0) -> bool:
        """Until this worker has issued `issued` reminders and finished `rounds` ticks in all
        (for tests, which wait on this instead of sleeping)."""

        def done() -> bool:
            return self.issued >= issued and self.rounds >= rounds

        async with self._rounds:
            try:
                await asyncio.wait_for(self._rounds.wait_for(done), timeout)
            except TimeoutError:
                return False
        return True

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        seen, last = -1, float("-inf")
        while not self._stop.is_set():
            position, _ = await self.data.freshness()
            if position != seen or loop.time() - last >= self.interval:
                try:
                    issued = await tick(self.bus, self.data, self.clock(), self._skip)
                    if issued:
                        self.log.info("reminders.issued", count=issued)
                    self.issued += issued
                    seen, last = position, loop.time()
                except Exception:  # a failed tick is retried on the next one
                    self.log.exception("reminders.failed")
                async with self._rounds:
                    self.rounds += 1
                    self._rounds.notify_all()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=self.poll)
