"""How far the in-memory read store is, for readers that wait: the memory event store's
append hook plays the part of PostgreSQL's NOTIFY (adapters/positions.py)."""

from __future__ import annotations

import asyncio
import contextlib

from adapters.memory.reads import MemoryReadStore


class MemoryPositions:
    def __init__(self, reads: MemoryReadStore) -> None:
        self.reads = reads
        self.position = 0
        self.stopped = False
        self._moved = asyncio.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        self.stopped = False
        self._loop = asyncio.get_running_loop()
        self.reads.store.listen(self._on_append)
        await self._advance()

    def _on_append(self, _position: int) -> None:  # called from the appending thread
        loop = self._loop
        if loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits
                loop.call_soon_threadsafe(lambda: loop.create_task(self._advance()))

    async def _advance(self) -> None:
        async with self._moved:
            self.position = self.reads.catch_up()
            self._moved.notify_all()

    async def wait_for(self, position: int, timeout: float) -> bool:
        self.position = self.reads.catch_up()  # projecting in memory is immediate
        return self.position >= position

    async def wait_beyond(self, position: int, timeout: float) -> int:
        self.position = self.reads.catch_up()
        if self.position <= position and not self.stopped:
            with contextlib.suppress(TimeoutError):
                async with self._moved:
                    await asyncio.wait_for(
                        self._moved.wait_for(lambda: self.position > position or self.stopped),
                        timeout,
                    )
        return self.position

    async def stop(self) -> None:
        self.reads.store.unlisten(self._on_append)
        async with self._moved:
            self.stopped = True
            self._moved.notify_all()
        self._loop = None
