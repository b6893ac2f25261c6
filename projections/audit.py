"""The audit trail of one record: every event with who did it, and which fields it changed.

Pure: the caller reads the events; the states before and after each event come from the
domain's own `evolve`, so the diff shows exactly what the aggregate recorded. Paths are
dotted, with list items matched by their `id` where they have one:
`due_on`, `reports[<report id>].status`, `reports[<report id>].evidence[0].url`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import msgspec

from domain.events import DomainEvent
from domain.registry import EVOLVERS
from projections import public

IGNORED = frozenset({"version", "updated_at"})  # bookkeeping every event moves
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class Change(msgspec.Struct, frozen=True):
    path: str
    before: Any
    after: Any


def field_changes(before: Any, after: Any) -> list[Change]:
    """Field-level differences between two builtins documents (dicts, lists, scalars).

    `version` and `updated_at` at the top level are ignored. A key that appears or
    disappears counts as a change from / to None."""
    changes: list[Change] = []
    if isinstance(before, dict) and isinstance(after, dict):
        before = {k: v for k, v in before.items() if k not in IGNORED}
        after = {k: v for k, v in after.items() if k not in IGNORED}
    _diff("", before, after, changes)
    return changes


def _same(before: Any, after: Any) -> bool:
    # 1 == True == 1.0 in Python, but a flag turning into a number is a change.
    return type(before) is type(after) and before == after


def _key(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def _diff(path: str, before: Any, after: Any, out: list[Change]) -> None:
    if isinstance(before, dict) and isinstance(after, dict):
        keys = [*before, *(k for k in after if k not in before)]
        for key in keys:
            _diff(_key(path, key), before.get(key), after.get(key), out)
    elif isinstance(before, list | tuple) and isinstance(after, list | tuple):
        before, after = list(before), list(after)  # to_builtins keeps tuples as tuples
        if _keyed(before) and _keyed(after) and (before or after):
            _diff_by_id(path, before, after, out)
        else:
            _diff_by_index(path, before, after, out)
    elif not _same(before, after):
        out.append(Change(path, before, after))


def _keyed(items: list[Any]) -> bool:
    """A list of dicts each carrying a distinct `id`."""
    if not all(isinstance(item, dict) and item.get("id") is not None for item in items):
        return False
    ids = [str(item["id"]) for item in items]
    return len(set(ids)) == len(ids)


def _diff_by_id(path: str, before: list[Any], after: list[Any], out: list[Change]) -> None:
    old = {str(item["id"]): item for item in before}
    new = {str(item["id"]): item for item in after}
    for ident in [*old, *(i for i in new if i not in old)]:
        item_path = f"{path}[{ident}]"
        if ident not in new:
            out.append(Change(item_path, old[ident], None))
        elif ident not in old:
            out.append(Change(item_path, None, new[ident]))
        else:
            _diff(item_path, old[ident], new[ident], out)


def _diff_by_index(path: str, before: list[Any], after: list[Any], out: list[Change]) -> None:
    for index in range(max(len(before), len(after))):
        item_path = f"{path}[{index}]"
        if index >= len(after):
            out.append(Change(item_path, before[index], None))
        elif index >= len(before):
            out.append(Change(item_path, None, after[index]))
        else:
            _diff(item_path, before[index], after[index], out)


Recorded = tuple[int, int, DomainEvent]  # (position, version, event) as stored


def audit_trail(
    kind: str, rows: Iterable[Recorded], *, drafts: bool = False
) -> list[dict[str, Any]]:
    """One entry per event, oldest first: position, version, type, when, the full actor
    (with account id), the event's own data and the fields it changed. Report drafts only
    with `drafts` (the region's own accounts): otherwise neither their events nor the
    `drafts` field appear."""
    evolve = EVOLVERS[kind]
    state: Any = None
    before: Any = {}
    entries: list[dict[str, Any]] = []
    for position, version, event in rows:
        state = evolve(state, event)
        after = msgspec.to_builtins(state)
        if not drafts:
            after = public.without_drafts(after)
            if public.is_private_event(type(event).__name__):
                before = after
                continue
        data = msgspec.to_builtins(event)
        data.pop("type", None)
        entries.append(
            {
                "position": position,
                "version": version,
                "type": type(event).__name__,
                "at": data.pop("at"),
                "actor": data.pop("actor"),
                "data": data,
                "changes": msgspec.to_builtins(field_changes(before, after)),
            }
        )
        before = after
    return entries


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        text = " ".join("" if item is None else str(item) for item in value)
    elif isinstance(value, str):
        text = value
    else:
        return str(value)  # numbers and ids are never formulas
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """RFC 4180 CSV (CRLF, quoted where needed) with a header row. Text cells that a
    spreadsheet would run as a formula (= + - @, tab, CR) are prefixed with an apostrophe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return buffer.getvalue()
