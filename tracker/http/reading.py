"""Reads from the read models, written once for the API and the portal: wait for a position
the caller has seen (`?after=`, read-your-writes), then answer 304 when the caller's copy
is current.

A read model changes only when its position moves (or, for 'overdue', when the day
changes), so position + date (+ the page's language) is a complete validator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from typing import Any

from litestar import Request, Response
from litestar.di import NamedDependency

from adapters.as_of import AsOfReadStore
from domain.regions import WIB, WIT, WITA, TimeZone, time_zone
from tracker.errors import BadQuery
from tracker.http.helpers import requested_position
from tracker.http.problems import problem
from tracker.ports import Clock, Positions, ReadStore

READ_WAIT_SECONDS = 2.0


@dataclass(frozen=True)
class AsOf:
    """An as-of read: the day asked for, the time zone whose midnight ends it, and the
    position of the log that the answer is made from."""

    day: date
    zone: TimeZone
    end: datetime  # the end of the day, in UTC
    position: int

    def describe(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "time_zone": self.zone.name,
            "until": self.end.isoformat(),
            "position": self.position,
        }


@dataclass(frozen=True)
class Reading:
    """What every read handler needs: the read store, the projection's position, the clock
    (today decides 'overdue') and the log's name in feeds; `as_of` when the read is of a
    past day (then `data` and `clock` are that day's)."""

    data: ReadStore
    positions: Positions
    clock: Clock
    origin: str
    as_of: AsOf | None = None

    def today(self, place: str | None = None) -> date:
        """The calendar day on the place's civil clock (WIB for national reads): the D of
        "overdue on day D" (domain Action.overdue_from). On an as-of read the clock stands
        just before that day's end, so this is the day asked for."""
        return time_zone(place).local(self.clock()).date()

    async def log_head(self) -> int:
        """The last position in the event store (of the whole log, also on an as-of read)."""
        data = self.data.live if isinstance(self.data, AsOfReadStore) else self.data
        return await data.head_position()


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def as_of_day(value: str) -> date:
    """`?pada=` is a calendar date written YYYY-MM-DD; anything else is refused."""
    if _DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise BadQuery("as-of-date-invalid", value=value)


async def as_of(reads: Reading, pada: str | None, place: str | None = None) -> Reading:
    """The reading of `pada`'s end in the place's time zone (a region or province code;
    None for national figures, in WIB): the read store as it was at the end of the longest
    stretch of the log recorded before that midnight (docs/figures.md). Without `pada`, the
    live reading."""
    if pada is None:
        return reads
    day = as_of_day(pada)
    zone = time_zone(place)
    local = zone.tzinfo
    now = reads.clock()
    if day > now.astimezone(local).date():
        raise BadQuery(
            "as-of-date-future", value=pada, today=now.astimezone(local).date().isoformat()
        )
    end = datetime(day.year, day.month, day.day, tzinfo=local) + timedelta(days=1)
    position, moved_at = await reads.data.position_at(end)
    rows = await reads.data.rows_at(position, place)
    data = AsOfReadStore(reads.data, rows, position, moved_at)
    seen = min(now, end - timedelta(microseconds=1)).astimezone(UTC)
    return replace(
        reads, data=data, clock=lambda: seen, as_of=AsOf(day, zone, end.astimezone(UTC), position)
    )


Reads = NamedDependency[Reading]


async def between(
    reads: Reading, start: str, end: str, place: str | None
) -> tuple[Reading, Reading]:
    """The readings at the ends of two days (`?dari=` … `?sampai=`), the earlier first."""
    if as_of_day(start) > as_of_day(end):
        raise BadQuery("as-of-range-reversed", start=start, end=end)
    return await as_of(reads, start, place), await as_of(reads, end, place)


async def wait_for(reads: Reading, position: int | None) -> bool:
    """True once the read models include `position` (at once when None)."""
    if position is None:
        return True
    return await reads.positions.wait_for(position, READ_WAIT_SECONDS)


async def wait_after(request: Request[Any, Any, Any], reads: Reading) -> None:
    """Pages: wait briefly for `?after=<position>`; if the read models stay behind, the
    page shows what they hold (a page is never a 503)."""
    after = request.query_params.get("after", "")
    if after.isdigit():
        await wait_for(reads, int(after))


def stamp(position: int, now: datetime) -> str:
    """What every read-model answer is a function of, besides its URL and language: the
    read models' position and the day (a day ends in any of the three zones: 'overdue'
    may change). The start of every read-model ETag; the response cache's key."""
    day = "/".join(sorted({z.local(now).date().isoformat() for z in (WIB, WITA, WIT)}))
    return f"{position}-{day}"


async def validators(
    request: Request[Any, Any, Any], reads: Reading, variant: str = ""
) -> dict[str, str]:
    """ETag / Last-Modified of any read-model response (`variant`: e.g. the page language).
    Remembers the position in `request.state.read_position` for pages."""
    current, moved_at = await reads.data.freshness()
    request.state.read_position = current
    request.state.as_of = reads.as_of
    if reads.as_of is not None:
        variant += f"@{reads.as_of.day.isoformat()}"
    tag = f'W/"{stamp(current, reads.clock())}{variant}"'
    headers = {"ETag": tag, "Cache-Control": "no-cache"}
    if moved_at is not None:
        headers["Last-Modified"] = format_datetime(moved_at, usegmt=True)
    return headers


def not_modified(request: Request[Any, Any, Any], headers: dict[str, str]) -> Response[Any] | None:
    """304 when If-None-Match names the current ETag."""
    sent = {tag.strip() for tag in request.headers.get("if-none-match", "").split(",")}
    if headers["ETag"] in sent:
        return Response(content=None, status_code=304, headers=headers)
    return None


async def before_read(
    request: Request[Any, Any, Any], reads: Reading, after: int | None
) -> Response[Any] | None:
    """The API's guard: 400 at once if `after` lies beyond the log's head (a client learns
    positions only from our answers, so waiting for one could only time out), 503 if it is
    not visible in time, 304 if
    nothing changed; None means go on (and `fresh` adds the validators to the answer)."""
    position = requested_position(request, after)
    if position is not None and position > reads.positions.position:
        head = await reads.log_head()
        if position > head:
            raise BadQuery("position-beyond-log", position=position, head=head)
    if not await wait_for(reads, position):
        return problem(
            request,
            503,
            "read-model-behind",
            "problem.read-model-behind",
            {"position": position},
            headers={"Retry-After": "1"},
            projection_position=reads.positions.position,
        )
    headers = await validators(request, reads)
    request.state.validators = headers
    return not_modified(request, headers)


def fresh(request: Request[Any, Any, Any], body: Any) -> Response[Any]:
    """The answer with its validators; an as-of answer says which day and position it is,
    and on a demo log (only ever loaded into an empty store) every answer says `demo: true`."""
    as_of_read: AsOf | None = getattr(request.state, "as_of", None)
    if as_of_read is not None and isinstance(body, dict):
        body = {**body, "as_of": as_of_read.describe()}
    runtime = getattr(request.app.state, "runtime", None)
    if runtime is not None and runtime.demo_data and isinstance(body, dict):
        body = {**body, "demo": True}
    return Response(body, headers=request.state.validators)
