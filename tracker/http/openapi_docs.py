"""Response schemas of the reads that answer aggregate documents (one forum, commitment or
action, and the lists of them), derived with msgspec from the domain's state types, so the
document follows the code. Lists and anonymous reads carry the public form, which leaves
private keys out (projections/public.py): no property is required. Other reads still
answer an untyped object."""

from __future__ import annotations

from typing import Any

import msgspec

from domain.ledger.checkpoint import InclusionProof
from domain.regions import Region
from domain.registry import AGGREGATE_STATES

RESPONDS = "responds"  # a handler's opt: ("one" | "list" | "history", aggregate kind),
# ("figures", "region" | "national") for the ranked summaries, ("ledger", "checkpoint" |
# "proof" | "key") for the audit ledger's answers (docs/audit.md), ("accounts", "list" |
# "me") for the account reads
PREFIX = "Doc"  # components of ours beside litestar's, whatever their class names
REF = "#/components/schemas/"
DOCUMENTED = ("forum", "commitment", "action", "period", "assessment")
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


NUMBER_OR_NULL = {"type": ["number", "null"]}
SUMMARY = {
    "type": "object",
    "description": (
        "What the figures are (projections/rollups.py, docs/figures.md). `completion` is what "
        "regions claim, verified or not; `verified_completion` only what a Kanwil verified; "
        "both weighted means of action percentages, null without actions."
    ),
    "required": ["actions", "by_status", "completion", "verified_completion", "overdue"],
    "properties": {
        "actions": {"type": "integer"},
        "by_status": {"type": "object", "additionalProperties": {"type": "integer"}},
        "completion": {**NUMBER_OR_NULL, "description": "claimed percent"},
        "verified_completion": {**NUMBER_OR_NULL, "description": "verified percent"},
        "on_time_share": {**NUMBER_OR_NULL, "description": "of finished actions, 0-1"},
        "overdue": {"type": "integer"},
        "verified_share": {**NUMBER_OR_NULL, "description": "of reports, 0-1"},
        "last_activity": {"type": ["string", "null"], "format": "date-time"},
    },
}
RANKED = {
    "type": "object",
    "description": "Best first: verified completion, then claimed, verified share, on time.",
    "required": ["code", "name", "summary", "rank"],
    "properties": {
        "code": {"type": "string", "examples": ["35.72"]},
        "name": {"type": "string"},
        "summary": {"$ref": REF + "FiguresSummary"},
        "rank": {"type": "integer", "minimum": 1},
    },
}
RANKING = {"type": "array", "items": {"$ref": REF + "FiguresRanked"}}
CHECKPOINT = {
    "type": "object",
    "description": "The latest signed checkpoint of the log (docs/audit.md).",
    "required": ["size", "position", "root", "issued_at", "key_id", "body", "signature"],
    "properties": {
        "size": {"type": "integer", "description": "events the tree covers"},
        "position": {"type": "integer", "description": "the last of them"},
        "root": {"type": "string", "description": "Merkle root, base64"},
        "issued_at": {"type": "string", "format": "date-time"},
        "key_id": {"type": "string"},
        "body": {"type": "string", "description": "the signed text"},
        "signature": {"type": "string", "description": "Ed25519, base64"},
    },
}
PUBLIC_KEY = {
    "type": "object",
    "description": "The key checkpoints are signed with; check proofs offline against it.",
    "required": ["algorithm", "key_id", "public_key", "public_key_pem", "origin", "rotations"],
    "properties": {
        "algorithm": {"type": "string", "enum": ["Ed25519"]},
        "key_id": {"type": "string"},
        "public_key": {"type": "string", "description": "raw key, base64"},
        "public_key_pem": {"type": "string"},
        "origin": {"type": "string", "description": "names this log in the checkpoints"},
        "rotations": {
            "type": "array",
            "description": "every move to a new key, oldest first, signed by both keys",
            "items": {
                "type": "object",
                "required": ["old_key_id", "new_key_id", "at", "body"],
                "properties": {
                    "old_key_id": {"type": "string"},
                    "new_key_id": {"type": "string"},
                    "at": {"type": "string", "format": "date-time"},
                    "body": {"type": "string", "description": "the signed text"},
                    "old_signature": {"type": "string", "description": "Ed25519, base64"},
                    "new_signature": {"type": "string", "description": "Ed25519, base64"},
                },
            },
        },
    },
}
LEDGER_SCHEMAS: dict[str, dict[str, Any]] = {
    "checkpoint": CHECKPOINT,
    "key": PUBLIC_KEY,
    "proof": {"$ref": REF + PREFIX + InclusionProof.__name__},
}
STRING_OR_NULL = {"type": ["string", "null"]}
ACCOUNT = {
    "type": "object",
    "required": ["user_id", "display_name", "role", "office", "provinces", "disabled"],
    "properties": {
        "user_id": {"type": "string"},
        "display_name": {"type": "string"},
        "role": {"type": "string", "enum": ["pemda", "kanwil", "admin"]},
        "office": {"type": "string"},
        "region_code": {**STRING_OR_NULL, "description": "a Pemda account's region"},
        "opd": {**STRING_OR_NULL, "description": "a Pemda account kept to one OPD"},
        "provinces": {"type": "array", "items": {"type": "string"}, "description": "Kanwil"},
        "disabled": {"type": "boolean"},
    },
}
ME = {
    "type": "object",
    "description": "Who is asking; `role` is `public` without an account.",
    "required": ["user_id", "role", "provinces"],
    "properties": {
        "user_id": STRING_OR_NULL,
        "role": {"type": "string", "enum": ["public", "pemda", "kanwil", "admin"]},
        "office": STRING_OR_NULL,
        "region_code": STRING_OR_NULL,
        "opd": STRING_OR_NULL,
        "provinces": {"type": "array", "items": {"type": "string"}},
        "csrf_token": {**STRING_OR_NULL, "description": "a browser session's X-CSRF-Token"},
    },
}
ACCOUNT_SCHEMAS: dict[str, dict[str, Any]] = {
    "list": {
        "type": "object",
        "required": ["items"],
        "properties": {"items": {"type": "array", "items": ACCOUNT}},
    },
    "me": ME,
}
FIGURES_SCHEMAS: dict[str, dict[str, Any]] = {
    "region": {
        "type": "object",
        "required": ["region", "summary"],
        "properties": {
            "region": {"$ref": REF + PREFIX + "Region"},
            "summary": {"$ref": REF + "FiguresSummary"},
            "province": {"$ref": REF + PREFIX + "Region"},
            "ranking": {**RANKING, "description": "a province's regions (provinces only)"},
        },
    },
    "national": {
        "type": "object",
        "required": ["summary", "provinces", "regions"],
        "properties": {
            "summary": {"$ref": REF + "FiguresSummary"},
            "provinces": RANKING,
            "regions": RANKING,
        },
    },
}


def document_components() -> dict[str, Any]:
    types = [AGGREGATE_STATES[kind] for kind in DOCUMENTED] + [Region, InclusionProof]
    _, found = msgspec.json.schema_components(types, ref_template=REF + PREFIX + "{name}")
    components = {PREFIX + name: _optional(schema) for name, schema in found.items()}
    action = components[PREFIX + AGGREGATE_STATES["action"].__name__]
    action["properties"] = {**action["properties"], "figures": FIGURES}
    return {**components, "FiguresSummary": SUMMARY, "FiguresRanked": RANKED}


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
    if shape == "figures":
        return FIGURES_SCHEMAS[kind]
    if shape == "ledger":
        return LEDGER_SCHEMAS[kind]
    if shape == "accounts":
        return ACCOUNT_SCHEMAS[kind]
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
