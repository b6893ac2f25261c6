"""GET /metrics on the real application (PostgreSQL, the in-process projector and sealer):
commands by type and outcome, requests by route template, and the lags read from the
database, in Prometheus' text format."""

from __future__ import annotations

from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from tests.api.conftest import FORUM, ok


def _samples(client: Any) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def test_metrics_count_commands_requests_and_lags(client: Any, as_: dict[str, Any]) -> None:
    made = client.post("/api/v1/forums", json=FORUM, headers=as_["admin"])
    assert made.status_code == 201
    position = int(made.headers["x-tracker-position"])
    refused = client.post("/api/v1/forums", json=FORUM, headers=as_["pemda_blitar"])
    assert refused.status_code == 403
    ok(client.get(f"/api/v1/forums?after={position}"))

    found = _samples(client)
    command = "tracker_command_duration_seconds_count"
    assert found[(command, (("command", "ConveneForum"), ("outcome", "accepted")))] == 1
    assert found[(command, (("command", "ConveneForum"), ("outcome", "denied")))] == 1
    request = "tracker_http_request_duration_seconds_count"
    route = (("method", "POST"), ("route", "/api/v1/forums"))
    assert found[(request, (*route, ("status", "201")))] == 1
    assert found[(request, (*route, ("status", "403")))] == 1
    assert found[("tracker_log_head_position", ())] == position
    lags = {labels: value for (name, labels), value in found.items() if name.endswith("lag_events")}
    assert (("projection", "catalog"),) in lags, lags
    assert lags[(("projection", "catalog"),)] == 0
    assert found[("tracker_database_size_bytes", ())] > 1_000_000
    assert found[("tracker_database_up", ())] == 1


def test_a_path_no_route_matches_has_its_request_id_and_metric(client: Any) -> None:
    answer = client.get("/api/v1/tidak-ada", headers={"X-Request-ID": "cek-404"})
    assert answer.status_code == 404
    assert answer.headers["x-request-id"] == "cek-404"
    assert answer.json()["request_id"] == "cek-404"
    found = _samples(client)
    unmatched = (("method", "GET"), ("route", "unmatched"), ("status", "404"))
    assert found[("tracker_http_request_duration_seconds_count", unmatched)] >= 1
