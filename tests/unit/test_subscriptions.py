"""Public subscriptions on the in-memory application: a webhook receives only public events,
signed with HMAC-SHA256 over "timestamp.body", and gets the retry after answering 500; a
mail subscriber confirms by the link in the first mail (double opt-in), gets the region's
news with a one-click unsubscribe, and nothing after unsubscribing."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

import pytest

from adapters.memory.mail import MemoryMailer
from tests.unit.sites import Site, plan_action
from tracker import delivery, event_sources, fanout

SECRET = "rahasia-lsm-yang-cukup-panjang"


class Receiver(BaseHTTPRequestHandler):
    answers: ClassVar[list[int]] = []
    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((dict(self.headers), body))
        self.send_response(Receiver.answers.pop(0) if Receiver.answers else 200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return None


@pytest.fixture
def receiver() -> Iterator[str]:
    Receiver.answers, Receiver.received = [500], []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()


def _fanout(site: Site, mailer: MemoryMailer | None = None) -> fanout.Fanout:
    s = site.services
    events = event_sources.memory_events(site.store)
    return fanout.Fanout(
        s.subscriptions, mailer, events, s.bus.find, s.clock, "https://pelacak.example"
    )


def test_a_webhook_gets_signed_public_events_and_the_retry_after_a_500(
    site: Site, receiver: str
) -> None:
    assert site.clock is not None
    hook = {"url": receiver, "secret": SECRET, "scope": "35.72"}
    made = site.ok(site.client.post("/api/v1/webhooks", json=hook), 201)
    bad = {"url": "http://lsm.example.org/hook", "secret": SECRET}
    refused = site.client.post("/api/v1/webhooks", json=bad)
    assert refused.status_code == 422 and "https://" in refused.json()["detail"]
    _, action_id = plan_action(site)  # a forum, a commitment and a Blitar action
    draft = {"period": "2026-Q1", "percent": 5, "narrative": "Draf"}
    pemda = site.as_("pemda_blitar")
    site.client.post(f"/api/v1/actions/{action_id}/drafts", json=draft, headers=pemda)
    fan = _fanout(site)
    queued, sent, failed = asyncio.run(fan.run_once())
    assert failed == 1 and sent == queued - 1  # the first answered 500
    site.clock.now += delivery.wait_after(1)
    assert asyncio.run(fan.run_once()) == (0, 1, 0)  # the retry
    types = [__import__("json").loads(body)["type"] for _, body in Receiver.received]
    assert "ActionPlanned" in types and "ReportDraftSaved" not in types  # drafts are private
    assert types.count(types[0]) == 2  # the one answered 500 came again
    headers, body = Receiver.received[-1]
    stamp, mac = headers["Tracker-Signature"].removeprefix("t=").split(",v1=")
    expected = hmac.new(SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(mac, expected)
    assert b"t-pemda-blitar" not in body  # public form: no account ids
    token = {"Tracker-Webhook-Token": made["token"]}
    log = site.ok(site.client.get(f"/api/v1/webhooks/{made['id']}", headers=token))
    assert log["active"] and "secret" not in log and len(log["deliveries"]) == queued
    assert site.client.get(f"/api/v1/webhooks/{made['id']}").status_code == 404


def test_a_webhook_failing_again_and_again_is_disabled(site: Site) -> None:
    assert site.clock is not None
    hook = {"url": "http://127.0.0.1:9/hook", "secret": SECRET, "scope": "*"}
    made = site.ok(site.client.post("/api/v1/webhooks", json=hook), 201)
    plan_action(site)
    fan = _fanout(site)
    for _ in range(fanout.DISABLE_AFTER):
        asyncio.run(fan.run_once())
        site.clock.now += timedelta(hours=7)
    token = {"Tracker-Webhook-Token": made["token"]}
    log = site.ok(site.client.get(f"/api/v1/webhooks/{made['id']}", headers=token))
    assert log["active"] is False and log["disabled_at"] is not None


def test_mail_subscription_is_double_opt_in_with_one_click_unsubscribe(site: Site) -> None:
    assert site.clock is not None
    site.services.bus.mail = True  # as with TRACKER_SMTP_HOST set
    mailer = MemoryMailer()
    form = site.client.get("/langganan?lingkup=35.72")
    assert form.status_code == 200 and "Kota Blitar" in form.text
    csrf = form.text.split('name="csrf_token" value="')[1].split('"')[0]
    fields = {"csrf_token": csrf, "scope": "35.72", "email": "warga@example.org", "lang": "id"}
    refused = site.client.post("/langganan", data={**fields, "email": "warga@"})
    assert refused.status_code == 422 and 'id="email-error"' in refused.text
    fields["csrf_token"] = refused.text.split('name="csrf_token" value="')[1].split('"')[0]
    done = site.client.post("/langganan", data=fields, follow_redirects=False)
    assert done.status_code == 303 and "terkirim=1" in done.headers["location"]
    fan = _fanout(site, mailer)
    asyncio.run(fan.run_once())
    (first,) = mailer.outbox
    assert first["Subject"] == "Konfirmasi langganan Pelacak Komitmen HAM"
    link = first.get_body(("plain",)).get_content().split("konfirmasi?token=")[1].split()[0]  # type: ignore[union-attr]
    plan_action(site)
    asyncio.run(fan.run_once())
    assert len(mailer.outbox) == 1  # nothing before the confirmation
    assert "Ya, kirimi saya kabar" in site.client.get(f"/langganan/konfirmasi?token={link}").text
    confirmed = site.client.post("/langganan/konfirmasi", data={"token": link})
    assert "Langganan aktif" in confirmed.text
    site.clock.now += timedelta(minutes=1)
    plan_action(site)
    asyncio.run(fan.run_once())
    news = mailer.outbox[1:]
    assert news and all(m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for m in news)
    stop = news[0]["List-Unsubscribe"].strip("<>")
    one_click = site.client.post(
        stop.removeprefix("https://pelacak.example"), content=b"List-Unsubscribe=One-Click"
    )
    assert one_click.status_code == 200 and "Langganan dihentikan" in one_click.text
    count = len(mailer.outbox)
    plan_action(site)
    asyncio.run(fan.run_once())
    assert len(mailer.outbox) == count


def _ask(site: Site, fields: dict[str, str]) -> Any:
    page = site.client.get("/langganan?lingkup=35.72")
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    return site.client.post("/langganan", data={**fields, "csrf_token": csrf})


def test_the_form_is_no_way_to_flood_an_inbox_or_a_host(site: Site) -> None:
    assert site.clock is not None
    site.services.bus.mail = True
    fields = {"scope": "35.72", "email": "korban@example.org", "lang": "id"}
    for _ in range(3):
        assert _ask(site, fields).status_code == 200  # followed to the "sent" page
    fourth = _ask(site, fields)
    assert fourth.status_code == 422 and "3 permintaan langganan" in fourth.text
    site.clock.now += timedelta(days=1, minutes=1)  # a day later the address may ask again
    assert _ask(site, fields).status_code == 200

    hook = {"url": "https://korban.example.net/hook", "secret": SECRET}
    for n in range(20):
        made = site.client.post("/api/v1/webhooks", json={**hook, "url": f"{hook['url']}/{n}"})
        site.ok(made, 201)
    refused = site.client.post("/api/v1/webhooks", json=hook)
    assert refused.status_code == 429, refused.text
    assert "20 webhook aktif" in refused.json()["detail"]
    assert "korban.example.net" in refused.json()["detail_en"]
