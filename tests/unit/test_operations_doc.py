"""docs/operations.md is the configuration reference: every Settings field has a row with
its environment variable (which really sets that field) and its default, and every
TRACKER_* variable the code reads is described."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from tracker.settings import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "operations.md"
ROOTS = ("tracker", "adapters", "domain", "projections")
# A value each variable accepts that differs from its default (the rest are plain values).
SAMPLES = {
    "log_format": "json",
    "cookie_secure_setting": "true",
    "smtp_tls": "ssl",
    "reminders": "off",
    "delivery": "off",
}


def _rows() -> dict[str, tuple[str, str]]:
    """Settings field -> (environment variable, default), from the configuration table."""
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[2].startswith("`") and cells[2] != "Setting":
            rows[cells[2].strip("`")] = (cells[0].strip("`"), cells[3].strip("`"))
    return rows


def _sample(field: dataclasses.Field[object]) -> str:
    if field.name in SAMPLES:
        return SAMPLES[field.name]
    default = field.default
    if isinstance(default, bool):
        return "off" if default else "on"
    if isinstance(default, int | float) and not isinstance(default, bool):
        return str(default + 7)
    return "srv/elsewhere" if "file" in field.name or "dir" in field.name else "lain"


def test_every_setting_is_described() -> None:
    fields = {field.name for field in dataclasses.fields(Settings)}
    rows = _rows()
    assert set(rows) == fields, set(rows) ^ fields


@pytest.mark.parametrize("field", dataclasses.fields(Settings), ids=lambda f: f.name)
def test_each_variable_sets_its_setting_and_the_default_is_true(
    field: dataclasses.Field[object],
) -> None:
    env, default = _rows()[field.name]
    expected = "unset" if field.default is None else str(field.default)
    if isinstance(field.default, bool) and env:  # as the variable is written: on / off
        expected = "on" if field.default else "off"
    assert default == expected, (field.name, default, expected)
    if not env:  # a flag only (serve --demo, serve --no-workers)
        return
    value = _sample(field)
    changed = getattr(Settings.from_env({env: value}), field.name)
    assert changed != getattr(Settings.from_env({}), field.name), (env, value)


def test_every_variable_the_code_reads_is_described() -> None:
    text = DOC.read_text(encoding="utf-8")
    read = set()
    for root in ROOTS:
        for path in (DOC.parents[1] / root).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            read |= set(re.findall(r"environ(?:\.get)?\(\s*\"(TRACKER_[A-Z_]+)\"", source))
            read |= set(re.findall(r"env(?:\.get)?\(\s*\"(TRACKER_[A-Z_]+)\"", source))
            read |= set(re.findall(r"env\[\"(TRACKER_[A-Z_]+)\"\]", source))
    assert len(read) >= 20, read
    missing = sorted(name for name in read if f"`{name}`" not in text)
    assert not missing, missing
