"""What the public may see of a state or an event (documented in docs/access.md).

Public: forums, commitments, actions, every progress report with its status (submitted
reports are shown as unverified, returned ones as returned, with the reason), review notes,
the role and office of whoever acted. Never public: evidence marked private (title, link
and fingerprint alike) and the account id of a person, which only auditors with the region
in scope see. The read models the public lists come from hold only this redacted form.
"""

from __future__ import annotations

from typing import Any

EVIDENCE_KEYS = frozenset({"evidence", "completion_evidence"})
# Events only the region's own accounts see: they are in the log (and the audit chain) but
# in no public list, feed, history or figure; the public event stream carries them withheld.
# Drafts are the region's working copies; reminders are addressed to its accounts, not news.
PRIVATE_EVENTS = frozenset({"ReportDraftSaved", "ReportDraftDiscarded", "ReminderIssued"})
DRAFT_KEYS = frozenset({"drafts"})
ACTOR_KEYS = frozenset(
    {"actor", "reporter", "reviewer", "closed_by", "submitted_by", "reviewed_by", "recorded_by"}
    | {"applied_by", "set_by", "issued_by"}
)


# What the projection computes from public facts only (projections/catalog.py `figures`):
# copied as it is, not walked (tests/unit/test_public.py checks a walk changes nothing).
COMPUTED_KEYS = frozenset({"figures"})
_SCALARS = frozenset({str, int, float, bool, type(None)})


def redact(value: Any) -> Any:
    """A copy of a builtins document (dicts, lists, scalars) fit for the public. Scalars are
    copied without a call of their own: a projected action document holds thousands."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, list | tuple):  # msgspec.to_builtins keeps tuples
        return [item if type(item) in _SCALARS else redact(item) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in DRAFT_KEYS:
            continue
        if type(item) in _SCALARS or key in COMPUTED_KEYS:
            out[key] = item
        elif key in EVIDENCE_KEYS and isinstance(item, list | tuple):
            out[key] = [
                redact(e) for e in item if not (isinstance(e, dict) and e.get("public") is False)
            ]
        elif key in ACTOR_KEYS and isinstance(item, dict):
            out[key] = {k: v for k, v in item.items() if k != "user_id"}
        else:
            out[key] = redact(item)
    return out


def is_private_event(event_type: str) -> bool:
    """`event_type` is a class name or a stored topic ending in it."""
    return event_type.rpartition(".")[2].rpartition(":")[2] in PRIVATE_EVENTS


def without_drafts(doc: dict[str, Any]) -> dict[str, Any]:
    """An auditor's full view minus the drafts, for readers outside the region."""
    return {key: value for key, value in doc.items() if key not in DRAFT_KEYS}


def _private(evidence: Any) -> bool:
    return isinstance(evidence, dict) and evidence.get("public") is False


def private_evidence_count(value: Any) -> int:
    """How many private evidence items a document holds (tests use it to prove no leak)."""
    if isinstance(value, list | tuple):
        return sum(private_evidence_count(item) for item in value)
    if not isinstance(value, dict):
        return 0
    own = int(value.get("public") is False and "url" in value)
    return own + sum(private_evidence_count(v) for v in value.values())
