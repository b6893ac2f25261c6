"""Atom (RFC 4287) and JSON Feed 1.1 of the newest activity: national, a province, a
region, a forum (with its commitments and actions) or one action (written out by
`feed_formats`).

Only public data: the activity lines of `rm.activity` without their account id, titled in
the reader's language. XML is built with ElementTree, so user-supplied titles are always
escaped; characters XML 1.0 cannot carry are dropped. Entry ids are name-based UUID URNs
of the log's origin and the event's position, so they never change (whatever host or
language the feed is read with); repeat requests with the ETag are answered 304.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import msgspec
from litestar import Request, Response, get
from litestar.params import FromPath

from adapters.reference_data import region_catalogue
from domain.regions import time_zone
from tracker import catalogue
from tracker.http.problems import problem
from tracker.http.reading import Reads, not_modified
from tracker.web import i18n
from tracker.web.feed_formats import MEDIA, atom, clean, json_feed
from tracker.web.render import lang_of, validators

LIMIT = 50


@dataclass(frozen=True)
class Scope:
    kind: str  # national | province | region | forum | action
    key: Any  # None, a region code or a UUID
    feed_path: str  # /umpan/... without the extension
    html_path: str
    title: str


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _urn(origin: str, name: str) -> str:
    """A stable id: the same log (named by its audit origin) and position, the same id."""
    return uuid5(NAMESPACE_URL, f"urn:{origin}:{name}").urn


def _split(name: str) -> tuple[str, str] | None:
    stem, _, extension = name.rpartition(".")
    return (stem, extension) if stem and extension in MEDIA else None


def _unknown(request: Request[Any, Any, Any]) -> Response[Any]:
    path = request.url.path
    return problem(request, 404, "unknown-feed", "problem.unknown-feed", {"path": path})


async def _scope(reads: Reads, kind: str, key: str, t: Any) -> Scope | None:
    """Which records the feed covers, or None when the scope does not exist."""
    if kind == "national":
        return Scope(kind, None, "/umpan/nasional", "/", t("feed.scope.national"))
    if kind in ("province", "region"):
        region = region_catalogue().get(key)
        if region is None or (kind == "province" and not region.is_province):
            return None
        segment = "provinsi" if kind == "province" else "wilayah"
        html = f"/provinsi/{key}" if region.is_province else f"/wilayah/{key}"
        title = t(f"feed.scope.{kind}", name=region.name)
        return Scope(kind, key, f"/umpan/{segment}/{key}", html, title)
    try:
        ident = UUID(key)
    except ValueError:
        return None
    table, segment = ("forum", "forum") if kind == "forum" else ("action", "aksi")
    title = await reads.data.title_of(table, ident)
    if title is None:
        return None
    path = f"/{segment}/{ident}"
    return Scope(kind, ident, f"/umpan{path}", path, t(f"feed.scope.{kind}", title=title))


def _entry(row: Any, t: Any, base: str, query: str, places: dict[str, str]) -> dict[str, Any]:
    kind = row["type"]
    key = f"feed.event.{kind}"
    if row["detail"]:  # a correction after the period closed: both values
        facts = msgspec.json.decode(row["detail"])
        shown = {k: "-" if facts[k] is None else f"{facts[k]:g}%" for k in ("before", "after")}
        what = t("feed.event.correction", title=row["title"], period=facts["period"], **shown)
    elif catalogue.has(key):
        what = t(key, title=row["title"])
    else:
        what = t("feed.event.other", type=kind, title=row["title"])
    role_key = f"feed.role.{row['actor_role']}"
    role = t(role_key) if catalogue.has(role_key) else row["actor_role"]
    if row["aggregate"] == "action":
        link = f"/aksi/{row['aggregate_id']}"
    elif row["aggregate"] == "forum":
        link = f"/forum/{row['aggregate_id']}"
    elif row["aggregate"] == "period":  # a closure: on its region's or province's page
        codes = row["region_codes"] or row["province_codes"]
        link = f"/wilayah/{codes[0]}" if row["region_codes"] else f"/provinsi/{codes[0]}"
    elif row["aggregate"] == "schedule":  # titled "Jadwal pelaporan <year>" by the domain
        link = f"/jadwal?tahun={row['title'].rpartition(' ')[2]}"
    elif row["aggregate"] == "assessment":  # titled "KKP HAM <data year>" by the domain
        year = row["title"].rpartition(" ")[2]
        link = f"/wilayah/{row['region_codes'][0]}?tahun={year}"
    else:  # a commitment is shown on its forum's page
        link = f"/forum/{row['commitment_forum_id']}" if row["commitment_forum_id"] else "/"
    names = ", ".join(places.get(code, code) for code in row["region_codes"]) or "-"
    zone = time_zone(next(iter(row["region_codes"] or row["province_codes"]), None))
    local = zone.local(row["at"])
    at = _stamp(row["at"])  # machine fields stay UTC; the human text reads local time
    when = f"{local:%Y-%m-%d %H:%M} {zone.name}"
    summary = t(
        "feed.summary", what=what, office=row["actor_office"], role=role, at=when, places=names
    )
    return {
        "position": row["position"],
        "type": kind,
        "aggregate": row["aggregate"],
        "aggregate_id": str(row["aggregate_id"]),
        "title": clean(what),
        "url": f"{base}{link}{query.replace('?', '&') if '?' in link else query}",
        "at": at,
        "author": clean(f"{row['actor_office']} ({role})"),
        "summary": clean(summary),
    }


async def _serve(request: Request[Any, Any, Any], reads: Reads, kind: str, name: str) -> Any:
    parts = _split(name)
    if parts is None:
        return _unknown(request)
    key, extension = parts
    lang = lang_of(request)
    t = i18n.translator(lang)
    scope = await _scope(reads, kind, key, t)
    if scope is None:
        return _unknown(request)
    headers = await validators(request, reads)
    if (early := not_modified(request, headers)) is not None:
        return early
    data = reads.data
    rows = await data.feed_rows(kind, scope.key, LIMIT)
    base = str(request.base_url).rstrip("/")
    query = "?lang=en" if lang == "en" else ""
    origin = reads.origin
    catalogue = region_catalogue()
    codes = {code for row in rows for code in row["region_codes"]}
    places = {code: getattr(catalogue.get(code), "name", code) for code in codes}
    items = []
    for row in rows:
        item = _entry(row, t, base, query, places)
        item["id"] = _urn(origin, f"peristiwa/{row['position']}")
        items.append(item)
    if rows:
        updated = items[0]["at"]
    else:
        _, moved_at = await data.freshness()
        updated = _stamp(moved_at or datetime.now(UTC))
    feed = {
        "id": _urn(origin, scope.feed_path),
        "title": clean(f"{scope.title} · {t('site.name')}"),
        "description": t("feed.description"),
        "language": lang,
        "updated": updated,
        "self": f"{base}{scope.feed_path}.{extension}{query}",
        "json": f"{base}{scope.feed_path}.json{query}",
        "home": f"{base}{scope.html_path}{query}",
        "author": t("site.name"),
        "items": items,
    }
    body = atom(feed) if extension == "atom" else json_feed(feed)
    return Response(body, media_type=MEDIA[extension], headers=headers)


@get(["/umpan/nasional.atom", "/umpan/nasional.json"], include_in_schema=False)
async def national_feed(request: Request[Any, Any, Any], reads: Reads) -> Any:
    return await _serve(request, reads, "national", "nasional." + request.url.path[-4:])


@get("/umpan/provinsi/{name:str}", include_in_schema=False)
async def province_feed(request: Request[Any, Any, Any], reads: Reads, name: FromPath[str]) -> Any:
    return await _serve(request, reads, "province", name)


@get("/umpan/wilayah/{name:str}", include_in_schema=False)
async def region_feed(request: Request[Any, Any, Any], reads: Reads, name: FromPath[str]) -> Any:
    return await _serve(request, reads, "region", name)


@get("/umpan/forum/{name:str}", include_in_schema=False)
async def forum_feed(request: Request[Any, Any, Any], reads: Reads, name: FromPath[str]) -> Any:
    return await _serve(request, reads, "forum", name)


@get("/umpan/aksi/{name:str}", include_in_schema=False)
async def action_feed(request: Request[Any, Any, Any], reads: Reads, name: FromPath[str]) -> Any:
    return await _serve(request, reads, "action", name)


HANDLERS: list[Any] = [national_feed, province_feed, region_feed, forum_feed, action_feed]
