"""The JSON log from many threads at once: every line is one whole JSON object (worker
threads and the event loop log together; a log shipper reads line by line)."""

from __future__ import annotations

import io
import json
import os
import sys
import threading

import pytest
import structlog

from tracker import logging as tracker_logging


class SlowStream(io.StringIO):
    """Lets other threads run after every write, as a pipe or a file can."""

    def write(self, text: str) -> int:
        written = super().write(text)
        os.sched_yield()  # gives up the GIL: another thread may write now
        return written


def test_lines_logged_at_once_from_threads_never_run_together(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    captured = SlowStream()
    monkeypatch.setattr(sys, "stderr", captured)
    tracker_logging.configure("json", "info")
    try:
        log = structlog.get_logger("test")

        def burst(n: int) -> None:
            for i in range(300):
                log.info("command.handled", worker=n, i=i, token="not-in-the-log")

        threads = [threading.Thread(target=burst, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        structlog.reset_defaults()
    lines = captured.getvalue().splitlines()
    assert len(lines) == 6 * 300
    parsed = [json.loads(line) for line in lines]
    assert {(p["worker"], p["i"]) for p in parsed} == {(n, i) for n in range(6) for i in range(300)}
    assert all(p["token"] == "***" for p in parsed)
