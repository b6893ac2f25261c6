"""The sealer as a long-running worker: seals new events as they arrive and signs a
checkpoint every interval when something new was sealed."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import structlog

from adapters.sealer.chain import chain_size, create_schema, seal
from adapters.sealer.checkpoints import KeyRetired, checkpoint, latest_checkpoint
from adapters.signing import Signer
from adapters.tasks import finish


class Sealer:
    """Seals new events every `poll_seconds` and signs a checkpoint every
    `interval_seconds` when something new was sealed (at once on start if none exists)."""

    def __init__(
        self,
        pool: Any,
        signer: Signer,
        origin: str,
        clock: Callable[[], datetime],
        interval_seconds: float = 300.0,
        *,
        poll_seconds: float = 0.5,
    ) -> None:
        self.pool, self.signer, self.origin, self.clock = pool, signer, origin, clock
        self.interval, self.poll = interval_seconds, poll_seconds
        self.log = structlog.get_logger("sealer")
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._pending = 0  # sealed since the last checkpoint
        self.signed_of = False  # is there any checkpoint? If not, sign as soon as possible
        self._signed_at = 0.0
        self.chain_size = 0  # events in the chain after the last round (whoever sealed them)
        self.signed_size = -1  # size of the newest checkpoint it knows (-1: none)
        self.key_retired = False  # a rotation retired its key: try again once an interval
        self._rounds = asyncio.Condition()  # notified after every round

    async def start(self) -> None:
        await create_schema(self.pool)
        self._stop.clear()
        latest = await latest_checkpoint(self.pool)
        self.signed_of = latest is not None
        self.signed_size = latest.checkpoint.size if latest else -1
        self._pending = 1  # what came since the last checkpoint is unknown: try when due
        self._signed_at = asyncio.get_running_loop().time()
        await self._round()
        self._task = asyncio.create_task(self._run(), name="sealer")

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await finish(self._task, grace=10)
            self._task = None

    async def _run(self) -> None:
        while not self._stop.is_set():
            try:
                await self._round()
            except Exception as error:
                self.log.warning("sealer.failed", error=repr(error))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.poll)

    async def wait_until(self, condition: Callable[[Sealer], bool], timeout: float) -> bool:
        """Wait for this worker's rounds to reach a state (tests, `serve --demo`)."""
        async with self._rounds:
            try:
                await asyncio.wait_for(self._rounds.wait_for(lambda: condition(self)), timeout)
            except TimeoutError:
                return False
        return True

    async def _round(self) -> None:
        try:
            await self._seal_and_sign()
            self.chain_size = await chain_size(self.pool)
        finally:
            async with self._rounds:
                self._rounds.notify_all()

    async def _seal_and_sign(self) -> None:
        sealed = await seal(self.pool)
        if sealed:
            self._pending += sealed
            self.log.info("sealer.sealed", count=sealed)
        now = asyncio.get_running_loop().time()
        waits = self.signed_of or self.key_retired
        if not self._pending or (waits and now - self._signed_at < self.interval):
            return
        try:
            made = await checkpoint(self.pool, self.signer, self.origin, self.clock())
        except KeyRetired as error:  # until it restarts with the new key: seal, do not sign
            self._signed_at, self.key_retired = now, True
            self.log.error("sealer.key_retired", key_id=self.signer.key_id, error=str(error))  # noqa: TRY400 - expected, no traceback
            return
        self._pending, self._signed_at = 0, now
        if made is not None:
            self.signed_of = True
            self.signed_size = made.size
            self.log.info(
                "sealer.checkpoint", size=made.size, position=made.position, root=made.root.hex()
            )


async def run_sealer(
    database_url: str, key_file: Path, origin: str, interval_seconds: float
) -> None:
    """`tracker seal`: the sealer as its own process, until SIGINT/SIGTERM."""
    import signal

    from adapters import readstore
    from adapters.signing import load_or_create

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    signer = await asyncio.to_thread(load_or_create, key_file)
    pool = await readstore.create_pool(database_url, max_size=2)
    try:
        worker = Sealer(pool, signer, origin, lambda: datetime.now(UTC), interval_seconds)
        await worker.start()
        structlog.get_logger("sealer").info("sealer.started", key_id=signer.key_id)
        await stop.wait()
        await worker.stop()
    finally:
        await pool.close()
