"""An uploaded file → a header and rows of cell values, or one clear refusal.

What offices actually upload is checked before anything is parsed: the size (10 MB), an
empty file, a password-protected workbook or an old .xls (both OLE files), a zip that is
not a workbook or would inflate far beyond its size, then, in the workbook, merged cells and
formulas (the tracker records values someone stands behind, not what a formula gave today).
CSV is read as UTF-8 (with or without BOM) or, failing that, Windows-1252, the encoding
spreadsheet programs on office PCs still write; `;`, `,` and tab separators are recognised.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from typing import NamedTuple

from openpyxl import load_workbook

from domain.errors import InvalidInput

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 10_000
MAX_INFLATED = 100 * 1024 * 1024  # what every part of the zip may unpack to, in all
MAX_RATIO = 200  # a part that unpacks to more than 200× its stored size is not a workbook
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
META_SHEET = "_templat"

Cell = str | int | float | date | datetime | None


class Sheet(NamedTuple):
    header: list[str]
    rows: list[tuple[int, list[Cell]]]  # (row number as the spreadsheet shows it, cells)
    meta: dict[str, str]  # from the template's hidden sheet: name and version
    skipped: int  # empty rows left out


def read(content: bytes) -> Sheet:
    if len(content) > MAX_BYTES:
        raise InvalidInput("file-too-large", max_mb=MAX_BYTES // (1024 * 1024))
    if not content.strip():
        raise InvalidInput("import-empty")
    if content.startswith(OLE):
        raise InvalidInput("file-protected")
    if content.startswith(b"PK\x03\x04"):
        return _workbook(content)
    return _csv(content)


def _guard_zip(content: bytes) -> None:
    try:
        parts = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except zipfile.BadZipFile:
        raise InvalidInput("not-a-spreadsheet") from None
    if any(p.flag_bits & 0x1 for p in parts):
        raise InvalidInput("file-protected")
    inflated = sum(p.file_size for p in parts)
    if inflated > MAX_INFLATED or any(
        p.file_size > MAX_RATIO * max(p.compress_size, 1024) for p in parts
    ):
        raise InvalidInput("zip-bomb")
    if "xl/workbook.xml" not in {p.filename for p in parts}:
        raise InvalidInput("not-a-spreadsheet")


def _workbook(content: bytes) -> Sheet:
    _guard_zip(content)
    try:
        book = load_workbook(io.BytesIO(content), data_only=False)
    except Exception:  # openpyxl raises many types for a damaged part
        raise InvalidInput("not-a-spreadsheet") from None
    meta: dict[str, str] = {}
    if META_SHEET in book.sheetnames:
        for key, value, *_ in book[META_SHEET].iter_rows(max_col=2, values_only=True):
            if key is not None:
                meta[str(key)] = "" if value is None else str(value)
    sheet = book.worksheets[0]
    if sheet.merged_cells.ranges:
        first = min(str(r) for r in sheet.merged_cells.ranges)
        raise InvalidInput("merged-cells", cells=first)
    if sheet.max_row - 1 > MAX_ROWS:
        raise InvalidInput("too-many-rows", max=MAX_ROWS)
    grid = []
    for cells in sheet.iter_rows():
        for cell in cells:
            if cell.data_type == "f":
                raise InvalidInput("formula-cell", cell=cell.coordinate)
        grid.append([_value(c.value) for c in cells])
    return _table(grid, meta)


def _table(grid: list[list[Cell]], meta: dict[str, str]) -> Sheet:
    """The first row as the header; rows with every cell empty are counted, not kept."""
    header = [str(v).strip() if v is not None else "" for v in (grid[0] if grid else [])]
    rows: list[tuple[int, list[Cell]]] = []
    skipped = 0
    for number, values in enumerate(grid[1:], start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            skipped += 1
        else:
            rows.append((number, values))
    return Sheet(header, rows, meta, skipped)


def _value(raw: object) -> Cell:
    if raw is None or isinstance(raw, str | int | float | date):
        return raw
    return str(raw)


def _decode(content: bytes) -> str:
    if b"\x00" in content[:4096]:  # UTF-16, a PDF, an image: not a CSV we can read
        raise InvalidInput("not-a-spreadsheet")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="strict")


def _csv(content: bytes) -> Sheet:
    try:
        text = _decode(content)
    except UnicodeDecodeError:
        raise InvalidInput("not-a-spreadsheet") from None
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    if first.count(delimiter) == 0:
        raise InvalidInput("not-a-spreadsheet")
    lines = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if len(lines) - 1 > MAX_ROWS:
        raise InvalidInput("too-many-rows", max=MAX_ROWS)
    grid: list[list[Cell]] = [list(line) for line in lines]
    return _table(grid, {})
