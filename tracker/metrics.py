"""What an operator's Prometheus scrapes at /metrics: request latency by route, commands by
type and outcome, and how far behind the log each follower is (relay, projections, sealer,
checkpoints), with the database's size.

Each application has its own registry (tests build many applications in one process).
Lags are read at scrape time from PostgreSQL and NATS, so every replica reports the same
figures whichever process runs the workers.
"""

from __future__ import annotations

from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from adapters.account_types import AccountError
from adapters.errors import ConcurrencyConflict
from adapters.ops_reads import Lags
from domain.access import NotAllowed, SignInRequired
from domain.errors import InvalidInput, RuleViolated
from tracker.errors import NotFound, StaleVersion

LATENCY_BUCKETS = (0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def outcome_of(error: BaseException | None) -> str:
    """A small, fixed set of outcomes (a label must not grow with refusal codes)."""
    if error is None:
        return "accepted"
    if isinstance(error, SignInRequired | NotAllowed):
        return "denied"
    if isinstance(error, RuleViolated):
        return "refused"
    if isinstance(error, InvalidInput | AccountError):
        return "invalid"
    if isinstance(error, StaleVersion | ConcurrencyConflict):
        return "stale"
    if isinstance(error, NotFound):
        return "not_found"
    return "failed"


class Metrics:
    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry()
        self.requests = Histogram(
            "tracker_http_request_duration_seconds",
            "HTTP requests by method, route template and status.",
            ["method", "route", "status"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.commands = Histogram(
            "tracker_command_duration_seconds",
            "Commands handled by the bus, by type and outcome.",
            ["command", "outcome"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.cached = Counter(
            "tracker_response_cache_requests",
            "Anonymous reads: answered from the response cache (hit), made and kept (miss),"
            " or made and not keepable (uncacheable: no read-model ETag, a cookie set, ...).",
            ["outcome"],
            registry=registry,
        )
        self.head = Gauge(
            "tracker_log_head_position", "Last position in the log.", registry=registry
        )
        self.projection_lag = Gauge(
            "tracker_projection_lag_events",
            "Events in the log a read model has not applied yet.",
            ["projection"],
            registry=registry,
        )
        self.relay_lag = Gauge(
            "tracker_relay_lag_events",
            "Events in the log not yet in the NATS stream.",
            ["stream"],
            registry=registry,
        )
        self.sealer_lag = Gauge(
            "tracker_sealer_lag_events", "Events not yet in the hash chain.", registry=registry
        )
        self.checkpoint_lag = Gauge(
            "tracker_checkpoint_lag_events",
            "Events after the last signed checkpoint.",
            registry=registry,
        )
        self.checkpoint_age = Gauge(
            "tracker_checkpoint_age_seconds",
            "Seconds since the last signed checkpoint.",
            registry=registry,
        )
        self.database_bytes = Gauge(
            "tracker_database_size_bytes", "Size of the tracker's database.", registry=registry
        )
        self.database_up = Gauge(
            "tracker_database_up",
            "1 when the last scrape could read PostgreSQL.",
            registry=registry,
        )
        self.nats_up = Gauge(
            "tracker_nats_connected",
            "1 when NATS is connected (absent: none configured).",
            registry=registry,
        )

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).observe(seconds)

    def observe_command(self, command: str, error: BaseException | None, seconds: float) -> None:
        self.commands.labels(command, outcome_of(error)).observe(seconds)

    def record(self, lags: Lags, now: datetime, nats: bool | None) -> None:
        self.head.set(lags.head)
        for name, position in lags.projections.items():
            self.projection_lag.labels(name).set(max(lags.head - position, 0))
        for stream, position in lags.streams.items():
            self.relay_lag.labels(stream).set(max(lags.head - position, 0))
        if lags.sealed is not None:
            self.sealer_lag.set(max(lags.head - lags.sealed, 0))
        if lags.checkpoint is not None:
            position, issued_at = lags.checkpoint
            self.checkpoint_lag.set(max(lags.head - position, 0))
            self.checkpoint_age.set(max((now - issued_at).total_seconds(), 0.0))
        if lags.database_bytes is not None:
            self.database_bytes.set(lags.database_bytes)
        if nats is not None:
            self.nats_up.set(1 if nats else 0)
