"""`tracker relay` and `python -m adapters.relay_main DATABASE_URL NATS_URL`: run the
relays (adapters/relay.py) until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import sys

import structlog

from adapters import messages
from adapters.relay import Relay


async def run_relay(
    database_url: str,
    nats_url: str,
    channels: tuple[messages.Channel, ...] = (messages.INTERNAL,),
    replicas: int = 1,
) -> None:
    """`tracker relay`: lead or stand by, per channel, until SIGINT/SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await asyncio.gather(
        *(
            Relay(database_url, nats_url, channel=channel, replicas=replicas).run(stop)
            for channel in channels
        )
    )
    structlog.get_logger("relay").info("relay.stopped")


def _main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m adapters.relay_main DATABASE_URL NATS_URL", file=sys.stderr)
        return 2
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )
    asyncio.run(run_relay(argv[0], argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
