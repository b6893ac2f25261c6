"""The workspace inbox on the in-memory application: reminders decided from the read models
by the process manager's tick (and by its worker) reach exactly the accounts they are
addressed to, and nothing of them reaches the public feed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from tests.unit.sites import Site, plan_action
from tracker import reminders

INBOX = "/kerja/kotak-masuk"


def _tick(site: Site, when: datetime) -> int:
    assert site.clock is not None
    site.clock.now = when
    services = site.services
    return asyncio.run(reminders.tick(services.bus, services.data, when, set()))


def _inbox(site: Site, who: str) -> Any:
    site.browser(who)
    page = site.client.get(INBOX)
    assert page.status_code == 200
    return page.text


def test_each_account_sees_the_reminders_addressed_to_it(site: Site) -> None:
    _, action_id = plan_action(site)  # Bagian Hukum Setda of Kota Blitar, 2 March 2026
    assert _tick(site, datetime(2026, 4, 20, 1, tzinfo=UTC)) == 0  # 25 days before 15 May
    assert _tick(site, datetime(2026, 5, 2, 1, tzinfo=UTC)) == 1  # 13 days before: due-14
    assert _tick(site, datetime(2026, 5, 2, 2, tzinfo=UTC)) == 0  # the same stage: refused

    coordinator = _inbox(site, "pemda_blitar")
    assert "Laporan 2026-B04 jatuh tempo dalam 14 hari" in coordinator
    assert "Pelatihan HAM bagi ASN (Bagian Hukum Setda)" in coordinator
    assert f'href="/kerja/aksi/{action_id}/laporan"' in coordinator  # straight to the form
    assert "Belum ada pengingat." in _inbox(site, "dinkes_blitar")  # another OPD's work
    assert "Belum ada pengingat." in _inbox(site, "pemda_semarang")
    assert "Belum ada pengingat." in _inbox(site, "kanwil_jatim")  # nothing late yet

    assert _tick(site, datetime(2026, 5, 24, 1, tzinfo=UTC)) == 2  # late, then late-kanwil
    assert "Laporan 2026-B04 masih terlambat" in _inbox(site, "kanwil_jatim")
    english = site.client.get(f"{INBOX}?lang=en")
    assert "Report for 2026-B04 is still late" in english.text
    assert "Belum ada pengingat." in _inbox(site, "kanwil_jateng")

    feed = site.client.get("/umpan/wilayah/35.72.atom").text
    assert "Pengingat" not in feed and "ReminderIssued" not in feed  # private to the region


def test_the_worker_ticks_when_the_read_models_move(site: Site) -> None:
    assert site.clock is not None
    plan_action(site)
    site.clock.now = datetime(2026, 5, 2, 1, tzinfo=UTC)
    services = site.services

    async def run() -> bool:
        worker = reminders.ReminderWorker(
            services.bus, services.data, services.clock, 3600, poll_seconds=0.01
        )
        await worker.start()
        try:
            return await worker.wait_for(issued=1)
        finally:
            await worker.stop()

    assert asyncio.run(run())
    assert site.events().count("ReminderIssued") == 1
