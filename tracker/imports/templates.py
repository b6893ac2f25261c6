"""The two import templates — a region's action plan and a period's progress — as columns,
and the files a coordinator downloads: an XLSX with the headers, drop-down lists where a
column takes one of a few values, the region's own actions prefilled (progress), a sheet of
instructions and a hidden sheet naming the template and its version; or a plain CSV.

A column's key is the workspace form field the value feeds (tracker/fields/plans.py,
reports.py), so a row becomes a command exactly as a form does, and a refusal that
names a field names the column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any, NamedTuple

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from adapters.reference_data import kkp_criteria, national_priorities
from domain.errors import InvalidInput
from domain.period import PeriodKind
from domain.values import IndicatorType
from tracker import catalogue
from tracker.imports.sheets import META_SHEET

MARKER = "tracker-templat"


class Column(NamedTuple):
    key: str
    kind: str = "text"  # text | date | number | choice | info (shown, not read)
    required: bool = False
    width: int = 18


class Template(NamedTuple):
    name: str
    version: str
    columns: tuple[Column, ...]

    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


PLAN = Template(
    "rencana-aksi",
    "1",
    (
        Column("commitment", "choice", True, 40),
        Column("title", required=True, width=40),
        Column("owner_opd", required=True, width=24),
        Column("due_on", "date", True, 14),
        Column("description", width=40),
        Column("partners", width=30),
        Column("rpjmn_pn", "choice", width=10),
        Column("rpjmn_code", width=12),
        Column("kkp_criterion", "choice", width=10),
        Column("indicator_type", "choice", width=14),
        Column("indicator_name", width=30),
        Column("indicator_unit", width=12),
        Column("indicator_baseline", "number", width=12),
        Column("indicator_target", "number", width=12),
        Column("cadence", "choice", width=16),
        Column("weight", "number", width=8),
    ),
)
PROGRESS = Template(
    "laporan",
    "1",
    (
        Column("action_id", required=True, width=38),
        Column("action_title", "info", width=40),
        Column("step_id", width=38),
        Column("owner_opd", "info", width=22),
        Column("period", required=True, width=12),
        Column("percent", "number", width=10),
        Column("indicator_value", "number", width=12),
        Column("narrative", required=True, width=50),
        Column("evidence_url", width=40),
        Column("evidence_title", width=30),
    ),
)
TEMPLATES = {t.name: t for t in (PLAN, PROGRESS)}


def header(template: Template, lang: str) -> list[str]:
    return [catalogue.text(lang, f"import.col.{c.key}") for c in template.columns]


def identify(found: Sequence[str], meta: dict[str, str]) -> Template:
    """Which template a file follows, by its hidden sheet or else its headers (in either
    language); the wrong version or unknown headers are refused with what was expected."""
    if meta.get(MARKER):
        template = TEMPLATES.get(meta[MARKER])
        if template is None:
            raise InvalidInput("import-template", template=meta[MARKER])
        if meta.get("versi") != template.version:
            raise InvalidInput(
                "template-version", found=meta.get("versi") or "-", version=template.version
            )
    given = [h.strip().casefold() for h in found if h and h.strip()]
    for template in TEMPLATES.values():
        for lang in catalogue.LANGUAGES:
            if given == [h.casefold() for h in header(template, lang)]:
                return template
    expected = ", ".join(header(PLAN, "id"))
    raise InvalidInput("import-header", expected=expected)


def choices(key: str, lang: str, commitments: Sequence[dict[str, Any]]) -> list[str]:
    """The values a drop-down offers for a choice column."""
    if key == "commitment":
        return [c["title"] for c in commitments]
    if key == "rpjmn_pn":
        return [p.code for p in national_priorities()]
    if key == "kkp_criterion":
        return [str(k.number) for k in kkp_criteria()]
    if key == "indicator_type":
        return [catalogue.text(lang, f"indicator_type.{v.value}") for v in IndicatorType]
    if key == "cadence":
        return [catalogue.text(lang, f"cadence.{k.value}") for k in PeriodKind]
    return []


def _rule(lists: Any, index: int, column: Column, offered: list[str]) -> DataValidation | None:
    """The drop-down (its values written to the hidden list sheet) or the range a column's
    cells are checked against while someone types."""
    letter = get_column_letter(index)
    if offered:
        for n, value in enumerate(offered, start=1):
            lists.cell(row=n, column=index, value=value)
        source = f"Daftar!${letter}$1:${letter}${len(offered)}"
        return DataValidation(type="list", formula1=f"={source}", allow_blank=True)
    if column.kind == "number":
        return DataValidation(type="decimal", operator="between", formula1="0", formula2="1e12")
    if column.kind == "date":  # a day after 2000-01-01
        return DataValidation(type="date", operator="greaterThan", formula1="36526")
    return None


def workbook(
    template: Template,
    lang: str,
    rows: Sequence[Sequence[Any]],
    commitments: Sequence[dict[str, Any]] = (),
) -> bytes:
    book = Workbook()
    data = book.active
    assert data is not None
    data.title = catalogue.text(lang, f"import.sheet.{template.name}")
    data.append(header(template, lang))
    for cell in data[1]:
        cell.font = Font(bold=True)
    data.freeze_panes = "A2"
    for row in rows:
        data.append(list(row))
        for cell in data[data.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # an action titled "=…" is text, never a formula
    lists = book.create_sheet("Daftar")
    last = max(len(rows) + 1, 2000)
    for index, column in enumerate(template.columns, start=1):
        data.column_dimensions[get_column_letter(index)].width = column.width
        rule = _rule(lists, index, column, choices(column.key, lang, commitments))
        if rule is not None:
            letter = get_column_letter(index)
            rule.add(f"{letter}2:{letter}{last}")
            data.add_data_validation(rule)
    lists.sheet_state = "hidden"
    help_sheet = book.create_sheet(catalogue.text(lang, "import.sheet.help"))
    help_sheet.column_dimensions["A"].width = 110
    for line in catalogue.text(lang, f"import.help.{template.name}").split("\n"):
        help_sheet.append([line])
    meta = book.create_sheet(META_SHEET)
    meta.append([MARKER, template.name])
    meta.append(["versi", template.version])
    meta.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_file(template: Template, lang: str, rows: Sequence[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header(template, lang))
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM tells Excel it is UTF-8
