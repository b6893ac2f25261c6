"""schemathesis against the application's own OpenAPI document, as a Pemda of Kota Blitar
(the in-memory bootstrap with the demo loaded: the real routes, bus, policy and read
models): no answer is a server error, and every answer's status, content type and body are
the ones the document promises. A bounded number of cases per operation keeps it quick."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema_rs  # schemathesis's own validator
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.unit.sites import Site, make_site

CASES_PER_OPERATION = 20
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def demo_site() -> Iterator[Site]:
    yield from make_site(demo=True)


def test_every_answer_keeps_the_documented_contract(demo_site: Site) -> None:
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", demo_site.client.app)
    pemda = demo_site.as_("pemda_blitar")
    failures: dict[str, str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    tried = 0
    for operation in operations:
        calls, failure = _fuzz(operation, pemda)
        tried += calls
        if failure is not None:
            failures[operation.label] = failure
    assert len(operations) >= 70, len(operations)
    assert tried >= 10 * len(operations), tried
    assert not failures, "\n".join(f"{label}: {why}" for label, why in sorted(failures.items()))


def _fuzz(operation: Any, headers: dict[str, str]) -> tuple[int, str | None]:
    """How many cases ran against one operation, and what broke (None: nothing)."""
    calls = []

    @given(case=operation.as_strategy())
    @settings(
        max_examples=CASES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def call(case: Any) -> None:
        calls.append(case)
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        call()
    except BaseExceptionGroup as failure:  # schemathesis words each distinct failure
        return len(calls), "; ".join(" ".join(str(e).split())[:200] for e in failure.exceptions)
    return len(calls), None


def test_the_documents_answered_fit_their_typed_schemas(demo_site: Site) -> None:
    """The reads typed from the domain's state types (tracker/http/openapi_docs.py): the
    demo's own lists and single documents, public and as the region's Pemda, validate;
    a document with a field of the wrong type does not (the schema says something)."""
    document = demo_site.client.get("/schema/openapi.json").json()
    client = demo_site.client
    pemda = demo_site.as_("pemda_blitar")
    checked = 0
    for path, one in (
        ("/api/v1/forums", "/api/v1/forums/{forum_id}"),
        ("/api/v1/commitments", "/api/v1/commitments/{commitment_id}"),
        ("/api/v1/actions", "/api/v1/actions/{action_id}"),
    ):
        listed = client.get(path).json()
        documented(document, path, listed)
        for item in listed["items"][:3]:
            for headers in ({}, pemda):
                answer = client.get(path + "/" + item["id"], headers=headers).json()
                documented(document, one, answer)
                history = client.get(path + "/" + item["id"] + "/history", headers=headers)
                assert history.json()["items"], path
                documented(document, one + "/history", history.json())
                checked += 1
    region = client.get("/api/v1/regions/35.72/actions").json()
    documented(document, "/api/v1/regions/{code}/actions", region)
    documented(document, "/api/v1/me", client.get("/api/v1/me").json())
    documented(document, "/api/v1/me", client.get("/api/v1/me", headers=pemda).json())
    users = client.get("/api/v1/users", headers=demo_site.as_("admin")).json()
    assert len(users["items"]) >= 3
    documented(document, "/api/v1/users", users)
    key = "/.well-known/pelacak-ham-audit-key"
    documented(document, key, client.get(key).json())
    closures = client.get("/api/v1/periods").json()
    assert closures["items"], "the demo closes periods"
    documented(document, "/api/v1/periods", closures)
    for figures, path in (
        ("/api/v1/regions/35.72", "/api/v1/regions/{code}"),  # a kota
        ("/api/v1/regions/35", "/api/v1/regions/{code}"),  # a province, with its ranking
        ("/api/v1/national", "/api/v1/national"),
    ):
        answer = client.get(figures).json()
        assert answer["summary"]["actions"] > 0, figures
        documented(document, path, answer)
    for reference in (
        "/api/v1/regions",
        "/api/v1/reference/kkp-ham",
        "/api/v1/reference/rpjmn",
        "/api/v1/reference/national-targets",
    ):
        answer = client.get(reference).json()
        assert answer["items"], reference
        documented(document, reference, answer)
    assert checked >= 12
    wrong = {**listed["items"][0], "version": "two"}
    with pytest.raises(jsonschema_rs.ValidationError):
        documented(document, "/api/v1/actions/{action_id}", wrong)


def documented(document: dict[str, Any], path: str, body: Any) -> None:
    """`body` fits the 200 schema of GET `path` in the served OpenAPI `document`."""
    schema = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    resolver = {**schema["schema"], "components": document["components"]}
    jsonschema_rs.validate(resolver, body)
