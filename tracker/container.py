"""Composition root: builds the event store, the service, the read pool, the projection
workers and the position watcher from settings, and tears them down in reverse order."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio.to_thread
import nats

from adapters import accounts, readstore, sealer
from adapters.eventstore import EventStore, open_event_store
from adapters.messages import CHANNELS
from adapters.nats_projector import NatsProjector
from adapters.positions import PositionWatcher
from adapters.projector import StoreTailProjector
from adapters.reference_data import region_catalogue
from adapters.sealer_worker import Sealer
from adapters.signing import Signer, load_or_create
from tracker.service import Clock, TrackerService, utc_now


class RelayTask:
    """The relay as a background task of this process (one of possibly many candidates:
    only the one holding the advisory lock publishes)."""

    def __init__(self, database_url: str, nats_url: str, channel: Any) -> None:
        from adapters.relay import Relay

        self.relay = Relay(database_url, nats_url, channel=channel)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self.relay.run(self._stop), name="relay")

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, timeout=10)
            except TimeoutError:
                self._task.cancel()


@dataclass
class Container:
    database_url: str
    nats_url: str | None = None
    clock: Clock = utc_now
    load_demo: bool = False
    # In-process workers; `tracker serve --no-workers` leaves them to `tracker relay|project`.
    workers: bool = True
    # Secure cookies need HTTPS; `serve` turns them off only on a loopback address.
    cookie_secure: bool = False
    data_dir: Path | None = None  # where the demo keeps its accounts' passwords
    demo_accounts: str = ""  # sign-in instructions printed by `serve --demo`
    # Ed25519 key signing audit checkpoints; None: an in-memory key (tests only).
    audit_key_file: Path | None = None
    audit_origin: str = "pelacak-komitmen-ham"
    checkpoint_seconds: float = 60.0
    signer: Any = None
    store: EventStore | None = None
    service: TrackerService | None = None
    pool: Any = None
    positions: PositionWatcher | None = None
    nats: Any = None
    _workers: list[Any] = field(default_factory=list)

    async def start(self) -> None:
        # Creating the eventsourcing tables uses psycopg: keep it off the event loop.
        self.signer = (
            Signer.generate()
            if self.audit_key_file is None
            else await anyio.to_thread.run_sync(load_or_create, self.audit_key_file)
        )
        self.store = await anyio.to_thread.run_sync(open_event_store, self.database_url)
        self.service = TrackerService(self.store, region_catalogue(), self.clock)
        self.pool = await readstore.create_pool(self.database_url)
        await readstore.create_schema(self.pool)
        await accounts.create_schema(self.pool)
        await sealer.create_schema(self.pool)
        self.positions = PositionWatcher(self.pool)
        await self.positions.start()
        if self.nats_url is not None:
            self.nats = await nats.connect(self.nats_url, name="tracker", connect_timeout=5)
        if self.load_demo:  # before the workers, so the first checkpoint covers it all
            await self._load_demo_if_empty()
        if self.workers:
            for worker in self._build_workers():
                await worker.start()
                self._workers.append(worker)

    def _build_workers(self) -> list[Any]:
        sealing = Sealer(
            self.pool, self.signer, self.audit_origin, self.clock, self.checkpoint_seconds
        )
        if self.nats_url is None:
            return [StoreTailProjector(self.pool), sealing]
        return [
            *(RelayTask(self.database_url, self.nats_url, channel) for channel in CHANNELS),
            NatsProjector(self.pool, self.nats_url),
            sealing,
        ]

    async def _load_demo_if_empty(self) -> None:
        from tracker import demo
        from tracker.demo import accounts as demo_accounts

        if await readstore.count_events(self.pool) == 0:
            assert self.store is not None
            await anyio.to_thread.run_sync(demo.load, self.store)
        self.demo_accounts = await demo_accounts.ensure(self.pool, self.data_dir, self.clock())

    def nats_connected(self) -> bool | None:
        """None when no NATS is configured (tests of the HTTP layer alone)."""
        return None if self.nats is None else bool(self.nats.is_connected)

    async def stop(self) -> None:
        for worker in reversed(self._workers):
            await worker.stop()
        if self.nats is not None:
            await self.nats.close()
        if self.positions is not None:
            await self.positions.stop()
        if self.pool is not None:
            await self.pool.close()
        if self.store is not None:
            await anyio.to_thread.run_sync(self.store.close)
