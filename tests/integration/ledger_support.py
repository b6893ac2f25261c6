"""A small event log on a real PostgreSQL to seal, sign and tamper with (test_tamper.py,
test_key_rotation.py): forums convened and corrected, one event each."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any, TypeVar
from uuid import uuid4

import asyncpg
import pytest

from adapters import sealer, signing
from adapters.eventstore import ConcurrencyConflict, EventStore
from adapters.reference_data import region_catalogue
from adapters.sealer import verify as audit_verify
from adapters.sealer.verify import VerifyReport
from domain import forum
from domain.values import Actor, Role

T = TypeVar("T")
ACTOR = Actor(user_id="auditor", role=Role.ADMIN, office="Kanwil Kemenkum Jawa Tengah")
AT = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
ORIGIN = "pelacak-ham.test"


class World:
    """An event store that forums are convened and corrected in (one event each)."""

    def __init__(self, store: EventStore, url: str) -> None:
        self.store, self.url = store, url
        self.forums: list[Any] = []
        self.positions: list[int] = []
        self.holes: list[int] = []

    def write(self, n: int) -> None:
        for _ in range(n):
            if len(self.forums) < 10:
                event = forum.convene(
                    forum_id=uuid4(),
                    kind=forum.ForumKind.FGD,
                    title=f"FGD {len(self.forums)}",
                    theme="",
                    organisers=("Bagian Hukum",),
                    host_region_code="33.75",
                    venue="",
                    starts_on=date(2026, 1, 1),
                    ends_on=date(2026, 1, 1),
                    regions=region_catalogue(),
                    actor=ACTOR,
                    at=AT,
                )
                state, position = self.store.append("forum", event.forum_id, None, [event])
                self.forums.append(state)
            else:
                i = len(self.positions) % 10
                stale = self.forums[i]
                title = f"FGD {i} v{stale.version + 1}"
                change = forum.correct(stale, reason="ralat", title=title, actor=ACTOR, at=AT)
                self.forums[i], position = self.store.append("forum", stale.id, stale, [change])
            self.positions.append(position)

    def hole(self) -> None:
        """A writer that loses the race consumes a notification id: a real hole."""
        assert len(self.forums) == 10
        stale = self.forums[len(self.positions) % 10]
        self.write(1)  # corrects `stale`
        change = forum.correct(stale, reason="ralat", title="kalah", actor=ACTOR, at=AT)
        with pytest.raises(ConcurrencyConflict):
            self.store.append("forum", stale.id, stale, [change])
        self.holes.append(self.positions[-1] + 1)

    def run(self, body: Callable[[Any], Awaitable[T]]) -> T:
        async def main() -> T:
            pool = await asyncpg.create_pool(self.url, min_size=1, max_size=4)
            try:
                return await body(pool)
            finally:
                await pool.close()

        return asyncio.run(main())

    def sql(self, *statements: str) -> None:
        async def execute(pool: Any) -> None:
            async with pool.acquire() as conn, conn.transaction():
                for statement in statements:
                    await conn.execute(statement)

        self.run(execute)

    def verify(self, keys: signing.Keyring) -> VerifyReport:
        return self.run(lambda pool: audit_verify.verify(pool, keys))


def sign(world: World, signer: signing.Signer) -> Any:
    return world.run(lambda pool: sealer.checkpoint(pool, signer, ORIGIN, AT))
