"""The catalogue read model: one row per forum, commitment and action, with the columns
lists filter on, plus the full current state as a JSON document.

The state is rebuilt with the domain's own `evolve`, so the read model can never disagree
with the aggregate about what an event means.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.action import Action
from domain.commitment import Commitment
from domain.forum import Forum

NAME = "catalog"


def forum_columns(forum: Forum) -> dict[str, Any]:
    return {
        "id": forum.id,
        "version": forum.version,
        "kind": forum.kind.value,
        "title": forum.title,
        "host_region_code": forum.host_region_code,
        "starts_on": forum.starts_on,
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
        "updated_at": commitment.updated_at,
    }


def action_columns(action: Action) -> dict[str, Any]:
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
        "completion": action.completion,
        "updated_at": action.updated_at,
    }


COLUMNS = {"forum": forum_columns, "commitment": commitment_columns, "action": action_columns}


def is_overdue(status: str, due_on: date, today: date) -> bool:
    """Late means past due and not yet done; verified or cancelled actions are never late."""
    return status in ("planned", "in_progress") and due_on < today
