"""Correcting a planned action's details: a typo in the title, the wrong OPD, a missing
indicator. Every correction carries a reason and stays in the history; the due date is
changed by rescheduling, and a finished or cancelled action is no longer corrected."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.action_events import ActionAmended
from domain.action_state import Action, ActionStatus
from domain.action_steps import check_weight
from domain.errors import InvalidInput
from domain.values import (
    Actor,
    Indicator,
    IndicatorType,
    Partner,
    RpjmnTag,
    check_kkp,
    check_rpjmn,
    require_reason,
    require_text,
)


def amend(
    action: Action,
    *,
    reason: str | None,
    title: str | None = None,
    description: str | None = None,
    owner_opd: str | None = None,
    partners: tuple[Partner, ...] | None = None,
    rpjmn: tuple[RpjmnTag, ...] | None = None,
    kkp_criterion: int | None = None,
    indicator_type: IndicatorType | None = None,
    indicator: Indicator | None = None,
    weight: int | None = None,
    actor: Actor,
    at: datetime,
) -> ActionAmended:
    action.require_status(ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, doing="amend-action")
    why = require_reason(reason)
    if rpjmn is not None:
        check_rpjmn(rpjmn)
    if kkp_criterion is not None:
        check_kkp((kkp_criterion,))
    given: dict[str, Any] = {
        "title": require_text(title, "title", max_length=300) if title is not None else None,
        "description": description.strip() if description is not None else None,
        "owner_opd": (
            require_text(owner_opd, "owner_opd", max_length=200) if owner_opd is not None else None
        ),
        "partners": partners,
        "rpjmn": rpjmn,
        "kkp_criterion": kkp_criterion,
        "indicator_type": indicator_type,
        "indicator": indicator,
        "weight": check_weight(weight) if weight is not None else None,
    }
    # Only what differs from the current plan is recorded: a form resent unchanged is refused.
    changed = {
        name: value
        for name, value in given.items()
        if value is not None and value != getattr(action, name)
    }
    if not changed:
        raise InvalidInput("nothing-to-amend")
    return ActionAmended(reason=why, actor=actor, at=at, **changed)
