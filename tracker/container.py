"""Composition root: builds the event store, the service, the read pool and the projector
from settings, and tears them down in reverse order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import anyio.to_thread
import nats

from adapters import readstore
from adapters.eventstore import EventStore, open_event_store
from adapters.projector import CatalogProjector
from adapters.reference_data import region_catalogue
from tracker.service import Clock, TrackerService, utc_now


@dataclass
class Container:
    database_url: str
    nats_url: str | None = None
    clock: Clock = utc_now
    load_demo: bool = False
    store: EventStore | None = None
    service: TrackerService | None = None
    pool: Any = None
    projector: CatalogProjector | None = None
    nats: Any = None

    async def start(self) -> None:
        # Creating the eventsourcing tables uses psycopg: keep it off the event loop.
        self.store = await anyio.to_thread.run_sync(open_event_store, self.database_url)
        self.service = TrackerService(self.store, region_catalogue(), self.clock)
        self.pool = await readstore.create_pool(self.database_url)
        await readstore.create_schema(self.pool)
        self.projector = CatalogProjector(self.pool)
        await self.projector.start()
        if self.nats_url is not None:
            # The relay (issue #3) publishes on this connection; for now it proves the
            # backbone is reachable before we report ready.
            self.nats = await nats.connect(self.nats_url, name="tracker", connect_timeout=5)
        if self.load_demo:
            await self._load_demo_if_empty()

    async def _load_demo_if_empty(self) -> None:
        from tracker import demo

        if await readstore.count_events(self.pool) == 0:
            assert self.store is not None
            await anyio.to_thread.run_sync(demo.load, self.store)

    def nats_connected(self) -> bool | None:
        """None when no NATS is configured (tests of the HTTP layer alone)."""
        return None if self.nats is None else bool(self.nats.is_connected)

    async def stop(self) -> None:
        if self.nats is not None:
            await self.nats.close()
        if self.projector is not None:
            await self.projector.stop()
        if self.pool is not None:
            await self.pool.close()
        if self.store is not None:
            await anyio.to_thread.run_sync(self.store.close)
