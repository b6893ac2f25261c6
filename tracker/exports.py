"""Lists as XLSX: the same columns as the CSV on the first sheet, the data dictionary (each
column's name, type and meaning) on the second. Text is always stored as text: a title that
begins with "=" stays a title, never a formula a spreadsheet would run."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(sheet: WriteOnlyWorksheet, value: Any, bold: bool = False) -> Cell:
    if isinstance(value, list | tuple):
        value = "; ".join("" if v is None else str(v) for v in value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx(
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    dictionary: Sequence[tuple[str, str, str]] = (),
    dictionary_title: str = "Kamus data",
) -> bytes:
    """`dictionary`: (column, type, meaning) per column, as the /data page shows it."""
    book = Workbook(write_only=True)
    data = book.create_sheet(title[:31])
    data.append([_cell(data, h, bold=True) for h in header])
    for row in rows:
        data.append([_cell(data, v) for v in row])
    if dictionary:
        words = book.create_sheet(dictionary_title[:31])
        for entry in dictionary:
            words.append([_cell(words, v) for v in entry])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
