"""Read-your-writes across processes: projections NOTIFY their position when a batch
commits, and readers wait on that instead of polling.

The LISTEN connection can die (PostgreSQL restarted, a proxy cut it): then the watcher
takes another one from the pool and reads the position again, retrying until it can, so
long-lived waiters (live streams, the response cache) do not stand still for ever."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from adapters.projector import POSITION_CHANNEL
from adapters.readstore import projection_position
from projections import catalog

RELISTEN_MIN_S = 0.1
RELISTEN_MAX_S = 5.0


class PositionWatcher:
    def __init__(self, database: Any, name: str = catalog.NAME) -> None:
        self.database = database  # adapters.database.Database: its pool opens at start
        self.name = name
        self.position = 0
        self._moved = asyncio.Condition()
        self._listener: Any = None
        self._relisten: asyncio.Task[None] | None = None
        self.stopped = False

    @property
    def pool(self) -> Any:
        return self.database.pool

    async def start(self) -> None:
        self.stopped = False
        await self._listen()
        await self.refresh()

    async def _listen(self) -> None:
        listener = await self.pool.acquire()
        try:
            listener.add_termination_listener(self._on_lost)
            await listener.add_listener(POSITION_CHANNEL, self._on_notify)
        except BaseException:
            await self.pool.release(listener)
            raise
        self._listener = listener

    def _on_lost(self, _conn: Any) -> None:
        if not self.stopped and self._relisten is None:
            self._relisten = asyncio.get_running_loop().create_task(self._listen_again())

    async def _listen_again(self) -> None:
        """NOTIFYs sent while nobody listened are lost: the position is read again."""
        lost, self._listener = self._listener, None
        delay = RELISTEN_MIN_S
        try:
            if lost is not None:
                with contextlib.suppress(Exception):
                    await self.pool.release(lost)
            while not self.stopped:
                try:
                    await self._listen()
                    await self.refresh()
                except Exception:
                    await asyncio.sleep(delay)  # the server is restarting: back off
                    delay = min(delay * 2, RELISTEN_MAX_S)
                else:
                    return
        finally:
            self._relisten = None

    async def refresh(self) -> int:
        async with self.pool.acquire() as conn:
            await self._advance(await projection_position(conn, self.name))
        return self.position

    def _on_notify(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        name, _, value = payload.rpartition(":")
        if name == self.name and value.isdigit():
            asyncio.get_running_loop().create_task(self._advance(int(value)))

    async def _advance(self, position: int) -> None:
        async with self._moved:
            # A rebuild may move the position backwards only if the log was reset.
            self.position = position
            self._moved.notify_all()

    async def wait_for(self, position: int, timeout: float) -> bool:
        if self.position >= position:
            return True
        with contextlib.suppress(TimeoutError):
            async with self._moved:
                await asyncio.wait_for(
                    self._moved.wait_for(lambda: self.position >= position), timeout
                )
        if self.position < position:
            # Covers a rebuild swap, which renames schemas instead of notifying per batch.
            await self.refresh()
        return self.position >= position

    async def wait_beyond(self, position: int, timeout: float) -> int:
        """Wait until the position passes `position`, the watcher stops, or `timeout` runs out,
        and return the position then. Never touches the database: long-lived waiters (the live
        streams) wake on the NOTIFYs alone."""
        if self.position <= position and not self.stopped:
            with contextlib.suppress(TimeoutError):
                async with self._moved:
                    await asyncio.wait_for(
                        self._moved.wait_for(lambda: self.position > position or self.stopped),
                        timeout,
                    )
        return self.position

    async def stop(self) -> None:
        async with self._moved:  # wake every waiter: nothing will move any more
            self.stopped = True
            self._moved.notify_all()
        if self._relisten is not None:
            self._relisten.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._relisten
        if self._listener is not None:
            listener, self._listener = self._listener, None
            with contextlib.suppress(Exception):  # it may be dead already
                listener.remove_termination_listener(self._on_lost)
                await listener.remove_listener(POSITION_CHANNEL, self._on_notify)
            await self.pool.release(listener)
