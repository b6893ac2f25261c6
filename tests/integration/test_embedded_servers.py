"""The embedded servers are real: real PostgreSQL and nats-server processes under tmp_path."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import asyncpg
import nats
import pytest

from adapters.embedded import (
    DataDirectoryBusy,
    DataDirectoryLock,
    EmbeddedNats,
    EmbeddedPostgres,
    EmbeddedServerError,
    EmbeddedServers,
)

pytestmark = pytest.mark.integration


async def _write_row(url: str, text: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        assert await conn.fetchval("select 1") == 1
        await conn.execute("create table commitment (id serial primary key, text text not null)")
        row_id: int = await conn.fetchval(
            "insert into commitment (text) values ($1) returning id", text
        )
        return row_id
    finally:
        await conn.close()


async def _read_rows(url: str) -> list[tuple[int, str]]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("select id, text from commitment order by id")
        return [(row["id"], row["text"]) for row in rows]
    finally:
        await conn.close()


def test_servers_start_keep_data_across_restart_and_refuse_a_second_owner(tmp_path: Path) -> None:
    servers = EmbeddedServers(tmp_path)
    try:
        database_url, nats_url = servers.start()
        assert database_url.startswith("postgresql://postgres@127.0.0.1:")
        assert database_url.endswith("/tracker")
        assert nats_url.startswith("nats://127.0.0.1:")
        row_id = asyncio.run(_write_row(database_url, "Perda tentang disabilitas"))

        with pytest.raises(DataDirectoryBusy, match=f"pid {os.getpid()}"):
            EmbeddedServers(tmp_path).start()
        # Even without the lock, the servers themselves refuse a second instance.
        with pytest.raises(EmbeddedServerError, match="already running"):
            EmbeddedPostgres(tmp_path / "postgres").start()
        with pytest.raises(EmbeddedServerError, match="already running"):
            EmbeddedNats(tmp_path / "nats").start()

        servers.stop()
        servers.stop()  # idempotent
        assert servers.database_url is None
        assert servers.nats_url is None

        database_url, _ = servers.start()
        assert asyncio.run(_read_rows(database_url)) == [(row_id, "Perda tentang disabilitas")]
    finally:
        servers.stop()

    if os.geteuid() == 0:  # postgres refuses root, so the cluster belongs to the service user
        assert (tmp_path / "postgres").stat().st_uid != 0
    # The lock was released: a fresh owner can take the directory.
    with DataDirectoryLock(tmp_path):
        pass


def test_stop_without_start_is_a_no_op(tmp_path: Path) -> None:
    EmbeddedPostgres(tmp_path / "postgres").stop()
    EmbeddedNats(tmp_path / "nats").stop()
    EmbeddedServers(tmp_path).stop()


def test_second_lock_on_the_same_directory_is_refused(tmp_path: Path) -> None:
    first = DataDirectoryLock(tmp_path)
    first.acquire()
    try:
        second = DataDirectoryLock(tmp_path)
        with pytest.raises(DataDirectoryBusy) as excinfo:
            second.acquire()
        assert str(tmp_path) in str(excinfo.value)
        assert f"(pid {os.getpid()})" in str(excinfo.value)
    finally:
        first.release()
    with second:
        assert second.held
    assert not second.held


async def _publish(url: str) -> int:
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        await js.add_stream(name="EVENTS", subjects=["events.>"])
        ack = await js.publish("events.commitment", b"komitmen-1")
        return ack.seq
    finally:
        await nc.close()


async def _read_back(url: str, seq: int) -> bytes:
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        await js.account_info()
        message = await js.get_msg("EVENTS", seq)
        return message.data or b""
    finally:
        await nc.close()


def test_jetstream_messages_survive_a_nats_restart(tmp_path: Path) -> None:
    server = EmbeddedNats(tmp_path / "nats")
    try:
        seq = asyncio.run(_publish(server.start()))
        server.stop()
        assert server.url is None
        assert asyncio.run(_read_back(server.start(), seq)) == b"komitmen-1"
    finally:
        server.stop()
    assert (tmp_path / "nats" / "jetstream").is_dir()
