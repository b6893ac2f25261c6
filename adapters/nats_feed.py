"""The event stream as a pull source for a consumer that keeps its own position (the mail
delivery): a durable JetStream consumer, checked against PostgreSQL.

`read(after, limit)` answers the events after `after` in order. They come from JetStream
when its messages continue the caller's position; when a message's previous position is not
the caller's (something was lost on the way) the gap is read from the notification log
first, and when the stream stays idle while the log is ahead, the log is read directly.
Messages are acknowledged on the next call — the caller has then saved what it made of
them — so a crash means redelivery, which the caller's position skips.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
import nats
import structlog

from adapters import messages
from adapters.readstore import head_position, read_notifications

Event = tuple[int, str, bytes, UUID]
IDLE_FETCHES_BEFORE_LOG = 3


class JetStreamFeed:
    def __init__(self, pool: Any, nats_url: str, durable: str, replicas: int = 1) -> None:
        self.pool, self.nats_url, self.durable = pool, nats_url, durable
        self.replicas = replicas
        self.log = structlog.get_logger("feed")
        self._nc: Any = None
        self._sub: Any = None
        self._unacked: list[Any] = []
        self._idle = 0

    async def start(self) -> None:
        self._nc = await nats.connect(
            messages.server_list(self.nats_url),
            name=f"feed-{self.durable}",
            max_reconnect_attempts=-1,  # no loop of its own reconnects: the client must
        )
        js = self._nc.jetstream()
        await messages.ensure_stream(js, messages.INTERNAL, self.replicas)
        await messages.ensure_consumer(js, self.durable, self.replicas)
        self._sub = await js.pull_subscribe(
            f"{messages.SUBJECT_ROOT}.>", durable=self.durable, stream=messages.STREAM
        )

    async def stop(self) -> None:
        if self._nc is not None:
            await self._nc.close()
            self._nc = None

    async def _from_log(self, after: int, limit: int, before: int | None = None) -> list[Event]:
        async with self.pool.acquire() as conn:
            rows = await read_notifications(conn, after, limit, before)
        return [
            (
                r["notification_id"],
                r["topic"],
                bytes(r["state"]),
                UUID(bytes=r["originator_id"].bytes),
            )
            for r in rows
        ]

    async def read(self, after: int, limit: int) -> list[Event]:
        for msg in self._unacked:  # the caller saved the last answer: done with them
            await msg.ack()
        self._unacked = []
        try:
            batch = await self._sub.fetch(limit, timeout=1.0)
        except TimeoutError:
            self._idle += 1
            if self._idle < IDLE_FETCHES_BEFORE_LOG:
                return []
            self._idle = 0
            async with self.pool.acquire() as conn:
                behind = await head_position(conn) > after
            return await self._from_log(after, limit) if behind else []
        self._idle = 0
        out: list[Event] = []
        position = after
        for msg in batch:
            self._unacked.append(msg)
            try:
                message = messages.decode_message(msg.data)
            except msgspec.DecodeError:
                continue  # the previous-position check below refills it from the log
            if message.position <= position:
                continue  # a redelivery of what the caller has
            if message.previous_position != position:
                gap = await self._from_log(position, 1_000_000, before=message.position)
                self.log.warning("feed.gap_refilled", after=position, rows=len(gap))
                out.extend(gap)
            out.append((message.position, message.type, bytes(message.event), message.aggregate_id))
            position = message.position
        return out
