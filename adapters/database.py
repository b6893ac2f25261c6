"""The read side's asyncpg pool, opened when the application starts (not when it is built),
so the composition root can be built synchronously and started inside the event loop."""

from __future__ import annotations

from typing import Any

import asyncpg


class Database:
    def __init__(self, url: str | None, *, min_size: int = 1, max_size: int = 10) -> None:
        self.url = url
        self.min_size = min_size
        self.max_size = max_size
        self._pool: Any = None

    async def open(self) -> None:
        if self.url is None:
            raise RuntimeError("no database is configured")
        if self._pool is None:
            self._pool = await asyncpg.create_pool(
                self.url, min_size=self.min_size, max_size=self.max_size
            )

    @property
    def pool(self) -> Any:
        if self._pool is None:
            raise RuntimeError("the database pool is not open yet")
        return self._pool

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()
