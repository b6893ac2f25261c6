"""The reminder worker inside the application on PostgreSQL: it ticks on the application's
clock and records a due reminder once; a second application on the same database (a restart
with nothing remembered, or a second replica) decides it again and records nothing new."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import asyncpg
from litestar.testing import TestClient

from tests.api.conftest import issue_tokens, seed
from tests.support import settings_for
from tests.unit.world import Clock
from tracker.app import create_app
from tracker.bootstrap import bootstrap
from tracker.reminders import ReminderWorker


def _app(database_url: str, clock: Clock) -> tuple[Any, Any]:
    settings = settings_for(database_url, reminders=True)
    services = bootstrap(settings, clock=clock)
    app = create_app(settings, services=services)
    return app, services


def _worker(services: Any) -> ReminderWorker:
    return next(w for w in services.runtime.workers.workers if isinstance(w, ReminderWorker))


def _reminders(database_url: str) -> int:
    async def count() -> int:
        conn = await asyncpg.connect(database_url)
        try:
            sql = "SELECT count(*) FROM tracker_events WHERE topic LIKE '%ReminderIssued'"
            return int(await conn.fetchval(sql))
        finally:
            await conn.close()

    return asyncio.run(count())


def test_the_worker_records_a_reminder_once_across_a_restart(database_url: str) -> None:
    clock = Clock()  # 2 March 2026
    app, services = _app(database_url, clock)
    with TestClient(app) as client:
        client.app.state.tokens = issue_tokens(database_url)
        seed(client)  # Kota Blitar's action, four-monthly by default: B04 due 15 May 2026
        clock.now = datetime(2026, 5, 2, 1, tzinfo=UTC)  # 13 days before: the due-14 stage
        assert client.blocking_portal.call(_worker(services).wait_for, 1)
    assert _reminders(database_url) == 1

    again, services = _app(database_url, clock)
    with TestClient(again) as client:
        worker = _worker(services)
        assert client.blocking_portal.call(worker.wait_for, 0, 1)  # a full tick on the same day
        assert worker.issued == 0
    assert _reminders(database_url) == 1
