"""Whole answers to anonymous reads of the read models, kept while they cannot have changed.

A read-model answer is a function of its URL, the caller's language and representation
headers, and the read models' validator (position and day, reading.stamp): its ETag tells
browsers so. The server trusts the same proof: an answer is kept only if its ETag starts
with the validator read before it was made, and is given again only while the validator
is the same. A popular region page is then rendered once per change of the read models,
not once per reader. Anything personal is never kept: a request with credentials, a
session or form cookie, `?after=`/X-Tracker-Position waits, or an answer that sets a
cookie or is not a 200 passes through. Readers arriving while the answer is made wait for
it (one render per change, not one per connection).
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from tracker.http.reading import stamp
from tracker.web import i18n

if TYPE_CHECKING:
    from tracker.bootstrap import Services

MAX_ENTRIES = 1024
MAX_BYTES = 48 * 1024 * 1024  # all bodies together; a page of the demo is ~40 KB
MAX_BODY = 2 * 1024 * 1024
WAIT_FOR_ANOTHER_S = 2.0  # then render it yourself (the first may be slow, or a stream)
STAMP_FOR_S = 0.05  # a validator read this recently is reused, unless a NOTIFY moved on
KEYED_HEADERS = (b"accept", b"accept-language", b"accept-encoding")
BYPASS_HEADERS = (b"authorization", b"x-tracker-position", b"if-none-match", b"range")
NOT_KEPT = frozenset({b"x-request-id", b"date", b"server"})

Key = tuple[Any, ...]


@dataclass(frozen=True)
class Entry:
    stamp: str
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    route: str | None  # the route template, for the request metric


class ResponseCache:
    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app, self.services = app, services
        self.entries: OrderedDict[Key, Entry] = OrderedDict()
        self.size = 0
        self.making: dict[Key, tuple[str, asyncio.Future[Entry | None]]] = {}
        self.counted = services.metrics.cached
        self._position_read: tuple[float, int, int] | None = None  # when, notified, read
        self._position_reading: asyncio.Future[int] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        now_stamp = await self._stamp()
        entry = self.entries.get(key)
        if entry is None or entry.stamp != now_stamp:
            entry = await self._made_by_another(key, now_stamp)
        if entry is not None and entry.stamp == now_stamp:
            self.counted.labels("hit").inc()
            if key in self.entries:
                self.entries.move_to_end(key)
            if entry.route is not None:
                scope["path_template"] = entry.route
            await _replay(entry, send)
            return
        await self._make(key, now_stamp, scope, receive, send)

    async def _stamp(self) -> str:
        """The read models' validator. Their position comes from the database: one query
        serves the readers of the next STAMP_FOR_S (far fewer than the requests under
        load), and a NOTIFY of a new position ends that at once, so a kept answer is never
        older than either. The day is the clock's, always."""
        return stamp(await self._position(), self.services.clock())

    async def _position(self) -> int:
        notified, now = self.services.positions.position, time.monotonic()
        read = self._position_read
        if read is not None and read[1] == notified and now - read[0] < STAMP_FOR_S:
            return read[2]
        if self._position_reading is not None:
            return await asyncio.shield(self._position_reading)
        self._position_reading = reading = asyncio.get_running_loop().create_future()
        try:
            position, _ = await self.services.data.freshness()
        except Exception as error:
            reading.set_exception(error)
            reading.exception()  # retrieved here: the waiters re-raise it
            raise
        except BaseException:
            reading.cancel()
            raise
        else:
            self._position_read = (now, notified, position)
            reading.set_result(position)
            return position
        finally:
            self._position_reading = None

    async def _made_by_another(self, key: Key, now_stamp: str) -> Entry | None:
        making = self.making.get(key)
        if making is None or making[0] != now_stamp:
            return None
        try:
            return await asyncio.wait_for(asyncio.shield(making[1]), WAIT_FOR_ANOTHER_S)
        except TimeoutError:
            return None

    async def _make(
        self, key: Key, now_stamp: str, scope: Scope, receive: Receive, send: Send
    ) -> None:
        future: asyncio.Future[Entry | None] = asyncio.get_running_loop().create_future()
        self.making[key] = (now_stamp, future)
        status, headers, chunks, size = 0, [], [], 0

        async def capture(message: Message) -> None:
            nonlocal status, headers, size
            if message["type"] == "http.response.start":
                status, headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body" and size <= MAX_BODY:
                chunks.append(message.get("body", b""))  # a stream stops being kept here
                size += len(chunks[-1])
            await send(message)

        made: Entry | None = None
        try:
            await self.app(scope, receive, capture)
            if size <= MAX_BODY:
                made = self._keep(key, now_stamp, status, headers, b"".join(chunks), scope)
            # miss: made and kept; uncacheable: an answer no ETag proves (health, a 404...)
            self.counted.labels("miss" if made is not None else "uncacheable").inc()
        finally:
            if self.making.get(key, (None,))[0] == now_stamp:
                del self.making[key]
            future.set_result(made)

    def _keep(
        self,
        key: Key,
        now_stamp: str,
        status: int,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        scope: Scope,
    ) -> Entry | None:
        named = {name.lower(): value for name, value in headers}
        etag = named.get(b"etag", b"").decode("latin-1")
        if (
            status != 200
            or b"set-cookie" in named
            or not etag.startswith(f'W/"{now_stamp}')
            or named.get(b"content-type", b"").startswith(b"text/event-stream")
        ):
            return None
        kept = [(name, value) for name, value in headers if name.lower() not in NOT_KEPT]
        entry = Entry(now_stamp, status, kept, body, scope.get("path_template"))
        old = self.entries.pop(key, None)
        self.size += len(body) - (len(old.body) if old else 0)
        self.entries[key] = entry
        while self.entries and (len(self.entries) > MAX_ENTRIES or self.size > MAX_BYTES):
            _, evicted = self.entries.popitem(last=False)
            self.size -= len(evicted.body)
        return entry


def _key(scope: Any) -> Key | None:
    """The request's cache key, or None when it must not be answered from the cache."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return None
    headers = dict(scope.get("headers", []))
    if any(name in headers for name in BYPASS_HEADERS):
        return None
    language = _language_cookie(headers.get(b"cookie"))
    if language is False:
        return None
    query: bytes = scope.get("query_string", b"")
    if b"after=" in query or b"event-stream" in headers.get(b"accept", b""):
        return None
    return (scope["path"], query, language, *(headers.get(name) for name in KEYED_HEADERS))


def _language_cookie(header: bytes | None) -> str | bool | None:
    """The `lang` cookie's value; False when any other cookie is sent (a session, a
    form's CSRF cookie: the answer may be personal)."""
    if not header:
        return None
    language: str | None = None
    for part in header.decode("latin-1").split(";"):
        name, _, value = part.strip().partition("=")
        if name != i18n.COOKIE:
            return False
        language = value
    return language


async def _replay(entry: Entry, send: Send) -> None:
    await send({"type": "http.response.start", "status": entry.status, "headers": entry.headers})
    await send({"type": "http.response.body", "body": entry.body, "more_body": False})


def response_cache(app: ASGIApp, services: Services) -> ASGIApp:
    return ResponseCache(app, services) if services.settings.response_cache else app
