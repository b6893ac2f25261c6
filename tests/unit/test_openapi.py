"""The OpenAPI document a client is generated from (tracker/http/openapi.py): the problem
shape, the security schemes, the statuses of every operation, and request examples that are
real (they decode into their types) rather than random strings."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from domain.period import ReportingPeriod
from tests.unit.sites import Site
from tracker.api.examples import REQUEST_EXAMPLES
from tracker.http.openapi import PROBLEM_REF, SIGNED_IN

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def document(site: Site) -> dict[str, Any]:
    answer = site.client.get("/schema/openapi.json")
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    return body


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, spec)
        for path, item in document["paths"].items()
        for method, spec in item.items()
        if method in METHODS
    ]


@pytest.mark.parametrize("kind", list(REQUEST_EXAMPLES), ids=lambda kind: kind.__qualname__)
def test_every_request_example_decodes_into_its_type(kind: type) -> None:
    decoded = msgspec.convert(REQUEST_EXAMPLES[kind], kind, strict=False)
    assert msgspec.to_builtins(decoded)  # not empty: it says something


def test_every_request_body_has_a_written_example(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    bodies = set()
    for _, _, spec in _operations(document):
        content = spec.get("requestBody", {}).get("content", {})
        ref = content.get("application/json", {}).get("schema", {}).get("$ref")
        if ref:
            bodies.add(ref.rpartition("/")[2])
    assert len(bodies) >= 25, bodies
    missing = sorted(name for name in bodies if not schemas[name].get("examples"))
    assert not missing, missing
    progress = schemas["ProgressIn"]["examples"][0]
    period = ReportingPeriod.parse(progress["period"])  # a period the domain accepts
    assert (period.kind.value, period.year, period.number) == ("four_monthly", 2026, 8)
    assert progress["narrative"].startswith("Angkatan pertama")


def test_problems_and_security_are_described(document: dict[str, Any]) -> None:
    components = document["components"]
    assert set(components["securitySchemes"]) == {"bearer", "session"}
    assert components["securitySchemes"]["session"]["in"] == "cookie"
    problem = components["schemas"]["Problem"]
    assert {"code", "detail_id", "detail_en", "request_id"} <= set(problem["properties"])
    for method, path, spec in _operations(document):
        if not path.startswith("/api/"):
            continue
        responses = spec["responses"]
        assert spec.get("operationId"), (method, path)
        for status in ("400", "401"):
            assert responses[status]["content"]["application/problem+json"]["schema"] == (
                PROBLEM_REF
            ), (method, path, status)
        if method != "get" and path != "/api/v1/webhooks":
            assert spec["security"] == SIGNED_IN, (method, path)
            assert {"403", "409", "412", "422"} <= set(responses), (method, path)


def test_writes_answer_their_command_result(document: dict[str, Any]) -> None:
    spec = document["paths"]["/api/v1/actions/{action_id}/progress"]["post"]
    created = spec["responses"]["201"]["content"]["application/json"]["schema"]
    assert created == {"$ref": "#/components/schemas/CommandOut"}
    out = document["components"]["schemas"]["CommandOut"]
    assert set(out["required"]) == {"id", "version", "position", "data"}


def test_reads_of_the_read_models_document_304_and_503(document: dict[str, Any]) -> None:
    spec = document["paths"]["/api/v1/regions/{code}"]["get"]
    assert {"200", "304", "404", "503"} <= set(spec["responses"])
    assert "content" not in spec["responses"]["304"]
