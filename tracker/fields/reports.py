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
    "period-cadence": "period",
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
    "period-already-closed": "periode",  # the compliance page's period (workspace_compliance)
    "period-not-ended": "periode",
    "period-not-closed": "periode",
    "unknown-draft": "_form",
    "region-not-signatory": "commitment_id",
    "commitment-withdrawn": "commitment_id",
    "due-before-commitment": "due_on",
    "unknown-rpjmn-pn": "rpjmn_pn",
    "rpjmn-code-outside-pn": "rpjmn_code",
    "unknown-kkp-criterion": "kkp_criterion",
    "indicator-incomplete": "indicator_name",
    "completion-needs-evidence": "evidence_file",
    "nothing-to-amend": "_form",
    "pemda-scope": "region_code",
    "unknown-region": "region_code",
    "kanwil-scope": "provinces",
    "not-a-province": "provinces",
    "user-id-format": "user_id",
    "user-exists": "user_id",
    "unknown-role": "role",
    "admin-scope": "role",
    "password-too-short": "password",
    "expiry-days": "expires_in_days",
    "unknown-forum-kind": "kind",
    "no-signatories": "signatories",
    "too-many-drafts": "_form",
    "weight-range": "weight",
    "step-due-after-action": "due_on",
    "report-needs-step": "step_id",
    "unknown-step": "step_id",
    "steps-after-reports": "_form",
    "too-many-steps": "_form",
    "duplicate-step": "_form",
    "source-url": "sources",
    "score-range": "score",
    "decree-before-assessment": "decree_date",
    "answer-value": "_form",
    "import-commitment": "commitment_id",  # a spreadsheet row's columns (tracker/imports)
    "import-not-found": "action_id",
}


def field_of(error: Refusal) -> str:
    named = error.params.get("field")
    if isinstance(named, str):
        head = named.split(".")[0]
        return "evidence_url" if head == "evidence" else head
    return FIELD_OF_CODE.get(error.code, "")


def number_of(form: Mapping[str, str], name: str) -> float | None:
    raw = form.get(name, "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise InvalidInput("not-a-number", field=name) from None


def evidence_of(form: Mapping[str, str]) -> tuple[Evidence, ...]:
    url = form.get("evidence_url", "").strip()
    if not url:
        return ()
    title = form.get("evidence_title", "").strip() or url
    return (Evidence(title=title, url=url, public=form.get("evidence_private") != "on"),)


def draft_id_of(form: Mapping[str, str]) -> UUID | None:
    raw = form.get("draft_id", "").strip()
    try:
        return UUID(raw) if raw else None
    except ValueError:
        raise InvalidInput("unknown-draft", draft_id=raw) from None


def step_id_of(form: Mapping[str, str]) -> UUID | None:
    raw = form.get("step_id", "").strip()
    try:
        return UUID(raw) if raw else None
    except ValueError:
        raise InvalidInput("unknown-step", step_id=raw) from None


def progress_command(
    action_id: UUID, form: Mapping[str, str], carried: tuple[Evidence, ...] = ()
) -> c.Command:
    """Submit the report, save it as a draft, or discard the draft, as the button pressed
    says; `carried` is the evidence the draft already holds."""
    decision = form.get("decision", "submit")
    draft_id = draft_id_of(form)
    if decision == "discard" and draft_id is not None:
        return c.DiscardReportDraft(action_id=action_id, draft_id=draft_id)
    evidence = (*carried, *evidence_of(form))
    if decision == "draft":
        return c.SaveReportDraft(
            action_id=action_id,
            draft_id=draft_id,
            period=form.get("period", ""),
            percent=number_of(form, "percent"),
            indicator_value=number_of(form, "indicator_value"),
            narrative=form.get("narrative", ""),
            evidence=evidence,
        )
    return c.SubmitProgressReport(
        action_id=action_id,
        period=ReportingPeriod.parse(form.get("period", "").strip()),
        percent=number_of(form, "percent"),
        indicator_value=number_of(form, "indicator_value"),
        narrative=form.get("narrative", ""),
        evidence=evidence,
        correction_reason=form.get("correction_reason", "").strip() or None,
        draft_id=draft_id,
        step_id=step_id_of(form),
    )


def resubmit_command(action_id: UUID, report_id: UUID, form: Mapping[str, str]) -> c.ResubmitReport:
    return c.ResubmitReport(
        action_id=action_id,
        report_id=report_id,
        percent=number_of(form, "percent"),
        indicator_value=number_of(form, "indicator_value"),
        narrative=form.get("narrative", ""),
        evidence=evidence_of(form),
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
