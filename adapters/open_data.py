"""The queries behind the open-data downloads (tracker/web/opendata.py declares the columns
and their meaning): public columns and public documents of the live read models only, and
the activity lines without account ids. One repeatable-read snapshot per download."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

from adapters.readstore import LIVE

S = LIVE
_DERIVED = {  # action columns that are not plain columns of rm.action
    "description": "public_doc->>'description' AS description",
    "overdue": "coalesce(overdue_from <= $1, false) AS overdue",
}
ACTIVITY_COLUMNS = frozenset(
    {
        "position",
        "at",
        "type",
        "aggregate",
        "aggregate_id",
        "title",
        "actor_role",
        "actor_office",
        "region_codes",
        "province_codes",
    }
)  # never actor_id


@asynccontextmanager
async def snapshot(pool: Any) -> AsyncIterator[Any]:
    """A read-only connection on one snapshot, so a download matches one position."""
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        yield conn


def _count(table: str, column: str, outer: str) -> str:
    return f"(SELECT count(*) FROM {S}.{table} x WHERE x.{column} = {outer}.id)"


async def action_rows(conn: Any, names: list[str], today: date) -> list[dict[str, Any]]:
    columns = ", ".join(_DERIVED.get(n, n) for n in names)
    sql = f"SELECT {columns} FROM {S}.action ORDER BY region_code, due_on, id"
    return [dict(r) for r in await conn.fetch(sql, today)]


async def commitment_rows(conn: Any) -> list[dict[str, Any]]:
    sql = f"""SELECT c.id, c.forum_id, c.title, c.status, c.made_on, c.rpjmn_pns,
        c.kkp_criteria, c.updated_at, c.public_doc->>'summary' AS summary, f.title AS forum_title,
        c.region_codes AS signatory_codes, {_count("action", "commitment_id", "c")} AS actions,
        ARRAY(SELECT s->>'office' FROM jsonb_array_elements(c.public_doc->'signatories') s)
            AS signatory_offices
        FROM {S}.commitment c LEFT JOIN {S}.forum f ON f.id = c.forum_id
        ORDER BY c.made_on DESC, c.id"""
    return [dict(r) for r in await conn.fetch(sql)]


async def forum_rows(conn: Any) -> list[dict[str, Any]]:
    sql = f"""SELECT f.public_doc, f.updated_at, {_count("commitment", "forum_id", "f")}
        AS commitments, {_count("action", "forum_id", "f")} AS actions
        FROM {S}.forum f ORDER BY f.starts_on DESC, f.id"""
    return [dict(r) for r in await conn.fetch(sql)]


async def action_docs(conn: Any) -> list[Any]:
    sql = f"SELECT public_doc FROM {S}.action ORDER BY region_code, due_on, id"
    return [r["public_doc"] for r in await conn.fetch(sql)]


async def activity_rows(conn: Any, names: list[str]) -> list[dict[str, Any]]:
    assert set(names) <= ACTIVITY_COLUMNS, "account ids never leave the read store"
    sql = f"SELECT {', '.join(names)} FROM {S}.activity ORDER BY position DESC"
    return [dict(r) for r in await conn.fetch(sql)]
