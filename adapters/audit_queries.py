"""Audit queries over the activity read model: who did what in a region, newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from adapters.readstore import LIVE

S = LIVE

COLUMNS = (
    "position",
    "aggregate",
    "aggregate_id",
    "type",
    "at",
    "actor_id",
    "actor_role",
    "actor_office",
    "title",
    "region_codes",
    "province_codes",
)


def is_province_code(code: str) -> bool:
    return "." not in code


async def region_activity(
    pool: Any,
    region_code: str,
    *,
    since: datetime | None,
    until: datetime | None,
    actor: str | None,
    event_type: str | None,
    limit: int,
    before_position: int | None,
    province_wide: bool | None = None,
) -> list[dict[str, Any]]:
    """Activity lines of a region, newest first, at most `limit`, all with a position below
    `before_position` (keyset pagination). `since` is inclusive, `until` exclusive.

    A province code matches every line of the province (`province_codes`) unless
    `province_wide` is False, in which case only the province's own region lines match."""
    wide = is_province_code(region_code) if province_wide is None else province_wide
    column = "province_codes" if wide else "region_codes"
    args: list[Any] = [region_code]
    clauses = [f"{column} @> ARRAY[$1::text]"]  # the GIN index serves @>, not = ANY

    def add(sql: str, value: Any) -> None:
        args.append(value)
        clauses.append(sql.format(f"${len(args)}"))

    if before_position is not None:
        add("position < {}", before_position)
    if since is not None:
        add("at >= {}", since)
    if until is not None:
        add("at < {}", until)
    if actor is not None:
        add("actor_id = {}", actor)
    if event_type is not None:
        add("type = {}", event_type)
    args.append(limit)
    sql = (
        f"SELECT {', '.join(COLUMNS)} FROM {S}.activity WHERE {' AND '.join(clauses)} "
        f"ORDER BY position DESC LIMIT ${len(args)}"
    )
    return [dict(row) for row in await pool.fetch(sql, *args)]
