"""Browser forms → typed commands, and a refused command → a message beside its field.

The form never decides anything: it only turns text fields into the same command the JSON
API builds, so every rule stays in the domain and the policy stays in the bus.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from domain import commands as c
from domain.action_events import ReturnReason
from domain.errors import InvalidInput, Refusal
from domain.period import ReportingPeriod
from domain.values import Evidence

# Which field a refusal concerns, by its code; others are shown above the form.
FIELD_OF_CODE = {
    "period-format": "period",
    "period-in-future": "period",
    "percent-range": "percent",
    "percent-backwards": "percent",
    "measure-required": "percent",
    "no-indicator": "indicator_value",
    "indicator-value-range": "indicator_value",
    "period-has-open-report": "period",
    "evidence-url": "evidence_url",
    "evidence-sha256": "evidence_url",
    "evidence-file": "evidence_file",
    "evidence-empty": "evidence_file",
    "evidence-too-large": "evidence_file",
    "evidence-type": "evidence_file",
    "evidence-content": "evidence_file",
    "reason-required": "reason",
}


def field_of(error: Refusal) -> str:
    named = error.params.get("field")
    if isinstance(named, str):
        head = named.split(".")[0]
        return "evidence_url" if head == "evidence" else head
    return FIELD_OF_CODE.get(error.code, "")


def _number(form: Mapping[str, str], name: str) -> float | None:
    raw = form.get(name, "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise InvalidInput("not-a-number", field=name) from None


def _evidence(form: Mapping[str, str]) -> tuple[Evidence, ...]:
    url = form.get("evidence_url", "").strip()
    if not url:
        return ()
    title = form.get("evidence_title", "").strip() or url
    return (Evidence(title=title, url=url, public=form.get("evidence_private") != "on"),)


def progress_command(action_id: UUID, form: Mapping[str, str]) -> c.SubmitProgressReport:
    return c.SubmitProgressReport(
        action_id=action_id,
        period=ReportingPeriod.parse(form.get("period", "").strip()),
        percent=_number(form, "percent"),
        indicator_value=_number(form, "indicator_value"),
        narrative=form.get("narrative", ""),
        evidence=_evidence(form),
        correction_reason=form.get("correction_reason", "").strip() or None,
    )


def resubmit_command(action_id: UUID, report_id: UUID, form: Mapping[str, str]) -> c.ResubmitReport:
    return c.ResubmitReport(
        action_id=action_id,
        report_id=report_id,
        percent=_number(form, "percent"),
        indicator_value=_number(form, "indicator_value"),
        narrative=form.get("narrative", ""),
        evidence=_evidence(form),
        correction_reason=form.get("correction_reason", "").strip() or None,
    )


def review_command(action_id: UUID, report_id: UUID, form: Mapping[str, str]) -> c.Command:
    """Verify, or return with a reason code and a note, as the button pressed says."""
    if form.get("decision") == "return":
        code = form.get("reason_code", "")
        if code not in {r.value for r in ReturnReason}:
            raise InvalidInput("empty-text", field="reason_code")
        return c.ReturnReport(
            action_id=action_id,
            report_id=report_id,
            reason_code=ReturnReason(code),
            note=form.get("note", ""),
        )
    return c.VerifyReport(action_id=action_id, report_id=report_id, note=form.get("note", ""))


def text_fields(form: Any) -> dict[str, str]:
    """What the person typed, to show again if the command is refused (no file bodies)."""
    return {key: str(value) for key, value in form.items() if isinstance(value, str)}
