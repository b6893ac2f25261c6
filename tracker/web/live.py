"""`GET /langsung`: Server-Sent Events telling open pages that what they show has changed.

A stream waits on the position watcher (PostgreSQL NOTIFY; no connection held, no polling)
and, whenever the projection moves past the last position it sent, asks `rm.activity` once
whether anything in its scope changed. Protocol:

    : terhubung                    (on connect)
    retry: 5000

    event: perubahan               (something in scope changed up to position 42)
    id: 42
    data: {"position": 42, "types": ["ProgressReportVerified"], "titles": ["..."]}

    : ping                         (every HEARTBEAT seconds without changes)

Scope: `wilayah` (kab/kota, or a province code), `provinsi`, `aksi`, `forum`, or none (all).
Start: `Last-Event-ID` (a reconnecting browser), else `setelah`, else the current position.
Streams end when the client goes, when the app stops, and when uvicorn is asked to exit
(its graceful shutdown waits for open responses before the app's own shutdown runs).
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator
from typing import Annotated, Any
from uuid import UUID

import msgspec
import structlog
import uvicorn
from litestar import Request, get
from litestar.params import FromQuery, QueryParameter
from litestar.response import Stream

from adapters.reference_data import region_catalogue
from tracker.http.problems import problem
from tracker.http.reading import Reads
from tracker.ports import Positions, ReadStore

HEARTBEAT = 15.0  # seconds between comment pings; proxies close idle connections
RETRY_MS = 5000
MAX_STREAMS = 500  # per process
MAX_TITLES = 10
HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}

Scope = tuple[str, Any]  # (kind, value); kind "" means every change


class Streams:
    """The open streams of one process (one per position watcher): how many, a way to end
    them all, and one shared query for streams asking the same question at once."""

    def __init__(self, watcher: Positions, data: ReadStore, limit: int = MAX_STREAMS) -> None:
        self._watcher = weakref.ref(watcher)  # weak: the registry below is keyed by it
        self.data = data
        self.limit = limit
        self.open = 0
        self.idle = asyncio.Event()  # set while no stream is open (tests wait on it)
        self.idle.set()
        self.closing = asyncio.Event()
        self.loop = asyncio.get_running_loop()
        self._fetches: dict[tuple[Scope, int, int], asyncio.Future[list[Any]]] = {}

    @property
    def watcher(self) -> Positions:
        watcher = self._watcher()
        assert watcher is not None, "a stream outlived its app"
        return watcher

    def close(self) -> None:
        """End every stream (thread- and signal-safe)."""
        if not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.closing.set)

    @property
    def accepting(self) -> bool:
        return not (self.closing.is_set() or self.watcher.stopped)

    async def next_position(self, last: int) -> int | None:
        """The position once it passes `last` (or still `last` after a heartbeat's wait);
        None when the streams must end."""
        moved = asyncio.ensure_future(self.watcher.wait_beyond(last, HEARTBEAT))
        closing = asyncio.ensure_future(self.closing.wait())
        try:
            await asyncio.wait({moved, closing}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            moved.cancel()
            closing.cancel()
        return None if not self.accepting else self.watcher.position

    async def changes(self, scope: Scope, after: int, upto: int) -> list[Any]:
        key = (scope, after, upto)
        fetch = self._fetches.get(key)
        if fetch is None:
            fetch = asyncio.ensure_future(self._fetch(scope, after, upto))
            self._fetches[key] = fetch
            fetch.add_done_callback(lambda done: self._forget(key, done))
        return await asyncio.shield(fetch)

    def _forget(self, key: tuple[Scope, int, int], done: asyncio.Future[list[Any]]) -> None:
        self._fetches.pop(key, None)
        if not done.cancelled():
            done.exception()  # retrieved: every waiter may have gone meanwhile

    async def _fetch(self, scope: Scope, after: int, upto: int) -> list[Any]:
        kind, value = scope
        return await self.data.activity_between(kind, value, after, upto)

    async def run(self, scope: Scope, start: int) -> AsyncIterator[bytes]:
        self.open += 1
        self.idle.clear()
        try:
            yield f": terhubung\nretry: {RETRY_MS}\n\n".encode()
            last = start
            while (position := await self.next_position(last)) is not None:
                if position <= last:
                    last = position  # a reset log (rebuild) may move it backwards
                    yield b": ping\n\n"
                    continue
                rows = await self.changes(scope, last, position)
                last = position
                if rows:
                    yield event(position, rows)
        except Exception as error:  # the database went away: the browser reconnects
            structlog.get_logger("live").warning("live.stream_failed", error=repr(error))
        finally:
            self.open -= 1
            if self.open == 0:
                self.idle.set()


def event(position: int, rows: list[Any]) -> bytes:
    types = list(dict.fromkeys(r["type"] for r in rows))
    titles = list(dict.fromkeys(r["title"] for r in reversed(rows)))[:MAX_TITLES]
    data = msgspec.json.encode({"position": position, "types": types, "titles": titles})
    return b"event: perubahan\nid: %d\ndata: %s\n\n" % (position, data)


_STREAMS: weakref.WeakKeyDictionary[Positions, Streams] = weakref.WeakKeyDictionary()


def streams_for(watcher: Positions, data: ReadStore) -> Streams:
    streams = _STREAMS.get(watcher)
    if streams is None:
        streams = _STREAMS[watcher] = Streams(watcher, data)
    return streams


def close_streams() -> None:
    """End every open stream of the running loop (or of all loops off any loop)."""
    loop = None
    with contextlib.suppress(RuntimeError):
        loop = asyncio.get_running_loop()
    for streams in list(_STREAMS.values()):
        if loop is None or streams.loop is loop:
            streams.close()


class StreamingServer(uvicorn.Server):
    """uvicorn drains open responses before the app's shutdown runs, so an open stream
    would hold `tracker serve` for ever: end the streams as soon as the server is told to
    exit (Ctrl-C, SIGTERM). `tracker serve` and the tests run this server."""

    def handle_exit(self, sig: int, frame: Any) -> None:
        super().handle_exit(sig, frame)
        close_streams()


async def _scope(
    data: ReadStore,
    wilayah: str | None,
    provinsi: str | None,
    aksi: UUID | None,
    forum: UUID | None,
) -> tuple[Scope | None, str]:
    """The scope asked for, or None and what was not found."""
    if wilayah is not None or provinsi is not None:
        code = wilayah if wilayah is not None else provinsi
        region = region_catalogue().get(code or "")
        if region is None or (provinsi is not None and not region.is_province):
            return None, f"wilayah {code}"
        return ("province" if region.is_province else "region", region.code), ""
    for kind, table, ident in (("action", "action", aksi), ("forum", "forum", forum)):
        if ident is not None:
            found = await data.title_of(table, ident) is not None
            return ((kind, ident), "") if found else (None, f"{kind} {ident}")
    return ("", None), ""


@get("/langsung", include_in_schema=False, media_type="text/event-stream")
async def langsung(
    request: Request[Any, Any, Any],
    reads: Reads,
    wilayah: FromQuery[str | None] = None,
    provinsi: FromQuery[str | None] = None,
    aksi: FromQuery[UUID | None] = None,
    forum: FromQuery[UUID | None] = None,
    setelah: Annotated[int | None, QueryParameter(ge=0)] = None,
) -> Any:
    watcher = reads.positions
    if sum(x is not None for x in (wilayah, provinsi, aksi, forum)) > 1:
        return problem(request, 400, "one-scope", "problem.one-scope")
    resume = request.headers.get("last-event-id", "").strip()
    start = int(resume) if resume.isdigit() else setelah
    if start is not None and (aksi is not None or forum is not None):
        await watcher.wait_for(start or 0, 2.0)  # the page may be newer than our read model
    scope, missing = await _scope(reads.data, wilayah, provinsi, aksi, forum)
    if scope is None:
        return problem(request, 404, "unknown-scope", "problem.unknown-scope", {"missing": missing})
    streams = streams_for(watcher, reads.data)
    if not streams.accepting or streams.open >= streams.limit:
        busy = streams.accepting
        return problem(
            request,
            503,
            "too-many-streams" if busy else "shutting-down",
            "problem.live-unavailable",
            headers={"Retry-After": "30" if busy else "5"},
        )
    start = watcher.position if start is None else start
    return Stream(streams.run(scope, start), media_type="text/event-stream", headers=HEADERS)


HANDLERS: list[Any] = [langsung]
