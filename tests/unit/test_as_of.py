"""As-of reads: the read store rebuilt at a position of the log answers every public query
exactly as a full replay of the log up to that position does (compared by checksum of the
answers), for the whole country and for one region or province; and `?pada=` picks the
position of the end of the day in the region's time zone."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.as_of import AsOfReadStore
from adapters.memory.eventstore import MemoryEventStore
from adapters.memory.reads import MemoryReadStore
from domain.regions import WIB, WIT, WITA, time_zone
from tests.contracts.test_read_store import _bus, _ids, plain, queries
from tracker.demo import replay, scenario
from tracker.errors import BadQuery
from tracker.http.reading import Reading, as_of, as_of_day

# What an as-of read promises to answer as the log stood; feeds and counts of the whole log
# are not read as of a date (adapters/as_of.py).
NOT_AS_OF = ("feed_rows/", "count_events", "stored_entry", "rows_at/", "position_at/")

_DEMO: dict[str, Any] = {}


def demo() -> tuple[MemoryEventStore, MemoryReadStore, dict[str, Any]]:
    if not _DEMO:
        events = MemoryEventStore()
        replay(_bus(events), scenario())
        live = MemoryReadStore(events)
        asked = {
            name: query
            for name, query in queries(_ids(live)).items()
            if not name.startswith(NOT_AS_OF)
        }
        _DEMO.update(events=events, live=live, asked=asked)
    return _DEMO["events"], _DEMO["live"], _DEMO["asked"]


def checksum(answers: dict[str, Any]) -> str:
    return hashlib.sha256(msgspec.json.encode(answers, order="sorted")).hexdigest()


async def answers(store: Any, asked: dict[str, Any]) -> dict[str, Any]:
    return {name: plain(await query(store)) for name, query in asked.items()}


async def as_of_store(live: MemoryReadStore, position: int, place: str | None) -> AsOfReadStore:
    rows = await live.rows_at(position, place)
    activity = [r for r in live._activity() if r["position"] <= position]
    moved_at = activity[0]["at"] if activity else None
    return AsOfReadStore(live, rows, position, moved_at)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_an_as_of_read_equals_a_full_replay_of_the_log_up_to_its_position(data: Any) -> None:
    events, live, asked = demo()
    position = data.draw(st.integers(min_value=0, max_value=events.head()), label="position")
    replayed = MemoryReadStore(events.until(position))
    expected = asyncio.run(answers(replayed, asked))
    got = asyncio.run(answers(asyncio.run(as_of_store(live, position, None)), asked))
    differ = [name for name in asked if got[name] != expected[name]]
    assert not differ, {name: (got[name], expected[name]) for name in differ[:2]}
    assert checksum(got) == checksum(expected)


@pytest.mark.parametrize("place", ["35.72", "33"])
def test_a_region_as_of_read_equals_the_replay_for_that_region(place: str) -> None:
    events, live, _ = demo()
    province = place.split(".", maxsplit=1)[0]
    scoped = {
        "counts_by": lambda s: (
            s.counts_by("", date(2026, 1, 15), region=place)
            if "." in place
            else s.counts_by("", date(2026, 1, 15), province=place)
        ),
        "ranking": lambda s: s.counts_by("region_code", date(2026, 1, 15), province=province),
        "commitments": lambda s: s.list_commitments(None, place),
        "forums": lambda s: s.list_forums(),
    }
    for position in range(0, events.head() + 1, 7):
        replayed = MemoryReadStore(events.until(position))
        expected = asyncio.run(answers(replayed, scoped))
        got = asyncio.run(answers(asyncio.run(as_of_store(live, position, place)), scoped))
        assert checksum(got) == checksum(expected), (position, got, expected)


def test_provinces_read_their_own_time_zone() -> None:
    assert [time_zone(c) for c in ("35.72", "61.72", "62", "64.71", "73", "91.71", "96")] == [
        WIB, WIB, WIB, WITA, WITA, WIT, WIT,
    ]  # fmt: skip
    assert time_zone(None) is WIB and time_zone("21.71") is WIB and time_zone("51") is WITA


@pytest.mark.parametrize("value", ["31-12-2025", "2025-02-30", "2025-1-1", "kemarin", ""])
def test_a_date_that_is_not_yyyy_mm_dd_is_refused(value: str) -> None:
    with pytest.raises(BadQuery) as refused:
        as_of_day(value)
    assert refused.value.code == "as-of-date-invalid" and refused.value.params == {"value": value}


class _NoPositions:
    position = 0
    stopped = False


def _reading(live: MemoryReadStore, now: datetime) -> Reading:
    return Reading(live, _NoPositions(), lambda: now, "test")  # type: ignore[arg-type]


def test_pada_is_the_end_of_that_day_in_the_regions_time_zone() -> None:
    _, live, _ = demo()
    rows = sorted(live._activity(), key=lambda r: r["position"])
    target = rows[len(rows) // 2]
    now = datetime(2027, 1, 1, tzinfo=UTC)
    for place, zone in (("35.72", WIB), ("73.71", WITA), ("91.71", WIT)):
        local = timezone(timedelta(hours=zone.utc_offset_hours))
        day = target["at"].astimezone(local).date()
        reading = asyncio.run(as_of(_reading(live, now), day.isoformat(), place))
        assert reading.as_of is not None and reading.as_of.zone is zone
        end = datetime(day.year, day.month, day.day, tzinfo=local) + timedelta(days=1)
        assert reading.as_of.end == end.astimezone(UTC)
        recorded = [r for r in rows if max(p["at"] for p in rows[: rows.index(r) + 1]) < end]
        assert reading.as_of.position == recorded[-1]["position"]
        following = rows[len(recorded) : len(recorded) + 1]
        assert all(max(p["at"] for p in rows[: len(recorded) + 1]) >= end for _ in following)
        assert reading.clock() == end.astimezone(UTC) - timedelta(microseconds=1)


def test_a_day_that_has_not_come_is_refused_and_today_answers_so_far() -> None:
    _, live, _ = demo()
    now = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)  # already 7 December in WIT
    with pytest.raises(BadQuery) as refused:
        asyncio.run(as_of(_reading(live, now), "2026-12-08", "91.71"))
    assert refused.value.params == {"value": "2026-12-08", "today": "2026-12-07"}
    today = asyncio.run(as_of(_reading(live, now), "2026-12-07", "91.71"))
    last_public = max(r["position"] for r in live._activity())
    assert today.as_of is not None and today.as_of.position == last_public
    assert today.clock() == now
    before = asyncio.run(as_of(_reading(live, now), "2000-01-01", None))
    assert before.as_of is not None and before.as_of.position == 0
    assert asyncio.run(before.data.counts_by("", date(2000, 1, 1)))[0]["actions"] == 0


def test_pages_write_times_in_the_places_time_zone() -> None:
    from tracker.web.pages_common import Fmt

    moment = datetime(2026, 3, 2, 16, 30, tzinfo=UTC)
    assert Fmt("id", WIB).when(moment) == "2 Mar 2026, 23:30 WIB"
    assert Fmt("id", WITA).when(moment) == "3 Mar 2026, 00:30 WITA"
    assert Fmt("en", WIT).when(moment) == "3 Mar 2026, 01:30 WIT"
