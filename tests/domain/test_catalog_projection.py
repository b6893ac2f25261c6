"""The catalogue projection as a pure step: given the events an aggregate has, when one more
event arrives, then these rows change (and a repeated event changes nothing)."""

from __future__ import annotations

from typing import Any

from domain.action import Action
from domain.registry import EVOLVERS
from domain.values import Evidence
from projections.catalog import Step, step

from .helpers import (
    ACTION_ID,
    COMMITMENT_ID,
    action_planned,
    action_started,
    commitment_made,
    report_submitted,
    report_verified,
)

PRIVATE_EVIDENCE = Evidence(title="Wawancara", url="https://example.org/w.pdf", public=False)


def given_action(*events: Any) -> Action | None:
    state: Action | None = None
    for event in events:
        state = EVOLVERS["action"](state, event)
    return state


def rows(result: Step | None) -> dict[str, dict[str, Any]]:
    assert result is not None
    return {upsert.table: upsert.columns for upsert in result.upserts}


def test_a_planned_action_gets_its_row_and_an_activity_line() -> None:
    changed = rows(step("action", None, action_planned(), version=1, position=7))
    assert set(changed) == {"action", "activity"}
    action = changed["action"]
    assert (action["id"], action["version"], action["status"]) == (ACTION_ID, 1, "planned")
    assert (action["region_code"], action["province_code"]) == ("35.72", "35")
    assert (action["completion"], action["reports_total"], action["indicator_value"]) == (
        0,
        0,
        None,
    )
    activity = changed["activity"]
    assert activity["position"] == 7
    assert (activity["type"], activity["aggregate"]) == ("ActionPlanned", "action")
    assert (activity["region_codes"], activity["province_codes"]) == (["35.72"], ["35"])


def test_a_verified_report_counts_in_the_row() -> None:
    before = given_action(action_planned(), action_started(), report_submitted(percent=40.0))
    changed = rows(step("action", before, report_verified(), version=4, position=12))
    assert changed["action"]["reports_total"] == 1
    assert changed["action"]["reports_verified"] == 1
    assert changed["action"]["completion"] == 40.0
    assert changed["activity"]["type"] == "ProgressReportVerified"


def test_an_event_already_in_the_row_changes_nothing() -> None:
    before = given_action(action_planned(), action_started())
    assert step("action", before, action_started(), version=2, position=9) is None
    assert step("action", before, action_started(), version=1, position=9) is None


def test_the_public_document_has_no_private_evidence_or_account_ids() -> None:
    before = given_action(action_planned(), action_started())
    report = report_submitted(evidence=(PRIVATE_EVIDENCE,))
    result = step("action", before, report, version=3, position=10)
    assert result is not None
    public = rows(result)["action"]["public_doc"]
    assert public["reports"][0]["evidence"] == []
    assert "user_id" not in repr(public)
    assert result.state.reports[0].evidence == (PRIVATE_EVIDENCE,)  # the full state keeps it


def test_a_commitment_shows_on_every_signatory_and_province() -> None:
    changed = rows(step("commitment", None, commitment_made(), version=1, position=3))
    assert changed["commitment"]["id"] == COMMITMENT_ID
    assert changed["commitment"]["region_codes"] == ["35", "33.74"]
    assert changed["activity"]["region_codes"] == ["35", "33.74"]
    assert changed["activity"]["province_codes"] == ["33", "35"]
