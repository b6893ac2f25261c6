"""The relay: PostgreSQL's notification log → NATS JetStream, never a dual write.

Exactly one relay publishes: a session advisory lock on a dedicated connection elects it,
and another relay blocks on that lock until the leader's connection dies. The leader
resumes from the position of the last message actually in the stream (not from memory,
which a crash or a lost acknowledgement makes unreliable), publishes in log order with
`Nats-Msg-Id` = position so that a republish is deduplicated, and waits for each
acknowledgement before the next message. Failures are retried with bounded backoff; a
message is never skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict
from typing import Any
from uuid import UUID

import asyncpg
import msgspec
import nats
import structlog

from adapters import codec, messages
from adapters.eventstore import EVENTS_TABLE
from adapters.readstore import read_notifications

LEADER_LOCK = messages.INTERNAL.leader_lock  # every internal relay of one database shares it
PLACE_CACHE = 10_000  # aggregates whose (province, region) we remember
IDLE_WAKE_S = 1.0  # fallback poll when a NOTIFY was missed (e.g. while reconnecting)
PUBLISH_TIMEOUT_S = 5.0
PING_TIMEOUT_S = 5.0
BACKOFF_MIN_S = 0.1
BACKOFF_MAX_S = 5.0

Place = tuple[str | None, str | None]


class LeadershipLost(Exception):
    """The lock connection died: another relay may be leading already, so stop at once."""


class Relay:
    """One candidate relay; `run` leads (or waits to lead) until `stop` is set."""

    def __init__(
        self,
        database_url: str,
        nats_url: str,
        *,
        batch: int = 500,
        channel: messages.Channel = messages.INTERNAL,
        replicas: int = 1,
    ) -> None:
        self.database_url = database_url
        self.nats_url = nats_url
        self.replicas = replicas
        self.batch = batch
        self.channel = channel
        self.is_leader = False
        self.position = 0  # last position published (acknowledged) by this relay
        self.log = structlog.get_logger("relay").bind(stream=channel.stream)
        self._places: OrderedDict[UUID, Place] = OrderedDict()
        self._wake = asyncio.Event()
        self._lock_lost = asyncio.Event()
        self._delay = BACKOFF_MIN_S
        self._announced = False

    # -- leadership ----------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self._lead(stop)
            except Exception as error:
                self.log.warning("relay.failed", error=repr(error))
                await self._backoff(stop)

    async def _lead(self, stop: asyncio.Event) -> None:
        lock_conn = await asyncpg.connect(
            self.database_url, server_settings={"application_name": "tracker-relay-lock"}
        )
        lost = self._lock_lost = asyncio.Event()  # per connection: an old one may fire late
        lock_conn.add_termination_listener(lambda _conn: lost.set())
        try:
            self.log.info("relay.waiting")
            if not await self._acquire(lock_conn, stop):
                return
            self.is_leader = True
            self._announced = False
            while not stop.is_set():
                try:
                    await self._session(lock_conn, stop)
                except LeadershipLost:
                    self.log.warning("relay.leadership_lost", position=self.position)
                    return
                except Exception as error:
                    self.log.warning("relay.session_failed", error=repr(error))
                    await self._backoff(stop)
        finally:
            self.is_leader = False
            await _close_pg(lock_conn)  # releases the advisory lock

    async def _acquire(self, conn: Any, stop: asyncio.Event) -> bool:
        """Block until this session holds the leader lock, or `stop` is set."""
        waiting = asyncio.ensure_future(
            conn.fetchval("SELECT pg_advisory_lock($1)", self.channel.leader_lock)
        )
        waiting.add_done_callback(lambda task: task.cancelled() or task.exception())
        stopping = asyncio.ensure_future(stop.wait())
        try:
            done, _ = await asyncio.wait({waiting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
        if waiting in done:
            waiting.result()  # re-raises a connection error
            return True
        waiting.cancel()  # asyncpg cancels the query; closing the connection follows anyway
        await asyncio.wait({waiting}, timeout=PING_TIMEOUT_S)
        return False

    async def _check_leadership(self, lock_conn: Any) -> None:
        """A session lock lasts as long as its session: a live connection means we lead."""
        if self._lock_lost.is_set() or lock_conn.is_closed():
            raise LeadershipLost
        try:
            await lock_conn.fetchval("SELECT 1", timeout=PING_TIMEOUT_S)
        except Exception as error:
            raise LeadershipLost from error

    # -- one session: a NATS connection and a reading connection ---------------------------

    async def _session(self, lock_conn: Any, stop: asyncio.Event) -> None:
        # No client-side reconnects: after any NATS trouble we reconnect and re-read the
        # stream's tail ourselves. One retry only, or connect blocks for minutes (nats-py).
        nc = await nats.connect(
            messages.server_list(self.nats_url),
            name="tracker-relay",
            allow_reconnect=False,
            connect_timeout=5,
            max_reconnect_attempts=1,
            reconnect_time_wait=1,
            error_cb=self._nats_error,
        )
        conn: Any = None
        try:
            js = nc.jetstream(timeout=PUBLISH_TIMEOUT_S)
            await messages.ensure_stream(js, self.channel, self.replicas)
            # After any failure the stream, not our memory, says what was stored.
            self.position = await messages.resume_point(js, self.channel.stream)
            if self._announced:
                self.log.info("relay.resumed", position=self.position)
            else:
                self.log.info("relay.leader", position=self.position)
                self._announced = True
            conn = await asyncpg.connect(
                self.database_url, server_settings={"application_name": "tracker-relay"}
            )
            conn.add_termination_listener(lambda _conn: self._wake.set())
            await conn.add_listener(EVENTS_TABLE, lambda *_: self._wake.set())
            head = await conn.fetchval(f"SELECT max(notification_id) FROM {EVENTS_TABLE}")
            if (head or 0) < self.position:  # e.g. a stream kept across a database restore
                self.log.error("relay.stream_ahead_of_log", position=self.position, head=head)
            await self._tail(lock_conn, conn, js, stop)
        finally:
            if conn is not None:
                await _close_pg(conn)
            with contextlib.suppress(Exception):
                await nc.close()

    async def _nats_error(self, error: Exception) -> None:
        self.log.debug("relay.nats_error", error=repr(error))  # the caller logs the failure

    async def _tail(self, lock_conn: Any, conn: Any, js: Any, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self._check_leadership(lock_conn)
            self._wake.clear()
            try:
                rows = await read_notifications(conn, self.position, self.batch)
            except Exception as error:
                self.log.warning("relay.read_failed", position=self.position, error=repr(error))
                raise
            published = 0
            for row in rows:
                if stop.is_set() or self._lock_lost.is_set():
                    break
                await self._publish(conn, js, row)
                published += 1
            if published:
                self._delay = BACKOFF_MIN_S
                self.log.info("relay.published", position=self.position, count=published)
                continue
            if conn.is_closed():
                raise ConnectionError("reading connection closed")
            await _wait_any(stop, self._wake, self._lock_lost, timeout=IDLE_WAKE_S)

    async def _publish(self, conn: Any, js: Any, row: Any) -> None:
        position = int(row["notification_id"])
        try:
            message = await self._message(conn, row)
        except Exception as error:
            self.log.warning("relay.encode_failed", position=position, error=repr(error))
            raise
        headers = {
            "Nats-Msg-Id": str(position),
            messages.HEADER_POSITION: str(position),
            messages.HEADER_PREVIOUS: str(self.position),
        }
        try:
            await js.publish(
                messages.subject_for(message, self.channel.subject_root),
                messages.encode_message(message),
                timeout=PUBLISH_TIMEOUT_S,
                headers=headers,
            )  # an ack with duplicate=True means it was stored before: also success
        except Exception as error:
            self.log.warning("relay.publish_failed", position=position, error=repr(error))
            raise
        self.position = position

    async def _message(self, conn: Any, row: Any) -> messages.EventMessage:
        aggregate_id = UUID(bytes=row["originator_id"].bytes)
        place = await self._place(conn, codec.aggregate_kind(row["topic"]), aggregate_id, row)
        return messages.from_row(row, self.position, place, public=self.channel.public)

    async def _place(self, conn: Any, aggregate: str, aggregate_id: UUID, row: Any) -> Place:
        """Where the aggregate is filed, from its creation event: one query per aggregate."""
        if aggregate_id in self._places:
            self._places.move_to_end(aggregate_id)
            return self._places[aggregate_id]
        if row["originator_version"] == 1:
            creation = row["state"]
        else:
            creation = await conn.fetchval(
                f"SELECT state FROM {EVENTS_TABLE} "
                "WHERE originator_id = $1 AND originator_version = 1",
                aggregate_id,
            )
            if creation is None:
                raise LookupError(f"no creation event for {aggregate} {aggregate_id}")
        place = messages.place_of(aggregate, msgspec.json.decode(bytes(creation)))
        self._places[aggregate_id] = place
        if len(self._places) > PLACE_CACHE:
            self._places.popitem(last=False)
        return place

    async def _backoff(self, stop: asyncio.Event) -> None:
        await _wait_any(stop, timeout=self._delay)
        self._delay = min(self._delay * 2, BACKOFF_MAX_S)


async def _wait_any(*events: asyncio.Event, timeout: float) -> None:
    """Until one of the events is set, or the timeout passes."""
    waits = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in waits:
            task.cancel()


async def _close_pg(conn: Any) -> None:
    try:
        await conn.close(timeout=5)
    except Exception:
        conn.terminate()
