"""The catalogue read model: one row per forum, commitment and action with the columns
lists filter on, the full current state as a JSON document, and an activity line per event.

The state is rebuilt with the domain's own `evolve`, so the read model can never disagree
with the aggregate about what an event means.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from domain.action import Action, ReportStatus
from domain.action_events import ProgressReportSubmitted
from domain.commitment import Commitment
from domain.events import DomainEvent
from domain.forum import Forum
from domain.import_batch import ImportBatch
from domain.kkp_assessment_state import Assessment
from domain.obligations import ReportingFacts
from domain.period_close import PeriodClosure
from domain.registry import EVOLVERS
from domain.reminder import Reminder
from domain.schedule import ReportingSchedule
from projections import public

NAME = "catalog"


def _words(*parts: str | None) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def forum_search_text(forum: Forum) -> str:
    people = [part for s in forum.sessions for p in s.speakers for part in (p.name, p.office)]
    titles = [s.title for s in forum.sessions]
    return _words(forum.title, forum.theme, forum.venue, *forum.organisers, *titles, *people)


def commitment_search_text(commitment: Commitment) -> str:
    people = [w for s in commitment.signatories for w in (s.office, s.name)]
    return _words(commitment.title, commitment.summary, *people)


def action_search_text(action: Action) -> str:
    """What the portal search finds an action by: its plan, its OPD and partners, and the
    narratives of its reports that are not returned (drafts never: they are private)."""
    narratives = [r.narrative for r in action.reports if r.status is not ReportStatus.RETURNED]
    steps = [w for s in action.steps for w in (s.title, s.owner_opd)]
    partners = [p.name for p in action.partners]
    return _words(
        action.title, action.description, action.owner_opd, *partners, *steps, *narratives
    )


def forum_columns(forum: Forum) -> dict[str, Any]:
    return {
        "id": forum.id,
        "version": forum.version,
        "kind": forum.kind.value,
        "title": forum.title,
        "host_region_code": forum.host_region_code,
        "starts_on": forum.starts_on,
        "search_text": forum_search_text(forum),
        "updated_at": forum.updated_at,
    }


def commitment_columns(commitment: Commitment) -> dict[str, Any]:
    return {
        "id": commitment.id,
        "version": commitment.version,
        "forum_id": commitment.forum_id,
        "title": commitment.title,
        "status": commitment.status.value,
        "made_on": commitment.made_on,
        "region_codes": [s.region_code for s in commitment.signatories],
        "rpjmn_pns": sorted({t.pn for t in commitment.rpjmn}),
        "kkp_criteria": list(commitment.kkp_criteria),
        "search_text": commitment_search_text(commitment),
        "updated_at": commitment.updated_at,
    }


def step_figures(action: Action) -> list[dict[str, Any]]:
    """Each step's claimed and verified percent and its share of the action's figure."""
    total = sum(s.weight for s in action.steps)
    return [
        {
            "step_id": s.id,
            "completion": action.step_percent(s.id),
            "verified_completion": action.step_percent(s.id, verified_only=True),
            "share": round(s.weight / total, 3),
            "overdue_from": action.step_overdue_from(s),
        }
        for s in action.steps
    ]


def figures(action: Action) -> dict[str, Any]:
    """The action's figures as the domain counts them, stored in its documents so that no
    reader computes them again: the current ones, each step's, and the claimed figure at the
    end of each reported period (what charts plot)."""
    return {
        "completion": action.completion,
        "verified_completion": action.verified_completion,
        "overdue_from": action.overdue_from,
        "steps": step_figures(action),
        "series": [
            {"period": p.label, "ends_on": p.ends_on, "completion": value}
            for p, value in action.claimed_series()
        ],
        "years": {str(year): facts for year, facts in action.data_years().items()},
        "reporting": ReportingFacts.of(action),  # what it owes (projections/schedule.py)
    }


def document(kind: str, state: Any, figured: dict[str, Any] | None = None) -> dict[str, Any]:
    """An aggregate's state as stored and served: its fields, and for an action its figures
    (`figured` when the caller has them already; decoding the state back ignores them)."""
    doc: dict[str, Any] = msgspec.to_builtins(state)
    if kind == "action":
        doc["figures"] = msgspec.to_builtins(figured or figures(state))
    return doc


def action_columns(action: Action, figured: dict[str, Any]) -> dict[str, Any]:
    """The columns lists filter on, the figures taken from `figured` (`figures(action)`),
    so a projection step computes them once (they walk every report)."""
    indicator = action.indicator
    return {
        "id": action.id,
        "version": action.version,
        "commitment_id": action.commitment_id,
        "forum_id": action.forum_id,
        "region_code": action.region_code,
        "province_code": action.province_code,
        "title": action.title,
        "owner_opd": action.owner_opd,
        "status": action.status.value,
        "kkp_criterion": action.kkp_criterion,
        "rpjmn_pns": sorted({t.pn for t in action.rpjmn}),
        "due_on": action.due_on,
        "overdue_from": figured["overdue_from"],
        "completion": figured["completion"],
        "verified_completion": figured["verified_completion"],
        "weight": action.weight,
        "completed_at": action.completed_at,
        "indicator_name": indicator.name if indicator else None,
        "indicator_unit": indicator.unit if indicator else None,
        "indicator_target": indicator.target if indicator else None,
        "indicator_value": action.latest_indicator_value(),
        "reports_total": len(action.reports),
        "reports_verified": sum(r.status is ReportStatus.VERIFIED for r in action.reports),
        "search_text": action_search_text(action),
        "updated_at": action.updated_at,
    }


def period_columns(closure: PeriodClosure) -> dict[str, Any]:
    return {
        "id": closure.id,
        "version": closure.version,
        "place_code": closure.place_code,
        "province_code": closure.province_code,
        "period": closure.period.label,
        "title": closure.title,
        "closed": closure.closed,
        "closed_at": closure.closed_at,
        "updated_at": closure.updated_at,
    }


def assessment_columns(assessment: Assessment) -> dict[str, Any]:
    result = assessment.result
    return {
        "id": assessment.id,
        "version": assessment.version,
        "region_code": assessment.region_code,
        "province_code": assessment.province_code,
        "data_year": assessment.data_year,
        "title": assessment.title,
        "status": assessment.status.value,
        "submitted_at": assessment.submitted_at,
        "score": result.score if result else None,
        "predicate": result.predicate if result else None,
        "updated_at": assessment.updated_at,
    }


def import_columns(batch: ImportBatch) -> dict[str, Any]:
    return {
        "id": batch.id,
        "version": batch.version,
        "region_code": batch.region_code,
        "province_code": batch.province_code,
        "title": batch.title,
        "template": batch.template,
        "sha256": batch.sha256,
        "rows": batch.rows,
        "updated_at": batch.updated_at,
    }


def schedule_columns(schedule: ReportingSchedule) -> dict[str, Any]:
    return {
        "id": schedule.id,
        "version": schedule.version,
        "year": schedule.year,
        "title": schedule.title,
        "updated_at": schedule.updated_at,
    }


def reminder_columns(reminder: Reminder) -> dict[str, Any]:
    return {
        "id": reminder.id,
        "version": reminder.version,
        "region_code": reminder.region_code,
        "province_code": reminder.province_code,
        "stage": reminder.stage.value,
        "action_id": reminder.action_id,
        "title": reminder.title,
        "due_on": reminder.due_on,
        "issued_at": reminder.created_at,
        "updated_at": reminder.updated_at,
    }


# Actions are not here: their columns need their figures (aggregate_row).
COLUMNS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "forum": forum_columns,
    "commitment": commitment_columns,
    "period": period_columns,
    "assessment": assessment_columns,
    "import_batch": import_columns,
    "schedule": schedule_columns,
    "reminder": reminder_columns,
}


def places(kind: str, state: Any) -> tuple[list[str], list[str]]:
    """(regions, provinces) whose timelines show this aggregate's activity."""
    if kind in ("action", "assessment", "import_batch", "reminder"):
        return [state.region_code], [state.province_code]
    if kind == "schedule":  # national: on no region's or province's own timeline
        return [], []
    if kind == "forum":
        return [state.host_region_code], [state.host_region_code.split(".")[0]]
    if kind == "period":  # a province's closure is on the timeline of each of its regions
        if state.place_code == state.province_code:
            return [], [state.province_code]
        return [state.place_code], [state.province_code]
    regions = [s.region_code for s in state.signatories]
    return regions, sorted({code.split(".")[0] for code in regions})


def detail(state: Any, event: DomainEvent) -> str | None:
    """What a feed says beyond the event's type, as JSON text: for a correction after a
    period closed, the period and both values (the original's and the correction's)."""
    if not isinstance(event, ProgressReportSubmitted) or not event.after_close:
        return None
    original = state.report(event.corrects) if event.corrects is not None else None
    facts = {
        "period": event.period.label,
        "before": original.percent if original is not None else None,
        "after": event.percent,
    }
    return msgspec.json.encode(facts).decode()


def activity_row(kind: str, state: Any, event: DomainEvent, position: int) -> dict[str, Any]:
    regions, provinces = places(kind, state)
    return {
        "detail": detail(state, event),
        "position": position,
        "aggregate": kind,
        "aggregate_id": state.id,
        "type": type(event).__name__,
        "at": event.at,
        "actor_id": event.actor.user_id,
        "actor_role": event.actor.role.value,
        "actor_office": event.actor.office,
        "title": state.title,
        "region_codes": regions,
        "province_codes": provinces,
    }


class Upsert(msgspec.Struct, frozen=True):
    """One row to insert, or to overwrite where `key` already exists."""

    table: str
    key: str
    columns: dict[str, Any]


class Step(msgspec.Struct, frozen=True):
    """What one event does to the catalogue: the aggregate's new state and the rows to write.

    `state` is kept as the object so the store encodes it once, in its own format.
    """

    state: Any
    upserts: tuple[Upsert, ...]


def aggregate_row(kind: str, state: Any) -> Upsert:
    """The aggregate's own catalogue row: its columns, its full document (`doc`) and its
    public one, both from one computation of the figures."""
    if kind == "action":
        figured = figures(state)
        columns = action_columns(state, figured)
        columns["doc"] = document(kind, state, figured)
    else:
        columns = COLUMNS[kind](state)
        columns["doc"] = document(kind, state)
    columns["public_doc"] = public.redact(columns["doc"])
    return Upsert(kind, "id", columns)


def step(
    kind: str, before: Any | None, event: DomainEvent, version: int, position: int
) -> Step | None:
    """Apply one stored event (at `version` of its aggregate, `position` in the log) to the
    aggregate's current row; None when that row already includes it, so nothing is doubled."""
    if before is not None and before.version >= version:
        return None
    state = EVOLVERS[kind](before, event)
    row = aggregate_row(kind, state)
    if public.is_private_event(type(event).__name__):  # a draft: no public activity line
        return Step(state, (row,))
    return Step(
        state, (row, Upsert("activity", "position", activity_row(kind, state, event, position)))
    )
