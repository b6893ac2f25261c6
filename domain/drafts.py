"""Report drafts: an officer saves a report half-written, comes back, submits or discards it.

A draft is checked only for what can already be wrong (lengths, a percent out of range,
evidence links); the full rules run when it is submitted as a progress report.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from domain.action_events import ReportDraftDiscarded, ReportDraftSaved
from domain.action_state import Action, ActionStatus, ReportDraft
from domain.errors import InvalidInput, RuleViolated
from domain.values import Actor, Evidence, check_evidence

MAX_DRAFTS = 20  # per action: a working copy per period, with room to spare


def save_draft(
    action: Action,
    *,
    draft_id: UUID,
    existing: bool,
    period: str,
    percent: float | None,
    indicator_value: float | None,
    narrative: str,
    evidence: tuple[Evidence, ...],
    actor: Actor,
    at: datetime,
) -> ReportDraftSaved:
    """`existing` says `draft_id` names a saved draft (it must be there) or a new one."""
    action.require_status(
        ActionStatus.PLANNED,
        ActionStatus.IN_PROGRESS,
        ActionStatus.COMPLETED,
        doing="save-report-draft",
    )
    if existing:
        action.draft(draft_id)
    elif len(action.drafts) >= MAX_DRAFTS:
        raise RuleViolated("too-many-drafts", limit=MAX_DRAFTS)
    if len(period.strip()) > 20:
        raise InvalidInput("text-too-long", field="period", max_length=20)
    if len(narrative) > 10_000:
        raise InvalidInput("text-too-long", field="narrative", max_length=10_000)
    if percent is not None and not 0 <= percent <= 100:
        raise InvalidInput("percent-range", percent=percent)
    check_evidence(evidence)
    return ReportDraftSaved(
        draft_id=draft_id,
        period=period.strip(),
        percent=percent,
        indicator_value=indicator_value,
        narrative=narrative,
        evidence=evidence,
        actor=actor,
        at=at,
    )


def apply_draft(action: Action, event: ReportDraftSaved | ReportDraftDiscarded) -> Action:
    """`action` already carries the event's version; a draft does not change `updated_at`,
    which the public sees."""
    others = tuple(d for d in action.drafts if d.id != event.draft_id)
    if isinstance(event, ReportDraftDiscarded):
        return msgspec.structs.replace(action, drafts=others)
    draft = ReportDraft(
        id=event.draft_id,
        period=event.period,
        percent=event.percent,
        indicator_value=event.indicator_value,
        narrative=event.narrative,
        evidence=event.evidence,
        saved_by=event.actor,
        saved_at=event.at,
    )
    return msgspec.structs.replace(action, drafts=(*others, draft))


def discard_draft(
    action: Action, *, draft_id: UUID, actor: Actor, at: datetime
) -> ReportDraftDiscarded:
    action.draft(draft_id)
    return ReportDraftDiscarded(draft_id=draft_id, actor=actor, at=at)
