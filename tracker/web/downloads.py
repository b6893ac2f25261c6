"""The workspace's lists as files (`?format=csv` or `?format=xlsx` on the page's own URL, with
its filters): the same columns in both, the XLSX with the data dictionary as a second sheet.
The review queue, compliance per period and the region's action plan use it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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

    entries = [(c.key, c.type, f"work.dl.{c.key}") for c in columns]
    values = [[row.get(k) for k in keys] for row in rows]
    content = await anyio.to_thread.run_sync(described_xlsx, lang, stem, entries, values)
    return Response(content, media_type=XLSX_MEDIA, headers=headers)


def described_xlsx(
    lang: str,
    title: str,
    entries: Sequence[tuple[str, str, str]],
    values: Iterable[Sequence[Any]],
) -> bytes:
    """The rows under their column names, and the dictionary sheet: per (name, type, key of
    its meaning) the name, the type and the meaning in `lang`."""

    def t(key: str) -> str:
        return catalogue.text(lang, key)

    words = [(t("data.column"), t("data.type"), t("data.meaning"))]
    words += [(name, t(f"data.type.{kind}"), t(meaning)) for name, kind, meaning in entries]
    names = [name for name, _, _ in entries]
    return xlsx(title, names, values, words, t("data.dictionary"))
