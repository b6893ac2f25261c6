"""Reminders by mail, against a real SMTP server on loopback (aiosmtpd): the consumer queues
one mail per addressed account with an address, the server refuses the first try with a 451
and receives the retry with the right headers and both parts; an account on the daily
digest gets one mail the next morning with everything; a server that is not there costs a
retry, never a reminder; a restarted consumer sends nothing twice."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import nats
import pytest
from aiosmtpd.controller import Controller

from adapters import messages
from adapters.database import Database
from adapters.delivery import PostgresDelivery
from adapters.delivery_types import Preference, Status
from adapters.eventstore import PostgresEventStore
from adapters.mail import SmtpMailer, SmtpSettings
from adapters.memory.accounts import MemoryAccounts
from adapters.memory.delivery import MemoryDelivery
from adapters.messages import INTERNAL
from adapters.nats_feed import JetStreamFeed
from adapters.passwords import Argon2Hasher
from adapters.reference_data import region_catalogue
from adapters.relay import Relay
from domain.obligations import ReportingFacts
from tests.unit.world import ACCOUNTS, PRINCIPALS, World, commitment, forum, plan
from tracker import delivery, event_sources, reminders
from tracker.bus import MessageBus

MORNING = datetime(2026, 5, 2, 1, tzinfo=UTC)  # 13 days before B04's 15 May: due-14


class Inbox:
    """An SMTP server's DATA handler: refuses the first `refuse` messages with 451."""

    def __init__(self, refuse: int = 0) -> None:
        self.refuse = refuse
        self.received: list[tuple[str, list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Coba lagi nanti"
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(refuse=1), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _world_with_a_reminder(actions: int = 1) -> World:
    world = World()  # 2 March 2026
    planned = [world.action() for _ in range(actions)]  # Bagian Hukum Setda of Kota Blitar
    world.clock.now = MORNING
    facts = [ReportingFacts.of(world.bus.load("action", a)) for a in planned]
    assert reminders.run_once(world.bus, facts, lambda p: p.deadline, MORNING) == actions
    return world


def _delivery(world: World, store: MemoryDelivery, port: int) -> delivery.Delivery:
    mailer = SmtpMailer(
        SmtpSettings(
            host="127.0.0.1", port=port, tls="none", sender="Pelacak HAM <pengingat@ham.go.id>"
        )
    )
    return delivery.Delivery(
        store,
        world.accounts.all_accounts,
        mailer,
        event_sources.memory_events(world.store),
        world.clock,
        "https://pelacak.example",
    )


def _prefer(store: MemoryDelivery, name: str, email: str, **more: Any) -> None:
    user_id = PRINCIPALS[name].user_id
    asyncio.run(store.set_preference(Preference(user_id=user_id, email=email, **more)))


def test_the_server_gets_the_retry_with_the_right_headers(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    world, store = _world_with_a_reminder(), MemoryDelivery()
    _prefer(store, "pemda_blitar", "hukum@blitarkota.go.id")
    _prefer(store, "dinkes_blitar", "dinkes@blitarkota.go.id")  # another OPD: not addressed
    worker = _delivery(world, store, port)

    assert asyncio.run(worker.run_once()) == (1, 0, 1)  # queued, refused with 451
    (row,) = asyncio.run(store.log())
    assert (row.status, row.attempts) == (Status.PENDING, 1) and "451" in (row.last_error or "")
    assert row.next_attempt_at == MORNING + timedelta(minutes=1)
    assert asyncio.run(worker.run_once()) == (0, 0, 0)  # not yet: it waits its minute
    world.clock.now = MORNING + timedelta(minutes=1)
    assert asyncio.run(worker.run_once()) == (0, 1, 0)

    ((sender, recipients, mail),) = inbox.received
    assert sender == "pengingat@ham.go.id" and recipients == ["hukum@blitarkota.go.id"]
    assert mail["Subject"] == "Laporan 2026-B04 jatuh tempo dalam 14 hari"
    assert mail["From"] == "Pelacak HAM <pengingat@ham.go.id>"
    assert mail["To"] == "hukum@blitarkota.go.id"
    assert mail["Content-Language"] == "id" and mail["Auto-Submitted"] == "auto-generated"
    assert mail["Message-ID"].endswith("@pelacak-komitmen-ham>") and mail["Date"]
    assert mail.get_content_type() == "multipart/alternative"
    plain = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert plain is not None and html is not None
    assert "Pelatihan HAM bagi ASN (Bagian Hukum Setda)" in plain.get_content()
    assert "https://pelacak.example/kerja/kotak-masuk" in plain.get_content()
    assert '<a href="https://pelacak.example/kerja/kotak-masuk">' in html.get_content()

    again = _delivery(world, MemoryDelivery(), port)  # a fresh store would send again …
    restarted = _delivery(world, store, port)  # … the same store, restarted, does not
    assert asyncio.run(restarted.run_once()) == (0, 0, 0)
    assert again is not restarted and len(inbox.received) == 1


def test_the_daily_digest_waits_for_the_morning_in_english(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    inbox.refuse = 0
    world = _world_with_a_reminder(actions=2)
    store = MemoryDelivery()
    _prefer(store, "pemda_blitar", "hukum@blitarkota.go.id", lang="en", digest=True)
    worker = _delivery(world, store, port)
    assert asyncio.run(worker.run_once()) == (2, 0, 0)  # queued for tomorrow 00:00 UTC
    world.clock.now = datetime(2026, 5, 3, 0, tzinfo=UTC)
    assert asyncio.run(worker.run_once()) == (0, 1, 0)  # one mail with both
    ((_, _, mail),) = inbox.received
    assert mail["Subject"] == "Daily reminder digest: 2"
    assert mail["Content-Language"] == "en"
    assert mail.get_body(("plain",)).get_content().count("due in 14 days") == 2  # type: ignore[union-attr]


def test_a_server_that_is_not_there_costs_a_retry_not_a_reminder() -> None:
    world, store = _world_with_a_reminder(), MemoryDelivery()
    _prefer(store, "pemda_blitar", "hukum@blitarkota.go.id")
    worker = _delivery(world, store, _free_port())  # nothing listens there
    assert asyncio.run(worker.run_once()) == (1, 0, 1)
    for attempt in range(2, delivery.MAX_ATTEMPTS + 1):  # each wait longer, then given up
        world.clock.now += delivery.wait_after(attempt - 1)
        assert asyncio.run(worker.run_once()) == (0, 0, 1), attempt
    (row,) = asyncio.run(store.log())
    assert (row.status, row.attempts) == (Status.FAILED, delivery.MAX_ATTEMPTS)
    assert "ConnectionRefusedError" in (row.last_error or "")
    assert world.bus.find("reminder", row.reminder_id) is not None  # the reminder stands


def test_the_nats_consumer_mails_across_a_lost_message(
    database_url: str, nats_server_url: str, fresh_stream: None, smtp: tuple[Inbox, int]
) -> None:
    """The event stream from PostgreSQL through the relay and JetStream to the delivery's
    durable consumer; messages deleted from the stream (one in the middle, the reminder at
    the tail) are read from PostgreSQL, and the mail is sent once."""
    inbox, port = smtp
    inbox.refuse = 0
    store = PostgresEventStore(database_url)
    store.open()
    bus = MessageBus(
        store=store,
        accounts=MemoryAccounts(),
        hasher=Argon2Hasher(),
        regions=region_catalogue(),
        clock=lambda: MORNING,
        ids=uuid.uuid4,
    )
    admin, blitar = PRINCIPALS["admin"], PRINCIPALS["pemda_blitar"]
    early = bus.with_clock(lambda: datetime(2026, 3, 2, tzinfo=UTC))
    forum_id = early.execute(forum(), admin).id
    commitment_id = early.execute(commitment(forum_id), admin).id
    action = early.execute(plan(commitment_id, "35.72", "Bagian Hukum Setda"), blitar)
    facts = [ReportingFacts.of(action.state)]
    assert reminders.run_once(bus, facts, lambda p: p.deadline, MORNING) == 1  # position 4

    async def scenario() -> list[Any]:
        database = Database(database_url)
        await database.open()
        stop = asyncio.Event()
        relaying = asyncio.create_task(
            Relay(database_url, nats_server_url, channel=INTERNAL).run(stop)
        )
        nc = await nats.connect(nats_server_url)
        js = nc.jetstream()
        try:
            await messages.ensure_stream(js)
            watch = await js.subscribe(f"{messages.SUBJECT_ROOT}.>", ordered_consumer=True)
            while messages.decode_message((await watch.next_msg(timeout=10)).data).position < 4:
                pass  # the relay has published the reminder (position 4) once this ends
            await js.delete_msg(INTERNAL.stream, 2)  # lost in the middle: the commitment
            await js.delete_msg(INTERNAL.stream, 4)  # lost at the tail: the reminder itself
            outbox = PostgresDelivery(database)
            await outbox.create_schema()
            await outbox.set_preference(
                Preference(user_id=blitar.user_id, email="hukum@blitarkota.go.id")
            )
            accounts = MemoryAccounts()
            for account in ACCOUNTS.values():
                await accounts.add(account, None, "tests", MORNING)
            feed = JetStreamFeed(database.pool, nats_server_url, durable="delivery-test")
            worker = delivery.Delivery(
                outbox,
                accounts.all_accounts,
                SmtpMailer(SmtpSettings(host="127.0.0.1", port=port, tls="none")),
                feed.read,
                lambda: MORNING,
                "https://pelacak.example",
                feed=feed,
            )
            await feed.start()
            rounds = [await worker.run_once() for _ in range(4)]
            await feed.stop()
            return [rounds, await outbox.position(delivery.CONSUMER), await outbox.log()]
        finally:
            stop.set()
            await relaying
            await nc.close()
            await database.close()

    rounds, position, log = asyncio.run(scenario())
    # 1-3 from the stream (2 refilled from PostgreSQL by the previous-position check); the
    # stream then stays idle while PostgreSQL is ahead: the third idle read takes 4 from it.
    assert rounds == [(0, 0, 0), (0, 0, 0), (1, 1, 0), (0, 0, 0)]
    assert position == 4 and [r.status for r in log] == [Status.SENT]
    assert len(inbox.received) == 1
    store.close()
