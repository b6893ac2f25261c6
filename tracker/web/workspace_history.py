"""History for staff in the workspace: a region's activity log (filters, CSV) and one
action's audit trail with the field-level changes of every event.

The same queries as /api/v1/audit (tracker/queries.py, the read store), the same rule: the
region's own accounts, the Kanwil of its province, the ministry. The CSV link is the API's
own export, which the browser's session may read.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

import msgspec
from litestar import MediaType, Request, Response, get
from litestar.params import FromPath

from adapters.reference_data import region_catalogue
from domain.access import NotAllowed, SignInRequired, require_auditor
from domain.registry import EVENT_TYPES
from domain.values import Role
from projections import audit
from tracker import queries
from tracker.errors import NotFound
from tracker.http.deps import Accounts
from tracker.http.principal import Who
from tracker.http.reading import Reads
from tracker.web.workspace_common import (
    missing,
    refused_page,
    render,
    sign_in_first,
    uuid_or_none,
)

PAGE = 50
TRAIL_COLUMNS = ("position", "at", "type", "actor_id", "actor_office", "field", "before", "after")


def _day(raw: str, end: bool = False) -> datetime | None:
    """A date typed in the filter as a UTC moment; the end date includes its whole day."""
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        return None
    moment = datetime.combine(day, time(), tzinfo=UTC)
    return moment + timedelta(days=1) if end else moment


def _regions_for(who: Any) -> list[Any]:
    regions = region_catalogue()
    if who.role is Role.PEMDA and who.region_code:
        found = regions.get(who.region_code)
        return [found] if found else []
    provinces = sorted(who.provinces) if who.role is Role.KANWIL else []
    return [r for code in provinces for r in (regions.require(code), *regions.in_province(code))]


@get("/kerja/riwayat", include_in_schema=False, media_type=MediaType.HTML)
async def activity(
    request: Request[Any, Any, Any], reads: Reads, accounts: Accounts, who: Who
) -> Response[Any]:
    if not who.signed_in:
        return sign_in_first(request)
    params = {k: str(v) for k, v in request.query_params.items()}
    choices = _regions_for(who)
    code = params.get("wilayah") or (choices[0].code if choices else "")
    region = region_catalogue().get(code)
    if region is None:
        return render(
            request, who, "kerja_history.html", rows=[], region=None, choices=choices,
            params=params, types=sorted(EVENT_TYPES), csv_url="", older_url="",
            account_changes=[],
        )  # fmt: skip
    try:
        require_auditor(who, code)
    except (NotAllowed, SignInRequired) as error:
        return refused_page(request, who, error)
    before = params.get("sebelum", "")
    rows = await reads.data.region_activity(
        code,
        since=_day(params.get("sejak", "")),
        until=_day(params.get("sampai", ""), end=True),
        actor=params.get("pelaku") or None,
        event_type=params.get("jenis") or None,
        limit=PAGE + 1,
        before_position=int(before) if before.isdigit() else None,
        province_wide=region.is_province and who.role is not Role.PEMDA,
    )
    items = msgspec.to_builtins(rows[:PAGE])
    administered = msgspec.to_builtins(await accounts.changes(code, limit=PAGE))
    api = {
        "since": params.get("sejak", ""),
        "until": params.get("sampai", ""),
        "actor": params.get("pelaku", ""),
        "type": params.get("jenis", ""),
        "format": "csv",
        "limit": "5000",
    }
    csv_url = f"/api/v1/audit/regions/{code}/activity?" + urlencode(
        {k: v for k, v in api.items() if v}
    )
    older = {**params, "sebelum": str(items[-1]["position"])} if len(rows) > PAGE else None
    return render(
        request,
        who,
        "kerja_history.html",
        rows=items,
        region=region,
        choices=choices,
        params=params,
        types=sorted(EVENT_TYPES),
        csv_url=csv_url,
        older_url=f"/kerja/riwayat?{urlencode(older)}" if older else "",
        account_changes=administered,
    )


@get("/kerja/riwayat/aksi/{action_id:str}", include_in_schema=False, media_type=MediaType.HTML)
async def action_trail(
    request: Request[Any, Any, Any], reads: Reads, who: Who, action_id: FromPath[str]
) -> Response[Any]:
    if not who.signed_in:
        return sign_in_first(request)
    ident = uuid_or_none(action_id)
    if ident is None:
        return missing(request, who)
    try:
        trail = await queries.record_trail(reads.data, who, "action", ident)
    except NotFound:
        return missing(request, who)
    except (NotAllowed, SignInRequired) as error:
        return refused_page(request, who, error)
    if request.query_params.get("format") == "csv":
        rows = [
            {
                "position": item["position"],
                "at": item["at"],
                "type": item["type"],
                "actor_id": item["actor"]["user_id"],
                "actor_office": item["actor"]["office"],
                "field": change["path"],
                "before": change["before"],
                "after": change["after"],
            }
            for item in trail["items"]
            for change in item["changes"] or [{"path": "", "before": None, "after": None}]
        ]
        return Response(
            audit.to_csv(rows, TRAIL_COLUMNS).encode("utf-8"),
            media_type="text/csv",
            headers={
                "Content-Disposition": f'attachment; filename="riwayat-aksi-{ident}.csv"',
                "Cache-Control": "no-store",
            },
        )
    state = await reads.data.load_state("action", ident)
    return render(
        request,
        who,
        "kerja_trail.html",
        trail=trail,
        title=state.title if state else "",
        action_id=str(ident),
        csv_url=f"/kerja/riwayat/aksi/{ident}?format=csv",
    )


HANDLERS: list[Any] = [activity, action_trail]
