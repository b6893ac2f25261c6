"""KKP HAM reads on PostgreSQL: the tagged actions readiness is folded from, and the
assessments (projections/kkp.py and tracker/queries_kkp.py use them)."""

from __future__ import annotations

from typing import Any

import msgspec

from adapters.readstore import LIVE as S


def _place_filter(column: str) -> str:
    """A place is a province ("33") or one region ("33.75")."""
    return f"($1::text IS NULL OR {column} = $1 OR province_code = $1)"


async def kkp_action_rows(pool: Any, place: str | None) -> list[dict[str, Any]]:
    """The KKP HAM-tagged actions of a place (or all) with what readiness reads of them:
    type, weight, status and the per-data-year figures (projections/kkp.py)."""
    sql = (
        "SELECT id, title, owner_opd, region_code, province_code, kkp_criterion, status, weight,"
        " public_doc->>'indicator_type' AS indicator_type,"
        " coalesce(public_doc->'figures'->'years', '{}'::jsonb)::text AS years"
        f" FROM {S}.action WHERE kkp_criterion IS NOT NULL AND {_place_filter('region_code')}"
        " ORDER BY region_code, id"
    )
    rows = await pool.fetch(sql, place)
    return [dict(r) | {"years": msgspec.json.decode(r["years"])} for r in rows]


async def list_assessments(pool: Any, data_year: int | None, place: str | None) -> list[str]:
    """KKP HAM assessments (public documents) of a data year and place, by region."""
    sql = (
        f"SELECT public_doc AS doc FROM {S}.assessment"
        f" WHERE {_place_filter('region_code')} AND ($2::int IS NULL OR data_year = $2)"
        " ORDER BY region_code, data_year"
    )
    return [r["doc"] for r in await pool.fetch(sql, place, data_year)]
