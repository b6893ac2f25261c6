"""The catalogue projection fed by a durable JetStream pull consumer.

Messages are acknowledged only after the transaction that applied them committed, so a
crash means redelivery, and redelivered positions are skipped. JetStream is a derived
transport: when the stream is idle while PostgreSQL is ahead (messages lost at the tail),
the projector reads the rest from PostgreSQL.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import msgspec
import nats
import structlog

from adapters import messages
from adapters.projector import apply_messages, catch_up_from_store
from adapters.readstore import head_position, projection_position
from adapters.tasks import finish
from projections import catalog

FETCH = 200
IDLE_ROUNDS_BEFORE_CATCH_UP = 3


class NatsProjector:
    def __init__(
        self, pool: Any, nats_url: str, name: str = catalog.NAME, replicas: int = 1
    ) -> None:
        self.pool = pool
        self.nats_url = nats_url
        self.replicas = replicas
        self.name = name
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._nc: Any = None

    async def start(self) -> None:
        self._nc = await nats.connect(
            messages.server_list(self.nats_url),
            name=f"projector-{self.name}",
            max_reconnect_attempts=-1,  # no loop of its own reconnects: the client must
        )
        js = self._nc.jetstream()
        await messages.ensure_stream(js, messages.INTERNAL, self.replicas)
        durable = f"projector-{self.name}"
        await messages.ensure_consumer(js, durable, self.replicas)
        self._sub = await js.pull_subscribe(
            f"{messages.SUBJECT_ROOT}.>", durable=durable, stream=messages.STREAM
        )
        self._task = asyncio.create_task(self._run(), name=f"nats-projector-{self.name}")

    async def _run(self) -> None:
        log = structlog.get_logger("projector")
        idle = 0
        while not self._stop.is_set():
            try:
                try:
                    batch = await self._sub.fetch(FETCH, timeout=1.0)
                except TimeoutError:
                    idle += 1
                    if idle >= IDLE_ROUNDS_BEFORE_CATCH_UP:
                        idle = 0
                        await self._catch_up_if_stream_behind(log)
                    continue
                idle = 0
                decoded = []
                for msg in batch:
                    try:
                        decoded.append(messages.decode_message(msg.data))
                    except msgspec.DecodeError:
                        log.exception("projector.bad_message", subject=msg.subject)
                        await msg.term()  # the gap check refills it from PostgreSQL
                async with self.pool.acquire() as conn:
                    await apply_messages(conn, decoded, self.name)
                for msg in batch:
                    await msg.ack()
            except Exception:
                # Nothing was acknowledged for a failed batch: it will be redelivered.
                log.exception("projector.batch_failed", projection=self.name)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), timeout=1.0)

    async def _catch_up_if_stream_behind(self, log: Any) -> None:
        async with self.pool.acquire() as conn:
            behind = await head_position(conn) > await projection_position(conn, self.name)
            if behind:
                log.warning("projector.stream_behind_catching_up", projection=self.name)
                while await catch_up_from_store(conn, self.name):
                    pass

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await finish(self._task, grace=5)
            self._task = None
        if self._nc is not None:
            await self._nc.close()


async def run_projector(database_url: str, nats_url: str, replicas: int = 1) -> None:
    """`tracker project`: the projection worker as its own process, until SIGINT/SIGTERM."""
    import signal

    from adapters import readstore

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    pool = await readstore.create_pool(database_url)
    try:
        await readstore.create_schema(pool)
        projector = NatsProjector(pool, nats_url, replicas=replicas)
        await projector.start()
        structlog.get_logger("projector").info("projector.started", projection=catalog.NAME)
        await stop.wait()
        await projector.stop()
    finally:
        await pool.close()
