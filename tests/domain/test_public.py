"""The public form of a document: private evidence and account ids removed, nothing else."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import msgspec

from domain.action_events import ActionCompleted, ProgressReportSubmitted
from domain.period import ReportingPeriod
from domain.values import Actor, Evidence, Role
from projections.public import private_evidence_count, redact

PEMDA = Actor(user_id="nip-1987", role=Role.PEMDA, office="Bagian Hukum")
PUBLIC = Evidence(title="Notulen", url="https://example.org/notulen.pdf")
PRIVATE = Evidence(title="Wawancara", url="https://example.org/rahasia.pdf", public=False)
AT = datetime(2025, 9, 1, tzinfo=UTC)


def test_a_report_loses_private_evidence_and_the_account_id_only() -> None:
    event = ProgressReportSubmitted(
        report_id=uuid4(),
        period=ReportingPeriod.parse("2025-Q3"),
        percent=40.0,
        indicator_value=None,
        narrative="Sosialisasi",
        evidence=(PUBLIC, PRIVATE),
        actor=PEMDA,
        at=AT,
    )
    document = msgspec.to_builtins(event)  # tuples stay tuples here
    assert private_evidence_count(document) == 1
    public = redact(document)
    assert private_evidence_count(public) == 0
    assert [e["url"] for e in public["evidence"]] == [PUBLIC.url]
    assert public["actor"] == {"role": "pemda", "office": "Bagian Hukum"}
    assert "nip-1987" not in msgspec.json.encode(public).decode()
    untouched = {k: v for k, v in public.items() if k not in ("evidence", "actor")}
    assert untouched == {k: v for k, v in document.items() if k not in ("evidence", "actor")}


def test_completion_evidence_is_filtered_too() -> None:
    event = ActionCompleted(evidence=(PRIVATE,), note="Selesai", actor=PEMDA, at=AT)
    public = redact(msgspec.to_builtins(event))
    assert public["evidence"] == [] and public["note"] == "Selesai"


def test_nested_reports_in_a_state_document() -> None:
    document = {
        "reports": (
            {"evidence": (msgspec.to_builtins(PRIVATE),), "reporter": {"user_id": "a"}},
            {"evidence": [], "reviewer": {"user_id": "b", "role": "kanwil", "office": "K"}},
        ),
        "completion_evidence": (msgspec.to_builtins(PUBLIC),),
    }
    public = redact(document)
    assert public["reports"][0] == {"evidence": [], "reporter": {}}
    assert public["reports"][1]["reviewer"] == {"role": "kanwil", "office": "K"}
    assert public["completion_evidence"][0]["url"] == PUBLIC.url
