"""Field-level diffs of builtins documents, the audit trail built on them, and CSV export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

from domain.action_events import ActionPlanned, ActionRescheduled
from domain.values import Actor, IndicatorType, Role
from projections.audit import Change, audit_trail, field_changes, to_csv


def paths(before: Any, after: Any) -> dict[str, tuple[Any, Any]]:
    return {c.path: (c.before, c.after) for c in field_changes(before, after)}


def test_equal_documents_have_no_changes() -> None:
    doc = {"a": 1, "b": [1, 2], "c": {"d": None}, "e": [{"id": "x", "v": 1}]}
    assert field_changes(doc, doc) == []
    assert field_changes({}, {}) == []
    assert field_changes([], []) == []
    assert field_changes(None, None) == []


def test_scalar_field_change() -> None:
    assert field_changes({"due_on": "2026-01-01"}, {"due_on": "2026-06-30"}) == [
        Change("due_on", "2026-01-01", "2026-06-30")
    ]


def test_top_level_scalars() -> None:
    assert field_changes(1, 2) == [Change("", 1, 2)]
    assert field_changes("a", "a") == []


def test_type_changes_count_even_when_python_calls_them_equal() -> None:
    assert paths({"x": 1}, {"x": True}) == {"x": (1, True)}
    assert paths({"x": 1}, {"x": 1.0}) == {"x": (1, 1.0)}


def test_none_to_value_and_back() -> None:
    assert paths({"note": None}, {"note": "Selesai"}) == {"note": (None, "Selesai")}
    assert paths({"note": "Selesai"}, {"note": None}) == {"note": ("Selesai", None)}


def test_added_and_removed_keys() -> None:
    assert paths({"a": 1}, {"a": 1, "b": 2}) == {"b": (None, 2)}
    assert paths({"a": 1, "b": 2}, {"a": 1}) == {"b": (2, None)}


def test_missing_key_and_none_are_the_same() -> None:
    assert field_changes({"a": 1}, {"a": 1, "b": None}) == []


def test_version_and_updated_at_are_ignored() -> None:
    before = {"version": 1, "updated_at": "t1", "status": "planned"}
    after = {"version": 2, "updated_at": "t2", "status": "in_progress"}
    assert paths(before, after) == {"status": ("planned", "in_progress")}


def test_nested_dicts_use_dotted_paths() -> None:
    before = {"indicator": {"name": "ASN", "target": 500}}
    after = {"indicator": {"name": "ASN", "target": 600}}
    assert paths(before, after) == {"indicator.target": (500, 600)}


def test_dict_replacing_none_is_one_change() -> None:
    after = {"indicator": {"name": "ASN"}}
    assert paths({"indicator": None}, after) == {"indicator": (None, {"name": "ASN"})}


def test_list_items_with_ids_are_matched_by_id() -> None:
    before = {"reports": [{"id": "r1", "status": "submitted"}, {"id": "r2", "status": "draft"}]}
    after = {"reports": [{"id": "r2", "status": "draft"}, {"id": "r1", "status": "verified"}]}
    assert paths(before, after) == {"reports[r1].status": ("submitted", "verified")}


def test_list_item_added_by_id() -> None:
    new = {"id": "r2", "status": "submitted"}
    before = {"reports": [{"id": "r1", "status": "verified"}]}
    after = {"reports": [{"id": "r1", "status": "verified"}, new]}
    assert paths(before, after) == {"reports[r2]": (None, new)}


def test_first_item_with_id_added_to_empty_list() -> None:
    new = {"id": "r1", "status": "submitted"}
    assert paths({"reports": []}, {"reports": [new]}) == {"reports[r1]": (None, new)}


def test_list_item_removed_by_id() -> None:
    old = {"id": "r1", "v": 1}
    assert paths({"items": [old]}, {"items": []}) == {"items[r1]": (old, None)}


def test_nested_ids_and_indexed_evidence() -> None:
    evidence = [{"title": "Daftar hadir", "url": "https://a.example/1.pdf"}]
    moved = [{"title": "Daftar hadir", "url": "https://a.example/2.pdf"}]
    before = {"reports": [{"id": "r1", "evidence": evidence}]}
    after = {"reports": [{"id": "r1", "evidence": moved}]}
    assert paths(before, after) == {
        "reports[r1].evidence[0].url": ("https://a.example/1.pdf", "https://a.example/2.pdf")
    }


def test_lists_without_ids_are_compared_by_index() -> None:
    assert paths({"pns": ["PN1", "PN2"]}, {"pns": ["PN1", "PN3"]}) == {"pns[1]": ("PN2", "PN3")}
    assert paths({"pns": ["PN1"]}, {"pns": ["PN1", "PN2"]}) == {"pns[1]": (None, "PN2")}
    assert paths({"pns": ["PN1", "PN2"]}, {"pns": ["PN1"]}) == {"pns[1]": ("PN2", None)}


def test_dicts_without_ids_in_lists_are_compared_by_index() -> None:
    before = {"signatories": [{"region_code": "35.72", "office": "Wali Kota"}]}
    after = {"signatories": [{"region_code": "35.72", "office": "Sekda"}]}
    assert paths(before, after) == {"signatories[0].office": ("Wali Kota", "Sekda")}


def test_duplicate_ids_fall_back_to_index() -> None:
    before = {"x": [{"id": 1, "v": "a"}, {"id": 1, "v": "b"}]}
    after = {"x": [{"id": 1, "v": "a"}, {"id": 1, "v": "c"}]}
    assert paths(before, after) == {"x[1].v": ("b", "c")}


def test_mixed_lists_fall_back_to_index() -> None:
    before = {"x": [{"id": "a"}, "plain"]}
    after = {"x": [{"id": "a"}, "other"]}
    assert paths(before, after) == {"x[1]": ("plain", "other")}


def test_tuples_are_lists() -> None:
    before = {"reports": ({"id": "r1", "status": "submitted"},), "pns": ("PN1",)}
    after = {"reports": [{"id": "r1", "status": "verified"}], "pns": ["PN1"]}
    assert paths(before, after) == {"reports[r1].status": ("submitted", "verified")}


def test_list_replacing_scalar_is_one_change() -> None:
    assert paths({"x": None}, {"x": [1]}) == {"x": (None, [1])}


ACTOR = Actor(user_id="u-1", role=Role.PEMDA, office="Bag. Hukum")
AT = datetime(2025, 11, 13, 8, 0, tzinfo=UTC)


def planned() -> ActionPlanned:
    return ActionPlanned(
        at=AT,
        actor=ACTOR,
        action_id=uuid4(),
        commitment_id=uuid4(),
        forum_id=uuid4(),
        region_code="35.72",
        province_code="35",
        title="Pelatihan HAM",
        description="",
        owner_opd="Bagian Hukum",
        partners=(),
        rpjmn=(),
        kkp_criterion=1,
        indicator_type=IndicatorType.PROCESS,
        indicator=None,
        due_on=date(2026, 12, 31),
    )


def test_audit_trail_lists_events_with_actor_and_changes() -> None:
    first = planned()
    later = datetime(2025, 12, 1, tzinfo=UTC)
    moved = ActionRescheduled(
        at=later,
        actor=ACTOR,
        previous_due_on=date(2026, 12, 31),
        due_on=date(2027, 6, 30),
        reason="Anggaran",
    )
    trail = audit_trail("action", [(10, 1, first), (12, 2, moved)])
    assert [(e["position"], e["version"], e["type"]) for e in trail] == [
        (10, 1, "ActionPlanned"),
        (12, 2, "ActionRescheduled"),
    ]
    assert trail[1]["actor"] == {"user_id": "u-1", "role": "pemda", "office": "Bag. Hukum"}
    assert trail[1]["data"] == {
        "previous_due_on": "2026-12-31",
        "due_on": "2027-06-30",
        "reason": "Anggaran",
    }
    assert trail[1]["changes"] == [
        {"path": "due_on", "before": "2026-12-31", "after": "2027-06-30"}
    ]
    created = {c["path"]: c["after"] for c in trail[0]["changes"]}
    assert created["title"] == "Pelatihan HAM" and created["status"] == "planned"
    assert "version" not in created and "updated_at" not in created


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_csv_has_header_crlf_and_quotes() -> None:
    text = to_csv([{"a": 'say "hi", ok', "b": 3}, {"a": "line\nbreak", "b": None}], ["a", "b"])
    assert text.startswith("a,b\r\n")
    assert parse(text) == [["a", "b"], ['say "hi", ok', "3"], ["line\nbreak", ""]]


def test_csv_neutralises_formulas() -> None:
    rows = [{"t": "=HYPERLINK(1)"}, {"t": "+1"}, {"t": "-1"}, {"t": "@SUM(A1)"}, {"t": "ok=1"}]
    assert [r[0] for r in parse(to_csv(rows, ["t"]))[1:]] == [
        "'=HYPERLINK(1)",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "ok=1",
    ]


def test_csv_lists_and_numbers() -> None:
    rows = [{"codes": ["35.72", "33.74"], "n": -2, "flag": True}]
    assert parse(to_csv(rows, ["codes", "n", "flag"]))[1] == ["35.72 33.74", "-2", "true"]
