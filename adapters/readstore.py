"""PostgreSQL read store (asyncpg): catalogue tables, projection positions and the queries
the API answers from. Nothing here writes to the event store."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
import structlog

from adapters import codec
from adapters.eventstore import EVENTS_TABLE, SNAPSHOTS_TABLE
from adapters.readstore_schema import SCHEMA, SCHEMA_VERSION
from domain.registry import AGGREGATE_EVENTS, fold

LIVE = "rm"  # the schema the API reads; a rebuild fills another and swaps names


async def create_pool(database_url: str, *, min_size: int = 1, max_size: int = 10) -> Any:
    return await asyncpg.create_pool(database_url, min_size=min_size, max_size=max_size)


def _split(ddl: str) -> tuple[str, list[str]]:
    """The DDL without its secondary (non-unique) indexes, and those indexes."""
    statements = [part.strip() for part in ddl.split(";") if part.strip()]
    later = [st for st in statements if st.startswith("CREATE INDEX")]
    kept = [st for st in statements if not st.startswith("CREATE INDEX")]
    return ";\n".join(kept) + ";", later


async def create_indexes(conn: Any, schema: str) -> None:
    """The secondary indexes a schema made with `indexes=False` left out, then fresh
    statistics: a rebuild builds each index once over full tables, not row by row."""
    for statement in _split(SCHEMA.format(s=schema))[1]:
        await conn.execute(statement)
    await conn.execute(f"ANALYZE {', '.join(f'{schema}.{t}' for t in TABLES)}")


async def create_schema(pool: Any, schema: str = LIVE, *, indexes: bool = True) -> None:
    # Two processes starting at once must not race on CREATE TABLE IF NOT EXISTS.
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(7243001)")
        exists = await conn.fetchval("SELECT to_regnamespace($1) IS NOT NULL", schema)
        if exists:
            version = None
            if await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", f"{schema}.meta"):
                version = await conn.fetchval(
                    f"SELECT value FROM {schema}.meta WHERE key = 'schema_version'"
                )
            if version != SCHEMA_VERSION:
                structlog.get_logger("readstore").warning(
                    "readstore.schema_replaced", schema=schema, old=version, new=SCHEMA_VERSION
                )
                await conn.execute(f"DROP SCHEMA {schema} CASCADE")
        ddl = SCHEMA.format(s=schema)
        await conn.execute(ddl if indexes else _split(ddl)[0])
        for kind in KINDS:
            await conn.execute(HISTORY.format(s=schema, kind=kind))
        await conn.execute(
            f"INSERT INTO {schema}.meta VALUES ('schema_version', $1) ON CONFLICT DO NOTHING",
            SCHEMA_VERSION,
        )


async def count_events(pool: Any) -> int:
    exists = await pool.fetchval("SELECT to_regclass($1) IS NOT NULL", EVENTS_TABLE)
    if not exists:
        return 0
    return int(await pool.fetchval(f"SELECT count(*) FROM {EVENTS_TABLE}"))


async def head_position(pool: Any) -> int:
    return int(await pool.fetchval(f"SELECT coalesce(max(notification_id), 0) FROM {EVENTS_TABLE}"))


async def projection_position(conn: Any, name: str, schema: str = LIVE) -> int:
    value = await conn.fetchval(f"SELECT position FROM {schema}.position WHERE name = $1", name)
    return int(value or 0)


async def read_notifications(
    conn: Any, after: int, limit: int, before: int | None = None
) -> list[Any]:
    """Notifications in order. The event store inserts under a table lock, so ids commit
    in order and reading `> after` never skips a row that commits later."""
    return list(
        await conn.fetch(
            f"SELECT notification_id, originator_id, originator_version, topic, state "
            f"FROM {EVENTS_TABLE} WHERE notification_id > $1 AND notification_id < $3 "
            f"ORDER BY notification_id LIMIT $2",
            after,
            limit,
            before if before is not None else 2**62,
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
    return fold(kind, state, (codec.decode_event(r["topic"], r["state"]) for r in events))


async def position_at(pool: Any, cutoff: datetime) -> tuple[int, datetime | None]:
    """The end of the longest stretch of the log recorded entirely before `cutoff` (its
    last public position), and the latest time in it; (0, None) before the first event.
    `recorded_until` never decreases along the log, so this is one index probe."""
    row = await pool.fetchrow(
        f"SELECT position, recorded_until FROM {LIVE}.activity WHERE recorded_until < $1 "
        "ORDER BY recorded_until DESC, position DESC LIMIT 1",
        cutoff,
    )
    return (0, None) if row is None else (int(row["position"]), row["recorded_until"])


# Each catalogue row as it was after every event (the live table's columns but the full
# document, and the position that wrote it): what an as-of read is answered from, so a past
# day costs an index probe per aggregate of the place, however long the log has grown.
HISTORY = """
CREATE TABLE IF NOT EXISTS {s}.{kind}_history (LIKE {s}.{kind});
ALTER TABLE {s}.{kind}_history DROP COLUMN IF EXISTS doc;
ALTER TABLE {s}.{kind}_history ADD COLUMN IF NOT EXISTS position bigint NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS {kind}_history_key ON {s}.{kind}_history (id, position);
"""
KINDS = tuple(AGGREGATE_EVENTS)
TABLES = (*KINDS, *(f"{kind}_history" for kind in KINDS), "activity", "member")

# Who was in the place up to the position: the place's members that joined by then (forums,
# period closures and reporting schedules are few and all kept), then one index probe per
# aggregate for its row at the position.
_MEMBERS = f"""
SELECT aggregate_id, aggregate FROM {LIVE}.member WHERE place = $2 AND first_position <= $1
UNION
SELECT DISTINCT id, 'forum' FROM {LIVE}.forum_history WHERE position <= $1
UNION
SELECT DISTINCT id, 'period' FROM {LIVE}.period_history WHERE position <= $1
UNION
SELECT DISTINCT id, 'schedule' FROM {LIVE}.schedule_history WHERE position <= $1
UNION
SELECT DISTINCT id, 'reminder' FROM {LIVE}.reminder_history
WHERE position <= $1 AND (region_code = $2 OR province_code = $2)
"""
# Reminders are private (no activity line): they are found by their own history.
_EVERYONE = f"""
SELECT aggregate_id, aggregate FROM {LIVE}.member WHERE place = '*' AND first_position <= $1
UNION
SELECT DISTINCT id, 'reminder' FROM {LIVE}.reminder_history WHERE position <= $1
"""
_ROWS_AT = """
SELECT h.* FROM unnest($2::uuid[]) AS ids(id)
CROSS JOIN LATERAL (
    SELECT * FROM {s}.{kind}_history
    WHERE id = ids.id AND position <= $1 ORDER BY position DESC LIMIT 1
) h
"""


async def rows_at(pool: Any, position: int, place: str | None) -> dict[str, list[dict[str, Any]]]:
    """The catalogue rows, by kind, of every forum and of each commitment and action with
    public activity in `place` (a region or province code; None for all) as they were at
    `position`. Rows that have left the place since are kept: every query filters again."""
    members = await (
        pool.fetch(_EVERYONE, position) if place is None else pool.fetch(_MEMBERS, position, place)
    )
    ids: dict[str, list[UUID]] = {kind: [] for kind in KINDS}
    for member in members:
        ids[member["aggregate"]].append(member["aggregate_id"])
    out: dict[str, list[dict[str, Any]]] = {}
    for kind in KINDS:
        rows = await pool.fetch(_ROWS_AT.format(s=LIVE, kind=kind), position, ids[kind])
        out[kind] = [{k: v for k, v in dict(r).items() if k != "position"} for r in rows]
    return out
