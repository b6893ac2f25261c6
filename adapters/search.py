"""The portal search (PostgreSQL full text): actions, commitments and forums by the words
each catalogue row carries in `search_text`."""

from __future__ import annotations

from typing import Any

from adapters.readstore import LIVE as S

# The portal search: PostgreSQL full text with its Indonesian (snowball) configuration over
# the `search_text` each projection row carries (projections/catalog.py says what is in it).
_SEARCH = """
    WITH q AS (SELECT websearch_to_tsquery('indonesian', $1) AS q)
    SELECT kind, id, title, place, rank FROM (
        SELECT 'action' AS kind, a.id, a.title, a.region_code AS place,
               ts_rank(to_tsvector('indonesian', a.search_text), q.q) AS rank
        FROM {s}.action a, q WHERE to_tsvector('indonesian', a.search_text) @@ q.q
        UNION ALL
        SELECT 'commitment', c.id, c.title, NULL,
               ts_rank(to_tsvector('indonesian', c.search_text), q.q)
        FROM {s}.commitment c, q WHERE to_tsvector('indonesian', c.search_text) @@ q.q
        UNION ALL
        SELECT 'forum', f.id, f.title, f.host_region_code,
               ts_rank(to_tsvector('indonesian', f.search_text), q.q)
        FROM {s}.forum f, q WHERE to_tsvector('indonesian', f.search_text) @@ q.q
    ) hits
    ORDER BY rank DESC, kind, title, id LIMIT $2
"""


async def search(pool: Any, text: str, limit: int) -> list[dict[str, Any]]:
    """Actions, commitments and forums matching the words, best first: kind, id, title,
    place (an action's region, a forum's host; none for a commitment)."""
    rows = await pool.fetch(_SEARCH.format(s=S), text, limit)
    return [{k: r[k] for k in ("kind", "id", "title", "place")} for r in rows]
