"""The workspace's lists as files (`?format=csv` or `?format=xlsx` on the page's own URL, with
its filters): the same columns in both, the XLSX with the data dictionary as a second sheet.
The review queue, compliance per period and the region's action plan use it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import anyio.to_thread
from litestar import Request, Response

from projections.audit import to_csv
from tracker import catalogue
from tracker.exports import XLSX_MEDIA, xlsx
from tracker.web.render import lang_of

FORMATS = ("csv", "xlsx")


class Col(NamedTuple):
    key: str
    type: str  # as the open-data dictionary names types (data.type.<type>)


PLAN_COLUMNS = (
    Col("id", "uuid"),
    Col("title", "text"),
    Col("owner_opd", "text"),
    Col("status", "text"),
    Col("due_on", "date"),
    Col("kkp_criterion", "int"),
    Col("indicator_type", "text"),
    Col("weight", "int"),
    Col("claimed", "number"),
    Col("verified", "number"),
)
BOARD_COLUMNS = (Col("region_code", "text"), *PLAN_COLUMNS)


def action_rows(actions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Action documents as rows: their plan, and the figures as the domain counted them."""
    return [
        {
            **{c.key: a.get(c.key) for c in BOARD_COLUMNS},
            "claimed": (a.get("figures") or {}).get("completion"),
            "verified": (a.get("figures") or {}).get("verified_completion"),
        }
        for a in actions
    ]


def wanted(request: Request[Any, Any, Any]) -> str | None:
    chosen = request.query_params.get("format", "")
    return chosen if chosen in FORMATS else None


async def table(
    request: Request[Any, Any, Any],
    stem: str,
    columns: Sequence[Col],
    rows: Sequence[Mapping[str, Any]],
    chosen: str,
) -> Response[bytes]:
    lang = lang_of(request)
    keys = [c.key for c in columns]
    headers = {
        "Content-Disposition": f'attachment; filename="{stem}.{chosen}"',
        "Cache-Control": "no-store",
    }
    if chosen == "csv":
        return Response(to_csv(rows, keys).encode("utf-8"), media_type="text/csv", headers=headers)

    def t(key: str) -> str:
        return catalogue.text(lang, key)

    words = [(t("data.column"), t("data.type"), t("data.meaning"))]
    words += [(c.key, t(f"data.type.{c.type}"), t(f"work.dl.{c.key}")) for c in columns]
    values = [[row.get(k) for k in keys] for row in rows]
    content = await anyio.to_thread.run_sync(
        lambda: xlsx(stem, keys, values, words, t("data.dictionary"))
    )
    return Response(content, media_type=XLSX_MEDIA, headers=headers)
