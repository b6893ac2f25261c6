"""Response schemas of the reads built as plain documents (tracker/queries.py,
tracker/queries_kkp.py, the audit and ledger reads): written by hand, because no one type
makes them, and kept true by tests that validate the demo's own answers against them
(tests/unit/test_openapi_contract.py). A handler names one with opt RESPONDS ("read", name).
Properties a reader can count on are required; others may come later."""

from __future__ import annotations

from typing import Any

REF = "#/components/schemas/"
DOC = REF + "Doc"  # the components derived from the domain's types (openapi_docs.py)
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
STRING = {"type": "string"}
BOOLEAN = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
DATE_TIME = {"type": "string", "format": "date-time"}
NULLABLE_NUMBER = {"type": ["number", "null"]}
NULLABLE_STRING = {"type": ["string", "null"]}
NULLABLE_DATE_TIME = {"type": ["string", "null"], "format": "date-time"}
STRINGS = {"type": "array", "items": STRING}
DEMO = {"type": "boolean", "description": "true when the answer comes from the demo's data"}
SUMMARY = {"$ref": REF + "FiguresSummary"}


def shape(required: dict[str, Any], optional: dict[str, Any] | None = None, **more: Any) -> Any:
    """An object: `required` properties always present, `optional` ones sometimes."""
    properties = {**required, **(optional or {})}
    return {"type": "object", "required": sorted(required), "properties": properties, **more}


def extended(
    base: dict[str, Any],
    required: dict[str, Any],
    optional: dict[str, Any] | None = None,
    **more: Any,
) -> Any:
    """`base` with more properties; the `required` ones join its required list."""
    properties = {**base["properties"], **required, **(optional or {})}
    return {
        **base,
        "required": sorted([*base["required"], *required]),
        "properties": properties,
        **more,
    }


def listing(item: dict[str, Any], **others: Any) -> Any:
    return shape({"items": {"type": "array", "items": item}, **others}, {"demo": DEMO})


PERIOD = shape(
    {"kind": STRING, "year": INTEGER, "number": INTEGER},
    examples=[{"kind": "four_monthly", "year": 2026, "number": 8}],
)
ACTIVITY = shape(
    {
        "position": INTEGER,
        "aggregate": {"type": "string", "examples": ["action"]},
        "aggregate_id": {"type": "string", "format": "uuid"},
        "type": {"type": "string", "examples": ["ProgressReportSubmitted"]},
        "at": DATE_TIME,
        "actor_role": STRING,
        "actor_office": STRING,
    },
    {"title": NULLABLE_STRING},
    description="One event of the region's public activity, newest first.",
)
AUDIT_ACTIVITY = extended(
    ACTIVITY,
    {
        "actor_id": {"type": "string", "description": "the account that wrote it"},
        "region_codes": STRINGS,
        "province_codes": STRINGS,
    },
    description="One event with the account that wrote it (auditors only).",
)
NEXT_BEFORE = {"type": ["integer", "null"], "description": "`before=` for the next page"}
AS_OF = shape(
    {"date": DATE, "time_zone": STRING, "until": DATE_TIME, "position": INTEGER},
    description="A day's end in the region's time zone and the last position before it.",
)
ACTION_THEN = {
    "oneOf": [
        {"type": "null"},
        shape(
            {
                "status": STRING,
                "completion": NUMBER,
                "verified_completion": NUMBER,
                "reports": INTEGER,
            }
        ),
    ],
    "description": "null when the action did not exist yet",
}
CHANGES = shape(
    {
        "region": {"$ref": DOC + "Region"},
        "summary": shape({"from": SUMMARY, "to": SUMMARY}),
        "actions": {
            "type": "array",
            "items": shape(
                {
                    "id": {"type": "string", "format": "uuid"},
                    "title": STRING,
                    "region_code": STRING,
                    "owner_opd": STRING,
                    "from": ACTION_THEN,
                    "to": ACTION_THEN,
                }
            ),
        },
        "activity": {"type": "array", "items": ACTIVITY},
        "from": AS_OF,
        "to": AS_OF,
        "as_of": AS_OF,
    },
    {"demo": DEMO},
    description="What changed in a region between two dates (`dari`, `sampai`).",
)
DUE_STATES = ["upcoming", "open", "late", "returned", "filed", "filed_late", "verified"]
DUE = shape(
    {
        "code": STRING,
        "on": DATE,
        "counts": {"type": "object", "additionalProperties": INTEGER},
        "items": {
            "type": "array",
            "items": shape(
                {
                    "action_id": {"type": "string", "format": "uuid"},
                    "step_id": NULLABLE_STRING,
                    "region_code": STRING,
                    "owner_opd": STRING,
                    "title": STRING,
                    "period": PERIOD,
                    "due_on": DATE,
                    "state": {"type": "string", "enum": DUE_STATES},
                    "report_id": NULLABLE_STRING,
                }
            ),
        },
    },
    {"demo": DEMO},
    description="Each action's report per period and where it stands on `on`.",
)
SIGNED = shape(
    {"region_code": {"type": ["string", "null"], "examples": ["61.72"]}, "progress": SUMMARY},
    {"name": STRING, "office": STRING},
    description="a signatory and the figures of its region's actions under the commitment",
)
FORUM_PROGRESS = shape(
    {
        "forum": {"$ref": DOC + "Forum"},
        "commitments": {
            "type": "array",
            "items": shape(
                {
                    "id": {"type": "string", "format": "uuid"},
                    "title": STRING,
                    "status": STRING,
                    "progress": SUMMARY,
                    "signatories": {"type": "array", "items": SIGNED},
                },
                description="the commitment's public document (DocCommitment), with figures",
            ),
        },
    },
    {"demo": DEMO},
)
INDICATORS = listing(
    shape(
        {
            "indicator_name": STRING,
            "indicator_unit": STRING,
            "actions": INTEGER,
            "reported": NUMBER,
            "regional_target": NULLABLE_NUMBER,
            "national_target": NULLABLE_NUMBER,
            "national_share": {**NULLABLE_NUMBER, "description": "reported / national target"},
        }
    )
)
CELL = shape({"actions": INTEGER, "completion": NUMBER, "verified_completion": NUMBER})
MATRIX = shape(
    {
        "dimension": {"type": "string", "enum": ["rpjmn", "kkp"]},
        "regions": {
            "type": "object",
            "description": "region code → PN (or KKP HAM criterion) → figures",
            "additionalProperties": {"type": "object", "additionalProperties": CELL},
        },
    },
    {"demo": DEMO},
)
ESTIMATE = shape(
    {
        "indicator_set": STRING,
        "illustrative": BOOLEAN,
        "cell_rule": STRING,
        "threshold": NUMBER,
    },
    description="Which indicator list the estimate uses; `illustrative` until the official one.",
)
KKP_METHOD = extended(
    ESTIMATE,
    {
        "note": STRING,
        "method": STRING,
        "criteria": {
            "type": "array",
            "items": shape(
                {"number": INTEGER, "group": STRING, "name": STRING, "usual_owner": STRING}
            ),
        },
        "indicators": {
            "type": "array",
            "items": shape(
                {
                    "id": STRING,
                    "criterion": INTEGER,
                    "type": STRING,
                    "weight": NUMBER,
                    "text": STRING,
                }
            ),
        },
    },
    description="How the KKP HAM readiness estimate is computed (docs/kkp-ham.md).",
)
RESULT = {"type": ["object", "null"], "description": "the assessment's outcome, once decided"}
KKP_NATIONAL = shape(
    {
        "data_year": INTEGER,
        "estimate": ESTIMATE,
        "items": {
            "type": "array",
            "items": shape(
                {
                    "region_code": STRING,
                    "region_name": STRING,
                    "province_code": STRING,
                    "readiness": NULLABLE_NUMBER,
                    "claimed_readiness": NULLABLE_NUMBER,
                    "meets_threshold": BOOLEAN,
                    "rights_without_verified_work": INTEGER,
                    "assessment_status": STRING,
                    "result": RESULT,
                }
            ),
        },
    },
    {"demo": DEMO},
)
GRID_CELL = shape(
    {
        "criterion": INTEGER,
        "type": STRING,
        "weight": NUMBER,
        "verified": NUMBER,
        "claimed": NUMBER,
        "evidence_verified": INTEGER,
        "evidence": INTEGER,
        "gap": BOOLEAN,
        "actions": {"type": "array", "items": {"type": "object"}},
    }
)
READINESS = extended(
    ESTIMATE,
    {
        "data_year": INTEGER,
        "readiness": {**NULLABLE_NUMBER, "description": "verified, 0-100"},
        "claimed_readiness": {**NULLABLE_NUMBER, "description": "claimed, 0-100"},
        "cells": {"type": "array", "items": GRID_CELL},
    },
    {
        "meets_threshold": BOOLEAN,
        "gaps": shape(
            {
                "rights": {"type": "array", "items": INTEGER},
                "cells": {"type": "array", "items": shape({"criterion": INTEGER, "type": STRING})},
            }
        ),
    },
)
KKP_REGION = shape(
    {
        "region_code": STRING,
        "region_name": STRING,
        "estimate": ESTIMATE,
        "readiness": READINESS,
        "assessment": {"oneOf": [{"type": "null"}, {"$ref": DOC + "Assessment"}]},
        "history": {
            "type": "array",
            "items": shape({"data_year": INTEGER, "assessment_status": STRING, "result": RESULT}),
        },
    },
    {"demo": DEMO},
)
SCHEDULE = shape(
    {
        "year": INTEGER,
        "set": {"type": "boolean", "description": "false: only the default dates"},
        "periods": {
            "type": "array",
            "items": shape(
                {
                    "period": {"type": "string", "examples": ["2026-B08"]},
                    "kind": STRING,
                    "ends_on": DATE,
                    "due_on": DATE,
                    "default": BOOLEAN,
                }
            ),
        },
    },
    {"demo": DEMO},
)
STORED_EVENT = shape(
    {
        "position": INTEGER,
        "originator_id": {"type": "string", "format": "uuid"},
        "originator_version": INTEGER,
        "topic": STRING,
        "state": {"type": "string", "description": "the stored bytes, base64 (docs/audit.md)"},
    },
    description="The event exactly as stored, so its leaf hash can be checked offline.",
)
TRAIL_ENTRY = shape(
    {
        "position": INTEGER,
        "version": INTEGER,
        "type": STRING,
        "at": DATE_TIME,
        "actor": shape({"role": STRING}, {"user_id": NULLABLE_STRING, "office": STRING}),
        "data": {"type": "object"},
        "changes": {
            "type": "array",
            "items": shape({"path": STRING}, {"before": {}, "after": {}}),
            "description": "each field the event changed, before and after",
        },
    }
)
TRAIL = shape(
    {
        "kind": STRING,
        "id": {"type": "string", "format": "uuid"},
        "version": INTEGER,
        "region_codes": STRINGS,
        "items": {"type": "array", "items": TRAIL_ENTRY},
    }
)
DELIVERY = shape(
    {
        "subscription_id": {"type": "string", "format": "uuid"},
        "position": INTEGER,
        "status": STRING,
        "attempts": INTEGER,
        "created_at": DATE_TIME,
        "next_attempt_at": DATE_TIME,
    },
    {
        "id": INTEGER,
        "type": NULLABLE_STRING,
        "last_error": NULLABLE_STRING,
        "sent_at": NULLABLE_DATE_TIME,
    },
)
WEBHOOK = shape(
    {
        "id": {"type": "string", "format": "uuid"},
        "channel": STRING,
        "scope": {"type": "string", "examples": ["35.72"]},
        "created_at": DATE_TIME,
        "active": BOOLEAN,
        "failures": INTEGER,
        "deliveries": {"type": "array", "items": DELIVERY, "description": "newest first"},
    },
    {
        "lang": STRING,
        "url": NULLABLE_STRING,
        "confirmed_at": NULLABLE_DATE_TIME,
        "ended_at": NULLABLE_DATE_TIME,
        "disabled_at": NULLABLE_DATE_TIME,
    },
)
READY = shape(
    {
        "status": {"type": "string", "enum": ["ready"]},
        "head_position": INTEGER,
        "projection_position": INTEGER,
        "nats": {"type": ["boolean", "null"], "description": "null without NATS"},
    },
    description="This replica answers as the others do (otherwise 503 with the reasons).",
)
READS: dict[str, Any] = {
    "changes": CHANGES,
    "due": DUE,
    "timeline": shape(
        {"items": {"type": "array", "items": ACTIVITY}, "next_before": NEXT_BEFORE},
        {"demo": DEMO},
    ),
    "forum-progress": FORUM_PROGRESS,
    "indicators": INDICATORS,
    "matrix": MATRIX,
    "audit-activity": shape(
        {"items": {"type": "array", "items": AUDIT_ACTIVITY}, "next_before": NEXT_BEFORE}
    ),
    "audit-trail": TRAIL,
    "stored-event": STORED_EVENT,
    "kkp-method": KKP_METHOD,
    "kkp-national": KKP_NATIONAL,
    "kkp-region": KKP_REGION,
    "schedule": SCHEDULE,
    "webhook": WEBHOOK,
    "ready": READY,
}
CSV = {"text/csv": {"schema": {"type": "string"}}}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILES: dict[str, dict[str, Any]] = {
    "audit-activity": CSV,  # ?format=csv or Accept: text/csv
    "template": {**CSV, XLSX: {"schema": {"type": "string", "format": "binary"}}},
}


def read_content(name: str) -> dict[str, Any]:
    """The 200 answer's content by media type."""
    found = dict(FILES.get(name, {}))
    if name in READS:
        found["application/json"] = {"schema": READS[name]}
    return found
