"""The background workers `tracker serve` runs in-process (unless --no-workers): the relays
of both NATS channels, the NATS projector, the sealer and the reminder process manager;
without NATS, the projector reads the notification log directly. Started in order, stopped
in reverse."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from adapters.messages import CHANNELS
from adapters.nats_feed import JetStreamFeed
from adapters.nats_projector import NatsProjector
from adapters.projector import StoreTailProjector
from adapters.relay import Relay
from adapters.sealer.worker import Sealer
from adapters.tasks import finish
from tracker.delivery import Delivery
from tracker.event_sources import postgres_events
from tracker.fanout import Fanout
from tracker.reminders import ReminderWorker

if TYPE_CHECKING:
    from tracker.bootstrap import Services


class RelayTask:
    """The relay as a background task of this process (one of possibly many candidates:
    only the one holding the advisory lock publishes)."""

    def __init__(self, relay: Relay) -> None:
        self.relay = relay
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self.relay.run(self._stop), name="relay")

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await finish(self._task, grace=10)
            self._task = None


def _feed(services: Services, durable: str) -> JetStreamFeed | None:
    """A durable JetStream consumer of the event stream when NATS is configured (holes and
    an idle tail are read from PostgreSQL); None: read the notification log itself."""
    url = services.settings.nats_url
    replicas = services.settings.nats_replicas
    return JetStreamFeed(services.pool, url, durable=durable, replicas=replicas) if url else None


class Workers:
    def __init__(self, workers: list[Any]) -> None:
        self.workers = workers
        self._started: list[Any] = []

    @classmethod
    def build(cls, services: Services) -> Workers:
        settings = services.settings
        sealing = Sealer(
            services.pool,
            services.signer,
            settings.audit_origin,
            services.clock,
            settings.checkpoint_seconds,
        )
        timed: list[Any] = []  # the reminder process manager and the mail delivery
        if settings.reminders:
            timed.append(
                ReminderWorker(
                    services.bus, services.data, services.clock, settings.reminder_seconds
                )
            )
        if settings.delivery and settings.smtp_host:  # without SMTP the inbox is the channel
            feed = _feed(services, "delivery-mail")
            mailing = Delivery(
                services.delivery,
                services.accounts.all_accounts,
                services.mailer,
                feed.read if feed else postgres_events(services.pool),
                services.clock,
                settings.base_url,
                feed=feed,
            )
            timed.append(mailing)
        if settings.delivery:  # public subscriptions: webhooks need no mail server
            mailer = services.mailer if settings.smtp_host else None
            feed = _feed(services, "delivery-public")
            fanning = Fanout(
                services.subscriptions,
                mailer,
                feed.read if feed else postgres_events(services.pool),
                services.bus.find,
                services.clock,
                settings.base_url,
                feed=feed,
            )
            timed.append(fanning)
        if settings.nats_url is None:
            return cls([StoreTailProjector(services.pool), sealing, *timed])
        assert settings.database_url is not None
        relays = [
            RelayTask(
                Relay(
                    settings.database_url,
                    settings.nats_url,
                    channel=channel,
                    replicas=settings.nats_replicas,
                )
            )
            for channel in CHANNELS
        ]
        projecting = NatsProjector(
            services.pool, settings.nats_url, replicas=settings.nats_replicas
        )
        return cls([*relays, projecting, sealing, *timed])

    async def start(self) -> None:
        for worker in self.workers:
            await worker.start()
            self._started.append(worker)

    async def stop(self) -> None:
        for worker in reversed(self._started):
            await worker.stop()
        self._started.clear()
