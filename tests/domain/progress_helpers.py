"""Shared givens and commands for the progress-report tests."""

from __future__ import annotations

from typing import Any

from domain import action
from domain.action import Action
from domain.action_events import (
    ProgressReportResubmitted,
    ProgressReportSubmitted,
)
from domain.period import ReportingPeriod
from domain.progress import resubmit_report, submit_report

from .helpers import (
    EVIDENCE,
    PEMDA,
    REPORT_1,
    REPORT_2,
    action_planned,
    at,
    given,
)

AT = at(2025, 8, 5)
JULY = ReportingPeriod.parse("2025-07")
AUGUST = ReportingPeriod.parse("2025-08")


def history(*events: Any) -> Action:
    return given(action.evolve, action_planned(), *events)


def submit(state: Action, **overrides: Any) -> list[Any]:
    command: dict[str, Any] = {
        "report_id": REPORT_2,
        "period": JULY,
        "percent": 40.0,
        "indicator_value": None,
        "narrative": " Separuh posyandu sudah dibenahi ",
        "evidence": (EVIDENCE,),
        "actor": PEMDA,
        "at": AT,
    }
    command.update(overrides)
    return submit_report(state, **command)


def expected_submitted(**changes: Any) -> ProgressReportSubmitted:
    fields: dict[str, Any] = {
        "report_id": REPORT_2,
        "period": JULY,
        "percent": 40.0,
        "indicator_value": None,
        "narrative": "Separuh posyandu sudah dibenahi",
        "evidence": (EVIDENCE,),
        "correction_reason": None,
        "actor": PEMDA,
        "at": AT,
    }
    fields.update(changes)
    return ProgressReportSubmitted(**fields)


def resubmit(state: Action, **overrides: Any) -> ProgressReportResubmitted:
    command: dict[str, Any] = {
        "report_id": REPORT_1,
        "percent": 15.0,
        "indicator_value": None,
        "narrative": " Bukti diperbaiki ",
        "evidence": (EVIDENCE,),
        "actor": PEMDA,
        "at": AT,
    }
    command.update(overrides)
    return resubmit_report(state, **command)


# ---- submit_report: the happy paths -----------------------------------------------------------
