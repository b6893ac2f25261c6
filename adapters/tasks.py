"""Ending a background worker's task without trusting cancellation.

On Python 3.11 `asyncio.wait_for` can swallow a cancel that arrives while the awaited
event is being set, leaving a cancelled worker waiting for ever (seen as a hung shutdown in
CI). Workers therefore stop cooperatively: they are asked to stop, given a grace period,
and cancelled only if they have not ended by then; no wait here is unbounded.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any


async def finish(task: asyncio.Task[Any], grace: float) -> None:
    """Wait up to `grace` seconds for a task that was asked to stop; then cancel it and
    wait up to `grace` seconds more. An error the task ended with is consumed here: the
    worker has logged it already."""
    done, _ = await asyncio.wait({task}, timeout=grace)
    if not done:
        task.cancel()
        await asyncio.wait({task}, timeout=grace)
    if task.done():
        with contextlib.suppress(asyncio.CancelledError, Exception):
            task.result()
