"""Applies stored events to the catalogue read model, from either feed:

- the event store's notification log (catch-up, rebuild, and refilling holes), or
- NATS JetStream messages (the normal feed), each carrying its previous position, so a
  message whose predecessor never arrived makes us read the gap from PostgreSQL first.

Every batch is applied in one transaction together with the new position and a NOTIFY of
it, so a crash at any point neither loses nor doubles an effect, and readers in any
process learn the new position when it commits.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping, Sequence
from typing import Any

import structlog

from adapters import codec
from adapters.eventstore import EVENTS_TABLE
from adapters.readstore import LIVE, projection_position, read_notifications
from adapters.tasks import finish
from projections import catalog

BATCH = 500
APPLY_LOCK = 7243002  # held while applying; a rebuild's swap takes it too
POSITION_CHANNEL = "tracker_projection"

Row = Mapping[str, Any]  # notification_id, originator_id, originator_version, topic, state


async def _states(conn: Any, schema: str, wanted: set[tuple[str, Any]]) -> dict[Any, Any]:
    """The current rows of the aggregates a batch touches, one query per kind."""
    by_kind: dict[str, list[Any]] = {}
    for kind, aggregate_id in wanted:
        by_kind.setdefault(kind, []).append(aggregate_id)
    states: dict[Any, Any] = {}
    for kind, ids in by_kind.items():
        rows = await conn.fetch(f"SELECT id, doc FROM {schema}.{kind} WHERE id = ANY($1)", ids)
        for row in rows:
            states[(kind, row["id"])] = codec.decode_state(kind, row["doc"].encode())
    return states


class _Writes:
    """A batch's rows, written at the end with one prepared statement per table and column
    set: an aggregate's own row only as the batch leaves it, every history and activity row."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str, tuple[str, ...]], dict[tuple[Any, ...], tuple[Any, ...]]]
        self.rows = {}
        self.first: set[str] = set()  # tables whose first row for a key stays

    def add(self, table: str, columns: dict[str, Any], key: str, *, first: bool = False) -> None:
        names = tuple(columns)
        values = tuple(columns.values())
        ident = tuple(columns[k] for k in key.split(", "))
        rows = self.rows.setdefault((table, key, names), {})
        if first:
            self.first.add(table)
            rows.setdefault(ident, values)
        else:
            rows[ident] = values

    async def flush(self, conn: Any) -> None:
        for (table, key, names), rows in self.rows.items():
            placeholders = ", ".join(f"${i}" for i in range(1, len(names) + 1))
            updates = ", ".join(f"{n} = excluded.{n}" for n in names if n not in key.split(", "))
            action = "DO NOTHING" if table in self.first else f"DO UPDATE SET {updates}"
            sql = (
                f"INSERT INTO {table} ({', '.join(names)}) VALUES ({placeholders}) "
                f"ON CONFLICT ({key}) {action}"
            )
            if len(rows) == 1:  # the live feed applies one event at a time: no batch protocol
                await conn.execute(sql, *next(iter(rows.values())))
            else:
                await conn.executemany(sql, list(rows.values()))


async def apply_rows(conn: Any, rows: Sequence[Row], schema: str = LIVE) -> None:
    """Apply notifications in order inside the caller's transaction; what each one changes is
    decided by `projections.catalog.step`, this only reads the current rows and writes.
    Each activity line also records the latest time recorded up to it (`recorded_until`,
    what an as-of date is looked up by), carried along the batch from one read. States are
    read once per batch and carried from event to event; rows are written once at the end."""
    if not rows:
        return
    until = await conn.fetchval(
        f"SELECT recorded_until FROM {schema}.activity ORDER BY position DESC LIMIT 1"
    )
    decoded = [
        (
            row,
            codec.aggregate_kind(row["topic"]),
            codec.decode_event(row["topic"], bytes(row["state"])),
        )
        for row in rows
    ]
    states = await _states(conn, schema, {(kind, row["originator_id"]) for row, kind, _ in decoded})
    writes = _Writes()
    for row, kind, event in decoded:
        key = (kind, row["originator_id"])
        step = catalog.step(
            kind, states.get(key), event, row["originator_version"], row["notification_id"]
        )
        if step is None:
            continue  # already applied: never doubled
        states[key] = step.state
        for upsert in codec.stored_rows(kind, step):
            if upsert.table == "activity":
                until = max(event.at, until or event.at)
                upsert.columns["recorded_until"] = until
                _members(writes, schema, kind, upsert.columns)
            writes.add(f"{schema}.{upsert.table}", upsert.columns, upsert.key)
            if upsert.table == kind:
                history = {k: v for k, v in upsert.columns.items() if k != "doc"}
                history["position"] = row["notification_id"]
                writes.add(f"{schema}.{kind}_history", history, "id, position")
    await writes.flush(conn)


def _members(writes: _Writes, schema: str, kind: str, line: dict[str, Any]) -> None:
    """The places an activity line puts its aggregate in, from its first line there on."""
    for place in ("*", *line["region_codes"], *line["province_codes"]):
        member = {
            "place": place,
            "aggregate_id": line["aggregate_id"],
            "aggregate": kind,
            "first_position": line["position"],
        }
        writes.add(f"{schema}.member", member, "place, aggregate_id", first=True)


async def save_position(conn: Any, name: str, position: int, schema: str = LIVE) -> None:
    await conn.execute(
        f"INSERT INTO {schema}.position (name, position, updated_at) VALUES ($1, $2, now()) "
        "ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = now()",
        name,
        position,
    )
    if schema == LIVE:
        await conn.execute("SELECT pg_notify($1, $2)", POSITION_CHANNEL, f"{name}:{position}")


async def catch_up_from_store(
    conn: Any, name: str = catalog.NAME, schema: str = LIVE, batch: int = BATCH
) -> int:
    """Apply the next batch straight from the notification log; 0 when up to date."""
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", APPLY_LOCK)
        position = await projection_position(conn, name, schema)
        rows = await read_notifications(conn, position, batch)
        if rows:
            await apply_rows(conn, rows, schema)
            await save_position(conn, name, rows[-1]["notification_id"], schema)
        return len(rows)


async def apply_messages(conn: Any, messages: Sequence[Any], name: str = catalog.NAME) -> int:
    """Apply decoded NATS event messages; returns the position reached.

    A message at or below our position is a redelivery and is skipped. A message whose
    previous position is not ours means something between was lost on the way: read the
    gap from PostgreSQL before applying it.
    """
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", APPLY_LOCK)
        position = await projection_position(conn, name)
        start = position
        for message in messages:
            if message.position <= position:
                continue
            if message.previous_position != position:
                gap = await read_notifications(conn, position, 1_000_000, before=message.position)
                await apply_rows(conn, gap)
                structlog.get_logger("projector").warning(
                    "projector.gap_refilled", after=position, before=message.position, rows=len(gap)
                )
            row = {
                "notification_id": message.position,
                "originator_id": message.aggregate_id,
                "originator_version": message.version,
                "topic": message.type,
                "state": bytes(message.event),
            }
            await apply_rows(conn, [row])
            position = message.position
        if position != start:
            await save_position(conn, name, position)
        return position


class StoreTailProjector:
    """Feeds the projection from the notification log directly (no NATS configured)."""

    def __init__(self, pool: Any) -> None:
        self.pool = pool
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._listener: Any = None

    async def start(self) -> None:
        self._listener = await self.pool.acquire()
        await self._listener.add_listener(EVENTS_TABLE, self._on_notify)
        self._task = asyncio.create_task(self._run(), name="store-tail-projector")

    def _on_notify(self, *_: Any) -> None:
        self._wake.set()

    async def _run(self) -> None:
        log = structlog.get_logger("projector")
        while not self._stopping:
            self._wake.clear()
            try:
                async with self.pool.acquire() as conn:
                    while await catch_up_from_store(conn):
                        pass
            except Exception:
                # The transaction rolled back, so retrying later is safe.
                log.exception("projector.batch_failed", projection=catalog.NAME)
            # NOTIFY wakes us at once; the timeout covers a missed notification.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=1.0)

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            await finish(self._task, grace=5)
            self._task = None
        if self._listener is not None:
            await self._listener.remove_listener(EVENTS_TABLE, self._on_notify)
            await self.pool.release(self._listener)
