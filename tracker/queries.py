"""Read composition shared by the JSON API and the portal pages: summaries, rankings, forum
follow-through, timelines and the public form of one action, computed once, here.

Plain async functions over the read data (and the day that decides what is overdue),
returning builtins; the callers add HTTP (validators, 304, 404) around them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from adapters import codec, readmodels
from adapters.reference_data import region_catalogue
from domain import access
from domain.access import Principal
from domain.obligations import WAITING
from domain.period_close import holds_for
from domain.regions import Region
from domain.registry import fold
from domain.reminder import Audience
from domain.values import Role
from projections import audit, catalog, public, rollups, schedule
from tracker.errors import NotFound
from tracker.ports import ReadStore

BOARD_CAP = 500  # a page lists at most this many actions of one region or province


async def ranked_regions(
    data: ReadStore, today: date, province: str | None = None
) -> list[dict[str, Any]]:
    """Every kab/kota (or province-level) region with actions (of one province if given),
    ranked best first."""
    rows = await data.counts_by("region_code", today, province=province)
    catalogue = region_catalogue()
    return rollups.ranking(
        {
            "code": row["region_code"],
            "name": getattr(catalogue.get(row["region_code"]), "name", row["region_code"]),
            "summary": rollups.summary(row),
        }
        for row in rows
    )


async def region_summary(data: ReadStore, today: date, region: Region) -> dict[str, Any]:
    """A region's summary; for a province also the ranking of its regions."""
    scope = {"province": region.code} if region.is_province else {"region": region.code}
    rows = await data.counts_by("", today, **scope)
    body: dict[str, Any] = {"region": region, "summary": rollups.summary(rows[0])}
    if region.is_province:
        body["ranking"] = await ranked_regions(data, today, region.code)
    else:
        body["province"] = region_catalogue().get(region.province_code)
    return body


async def national(data: ReadStore, today: date) -> dict[str, Any]:
    """The national summary, provinces ranked and all regions ranked."""
    total = (await data.counts_by("", today))[0]
    names = {p.code: p.name for p in region_catalogue().provinces()}
    provinces = rollups.ranking(
        {
            "code": row["province_code"],
            "name": names.get(row["province_code"], row["province_code"]),
            "summary": rollups.summary(row),
        }
        for row in await data.counts_by("province_code", today)
    )
    return {
        "summary": rollups.summary(total),
        "provinces": provinces,
        "regions": await ranked_regions(data, today),
    }


async def changes(
    then: ReadStore, now: ReadStore, today: tuple[date, date], region: Region
) -> dict[str, Any]:
    """What changed in a region or province between two readings (as of two days): both
    summaries, each action whose standing moved, and the public activity in between
    (newest first, at most BOARD_CAP lines)."""
    where = (
        readmodels.ActionFilter(province_code=region.code)
        if region.is_province
        else readmodels.ActionFilter(region_code=region.code)
    )
    before, _ = await actions(then, where)
    after, _ = await actions(now, where)
    first, last = (await then.freshness())[0], (await now.freshness())[0]
    column = "province_codes" if region.is_province else "region_codes"
    lines = await now.timeline(column, region.code, BOARD_CAP, last + 1)
    return {
        "region": region,
        "summary": {
            "from": (await region_summary(then, today[0], region))["summary"],
            "to": (await region_summary(now, today[1], region))["summary"],
        },
        "actions": rollups.action_changes(before, after),
        "activity": [dict(line) for line in lines if line["position"] > first],
    }


async def forum_progress(data: ReadStore, today: date, forum_id: UUID) -> dict[str, Any] | None:
    """Dari komitmen ke implementasi: each commitment of a forum and each signatory's own
    progress. None for an unknown forum."""
    forum = await data.forum_doc(forum_id)
    if forum is None:
        return None
    rows = await data.counts_by_commitment_region(forum_id, today)
    commitments = []
    for doc in await data.list_commitments(forum_id, None):
        commitment = msgspec.json.decode(doc)
        mine = [r for r in rows if str(r["commitment_id"]) == commitment["id"]]
        commitment["signatories"] = [
            {**s, "progress": rollups.signatory_progress(s["region_code"], mine)}
            for s in commitment["signatories"]
        ]
        commitment["progress"] = rollups.summary(rollups.merge(mine))
        commitments.append(commitment)
    return {"forum": msgspec.json.decode(forum), "commitments": commitments}


async def timeline(
    data: ReadStore, region: Region, limit: int, before: int | None = None
) -> dict[str, Any]:
    """The public activity of a region or province, newest first (role and office only)."""
    column = "province_codes" if region.is_province else "region_codes"
    rows = await data.timeline(column, region.code, limit, before)
    items = [dict(row) for row in rows]
    following = items[-1]["position"] if len(items) == limit else None
    return {"items": items, "next_before": following}


async def forums(data: ReadStore) -> list[dict[str, Any]]:
    return [msgspec.json.decode(doc) for doc in await data.list_forums()]


async def closures(data: ReadStore, place: str | None = None) -> list[dict[str, Any]]:
    """Period closures, newest first; with `place`, those that hold for it (its own and,
    for a kab/kota, its province's)."""
    docs = await data.list_closures(place.split(".", 1)[0] if place else None)
    found = [msgspec.json.decode(doc) for doc in docs]
    return [c for c in found if place is None or holds_for(c["place_code"], place)]


async def commitments(
    data: ReadStore, forum_id: UUID | None = None, region_code: str | None = None
) -> list[dict[str, Any]]:
    docs = await data.list_commitments(forum_id, region_code)
    return [msgspec.json.decode(doc) for doc in docs]


async def actions(
    data: ReadStore,
    where: readmodels.ActionFilter,
    limit: int = BOARD_CAP,
    after: readmodels.BoardCursor | None = None,
) -> tuple[list[dict[str, Any]], readmodels.BoardCursor | None]:
    """One page of the public documents of the actions matching `where`, in board order,
    and the cursor of the next page (None on the last)."""
    docs, following = await data.list_actions(where, limit, after)
    return [msgspec.json.decode(doc) for doc in docs], following


async def all_actions(data: ReadStore, where: readmodels.ActionFilter) -> list[dict[str, Any]]:
    """Every page of `actions`: a queue, a download or a template must not stop at the first."""
    found, following = await actions(data, where)
    while following is not None:
        more, following = await actions(data, where, after=following)
        found.extend(more)
    return found


async def schedules(data: ReadStore) -> schedule.Schedules:
    """The reporting schedules set, as the due day of any period."""
    return schedule.Schedules(msgspec.json.decode(doc) for doc in await data.list_schedules())


async def due(
    data: ReadStore, where: readmodels.ActionFilter, today: date, *, waiting: bool = False
) -> dict[str, Any]:
    """What the matching actions owe on `today`, soonest first, with the count per state."""
    items = schedule.due(await all_actions(data, where), await schedules(data), today)
    kept = [i for i in items if not waiting or i.state in WAITING]
    return {
        "on": today,
        "counts": schedule.counts(items),
        "items": [msgspec.to_builtins(i) for i in kept],
    }


async def inbox(data: ReadStore, who: Principal, limit: int = 200) -> list[dict[str, Any]]:
    """The reminders addressed to this account (to its OPD, its role in the region, its
    Kanwil's provinces or itself), newest first."""
    if who.role is Role.PEMDA and who.region_code:
        places = [who.region_code]
    elif who.role is Role.KANWIL and who.provinces:
        places = sorted(who.provinces)
    else:
        return []  # nothing is addressed to the ministry or the public
    found = []
    for raw in await data.list_reminders(places, limit):
        doc = msgspec.json.decode(raw)
        if any(a.includes(who) for a in msgspec.convert(doc["to"], tuple[Audience, ...])):
            found.append(doc)
    return found


async def public_aggregate(data: ReadStore, kind: str, aggregate_id: UUID) -> dict[str, Any] | None:
    """One aggregate's current state in its public form, straight from the event store."""
    value = await data.load_state(kind, aggregate_id)
    if value is None:
        return None
    redacted: dict[str, Any] = public.redact(catalog.document(kind, value))
    return redacted


async def history(
    data: ReadStore,
    kind: str,
    aggregate_id: UUID,
    full: Callable[[Any], bool] = lambda state: False,
    drafts: Callable[[Any], bool] = lambda state: False,
) -> list[dict[str, Any]] | None:
    """Every event of one aggregate in order; None if it is not a `kind`. `full(state)` says
    from the aggregate's current state whether the reader sees account ids and private
    evidence; otherwise each event is in its public form. Draft events are left out unless
    `drafts(state)` (the region's own accounts)."""
    rows = await data.history_rows(aggregate_id)
    if not rows or codec.aggregate_kind(rows[0]["topic"]) != kind:
        return None
    events = [codec.decode_event(row["topic"], row["state"]) for row in rows]
    current = fold(kind, None, events)
    everything, own = full(current), drafts(current)
    entries = []
    for row, event in zip(rows, events, strict=True):
        if not own and public.is_private_event(row["topic"]):
            continue
        fields = codec.to_builtins(event)
        fields = fields if everything else public.redact(fields)
        fields.pop("type", None)
        entries.append(
            {
                "position": row["notification_id"],
                "version": row["originator_version"],
                "type": row["topic"],
                "at": fields.pop("at"),
                "actor": fields.pop("actor"),
                "data": fields,
            }
        )
    return entries


async def public_history(data: ReadStore, kind: str, aggregate_id: UUID) -> list[dict[str, Any]]:
    """The public form of `history`: role and office, no account id, no private evidence."""
    return await history(data, kind, aggregate_id) or []


def percent_series(action: dict[str, Any]) -> list[tuple[date, float]]:
    """An action's claimed figure at the end of each reported period, as the projection
    stored it (domain Action.claimed_series): a back-filled report lands at its own period,
    and an action split into steps plots its weighted roll-up."""
    return [
        (_day(point["ends_on"]), float(point["completion"]))
        for point in action["figures"]["series"]
    ]


def mean_completion_series(actions: list[dict[str, Any]]) -> list[tuple[date, float]]:
    """At the end of each reporting period, the mean of each live action's latest figure for
    a period ending by then, weighted as the region's figures are (projections/rollups.py);
    0 for an action planned by then that had not reported yet."""
    live = [a for a in actions if a["status"] != "cancelled"]
    series = {id(a): percent_series(a) for a in live}
    days = sorted({day for points in series.values() for day, _ in points})
    result = []
    for day in days:
        parts = weights = 0.0
        for action in live:
            reported = [p for d, p in series[id(action)] if d <= day]
            if not reported and _day(action["created_at"]) > day:
                continue
            weight = action.get("weight", 1)
            parts += weight * (reported[-1] if reported else 0.0)
            weights += weight
        if weights:
            result.append((day, round(parts / weights, 1)))
    return result


def _day(value: Any) -> date:
    return date.fromisoformat(str(value)[:10])  # ISO text or a datetime


async def record_trail(data: ReadStore, who: Principal, kind: str, record_id: UUID) -> Any:
    """One record's audit trail (field-level changes, full actors) for its auditors."""
    rows = await data.history_rows(record_id)
    if not rows or codec.aggregate_kind(rows[0]["topic"]) != kind:
        raise NotFound(kind, str(record_id))
    recorded = [
        (
            row["notification_id"],
            row["originator_version"],
            codec.decode_event(row["topic"], row["state"]),
        )
        for row in rows
    ]
    current = fold(kind, None, (event for _, _, event in recorded))
    if current is None:
        raise NotFound(kind, str(record_id))
    regions = catalog.places(kind, current)[0]
    access.require_auditor_of_any(who, regions)
    drafts = kind == "action" and who.sees_drafts(regions[0])
    return {
        "kind": kind,
        "id": str(record_id),
        "version": current.version,
        "region_codes": regions,
        "items": audit.audit_trail(kind, recorded, drafts=drafts),
    }
