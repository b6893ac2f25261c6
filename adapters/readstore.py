"""PostgreSQL read store (asyncpg): catalogue tables, projection positions and the queries
the API answers from. Nothing here writes to the event store."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import asyncpg
import msgspec

from adapters import codec
from adapters.eventstore import EVENTS_TABLE, SNAPSHOTS_TABLE
from domain.registry import EVOLVERS

SCHEMA = """
CREATE TABLE IF NOT EXISTS projection_position (
    name text PRIMARY KEY,
    position bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS rm_forum (
    id uuid PRIMARY KEY,
    version int NOT NULL,
    kind text NOT NULL,
    title text NOT NULL,
    host_region_code text NOT NULL,
    starts_on date NOT NULL,
    updated_at timestamptz NOT NULL,
    doc jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS rm_commitment (
    id uuid PRIMARY KEY,
    version int NOT NULL,
    forum_id uuid NOT NULL,
    title text NOT NULL,
    status text NOT NULL,
    made_on date NOT NULL,
    region_codes text[] NOT NULL,
    rpjmn_pns text[] NOT NULL,
    kkp_criteria int[] NOT NULL,
    updated_at timestamptz NOT NULL,
    doc jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS rm_commitment_forum ON rm_commitment (forum_id);
CREATE INDEX IF NOT EXISTS rm_commitment_regions ON rm_commitment USING gin (region_codes);
CREATE TABLE IF NOT EXISTS rm_action (
    id uuid PRIMARY KEY,
    version int NOT NULL,
    commitment_id uuid NOT NULL,
    forum_id uuid NOT NULL,
    region_code text NOT NULL,
    province_code text NOT NULL,
    title text NOT NULL,
    owner_opd text NOT NULL,
    status text NOT NULL,
    kkp_criterion int,
    rpjmn_pns text[] NOT NULL,
    due_on date NOT NULL,
    completion double precision NOT NULL,
    updated_at timestamptz NOT NULL,
    doc jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS rm_action_region ON rm_action (region_code);
CREATE INDEX IF NOT EXISTS rm_action_province ON rm_action (province_code);
CREATE INDEX IF NOT EXISTS rm_action_commitment ON rm_action (commitment_id);
"""

TABLES = {"forum": "rm_forum", "commitment": "rm_commitment", "action": "rm_action"}


async def create_pool(database_url: str, *, min_size: int = 1, max_size: int = 10) -> Any:
    return await asyncpg.create_pool(database_url, min_size=min_size, max_size=max_size)


async def create_schema(pool: Any) -> None:
    # Two processes starting at once must not race on CREATE TABLE IF NOT EXISTS.
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(7243001)")
        await conn.execute(SCHEMA)


async def count_events(pool: Any) -> int:
    exists = await pool.fetchval("SELECT to_regclass($1) IS NOT NULL", EVENTS_TABLE)
    if not exists:
        return 0
    return int(await pool.fetchval(f"SELECT count(*) FROM {EVENTS_TABLE}"))


async def head_position(pool: Any) -> int:
    return int(await pool.fetchval(f"SELECT coalesce(max(notification_id), 0) FROM {EVENTS_TABLE}"))


async def projection_position(conn: Any, name: str) -> int:
    value = await conn.fetchval("SELECT position FROM projection_position WHERE name = $1", name)
    return int(value or 0)


async def read_notifications(conn: Any, after: int, limit: int) -> list[Any]:
    """Notifications in order. The event store inserts under a table lock, so ids commit
    in order and reading `> after` never skips a row that commits later."""
    return list(
        await conn.fetch(
            f"SELECT notification_id, originator_id, originator_version, topic, state "
            f"FROM {EVENTS_TABLE} WHERE notification_id > $1 "
            f"ORDER BY notification_id LIMIT $2",
            after,
            limit,
        )
    )


async def aggregate_rows(pool: Any, aggregate_id: UUID) -> tuple[Any, list[Any]]:
    """Newest snapshot and the events after it, read without touching eventsourcing."""
    snapshot = await pool.fetchrow(
        f"SELECT originator_version, topic, state FROM {SNAPSHOTS_TABLE} "
        f"WHERE originator_id = $1 ORDER BY originator_version DESC LIMIT 1",
        aggregate_id,
    )
    after = snapshot["originator_version"] if snapshot else 0
    events = await pool.fetch(
        f"SELECT notification_id, originator_version, topic, state FROM {EVENTS_TABLE} "
        f"WHERE originator_id = $1 AND originator_version > $2 ORDER BY originator_version",
        aggregate_id,
        after,
    )
    return snapshot, list(events)


async def history_rows(pool: Any, aggregate_id: UUID) -> list[Any]:
    return list(
        await pool.fetch(
            f"SELECT notification_id, originator_version, topic, state FROM {EVENTS_TABLE} "
            f"WHERE originator_id = $1 ORDER BY originator_version",
            aggregate_id,
        )
    )


async def load_state(pool: Any, kind: str, aggregate_id: UUID) -> Any | None:
    """Current state of one aggregate straight from the event store (no lag), for GET and
    for the ETag a client will send back in If-Match."""
    snapshot, events = await aggregate_rows(pool, aggregate_id)
    state: Any = None
    if snapshot is not None:
        if codec.aggregate_kind(snapshot["topic"]) != kind:
            return None
        state = codec.decode_state(kind, snapshot["state"])
    evolve = EVOLVERS[kind]
    for row in events:
        if state is None and codec.aggregate_kind(row["topic"]) != kind:
            return None
        state = evolve(state, codec.decode_event(row["topic"], row["state"]))
    return state


class ActionFilter(msgspec.Struct, frozen=True, kw_only=True):
    region_code: str | None = None
    province_code: str | None = None
    status: str | None = None
    owner_opd: str | None = None
    kkp_criterion: int | None = None
    rpjmn_pn: str | None = None
    commitment_id: UUID | None = None
    forum_id: UUID | None = None
    due_before: date | None = None
    overdue_on: date | None = None


async def list_actions(pool: Any, where: ActionFilter, limit: int, offset: int) -> list[Any]:
    clauses: list[str] = []
    args: list[Any] = []

    def add(sql: str, value: Any) -> None:
        args.append(value)
        clauses.append(sql.format(f"${len(args)}"))

    for column in ("region_code", "province_code", "status", "kkp_criterion"):
        value = getattr(where, column)
        if value is not None:
            add(f"{column} = {{}}", value)
    if where.owner_opd is not None:
        add("owner_opd ILIKE {}", f"%{where.owner_opd}%")
    if where.rpjmn_pn is not None:
        add("{} = ANY(rpjmn_pns)", where.rpjmn_pn)
    if where.commitment_id is not None:
        add("commitment_id = {}", where.commitment_id)
    if where.forum_id is not None:
        add("forum_id = {}", where.forum_id)
    if where.due_before is not None:
        add("due_on < {}", where.due_before)
    if where.overdue_on is not None:
        add("status IN ('planned', 'in_progress') AND due_on < {}", where.overdue_on)
    sql = "SELECT doc FROM rm_action"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    args += [limit, offset]
    sql += f" ORDER BY region_code, due_on, id LIMIT ${len(args) - 1} OFFSET ${len(args)}"
    return [row["doc"] for row in await pool.fetch(sql, *args)]


async def list_forums(pool: Any) -> list[Any]:
    return [r["doc"] for r in await pool.fetch("SELECT doc FROM rm_forum ORDER BY starts_on DESC")]


async def list_commitments(pool: Any, forum_id: UUID | None, region_code: str | None) -> list[Any]:
    sql = "SELECT doc FROM rm_commitment WHERE ($1::uuid IS NULL OR forum_id = $1)"
    sql += " AND ($2::text IS NULL OR $2 = ANY(region_codes)) ORDER BY made_on DESC, id"
    return [r["doc"] for r in await pool.fetch(sql, forum_id, region_code)]


async def region_counts(pool: Any, column: str, code: str) -> dict[str, Any]:
    """Counts by status and mean completion, for a region or a whole province."""
    assert column in ("region_code", "province_code")
    rows = await pool.fetch(
        f"SELECT status, count(*) AS n, avg(completion) AS completion FROM rm_action "
        f"WHERE {column} = $1 GROUP BY status",
        code,
    )
    by_status = {r["status"]: r["n"] for r in rows}
    total = sum(by_status.values())
    completion = sum(r["completion"] * r["n"] for r in rows) / total if total else 0.0
    return {"actions": total, "by_status": by_status, "completion": round(completion, 1)}
