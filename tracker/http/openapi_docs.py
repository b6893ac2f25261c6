"""Response schemas of the reads that answer aggregate documents (one forum, commitment or
action, and the lists of them), derived with msgspec from the domain's state types, so the
document follows the code. Lists and anonymous reads carry the public form, which leaves
private keys out (projections/public.py): no property is required. Other reads still
answer an untyped object."""

from __future__ import annotations

from typing import Any

import msgspec

from domain.registry import AGGREGATE_STATES

RESPONDS = "responds"  # a handler's opt: ("one" | "list" | "history", aggregate kind)
PREFIX = "Doc"  # components of ours beside litestar's, whatever their class names
REF = "#/components/schemas/"
DOCUMENTED = ("forum", "commitment", "action")
FIGURES = {
    "type": "object",
    "description": "The action's figures as the domain counts them (projections/catalog.py).",
    "properties": {
        "completion": {"type": "number", "description": "claimed percent, verified or not"},
        "verified_completion": {"type": "number", "description": "percent a Kanwil verified"},
        "overdue_from": {"type": ["string", "null"], "format": "date"},
        "steps": {"type": "array", "items": {"type": "object"}},
        "series": {"type": "array", "items": {"type": "object"}},
        "years": {"type": "object"},
        "reporting": {"type": "object"},
    },
}


def document_components() -> dict[str, Any]:
    types = [AGGREGATE_STATES[kind] for kind in DOCUMENTED]
    _, found = msgspec.json.schema_components(types, ref_template=REF + PREFIX + "{name}")
    components = {PREFIX + name: _optional(schema) for name, schema in found.items()}
    action = components[PREFIX + AGGREGATE_STATES["action"].__name__]
    action["properties"] = {**action["properties"], "figures": FIGURES}
    return components


def _optional(schema: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in schema.items() if key != "required"}


HISTORY_ENTRY = {
    "type": "object",
    "description": "One stored event of the record (tracker/queries.py history), oldest first.",
    "required": ["position", "version", "type", "at", "actor", "data"],
    "properties": {
        "position": {"type": "integer", "description": "its place in the whole log"},
        "version": {"type": "integer", "description": "its place in this record"},
        "type": {"type": "string", "examples": ["ProgressReportSubmitted"]},
        "at": {"type": "string", "format": "date-time"},
        "actor": {"type": "object", "description": "role and office (account id for auditors)"},
        "data": {"type": "object", "description": "the event's own fields"},
    },
}


def response_schema(responds: tuple[str, str]) -> dict[str, Any]:
    shape, kind = responds
    if shape == "history":
        entries = {"type": "array", "items": HISTORY_ENTRY}
        return {"type": "object", "required": ["items"], "properties": {"items": entries}}
    one = {"$ref": REF + PREFIX + AGGREGATE_STATES[kind].__name__}
    if shape == "one":
        return one
    return {
        "type": "object",
        "required": ["items"],
        "properties": {
            "items": {"type": "array", "items": one},
            "next_cursor": {"type": ["string", "null"]},
        },
    }
