"""structlog, configured once: JSON when not on a terminal, readable when on one."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import MutableMapping
from typing import Any

import structlog

_SECRET_KEYS = ("password", "token", "secret", "authorization", "cookie")


def _drop_secrets(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key in list(event):
        if any(s in key.lower() for s in _SECRET_KEYS):
            event[key] = "***"
    return event


_WRITE = threading.Lock()


class _StderrLogger:
    """Writes to whatever sys.stderr is at the time of the call, not at configuration:
    a stream captured or swapped later (tests, daemons) is never written to once closed.
    One write per line under a lock: `print` writes the text and the newline separately,
    so lines logged at once from worker threads ran together and broke the JSON lines."""

    def msg(self, message: str) -> None:
        with _WRITE:
            sys.stderr.write(message + "\n")
            sys.stderr.flush()

    log = debug = info = warning = warn = error = critical = exception = fatal = msg


def _stderr_logger(*_: Any) -> _StderrLogger:
    return _StderrLogger()


def configure(fmt: str = "auto", level: str = "info") -> None:
    renderer: Any
    if fmt == "json" or (fmt == "auto" and not sys.stderr.isatty()):
        renderer = structlog.processors.JSONRenderer()
    else:
        renderer = structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _drop_secrets,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping()[level.upper()]
        ),
        logger_factory=_stderr_logger,
        cache_logger_on_first_use=True,
    )
