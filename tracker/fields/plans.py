"""Form fields → the action commands (plan, amend, add a step, reschedule, cancel, declare
completion, review a completion). Like tracker/fields/reports.py it decides nothing: it
parses text into the command the JSON API would build, and the domain and the bus judge it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

from domain import commands as c
from domain.action_events import ReturnReason
from domain.errors import InvalidInput
from domain.period import PeriodKind
from domain.values import Evidence, Indicator, IndicatorType, Partner, RpjmnTag
from tracker.fields.reports import evidence_of, number_of

PLAN_FIELDS = (
    "commitment_id",
    "title",
    "description",
    "owner_opd",
    "partners",
    "rpjmn_pn",
    "rpjmn_code",
    "kkp_criterion",
    "indicator_type",
    "indicator_name",
    "indicator_unit",
    "indicator_baseline",
    "indicator_target",
    "weight",
    "due_on",
)


def _text(form: Mapping[str, str], name: str) -> str:
    return form.get(name, "").strip()


def _date(form: Mapping[str, str], name: str) -> date:
    raw = _text(form, name)
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput("not-a-date", field=name) from None


def _uuid(form: Mapping[str, str], name: str) -> UUID:
    try:
        return UUID(_text(form, name))
    except ValueError:
        raise InvalidInput("empty-text", field=name) from None


def partners_of(raw: str) -> tuple[Partner, ...]:
    """One partner per line, its kind in brackets: `LBH Surabaya (CSO)`."""
    out = []
    for line in raw.splitlines():
        name, _, kind = line.strip().partition("(")
        if name.strip():
            out.append(Partner(name=name.strip(), kind=kind.rstrip(") ").strip() or "mitra"))
    return tuple(out)


def partners_text(partners: Any) -> str:
    return "\n".join(f"{p['name']} ({p['kind']})" for p in partners)


def _rpjmn(form: Mapping[str, str]) -> tuple[RpjmnTag, ...]:
    pn = _text(form, "rpjmn_pn")
    return (RpjmnTag(pn=pn, code=_text(form, "rpjmn_code") or None),) if pn else ()


def _kkp(form: Mapping[str, str]) -> int | None:
    raw = _text(form, "kkp_criterion")
    if not raw:
        return None
    if not raw.isdigit():
        raise InvalidInput("not-a-number", field="kkp_criterion")
    return int(raw)


def _indicator(form: Mapping[str, str]) -> Indicator | None:
    name, unit = _text(form, "indicator_name"), _text(form, "indicator_unit")
    baseline = number_of(form, "indicator_baseline")
    target = number_of(form, "indicator_target")
    given = [name, unit, baseline, target]
    if all(v in ("", None) for v in given):
        return None
    if not name or not unit or baseline is None or target is None:
        raise InvalidInput("indicator-incomplete")
    return Indicator(name=name, unit=unit, baseline=baseline, target=target)


def _indicator_type(form: Mapping[str, str]) -> IndicatorType:
    raw = _text(form, "indicator_type") or IndicatorType.PROCESS.value
    try:
        return IndicatorType(raw)
    except ValueError:
        raise InvalidInput("empty-text", field="indicator_type") from None


def _weight(form: Mapping[str, str]) -> int:
    raw = _text(form, "weight")
    if not raw:
        return 1
    if not raw.isdigit():
        raise InvalidInput("not-a-number", field="weight")
    return int(raw)


def _cadence(form: Mapping[str, str]) -> PeriodKind:
    raw = _text(form, "cadence") or PeriodKind.FOUR_MONTHLY.value  # RANHAM's B04/B08/B12
    try:
        return PeriodKind(raw)
    except ValueError:
        raise InvalidInput("empty-text", field="cadence") from None


def plan_command(region_code: str, form: Mapping[str, str]) -> c.PlanAction:
    return c.PlanAction(
        commitment_id=_uuid(form, "commitment_id"),
        region_code=region_code,
        title=_text(form, "title"),
        description=_text(form, "description"),
        owner_opd=_text(form, "owner_opd"),
        partners=partners_of(form.get("partners", "")),
        rpjmn=_rpjmn(form),
        kkp_criterion=_kkp(form),
        indicator_type=_indicator_type(form),
        indicator=_indicator(form),
        due_on=_date(form, "due_on"),
        cadence=_cadence(form),
        weight=_weight(form),
    )


def step_command(action_id: UUID, form: Mapping[str, str]) -> c.AddActionStep:
    return c.AddActionStep(
        action_id=action_id,
        title=_text(form, "title"),
        owner_opd=_text(form, "owner_opd"),
        due_on=_date(form, "due_on"),
        weight=_weight(form),
    )


def amend_command(action_id: UUID, form: Mapping[str, str]) -> c.AmendAction:
    """Every field as shown; the decider records only what differs from the plan."""
    return c.AmendAction(
        action_id=action_id,
        reason=_text(form, "reason") or None,
        title=_text(form, "title"),
        description=_text(form, "description"),
        owner_opd=_text(form, "owner_opd"),
        partners=partners_of(form.get("partners", "")),
        rpjmn=_rpjmn(form),
        kkp_criterion=_kkp(form),
        indicator_type=_indicator_type(form),
        indicator=_indicator(form),
        weight=_weight(form),
    )


def reschedule_command(action_id: UUID, form: Mapping[str, str]) -> c.RescheduleAction:
    return c.RescheduleAction(
        action_id=action_id, due_on=_date(form, "due_on"), reason=_text(form, "reason") or None
    )


def cancel_command(action_id: UUID, form: Mapping[str, str]) -> c.CancelAction:
    return c.CancelAction(action_id=action_id, reason=_text(form, "reason") or None)


def completion_command(action_id: UUID, form: Mapping[str, str]) -> c.DeclareCompletion:
    evidence: tuple[Evidence, ...] = evidence_of(form)
    return c.DeclareCompletion(action_id=action_id, evidence=evidence, note=_text(form, "note"))


def completion_review_command(action_id: UUID, form: Mapping[str, str]) -> c.Command:
    if form.get("decision") == "return":
        code = form.get("reason_code", "")
        if code not in {r.value for r in ReturnReason}:
            raise InvalidInput("empty-text", field="reason_code")
        return c.ReturnCompletion(
            action_id=action_id, reason_code=ReturnReason(code), note=form.get("note", "")
        )
    return c.VerifyCompletion(action_id=action_id, note=form.get("note", ""))


def plan_values(action: dict[str, Any]) -> dict[str, str]:
    """An action's plan as the form shows it, for the amendment form."""
    indicator = action.get("indicator") or {}
    rpjmn = (action.get("rpjmn") or [{}])[0]

    def show(value: Any) -> str:
        return "" if value is None else f"{value:g}"

    return {
        "title": action["title"],
        "description": action["description"],
        "owner_opd": action["owner_opd"],
        "partners": partners_text(action["partners"]),
        "rpjmn_pn": rpjmn.get("pn") or "",
        "rpjmn_code": rpjmn.get("code") or "",
        "kkp_criterion": show(action["kkp_criterion"]),
        "indicator_type": action["indicator_type"],
        "indicator_name": indicator.get("name", ""),
        "indicator_unit": indicator.get("unit", ""),
        "indicator_baseline": show(indicator.get("baseline")),
        "indicator_target": show(indicator.get("target")),
        "weight": str(action.get("weight", 1)),
        "due_on": str(action["due_on"]),
    }
