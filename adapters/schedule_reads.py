"""The read models' answers about what is due and who was told: the reporting schedules
set (one per year) and the reminders of places, for the workspace inbox."""

from __future__ import annotations

from typing import Any

from adapters.readstore import LIVE as S


async def list_schedules(pool: Any) -> list[str]:
    """The reporting schedules set, one per year, oldest year first."""
    rows = await pool.fetch(f"SELECT public_doc AS doc FROM {S}.schedule ORDER BY year")
    return [r["doc"] for r in rows]


async def list_reminders(pool: Any, places: list[str] | None, limit: int) -> list[str]:
    """The newest reminders of these regions or provinces (None: all): the caller shows each
    only to the accounts it is addressed to."""
    sql = f"""SELECT public_doc AS doc FROM {S}.reminder
    WHERE $1::text[] IS NULL OR region_code = ANY($1) OR province_code = ANY($1)
    ORDER BY issued_at DESC, id LIMIT $2"""
    return [r["doc"] for r in await pool.fetch(sql, places, limit)]
