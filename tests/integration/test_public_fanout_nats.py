"""The public fan-out as a JetStream consumer: events go from PostgreSQL through the relay
and the stream to the fan-out's durable consumer and on to a webhook on loopback; a message
deleted from the stream (JetStream can lose acknowledged ones) is read from PostgreSQL by
the previous-position link, every public event arrives once, and a second round sends
nothing."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

import msgspec
import nats
import pytest

from adapters import messages
from adapters.database import Database
from adapters.eventstore import PostgresEventStore
from adapters.memory.accounts import MemoryAccounts
from adapters.messages import INTERNAL
from adapters.nats_feed import JetStreamFeed
from adapters.passwords import Argon2Hasher
from adapters.reference_data import region_catalogue
from adapters.relay import Relay
from adapters.subscription_types import Channel, Subscription
from adapters.subscriptions import PostgresSubscriptions
from tests.unit.world import PRINCIPALS, commitment, forum, plan
from tracker import fanout
from tracker.bus import MessageBus

NOW = datetime(2026, 3, 2, 1, tzinfo=UTC)


class Hook(BaseHTTPRequestHandler):
    bodies: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        Hook.bodies.append(
            msgspec.json.decode(self.rfile.read(int(self.headers["Content-Length"])))
        )
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return None


@pytest.fixture
def hook() -> Iterator[str]:
    Hook.bodies = []
    server = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()


def test_the_fanout_reaches_a_webhook_through_jetstream_across_a_lost_message(
    database_url: str, nats_server_url: str, fresh_stream: None, hook: str
) -> None:
    store = PostgresEventStore(database_url)
    store.open()
    bus = MessageBus(
        store=store,
        accounts=MemoryAccounts(),
        hasher=Argon2Hasher(),
        regions=region_catalogue(),
        clock=lambda: NOW,
        ids=uuid.uuid4,
    )
    admin, blitar = PRINCIPALS["admin"], PRINCIPALS["pemda_blitar"]
    forum_id = bus.execute(forum(), admin).id
    commitment_id = bus.execute(commitment(forum_id), admin).id
    bus.execute(plan(commitment_id, "35.72", "Bagian Hukum Setda"), blitar)  # position 3

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
            while messages.decode_message((await watch.next_msg(timeout=10)).data).position < 3:
                pass  # the relay has published all three once this ends
            await js.delete_msg(INTERNAL.stream, 2)  # lost in the middle: the commitment
            followers = PostgresSubscriptions(database)
            await followers.create_schema()
            await followers.add(
                Subscription(
                    id=uuid.uuid4(),
                    channel=Channel.WEBHOOK,
                    scope="*",
                    token="pengelola",
                    created_at=NOW,
                    url=hook,
                    secret="rahasia-lsm-yang-cukup-panjang",
                    confirmed_at=NOW,
                )
            )
            feed = JetStreamFeed(database.pool, nats_server_url, durable="public-test")
            worker = fanout.Fanout(
                followers, None, feed.read, bus.find, lambda: NOW, "https://pelacak.example"
            )
            await feed.start()
            rounds = [await worker.run_once() for _ in range(2)]
            await feed.stop()
            return [rounds, await followers.position(fanout.CONSUMER)]
        finally:
            stop.set()
            await relaying
            await nc.close()
            await database.close()

    rounds, position = asyncio.run(scenario())
    store.close()
    assert rounds == [(3, 3, 0), (0, 0, 0)] and position == 3
    assert [(b["position"], b["type"]) for b in Hook.bodies] == [
        (1, "ForumConvened"),
        (2, "CommitmentMade"),
        (3, "ActionPlanned"),
    ]
