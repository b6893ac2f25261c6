"""Mail preferences and the delivery log in the workspace, on the in-memory application: an
account sets its address, language and digest (a malformed address is refused beside the
field, nothing saved); a delivery round mails what the reminders address to it; the
ministry reads the log, a Pemda is refused it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from tests.unit.sites import Site, plan_action
from tracker import delivery, event_sources, reminders

W = "/kerja/notifikasi"
NO_REDIRECTS: dict[str, Any] = {"follow_redirects": False}


def test_an_account_sets_its_mail_and_the_log_shows_the_delivery(site: Site) -> None:
    assert site.clock is not None
    services = site.services
    plan_action(site)
    csrf = site.browser("pemda_blitar")
    page = site.client.get(W)
    assert page.status_code == 200 and "belum dihubungkan ke server surel" in page.text
    bad = site.client.post(
        W, data={"csrf_token": csrf, "email": "hukum@", "lang": "id"}, **NO_REDIRECTS
    )
    assert (
        bad.status_code == 422 and 'id="email-error"' in bad.text and 'value="hukum@"' in bad.text
    )
    assert asyncio.run(services.delivery.preferences()) == {}
    fields = {"csrf_token": csrf, "email": "hukum@blitarkota.go.id", "lang": "en", "digest": ""}
    saved = site.client.post(W, data=fields, **NO_REDIRECTS)
    assert saved.status_code == 303 and saved.headers["location"].startswith(f"{W}?disimpan=1")
    shown = site.client.get(saved.headers["location"])
    assert 'value="hukum@blitarkota.go.id"' in shown.text and "disimpan" in shown.text
    (pref,) = asyncio.run(services.delivery.preferences()).values()
    assert (pref.email, pref.lang, pref.digest) == ("hukum@blitarkota.go.id", "en", False)

    when = datetime(2026, 5, 2, 1, tzinfo=UTC)
    site.clock.now = when
    assert asyncio.run(reminders.tick(services.bus, services.data, when, set())) == 1
    worker = delivery.Delivery(
        services.delivery,
        services.accounts.all_accounts,
        services.mailer,
        event_sources.memory_events(site.store),
        services.clock,
        "https://pelacak.example",
    )
    assert asyncio.run(worker.run_once()) == (1, 1, 0)
    (mail,) = services.mailer.outbox
    assert mail["To"] == "hukum@blitarkota.go.id"
    assert mail["Subject"] == "Report for 2026-B04 due in 14 days"

    site.browser("pemda_blitar")
    assert site.client.get("/kerja/admin/pengiriman").status_code == 403
    site.browser("admin")
    log = site.client.get("/kerja/admin/pengiriman")
    assert (
        log.status_code == 200 and "hukum@blitarkota.go.id" in log.text and "Terkirim" in log.text
    )
