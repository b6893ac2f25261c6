"""A spreadsheet row → the command a workspace form would build from the same values.

Cells become the form's text fields (dates as ISO days, also from the dd/mm/yyyy offices
type; whole numbers without ".0"); drop-down labels in either language become their codes;
a commitment is named by its title (or id) among those the region signed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain import commands as c
from domain.errors import InvalidInput
from domain.period import PeriodKind
from domain.values import IndicatorType
from tracker import catalogue
from tracker.fields.plans import plan_command
from tracker.fields.reports import progress_command
from tracker.imports.sheets import Cell
from tracker.imports.templates import PLAN, Template

_DAY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
# The form field a refusal names → the column it is shown under, where the two differ.
COLUMN_OF_FIELD = {"commitment_id": "commitment"}


def text_of(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _day(raw: str) -> str:
    found = _DAY.fullmatch(raw)
    if found is None:
        return raw  # ISO already, or refused by the form's own date parsing
    day, month, year = (int(p) for p in found.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return raw


def _coded(raw: str, codes: Sequence[str], prefix: str) -> str:
    """A drop-down's label (Bahasa Indonesia or English) or its code → the code."""
    wanted = raw.casefold()
    for code in codes:
        labels = {code, *(catalogue.text(lang, f"{prefix}.{code}") for lang in catalogue.LANGUAGES)}
        if wanted in {label.casefold() for label in labels}:
            return code
    return raw


def _commitment(raw: str, commitments: Sequence[dict[str, Any]]) -> str:
    if not raw:
        raise InvalidInput("empty-text", field="commitment_id")
    for item in commitments:
        if raw.casefold() in (str(item["id"]), item["title"].casefold()):
            return str(item["id"])
    raise InvalidInput("import-commitment", title=raw)


def values_of(template: Template, cells: Sequence[Cell]) -> dict[str, str]:
    values = {
        column.key: text_of(cells[i] if i < len(cells) else None)
        for i, column in enumerate(template.columns)
        if column.kind != "info"
    }
    for column in template.columns:
        if column.kind == "date":
            values[column.key] = _day(values[column.key])
    return values


def command_of(
    template: Template,
    region_code: str,
    cells: Sequence[Cell],
    commitments: Sequence[dict[str, Any]],
) -> c.Command:
    values = values_of(template, cells)
    if template is PLAN:
        values["commitment_id"] = _commitment(values.pop("commitment"), commitments)
        values["indicator_type"] = _coded(
            values["indicator_type"], [v.value for v in IndicatorType], "indicator_type"
        )
        values["cadence"] = _coded(values["cadence"], [k.value for k in PeriodKind], "cadence")
        return plan_command(region_code, values)
    try:
        action_id = UUID(values["action_id"])
    except ValueError:
        raise InvalidInput("import-not-found", id=values["action_id"] or "-") from None
    return progress_command(action_id, values)
