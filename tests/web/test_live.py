"""`GET /langsung` against a real uvicorn server (litestar's test client buffers whole
responses, so an endless stream needs a socket): events in scope, none out of it, resuming,
refusals, and streams that end when the client or the server goes."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn

from tests.api.conftest import FORUM, issue_tokens, ok
from tests.support import settings_for
from tracker.app import create_app
from tracker.bootstrap import Services, bootstrap
from tracker.web import live

TIMEOUT = 20.0  # seconds any single wait may take before the test fails


@dataclass
class Server:
    url: str
    services: Services
    server: uvicorn.Server
    loop: asyncio.AbstractEventLoop
    thread: threading.Thread
    tokens: dict[str, dict[str, str]]

    def on_loop(self, call: Any) -> Any:
        """Run `call()` (a coroutine function) on the server's event loop."""
        return asyncio.run_coroutine_threadsafe(call(), self.loop).result(TIMEOUT)

    def streams(self) -> live.Streams:
        async def get() -> live.Streams:
            return live.streams_for(self.services.positions, self.services.data)

        result: live.Streams = self.on_loop(get)
        return result

    def stop(self) -> None:
        """What SIGTERM does (called off the loop's thread, so uvicorn re-raises nothing)."""
        self.server.handle_exit(signal.SIGTERM, None)
        self.thread.join(TIMEOUT)
        assert not self.thread.is_alive(), "shutdown hangs"


@pytest.fixture
def server(database_url: str) -> Iterator[Server]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)  # connections queue here until uvicorn has started: no readiness poll
    settings = settings_for(database_url)
    services = bootstrap(settings)
    config = uvicorn.Config(
        create_app(settings, services=services), log_config=None, access_log=False
    )
    running = live.StreamingServer(config)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(
        target=loop.run_until_complete, args=(running.serve([listener]),), daemon=True
    )
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    httpx.get(f"{url}/health", timeout=TIMEOUT).raise_for_status()
    started = Server(url, services, running, loop, thread, issue_tokens(database_url))
    try:
        yield started
    finally:
        if thread.is_alive():
            started.stop()
        loop.close()


@pytest.fixture
def http(server: Server) -> Iterator[httpx.Client]:
    headers = server.tokens["pemda_blitar"]
    with httpx.Client(base_url=server.url, headers=headers, timeout=TIMEOUT) as client:
        yield client


def seed(http: httpx.Client, tokens: dict[str, dict[str, str]]) -> dict[str, Any]:
    admin = tokens["admin"]
    forum = ok(http.post("/api/v1/forums", json=FORUM, headers=admin), 201)
    signatories = [
        {"region_code": "35.72", "office": "Wali Kota Blitar"},
        {"region_code": "33.74", "office": "Wali Kota Semarang"},
    ]
    commitment = ok(
        http.post(
            "/api/v1/commitments",
            headers=admin,
            json={
                "forum_id": forum["id"],
                "title": "Komitmen bersama Pemda bidang HAM",
                "made_on": "2025-11-13",
                "signatories": signatories,
                "rpjmn": [{"pn": "PN1"}],
                "kkp_criteria": [1, 2],
            },
        ),
        201,
    )
    action = plan(http, commitment["id"], "35.72", "Pelatihan HAM bagi ASN Pemkot Blitar")
    return {"forum": forum, "commitment": commitment, "action": action}


def plan(http: httpx.Client, commitment_id: str, region: str, title: str, **kw: Any) -> Any:
    body = {
        "commitment_id": commitment_id,
        "region_code": region,
        "title": title,
        "owner_opd": "Bagian Hukum Setda",
        "due_on": "2026-12-31",
        "kkp_criterion": 1,
        "rpjmn": [{"pn": "PN1"}],
        "indicator": {"name": "ASN terlatih", "unit": "orang", "baseline": 0, "target": 500},
    }
    return ok(http.post("/api/v1/actions", json=body, **kw), 201)


def report_and_verify(http: httpx.Client, tokens: Any, action_id: str) -> int:
    """Blitar reports, the Kanwil of Jawa Timur verifies: the verification's position."""
    base = f"/api/v1/actions/{action_id}"
    body = {"period": "2025-Q4", "percent": 20, "narrative": "Tahap 1"}
    report_id = ok(http.post(f"{base}/progress", json=body), 201)["data"]["reports"][0]["id"]
    verified = http.post(
        f"{base}/progress/{report_id}/verification",
        json={"note": "Sesuai"},
        headers=tokens["kanwil_jatim"],
    )
    return int(ok(verified)["position"])


def blocks(response: httpx.Response) -> Iterator[dict[str, str]]:
    """The stream's blocks as {field: value} (comments under ":"), one per blank line."""
    block: dict[str, str] = {}
    for line in response.iter_lines():
        if line:
            field, _, value = line.partition(":")
            block[field or ":"] = value.removeprefix(" ")
        elif block:
            yield block
            block = {}


def events_until(stream: Iterator[dict[str, str]], position: int) -> list[dict[str, Any]]:
    """`perubahan` events up to the one reaching `position` (the read timeout fails it)."""
    seen: list[dict[str, Any]] = []
    for block in stream:
        if block.get("event") == "perubahan":
            seen.append({"id": int(block["id"]), **json.loads(block["data"])})
            if seen[-1]["id"] >= position:
                return seen
    raise AssertionError(f"stream ended before position {position}: {seen}")


def opened(http: httpx.Client, query: str, **headers: str) -> Any:
    return http.stream("GET", f"/langsung?{query}", headers=headers)


def test_region_stream_gets_its_changes_and_nothing_else(
    server: Server, http: httpx.Client
) -> None:
    seeded = seed(http, server.tokens)
    after = seeded["action"]["position"]
    with opened(http, f"wilayah=35.72&setelah={after}") as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["cache-control"] == "no-cache"
        assert response.headers["x-accel-buffering"] == "no"
        stream = blocks(response)
        assert next(stream) == {":": "terhubung", "retry": "5000"}
        semarang = plan(
            http,
            seeded["commitment"]["id"],
            "33.74",
            "Aksi Kota Semarang",
            headers=server.tokens["pemda_semarang"],
        )
        verified = report_and_verify(http, server.tokens, seeded["action"]["id"])
        assert semarang["position"] < verified
        events = events_until(stream, verified)
    assert events[-1]["id"] == events[-1]["position"] == verified
    assert "ProgressReportVerified" in events[-1]["types"]
    assert all(e["titles"] == ["Pelatihan HAM bagi ASN Pemkot Blitar"] for e in events)
    assert [e["id"] for e in events] == sorted({e["id"] for e in events})
    assert all(set(e) == {"id", "position", "types", "titles"} for e in events)  # no actor


def test_every_scope_and_resuming(
    server: Server, http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded = seed(http, server.tokens)
    after = seeded["action"]["position"]
    action, forum = seeded["action"]["id"], seeded["forum"]["id"]
    queries = ["", "wilayah=35", "provinsi=35", f"aksi={action}", f"forum={forum}"]
    with contextlib.ExitStack() as stack:
        jateng, *streams = (
            blocks(stack.enter_context(opened(http, f"{q}&setelah={after}")))
            for q in ["provinsi=33", *queries]
        )
        # Last-Event-ID (a reconnecting browser) wins over `setelah`.
        resumed = blocks(
            stack.enter_context(
                opened(http, f"wilayah=35.72&setelah={2**40}", **{"Last-Event-ID": "0"})
            )
        )
        verified = report_and_verify(http, server.tokens, action)
        for stream in streams:
            assert "ProgressReportVerified" in events_until(stream, verified)[-1]["types"]
        replayed = events_until(resumed, verified)
        assert "ActionPlanned" in replayed[0]["types"]  # from 0, the seeding is news too
        semarang = plan(
            http,
            seeded["commitment"]["id"],
            "33.74",
            "Aksi Semarang",
            headers=server.tokens["pemda_semarang"],
        )
        assert events_until(jateng, semarang["position"]) == [
            {
                "id": semarang["position"],
                "position": semarang["position"],
                "types": ["ActionPlanned"],
                "titles": ["Aksi Semarang"],
            }
        ]

    monkeypatch.setattr(live, "HEARTBEAT", 0.2)
    with opened(http, "wilayah=35.72", **{"Last-Event-ID": str(verified)}) as caught_up:
        stream = blocks(caught_up)
        assert next(stream)["retry"] == "5000"
        assert next(stream) == {":": "ping"}  # nothing after the verification in Blitar


def test_refusals(server: Server, http: httpx.Client) -> None:
    for query in ("wilayah=99.99", "provinsi=35.72", f"aksi={'0' * 8}-0000-0000-0000-{'0' * 12}"):
        refused = http.get(f"/langsung?{query}")
        assert refused.status_code == 404, query
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["code"] == "unknown-scope"
    assert http.get("/langsung?wilayah=35.72&provinsi=35").status_code == 400
    assert http.get("/langsung?aksi=bukan-uuid").status_code == 400  # as every bad query

    streams = server.streams()
    streams.limit = 1
    with opened(http, "wilayah=35.72") as first:
        stream = blocks(first)  # kept: dropping the iterator would close the connection
        assert next(stream)["retry"] == "5000"  # counted once the body starts
        with opened(http, "wilayah=35.72") as second:
            assert second.status_code == 503
            assert json.loads(second.read())["code"] == "too-many-streams"
    server.on_loop(lambda: asyncio.wait_for(streams.idle.wait(), TIMEOUT))  # client gone
    assert streams.open == 0


def test_shutdown_ends_open_streams(server: Server, http: httpx.Client) -> None:
    with opened(http, "") as national, opened(http, "wilayah=35") as jatim:
        streams = [blocks(national), blocks(jatim)]
        for stream in streams:
            assert next(stream)["retry"] == "5000"
        server.stop()  # joins the server thread: hangs (and fails) if a stream stays open
        assert [list(stream) for stream in streams] == [[], []]  # ended, not cut
    assert server.services.positions.stopped
