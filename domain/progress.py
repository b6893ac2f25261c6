"""Commands on the progress reports an action owns: submit, verify, return, resubmit."""

from __future__ import annotations

import math
from datetime import date, datetime
from uuid import UUID

from domain.action import AWAITING_REVIEW, OPEN_REPORT, Action, ActionStatus, ReportStatus
from domain.action_events import (
    ActionEvent,
    ActionStarted,
    ProgressReportResubmitted,
    ProgressReportReturned,
    ProgressReportSubmitted,
    ProgressReportVerified,
    ReturnReason,
)
from domain.errors import InvalidInput, RuleViolated, Text
from domain.period import ReportingPeriod
from domain.values import Actor, Evidence, check_evidence, require_text


def _check_measures(
    action: Action,
    period: ReportingPeriod,
    percent: float | None,
    indicator_value: float | None,
    correction_reason: str | None,
    excluding: UUID | None,
    step: UUID | None,
) -> str | None:
    if percent is None and indicator_value is None:
        raise InvalidInput("measure-required")
    if percent is not None and not (math.isfinite(percent) and 0 <= percent <= 100):
        raise InvalidInput("percent-range", percent=percent)
    if indicator_value is not None:
        if action.indicator is None:
            raise InvalidInput("no-indicator")
        if not math.isfinite(indicator_value) or indicator_value < 0:
            raise InvalidInput("indicator-value-range")
    blank = correction_reason is None or not correction_reason.strip()
    reason = None if blank else require_text(correction_reason or "", "correction_reason")
    # "Not backwards" is about time, not about the order of filing: compare with the figure
    # at this period or the latest one before it, so a back-filled early period passes.
    previous = action.latest_percent(excluding=excluding, up_to=period, step=step)
    if percent is not None and previous is not None and percent < previous and not reason:
        raise RuleViolated("percent-backwards", previous=previous, percent=percent)
    return reason


def _require_reportable(action: Action) -> None:
    action.require_status(
        ActionStatus.PLANNED,
        ActionStatus.IN_PROGRESS,
        ActionStatus.COMPLETED,
        doing="submit-progress-report",
    )


def submit_report(
    action: Action,
    *,
    report_id: UUID,
    period: ReportingPeriod,
    percent: float | None,
    indicator_value: float | None,
    narrative: str,
    evidence: tuple[Evidence, ...],
    correction_reason: str | None = None,
    draft_id: UUID | None = None,
    closed: bool = False,
    step_id: UUID | None = None,
    due_on: date | None = None,
    actor: Actor,
    at: datetime,
) -> list[ActionEvent]:
    """Submitting the first report of a planned action also starts it; submitting from a
    draft (`draft_id`) removes the draft in the same event. Once the period is `closed` for
    the region, the report is a correction: it needs a reason and stands beside the report
    it corrects, which is kept. On an action split into steps each report is one step's,
    and every rule below (not backwards, one open report per period) is that step's."""
    _require_reportable(action)
    if step_id is not None:
        action.step(step_id)
    elif action.steps:
        raise InvalidInput("report-needs-step")
    if draft_id is not None:
        action.draft(draft_id)
    if period.starts_on > at.date():
        raise InvalidInput("period-in-future", period_label=period.label)
    if action.cadence is not None and period.kind is not action.cadence:
        raise InvalidInput(
            "period-cadence",
            period_label=period.label,
            cadence=Text(f"cadence.{action.cadence.value}"),
        )
    check_evidence(evidence)
    reason = _check_measures(
        action, period, percent, indicator_value, correction_reason, None, step_id
    )
    for report in action.reports:
        if report.period == period and report.step_id == step_id and report.status in OPEN_REPORT:
            raise RuleViolated("period-has-open-report", period_label=period.label)
    if closed and not reason:
        raise RuleViolated("correction-needs-reason", period_label=period.label)
    original = action.standing_report(period, step_id) if closed else None
    events: list[ActionEvent] = []
    if action.status is ActionStatus.PLANNED:
        events.append(ActionStarted(actor=actor, at=at))
    events.append(
        ProgressReportSubmitted(
            report_id=report_id,
            period=period,
            percent=percent,
            indicator_value=indicator_value,
            narrative=require_text(narrative, "narrative", max_length=10_000),
            evidence=evidence,
            correction_reason=reason,
            draft_id=draft_id,
            after_close=closed,
            corrects=original.id if original is not None else None,
            step_id=step_id,
            due_on=due_on,
            actor=actor,
            at=at,
        )
    )
    return events


def _awaiting_review(action: Action, report_id: UUID) -> None:
    report = action.report(report_id)
    if report.status not in AWAITING_REVIEW:
        raise RuleViolated(
            f"report-{report.status.value}",
            text="report-status",
            status=Text(f"report.{report.status.value}"),
        )


def verify_report(
    action: Action, *, report_id: UUID, note: str, actor: Actor, at: datetime
) -> ProgressReportVerified:
    _awaiting_review(action, report_id)
    return ProgressReportVerified(report_id=report_id, note=note.strip(), actor=actor, at=at)


def return_report(
    action: Action,
    *,
    report_id: UUID,
    reason_code: ReturnReason,
    note: str,
    actor: Actor,
    at: datetime,
) -> ProgressReportReturned:
    _awaiting_review(action, report_id)
    return ProgressReportReturned(
        report_id=report_id,
        reason_code=reason_code,
        note=require_text(note, "note", max_length=2000),
        actor=actor,
        at=at,
    )


def resubmit_report(
    action: Action,
    *,
    report_id: UUID,
    percent: float | None,
    indicator_value: float | None,
    narrative: str,
    evidence: tuple[Evidence, ...],
    correction_reason: str | None = None,
    actor: Actor,
    at: datetime,
) -> ProgressReportResubmitted:
    _require_reportable(action)
    report = action.report(report_id)
    if report.status is not ReportStatus.RETURNED:
        raise RuleViolated("report-not-returned")
    check_evidence(evidence)
    step = report.step_id
    reason = _check_measures(
        action, report.period, percent, indicator_value, correction_reason, report_id, step
    )
    return ProgressReportResubmitted(
        report_id=report_id,
        percent=percent,
        indicator_value=indicator_value,
        narrative=require_text(narrative, "narrative", max_length=10_000),
        evidence=evidence,
        correction_reason=reason,
        actor=actor,
        at=at,
    )
