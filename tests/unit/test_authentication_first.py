"""Who is asking is settled before the body is read (tracker/http/principal.account_first):
an anonymous or badly authenticated caller gets 401 on every API write, whatever the body,
so the body's rules are only told to accounts; a public write (webhooks) still validates."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.unit.sites import Site

_PARAM = re.compile(r"\{\w+:(\w+)\}")
SAFE = {"GET", "HEAD", "OPTIONS"}
SAMPLE = {"uuid": "00000000-0000-4000-8000-000000000001", "int": "2025", "str": "35.72"}
MALFORMED: list[Any] = [{"period": 12, "percent": "banyak"}, {}]


def _writes(site: Site) -> list[tuple[str, str]]:
    """Every unsafe API route, with its path parameters filled in."""
    routes = []
    for route in site.client.app.routes:
        if not route.path.startswith("/api/"):
            continue
        path = _PARAM.sub(lambda m: SAMPLE[m.group(1)], route.path)
        routes.extend((method, path) for method in sorted(route.methods - SAFE))
    return routes


@pytest.mark.parametrize("body", MALFORMED)
def test_anonymous_writes_are_401_before_their_body_is_read(site: Site, body: Any) -> None:
    writes = _writes(site)
    assert len(writes) >= 30, writes
    for method, path in writes:
        response = site.client.request(method, path, json=body)
        if path == "/api/v1/webhooks":
            assert response.status_code == 422, response.text  # public: the body is checked
            continue
        assert response.status_code == 401, (method, path, response.text)
        assert response.json()["code"] == "sign-in-required"
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert site.events() == []


def test_a_token_that_does_not_work_is_401_before_the_body(site: Site) -> None:
    bad = {"Authorization": "Bearer not-a-token"}
    response = site.client.post("/api/v1/forums", json={"kind": 3}, headers=bad)
    assert response.status_code == 401
    assert response.json()["code"] == "invalid-credentials"


def test_an_account_is_told_the_body_rules(site: Site) -> None:
    response = site.client.post("/api/v1/forums", json={"kind": 3}, headers=site.as_("admin"))
    assert response.status_code == 422, response.text
    assert site.events() == []
