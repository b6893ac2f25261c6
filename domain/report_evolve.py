"""What a progress-report event does to the action that owns the report (the report part
of `domain.action.evolve`)."""

from __future__ import annotations

from uuid import UUID

import msgspec

from domain.action_events import (
    ProgressReportResubmitted,
    ProgressReportReturned,
    ProgressReportSubmitted,
    ProgressReportVerified,
)
from domain.action_state import Action, ProgressReport, ReportStatus
from domain.regions import time_zone

ReportEvent = (
    ProgressReportSubmitted
    | ProgressReportVerified
    | ProgressReportReturned
    | ProgressReportResubmitted
)


def _with_report(action: Action, report_id: UUID, **changes: object) -> tuple[ProgressReport, ...]:
    return tuple(
        msgspec.structs.replace(r, **changes) if r.id == report_id else r for r in action.reports
    )


def apply_report(a: Action, event: ReportEvent) -> Action:
    """`a` already carries the event's version and time."""
    replace = msgspec.structs.replace
    if isinstance(event, ProgressReportSubmitted):
        report = ProgressReport(
            id=event.report_id,
            period=event.period,
            percent=event.percent,
            indicator_value=event.indicator_value,
            narrative=event.narrative,
            evidence=event.evidence,
            status=ReportStatus.SUBMITTED,
            reporter=event.actor,
            submitted_at=event.at,
            correction_reason=event.correction_reason,
            late=event.period.filed_late(event.at, time_zone(a.region_code), event.due_on),
            due_on=event.due_on,
            after_close=event.after_close,
            corrects=event.corrects,
            step_id=event.step_id,
        )
        drafts = tuple(d for d in a.drafts if d.id != event.draft_id)
        if event.corrects is not None:  # the original stays, and says what corrected it
            a = replace(a, reports=_with_report(a, event.corrects, corrected_by=event.report_id))
        cadence = a.cadence or event.period.kind  # the first report fixes an unset cadence
        return replace(a, reports=(*a.reports, report), drafts=drafts, cadence=cadence)
    if isinstance(event, ProgressReportVerified):
        reports = _with_report(
            a,
            event.report_id,
            status=ReportStatus.VERIFIED,
            reviewer=event.actor,
            reviewed_at=event.at,
            review_note=event.note,
            return_reason=None,
        )
        return replace(a, reports=reports)
    if isinstance(event, ProgressReportReturned):
        reports = _with_report(
            a,
            event.report_id,
            status=ReportStatus.RETURNED,
            reviewer=event.actor,
            reviewed_at=event.at,
            review_note=event.note,
            return_reason=event.reason_code,
        )
        return replace(a, reports=reports)
    reports = _with_report(
        a,
        event.report_id,
        status=ReportStatus.RESUBMITTED,
        percent=event.percent,
        indicator_value=event.indicator_value,
        narrative=event.narrative,
        evidence=event.evidence,
        correction_reason=event.correction_reason,
        submitted_at=event.at,
    )
    return replace(a, reports=reports)
