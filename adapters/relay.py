"""The relay: PostgreSQL's notification log → NATS JetStream, never a dual write.

Exactly one relay publishes: a session advisory lock elects it, and a second relay blocks
on that lock until the first one's connection dies. It resumes from the position of the
last message actually in the stream, publishes in order with `Nats-Msg-Id` = position (so
a republish after a crash is deduplicated) and waits for each acknowledgement.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections import OrderedDict
from typing import Any

import asyncpg
import msgspec
import nats
import structlog
from nats.js.errors import NotFoundError

from adapters import codec, messages
from adapters.eventstore import EVENTS_TABLE
from adapters.readstore import read_notifications

LEADER_LOCK = 7243003
PLACE_CACHE = 10_000


class Relay:
    def __init__(self, database_url: str, nats_url: str, *, batch: int = 500) -> None:
        self.database_url = database_url
        self.nats_url = nats_url
        self.batch = batch
        self.is_leader = False
        self.position = 0
        self._places: OrderedDict[Any, tuple[str | None, str | None]] = OrderedDict()
        self._wake = asyncio.Event()
        self.log = structlog.get_logger("relay")

    async def run(self, stop: asyncio.Event) -> None:
        """Lead (or wait to lead) and publish until `stop` is set; retry after failures."""
        while not stop.is_set():
            try:
                await self._lead(stop)
            except Exception:
                self.log.exception("relay.failed")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=1.0)
            finally:
                self.is_leader = False

    async def _lead(self, stop: asyncio.Event) -> None:
        lock_conn = await asyncpg.connect(self.database_url)
        try:
            self.log.info("relay.waiting")
            if not await self._acquire(lock_conn, stop):
                return
            self.is_leader = True
            nc = await nats.connect(self.nats_url, name="tracker-relay", max_reconnect_attempts=-1)
            try:
                js = nc.jetstream()
                await messages.ensure_stream(js)
                self.position = await self._resume_point(js)
                self.log.info("relay.leader", position=self.position)
                await self._tail(lock_conn, js, stop)
            finally:
                await nc.close()
        finally:
            await lock_conn.close()  # releases the advisory lock

    async def _acquire(self, conn: Any, stop: asyncio.Event) -> bool:
        """Block until we hold the leader lock, or `stop` is set."""
        waiting = asyncio.ensure_future(conn.fetchval("SELECT pg_advisory_lock($1)", LEADER_LOCK))
        stopping = asyncio.ensure_future(stop.wait())
        done, _ = await asyncio.wait({waiting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if waiting in done:
            stopping.cancel()
            waiting.result()
            return True
        waiting.cancel()
        return False

    async def _resume_point(self, js: Any) -> int:
        info = await js.stream_info(messages.STREAM)
        if not info.state.last_seq:
            return 0
        try:
            last = await js.get_msg(messages.STREAM, seq=info.state.last_seq)
        except NotFoundError:
            return 0
        return int((last.headers or {}).get(messages.HEADER_POSITION, 0))

    async def _tail(self, conn: Any, js: Any, stop: asyncio.Event) -> None:
        await conn.add_listener(EVENTS_TABLE, lambda *_: self._wake.set())
        while not stop.is_set():
            self._wake.clear()
            rows = await read_notifications(conn, self.position, self.batch)
            for row in rows:
                await self._publish(conn, js, row)
            if rows:
                self.log.info("relay.published", position=self.position, count=len(rows))
                continue
            waits = {asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())}
            # NOTIFY wakes us at once; the timeout covers a missed notification.
            _, pending = await asyncio.wait(waits, timeout=1.0, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()

    async def _publish(self, conn: Any, js: Any, row: Any) -> None:
        place = await self._place(conn, codec.aggregate_kind(row["topic"]), row)
        message = messages.from_row(row, self.position, place)
        position = message.position
        await js.publish(
            messages.subject_for(message),
            messages.encode_message(message),
            headers={
                "Nats-Msg-Id": str(position),
                messages.HEADER_POSITION: str(position),
                messages.HEADER_PREVIOUS: str(self.position),
            },
        )
        self.position = position

    async def _place(self, conn: Any, aggregate: str, row: Any) -> tuple[str | None, str | None]:
        key = row["originator_id"]
        if key in self._places:
            self._places.move_to_end(key)
            return self._places[key]
        if row["originator_version"] == 1:
            creation = row["state"]
        else:
            creation = await conn.fetchval(
                f"SELECT state FROM {EVENTS_TABLE} "
                "WHERE originator_id = $1 AND originator_version = 1",
                key,
            )
        place = messages.place_of(aggregate, msgspec.json.decode(bytes(creation)))
        self._places[key] = place
        if len(self._places) > PLACE_CACHE:
            self._places.popitem(last=False)
        return place


async def run_relay(database_url: str, nats_url: str) -> None:
    """`tracker relay`: lead or stand by until SIGINT/SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await Relay(database_url, nats_url).run(stop)


if __name__ == "__main__":
    structlog.configure(processors=[structlog.processors.JSONRenderer()])
    asyncio.run(run_relay(sys.argv[1], sys.argv[2]))
