"""Queries the API answers from: the catalogue tables in the live read-model schema only.

Ratios and rankings are computed by `projections.rollups` from the counts fetched here.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from adapters.readstore import LIVE
from projections import catalog

S = LIVE


class ActionFilter(msgspec.Struct, frozen=True, kw_only=True):
    region_code: str | None = None
    province_code: str | None = None
    status: str | None = None
    owner_opd: str | None = None
    kkp_criterion: int | None = None
    rpjmn_pn: str | None = None
    commitment_id: UUID | None = None
    forum_id: UUID | None = None
    due_before: date | None = None
    overdue_on: date | None = None


class BoardCursor(msgspec.Struct, frozen=True, array_like=True):
    """Where a page of the action board ended (keyset pagination, stable under writes)."""

    region_code: str
    due_on: date
    id: UUID


def _where(where: ActionFilter, args: list[Any]) -> list[str]:
    clauses: list[str] = []

    def add(sql: str, value: Any) -> None:
        args.append(value)
        clauses.append(sql.format(f"${len(args)}"))

    for column in ("region_code", "province_code", "status", "kkp_criterion"):
        value = getattr(where, column)
        if value is not None:
            add(f"{column} = {{}}", value)
    if where.owner_opd is not None:
        add("owner_opd ILIKE {}", f"%{where.owner_opd}%")
    if where.rpjmn_pn is not None:
        add("{} = ANY(rpjmn_pns)", where.rpjmn_pn)
    if where.commitment_id is not None:
        add("commitment_id = {}", where.commitment_id)
    if where.forum_id is not None:
        add("forum_id = {}", where.forum_id)
    if where.due_before is not None:
        add("due_on < {}", where.due_before)
    if where.overdue_on is not None:
        add("overdue_from <= {}", where.overdue_on)  # domain Action.overdue_from
    return clauses


async def list_actions(
    pool: Any, where: ActionFilter, limit: int, after: BoardCursor | None = None
) -> tuple[list[str], BoardCursor | None]:
    """One page of documents and the cursor of the next page (None on the last page)."""
    args: list[Any] = []
    clauses = _where(where, args)
    if after is not None:
        args += [after.region_code, after.due_on, after.id]
        n = len(args)
        clauses.append(f"(region_code, due_on, id) > (${n - 2}, ${n - 1}, ${n})")
    sql = f"SELECT region_code, due_on, id, public_doc AS doc FROM {S}.action"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    args.append(limit + 1)
    sql += f" ORDER BY region_code, due_on, id LIMIT ${len(args)}"
    rows = await pool.fetch(sql, *args)
    page = rows[:limit]
    last = page[-1] if page and len(rows) > limit else None
    cursor = BoardCursor(last["region_code"], last["due_on"], last["id"]) if last else None
    return [r["doc"] for r in page], cursor


async def list_forums(pool: Any) -> list[str]:
    rows = await pool.fetch(f"SELECT public_doc AS doc FROM {S}.forum ORDER BY starts_on DESC, id")
    return [r["doc"] for r in rows]


async def forum_doc(pool: Any, forum_id: UUID) -> str | None:
    doc: str | None = await pool.fetchval(
        f"SELECT public_doc FROM {S}.forum WHERE id = $1", forum_id
    )
    return doc


async def list_closures(pool: Any, province_code: str | None) -> list[str]:
    """Period closures (in force or reopened) of a province and its regions, or of all."""
    sql = f"SELECT public_doc AS doc FROM {S}.period WHERE ($1::text IS NULL OR province_code = $1)"
    sql += " ORDER BY closed_at DESC, place_code, id"
    return [r["doc"] for r in await pool.fetch(sql, province_code)]


async def list_commitments(pool: Any, forum_id: UUID | None, region_code: str | None) -> list[str]:
    sql = f"SELECT public_doc AS doc FROM {S}.commitment WHERE ($1::uuid IS NULL OR forum_id = $1)"
    sql += " AND ($2::text IS NULL OR $2 = ANY(region_codes)) ORDER BY made_on DESC, id"
    return [r["doc"] for r in await pool.fetch(sql, forum_id, region_code)]


# Per-group counts every summary is made of; `today` decides what is overdue. Completion
# sums are weighted by each action's weight (projections/rollups.py divides by weight_sum).
_COUNTS = """
    count(*) AS actions,
    count(*) FILTER (WHERE status = 'planned') AS planned,
    count(*) FILTER (WHERE status = 'in_progress') AS in_progress,
    count(*) FILTER (WHERE status = 'completed') AS completed,
    count(*) FILTER (WHERE status = 'verified') AS verified,
    count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
    coalesce(sum(weight) FILTER (WHERE status <> 'cancelled'), 0) AS weight_sum,
    coalesce(sum(weight * completion) FILTER (WHERE status <> 'cancelled'), 0) AS completion_sum,
    coalesce(sum(weight * verified_completion) FILTER (WHERE status <> 'cancelled'), 0)
        AS verified_completion_sum,
    count(*) FILTER (WHERE status IN ('completed', 'verified')
                     AND completed_at::date <= due_on) AS on_time,
    count(*) FILTER (WHERE overdue_from <= $1) AS overdue,
    coalesce(sum(reports_total), 0) AS reports,
    coalesce(sum(reports_verified), 0) AS reports_verified,
    max(updated_at) AS last_activity
"""


async def counts_by(
    pool: Any, group: str, today: date, *, region: str | None = None, province: str | None = None
) -> list[Any]:
    """Counts per region_code or province_code (or one row for everything: group=''), of
    one region's or one province's actions if asked."""
    assert group in ("region_code", "province_code", "")
    select = f"{group}, " if group else ""
    sql = f"SELECT {select}{_COUNTS} FROM {S}.action"
    args: list[Any] = [today]
    if region is not None:
        args.append(region)
        sql += " WHERE region_code = $2"
    elif province is not None:
        args.append(province)
        sql += " WHERE province_code = $2"
    if group:
        sql += f" GROUP BY {group}"
    return list(await pool.fetch(sql, *args))


async def counts_by_commitment_region(pool: Any, forum_id: UUID, today: date) -> list[Any]:
    """Counts per commitment and region for one forum's actions."""
    sql = f"""
        SELECT commitment_id, region_code, province_code, {_COUNTS}
        FROM {S}.action WHERE forum_id = $2
        GROUP BY commitment_id, region_code, province_code
    """
    return list(await pool.fetch(sql, today, forum_id))


async def matrix(pool: Any, dimension: str, province: str | None) -> list[Any]:
    """Actions and weighted mean completion per region and RPJMN PN (or KKP HAM criterion)."""
    source = {
        "rpjmn": f"{S}.action a CROSS JOIN LATERAL unnest(a.rpjmn_pns) AS k(key)",
        "kkp": f"{S}.action a CROSS JOIN LATERAL (SELECT a.kkp_criterion::text) AS k(key)",
    }[dimension]
    sql = f"""
        SELECT a.region_code, k.key, count(*) AS actions,
               sum(a.weight * a.completion) / sum(a.weight) AS completion,
               sum(a.weight * a.verified_completion) / sum(a.weight) AS verified_completion
        FROM {source}
        WHERE a.status <> 'cancelled' AND k.key IS NOT NULL
          AND ($1::text IS NULL OR a.province_code = $1)
        GROUP BY a.region_code, k.key ORDER BY a.region_code, k.key
    """
    return list(await pool.fetch(sql, province))


async def indicator_totals(pool: Any, province: str | None) -> list[Any]:
    sql = f"""
        SELECT indicator_name, indicator_unit, count(*) AS actions,
               coalesce(sum(indicator_value), 0) AS reported,
               coalesce(sum(indicator_target), 0) AS regional_target
        FROM {S}.action
        WHERE indicator_name IS NOT NULL AND status <> 'cancelled'
          AND ($1::text IS NULL OR province_code = $1)
        GROUP BY indicator_name, indicator_unit ORDER BY indicator_name
    """
    return list(await pool.fetch(sql, province))


async def timeline(pool: Any, column: str, code: str, limit: int, before: int | None) -> list[Any]:
    assert column in ("region_codes", "province_codes")
    sql = f"""
        SELECT position, aggregate, aggregate_id, type, at, actor_role, actor_office, title
        FROM {S}.activity WHERE {column} @> ARRAY[$1::text] AND position < $2
        ORDER BY position DESC LIMIT $3
    """
    return list(await pool.fetch(sql, code, before or 2**62, limit))


async def freshness(pool: Any) -> tuple[int, Any]:
    """The catalogue's position and when it moved: what ETag and Last-Modified are made of."""
    row = await pool.fetchrow(
        f"SELECT position, updated_at FROM {S}.position WHERE name = $1", catalog.NAME
    )
    return (int(row["position"]), row["updated_at"]) if row else (0, None)


# -- activity lines: feeds, live updates ------------------------------------------------------
_ACTIVITY_SCOPE = {  # $N is the scope's value; "" means every change
    "": "TRUE",
    "national": "TRUE",
    "region": "a.region_codes @> ARRAY[{v}::text]",  # @>: the GIN index serves it
    "province": "a.province_codes @> ARRAY[{v}::text]",
    "action": "a.aggregate_id = {v}",
    "forum": f"""(a.aggregate_id = {{v}}
        OR a.aggregate_id IN (SELECT id FROM {S}.commitment WHERE forum_id = {{v}})
        OR a.aggregate_id IN (SELECT id FROM {S}.action WHERE forum_id = {{v}}))""",
}
RECORD_TABLES = frozenset({"forum", "commitment", "action"})


async def title_of(pool: Any, table: str, ident: UUID) -> str | None:
    """The title of a forum, commitment or action; None if there is none with that id."""
    assert table in RECORD_TABLES
    title: str | None = await pool.fetchval(f"SELECT title FROM {S}.{table} WHERE id = $1", ident)
    return title


async def feed_rows(pool: Any, kind: str, key: Any, limit: int) -> list[Any]:
    """The newest activity lines of a scope (national, province, region, forum, action),
    with the forum of a commitment so an entry can link to its page."""
    where = _ACTIVITY_SCOPE[kind].format(v="$2")
    sql = f"""
        SELECT a.position, a.aggregate, a.aggregate_id, a.type, a.at, a.actor_role,
               a.actor_office, a.title, a.region_codes, a.province_codes, a.detail,
               c.forum_id AS commitment_forum_id
        FROM {S}.activity a LEFT JOIN {S}.commitment c ON c.id = a.aggregate_id
        WHERE {where} ORDER BY a.position DESC LIMIT $1
    """
    args = (limit, key) if "{v}" in _ACTIVITY_SCOPE[kind] else (limit,)
    return list(await pool.fetch(sql, *args))


async def activity_between(pool: Any, kind: str, value: Any, after: int, upto: int) -> list[Any]:
    """What changed in a scope between two positions (live updates)."""
    where = _ACTIVITY_SCOPE[kind].format(v="$3")
    sql = f"""SELECT a.position, a.type, a.title FROM {S}.activity a
        WHERE a.position > $1 AND a.position <= $2 AND {where} ORDER BY a.position"""
    args = (after, upto, value) if "{v}" in _ACTIVITY_SCOPE[kind] else (after, upto)
    return list(await pool.fetch(sql, *args))
