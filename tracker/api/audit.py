"""/api/v1/audit: full histories for those who oversee a region (issue #4, point 4).

A record's trail shows every event with the account that did it and the fields it
changed; a region's activity can be filtered and exported as CSV. Both need
`access.require_auditor`: admin everywhere, a Kanwil inside its provinces, a Pemda in its
own region only.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get
from litestar.params import FromPath, FromQuery, QueryParameter

from adapters import audit_queries
from adapters.reference_data import region_catalogue
from domain import access
from domain.values import Role
from projections import audit
from tracker import queries
from tracker.api.params import After
from tracker.errors import NotFound
from tracker.http.deps import Reader
from tracker.http.helpers import BadHeader, etag
from tracker.http.openapi_docs import RESPONDS
from tracker.http.principal import Who
from tracker.http.reading import Reads, before_read

KINDS = {
    "actions": "action",
    "forums": "forum",
    "commitments": "commitment",
    "assessments": "assessment",
}
CSV_MEDIA_TYPE = "text/csv"  # litestar appends "; charset=utf-8"

AuditLimit = Annotated[int, QueryParameter(ge=1, le=5000)]
Format = Annotated[
    str | None,
    QueryParameter(name="format", pattern="^(json|csv)$", description="json (bawaan) | csv"),
]


class BadTime(BadHeader):
    """A since/until that is not an ISO 8601 date or date-time (400 problem)."""


def parse_time(name: str, raw: str | None, *, end: bool = False) -> datetime | None:
    """ISO 8601 date or date-time; naive means UTC. A bare date as `until` includes that
    whole day (it ends at the next midnight)."""
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            start = datetime(day.year, day.month, day.day, tzinfo=UTC)
            return start + timedelta(days=1) if end else start
        moment = datetime.fromisoformat(text.replace(" ", "+"))  # '+' arrives as a space
    except ValueError:
        raise BadTime(f"{name}={raw!r} is not an ISO 8601 date or date-time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def wants_csv(request: Request[Any, Any, Any], chosen: str | None) -> bool:
    if chosen is not None:
        return chosen == "csv"
    accept = request.headers.get("accept", "")
    return any(part.split(";")[0].strip() == "text/csv" for part in accept.split(","))


class AuditController(Controller):
    path = "/audit"
    tags = ("audit",)

    @get(
        "/{kind:str}/{record_id:uuid}",
        summary="Jejak audit satu catatan / one record's audit trail",
        opt={RESPONDS: ("read", "audit-trail")},
        description="kind: actions | forums | commitments | assessments. Every event with the "
        "full actor and the field-level changes it made. Admin; Kanwil of the region's "
        "province; the "
        "region's own Pemda.",
    )
    async def trail(
        self,
        reader: Reader,
        who: Who,
        kind: FromPath[str],
        record_id: FromPath[UUID],
    ) -> Response[Any]:
        aggregate = KINDS.get(kind)
        if aggregate is None:
            raise NotFound("audit kind", kind)
        body = await queries.record_trail(reader, who, aggregate, record_id)
        return Response(
            body,
            headers={
                "ETag": etag(body["version"]),
                "Cache-Control": "private, no-cache",
                "Vary": "Authorization, Cookie",
            },
        )

    @get(
        "/regions/{code:str}/activity",
        summary="Aktivitas wilayah untuk audit / a region's activity for auditors",
        opt={RESPONDS: ("read", "audit-activity")},
        description="Newest first; filter by since (inclusive) / until (exclusive; a bare "
        "date includes that day), actor (account id) and type (event type). Page with "
        "before=<next_before>. ?format=csv or Accept: text/csv for a CSV export.",
    )
    async def region_activity(
        self,
        request: Request[Any, Any, Any],
        reads: Reads,
        who: Who,
        code: FromPath[str],
        since: FromQuery[str | None] = None,
        until: FromQuery[str | None] = None,
        actor: FromQuery[str | None] = None,
        type_: Annotated[str | None, QueryParameter(name="type")] = None,
        limit: AuditLimit = 100,
        before: Annotated[int | None, QueryParameter(ge=1)] = None,
        format_: Format = None,
        after: After = None,
    ) -> Response[Any]:
        region = region_catalogue().get(code)
        if region is None:
            raise NotFound("region", code)
        access.require_auditor(who, code)
        start, end = parse_time("since", since), parse_time("until", until, end=True)
        if (early := await before_read(request, reads, after)) is not None:
            return early
        rows = await reads.data.region_activity(
            code,
            since=start,
            until=end,
            actor=actor or None,
            event_type=type_ or None,
            limit=limit + 1,
            before_position=before,
            province_wide=region.is_province and who.role is not Role.PEMDA,
        )
        items: list[dict[str, Any]] = msgspec.to_builtins(rows[:limit])
        following = items[-1]["position"] if len(rows) > limit else None
        headers = {**request.state.validators, "Vary": "Accept, Authorization, Cookie"}
        if not wants_csv(request, format_):
            return Response({"items": items, "next_before": following}, headers=headers)
        headers["Content-Disposition"] = f'attachment; filename="aktivitas-{code}.csv"'
        if following is not None:
            headers["X-Next-Before"] = str(following)
        return Response(
            audit.to_csv(items, audit_queries.COLUMNS).encode("utf-8"),
            media_type=CSV_MEDIA_TYPE,
            headers=headers,
        )
