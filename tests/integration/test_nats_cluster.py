"""A three-node JetStream cluster on loopback, with the streams on all three (R3, the
relay's `replicas` setting). Under a steady stream of writes, one node is killed with
SIGKILL and started again, then the stream's leader is. The relay reconnects to a live
node and carries on from the stream's last message; a JetStream consumer (the feed the
public fan-out and mail use) and the projector reconnect by themselves. Afterwards the
consumer has seen every position of the log once and in order, the stream holds the log,
and the read models are at the head and equal a rebuild."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import subprocess
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nats
import pytest

from adapters import messages, readstore
from adapters.embedded.nats import jetstream_ready, nats_server_executable
from adapters.eventstore import open_event_store
from adapters.nats_feed import JetStreamFeed
from adapters.nats_projector import NatsProjector
from adapters.rebuild import checksum, rebuild
from adapters.relay import Relay
from tests.integration.fault_support import reporter
from tests.integration.test_cli_serve import free_port
from tests.integration.test_relay import World, assert_stream_is_the_log, table

WAIT_S = 90.0
WRITES_PER_ROUND = 40


@dataclass
class Node:
    name: str
    port: int
    route_port: int
    directory: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"


class Cluster:
    def __init__(self, root: Path, size: int = 3) -> None:
        self.nodes = [
            Node(f"n{i}", free_port(), free_port(), root / f"n{i}") for i in range(1, size + 1)
        ]

    @property
    def url(self) -> str:
        """What TRACKER_NATS_URL holds for a cluster: every server, comma-separated."""
        return ",".join(node.url for node in self.nodes)

    def start(self, node: Node) -> None:
        node.directory.mkdir(parents=True, exist_ok=True)
        routes = ", ".join(f"nats-route://127.0.0.1:{n.route_port}" for n in self.nodes)
        config = node.directory / "nats-server.conf"
        config.write_text(
            f"server_name: {node.name}\n"
            f"listen: 127.0.0.1:{node.port}\n"
            f"jetstream {{\n  store_dir: {json.dumps(str(node.directory))}\n"
            "  sync_interval: always\n}\n"
            f"cluster {{\n  name: tracker\n  listen: 127.0.0.1:{node.route_port}\n"
            f"  routes: [{routes}]\n}}\n",
            encoding="utf-8",
        )
        with (node.directory / "nats-server.log").open("ab") as log:
            node.process = subprocess.Popen(
                [str(nats_server_executable()), "-c", str(config)], stdout=log, stderr=log
            )

    def kill(self, node: Node) -> None:
        assert node.process is not None
        node.process.send_signal(signal.SIGKILL)
        node.process.wait(timeout=WAIT_S)

    def stop(self) -> None:
        for node in self.nodes:
            if node.process is not None and node.process.poll() is None:
                node.process.send_signal(signal.SIGTERM)
                node.process.wait(timeout=WAIT_S)

    def by_name(self, name: str) -> Node:
        return next(node for node in self.nodes if node.name == name)


async def _until(predicate: Any, what: str) -> None:
    """Repeat an awaitable check (each a round trip to a server) until it holds."""
    try:
        async with asyncio.timeout(WAIT_S):
            while not await predicate():
                pass
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None


async def _jetstream_up(cluster: Cluster) -> bool:
    """Every node answers JetStream API requests: a meta leader has been elected."""
    ready = [await asyncio.to_thread(jetstream_ready, node.port, 2.0) for node in cluster.nodes]
    return all(ready)


@asynccontextmanager
async def _client(url: str) -> AsyncIterator[Any]:
    nc = await nats.connect(messages.server_list(url), max_reconnect_attempts=-1)
    try:
        yield nc.jetstream(timeout=5)
    finally:
        await nc.close()


async def _stream_state(js: Any) -> tuple[str | None, bool]:
    """(leader, every replica current) of the internal stream; (None, False) while its
    leader is being elected."""
    try:
        info = await js.stream_info(messages.STREAM)
    except Exception:
        return None, False
    cluster = info.cluster
    if cluster is None or cluster.leader is None:
        return None, False
    replicas = cluster.replicas or []
    return cluster.leader, len(replicas) == 2 and all(r.current for r in replicas)


class Consumer:
    """Reads the feed as the outbox workers do: a failed round is tried again."""

    def __init__(self, feed: JetStreamFeed) -> None:
        self.feed = feed
        self.positions: list[int] = []
        self.failed_rounds = 0
        self._grew = asyncio.Condition()

    async def reached(self, head: int) -> None:
        async with self._grew:
            await asyncio.wait_for(
                self._grew.wait_for(lambda: bool(self.positions) and self.positions[-1] >= head),
                WAIT_S,
            )

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                after = self.positions[-1] if self.positions else 0
                events = await self.feed.read(after, 100)
            except Exception:  # the next round tries again, as OutboxWorker does
                self.failed_rounds += 1
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=0.1)
                continue
            async with self._grew:
                self.positions.extend(event[0] for event in events)
                self._grew.notify_all()


def test_a_lost_node_then_a_lost_leader_lose_and_reorder_nothing(
    tmp_path: Path, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    cluster = Cluster(tmp_path)
    for node in cluster.nodes:
        cluster.start(node)
    store = open_event_store(database_url)
    try:
        asyncio.run(_scenario(cluster, database_url, World(store), reporter(capsys)))
    finally:
        store.close()
        cluster.stop()


async def _scenario(
    cluster: Cluster, database_url: str, world: World, say: Callable[[str], None]
) -> None:
    await _until(lambda: _jetstream_up(cluster), "a JetStream meta leader")
    pool = await readstore.create_pool(database_url)
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []
    try:
        await readstore.create_schema(pool)
        async with _client(cluster.url) as js:
            # A deployment from before the setting: stream and consumers on one server.
            await _started_and_stopped(pool, cluster.url, replicas=1)
            assert (await js.stream_info(messages.STREAM)).config.num_replicas == 1
            # With TRACKER_NATS_REPLICAS=3 the relay scales the stream, the consumers
            # scale themselves (a durable consumer keeps the replicas it was made with).
            relay = Relay(database_url, cluster.url, batch=20, replicas=3)
            tasks.append(asyncio.create_task(relay.run(stop)))
            await _until(lambda: _all_current(js), "the stream on three servers")
            feed = JetStreamFeed(pool, cluster.url, durable="cluster-test", replicas=3)
            projector = NatsProjector(pool, cluster.url, replicas=3)
            await feed.start()
            await projector.start()
            for durable in ("cluster-test", "projector-catalog"):
                await _until(lambda d=durable: _consumer_on_three(js, d), f"{durable} on three")
            consumer = Consumer(feed)
            tasks.append(asyncio.create_task(consumer.run(stop)))
            await _rounds(cluster, js, world, database_url, consumer, say)
            stop.set()
            await asyncio.gather(*tasks)
            await projector.stop()
            await feed.stop()
        rows = await asyncio.to_thread(table, database_url)
        positions = [int(row["notification_id"]) for row in rows]
        assert consumer.positions == positions  # every one, once, in log order
        stored = await asyncio.to_thread(
            assert_stream_is_the_log, database_url, cluster.nodes[0].url
        )
        say(
            f"cluster: {len(positions)} events written, stream {len(stored)} messages, "
            f"consumer saw {len(consumer.positions)} in order "
            f"({consumer.failed_rounds} failed rounds retried)"
        )
        live = await checksum(pool)
        assert live[0] == positions[-1]  # the projector is at the head
        await rebuild(pool)
        assert await checksum(pool) == live
    finally:
        stop.set()
        for task in tasks:
            task.cancel()
        await pool.close()


async def _consumer_on_three(js: Any, durable: str) -> bool:
    info = await js.consumer_info(messages.STREAM, durable)
    return info.cluster is not None and len(info.cluster.replicas or []) == 2


async def _started_and_stopped(pool: Any, url: str, replicas: int) -> None:
    feed = JetStreamFeed(pool, url, durable="cluster-test", replicas=replicas)
    projector = NatsProjector(pool, url, replicas=replicas)
    await feed.start()
    await projector.start()
    await projector.stop()
    await feed.stop()


async def _rounds(
    cluster: Cluster,
    js: Any,
    world: World,
    database_url: str,
    consumer: Consumer,
    say: Callable[[str], None],
) -> None:
    """Round 1 kills a node that does not lead the stream, round 2 the leader; each
    round writes before and after the kill, waits for the consumer to reach the head,
    restarts the node and waits until all three replicas are current again."""
    for round_number, kill_leader in enumerate((False, True), start=1):
        await asyncio.to_thread(world.write, WRITES_PER_ROUND)
        leader, _ = await _stream_state(js)
        assert leader is not None
        victim = (
            cluster.by_name(leader)
            if kill_leader
            else next(n for n in cluster.nodes if n.name != leader)
        )
        cluster.kill(victim)
        await asyncio.to_thread(world.write, WRITES_PER_ROUND)
        head = int((await asyncio.to_thread(table, database_url))[-1]["notification_id"])
        await consumer.reached(head)
        cluster.start(victim)
        await _until(lambda: _all_current(js), "three current replicas")
        await _until(lambda head=head: _stream_at(js, head), f"the stream at {head}")
        new_leader, _ = await _stream_state(js)
        say(
            f"round {round_number}: killed {victim.name} (leader {leader}), "
            f"consumer at {head}; {victim.name} back, three replicas current, stream at head, "
            f"leader {new_leader}"
        )


async def _stream_at(js: Any, head: int) -> bool:
    """The relay has published up to `head` (it may be backing off after a failure)."""
    try:
        return await messages.resume_point(js, messages.STREAM) >= head
    except Exception:
        return False


async def _all_current(js: Any) -> bool:
    leader, current = await _stream_state(js)
    return leader is not None and current
