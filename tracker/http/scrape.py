"""GET /metrics: the Prometheus text exposition of tracker/metrics.py, the lags read at
scrape time (docs/operations.md lists the alerts built on them)."""

from __future__ import annotations

from dataclasses import replace

import structlog
from litestar import Response, get
from prometheus_client import generate_latest

from adapters import ops_reads
from adapters.ops_reads import Lags
from tracker.bootstrap import Services
from tracker.http.deps import App

# The text format every Prometheus (2.x and 3.x) reads; litestar adds "; charset=utf-8".
TEXT_FORMAT = "text/plain; version=0.0.4"


async def _lags(services: Services) -> Lags:
    if services.in_memory:
        return Lags(await services.data.head_position(), {"catalog": services.positions.position})
    lags = await ops_reads.lags(services.pool)
    nc = services.runtime.nats
    if nc is not None and nc.is_connected:
        lags = replace(lags, streams=await ops_reads.stream_positions(nc))
    return lags


@get(
    "/metrics",
    tags=["ops"],
    summary="Metrik Prometheus / Prometheus metrics",
    media_type=TEXT_FORMAT,
)
async def metrics(services: App) -> Response[bytes]:
    """A scrape never fails because a server is down: the metric that says so is set and
    the rest is answered."""
    registry = services.metrics
    try:
        lags = await _lags(services)
    except Exception as error:  # the database or NATS is what is being watched
        structlog.get_logger("metrics").warning("metrics.lags_failed", error=repr(error))
        registry.database_up.set(0)
    else:
        registry.database_up.set(1)
        registry.record(lags, services.clock(), services.nats_connected())
    return Response(generate_latest(registry.registry), media_type=TEXT_FORMAT)
