"""A template as a region downloads it: the progress sheet lists the region's open actions
(one row per step on an action split into steps) so an OPD only fills in the figures; the
plan sheet offers the commitments the region signed in its drop-down."""

from __future__ import annotations

from typing import Any

from adapters import readmodels
from tracker import queries
from tracker.imports.templates import PLAN, Template, csv_file, workbook
from tracker.ports import ReadStore

OPEN = ("planned", "in_progress")


async def progress_rows(data: ReadStore, region_code: str) -> list[list[Any]]:
    rows: list[list[Any]] = []
    where = readmodels.ActionFilter(region_code=region_code)
    for action in await queries.all_actions(data, where):
        if action["status"] not in OPEN:
            continue
        steps = action.get("steps") or []
        if not steps:
            rows.append([action["id"], action["title"], None, action["owner_opd"]])
        for step in steps:
            title = f"{action['title']} — {step['title']}"
            rows.append([action["id"], title, step["id"], step["owner_opd"]])
    return rows


async def template_file(
    data: ReadStore, template: Template, region_code: str, lang: str, as_xlsx: bool
) -> bytes:
    if template is PLAN:
        signed = await queries.commitments(data, region_code=region_code)
        commitments = [c for c in signed if c.get("status") != "withdrawn"]
        rows: list[list[Any]] = []
    else:
        commitments, rows = [], await progress_rows(data, region_code)
    if as_xlsx:
        return workbook(template, lang, rows, commitments)
    return csv_file(template, lang, rows)
