"""What the fault tests share: a writer that keeps convening forums through the API while
processes are killed around it, and the checks made after each recovery."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from typing import Any

from tests.api.conftest import FORUM
from tests.integration.test_cli_serve import TIMEOUT, caught_up, get

JSON = "application/json"


class Writer(threading.Thread):
    """Convenes forums one after another, round robin over the API ports, until told to
    stop. A 201 makes a write acknowledged; any other outcome (no answer, a 5xx while
    PostgreSQL restarts) leaves it in doubt: it may or may not have been stored, and the
    writer goes on with the next title. With `persist=False` it ends at the first failure
    (the only server is gone). An answer of 4xx is a failure of the test (`refused`)."""

    def __init__(self, ports: list[int], token: str, *, persist: bool = True) -> None:
        super().__init__(daemon=True)
        self.ports, self.token, self.persist = ports, token, persist
        self.acknowledged: list[str] = []
        self.in_doubt: list[str] = []
        self.refused: str | None = None
        self.stop = threading.Event()
        self._running = threading.Event()  # cleared: paused between two writes
        self._running.set()
        self._idle = threading.Event()
        self._grew = threading.Condition()

    def until(self, count: int) -> None:
        """Block until `count` writes are acknowledged (or the writer ended)."""
        with self._grew:
            done = self._grew.wait_for(
                lambda: len(self.acknowledged) >= count or not self.is_alive(), TIMEOUT
            )
        assert self.refused is None, self.refused
        assert done and len(self.acknowledged) >= count, "the writer stopped early"

    def pause(self) -> None:
        """Return once no write is in flight and none will start before `resume`."""
        self._idle.clear()
        self._running.clear()
        assert self._idle.wait(TIMEOUT) or not self.is_alive()

    def resume(self) -> None:
        self._running.set()

    def run(self) -> None:
        try:
            self._write()
        finally:
            self._idle.set()
            with self._grew:
                self._grew.notify_all()

    def _write(self) -> None:
        for number in range(1_000_000):
            if not self._running.is_set():
                self._idle.set()
                self._running.wait()
            if self.stop.is_set():
                return
            title = f"Forum uji ketahanan #{number}"
            outcome = self._send_somewhere(number, title)
            with self._grew:
                (self.acknowledged if outcome else self.in_doubt).append(title)
                self._grew.notify_all()
            if self.refused is not None or not (outcome or self.persist):
                return
            if not outcome:
                self.stop.wait(0.05)  # a restarting server: do not spin on refusals

    def _send_somewhere(self, number: int, title: str) -> bool:
        """A refused connection sent nothing, so the same write may go to the next port
        (a killed replica); every other failure leaves the write in doubt."""
        for turn in range(len(self.ports)):
            outcome = self._send(self.ports[(number + turn) % len(self.ports)], title)
            if outcome is not None:
                return outcome
        return False

    def _send(self, port: int, title: str) -> bool | None:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/forums",
            data=json.dumps({**FORUM, "title": title}).encode(),
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": JSON},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - http
                return bool(answer.status == 201)
        except urllib.error.HTTPError as answer:
            if answer.code < 500:
                self.refused = f"{answer.code}: {answer.read()[:300]!r}"
            return False
        except urllib.error.URLError as failed:
            return None if isinstance(failed.reason, ConnectionRefusedError) else False
        except (ConnectionError, TimeoutError):
            return False


def reporter(capsys: Any) -> Callable[[str], None]:
    """Print past pytest's capture, so CI's log shows the per-fault figures."""

    def say(line: str) -> None:
        with capsys.disabled():
            print(line, flush=True)

    return say


def caught_up_within(port: int, seconds: float) -> dict[str, Any]:
    """caught_up, repeated while the read models are behind: each try waits server-side
    (`?after=` holds the request up to two seconds), so this polls nothing in a tight loop."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return caught_up(port)
        except urllib.error.HTTPError as answer:
            if answer.code != 503 or time.monotonic() > deadline:
                raise


def every_acknowledged_write_once(
    port: int, writer: Writer, fault: str, report: Callable[[str], None] = print
) -> int:
    """Wait until the read models hold the log, then compare them with what the writer
    was told; prints the per-fault figures (pytest -s) and returns the head position."""
    started = time.monotonic()
    head = int(caught_up_within(port, TIMEOUT)["head_position"])
    recovered_s = time.monotonic() - started
    forums: list[dict[str, Any]] = get(port, f"/api/v1/forums?after={head}")["items"]
    titles = Counter(forum["title"] for forum in forums)
    written = [t for t in titles if t.startswith("Forum uji ketahanan")]
    lost = [t for t in writer.acknowledged if titles[t] != 1]
    doubled = [t for t, n in titles.items() if n > 1]
    stored_in_doubt = len(set(written) & set(writer.in_doubt))
    report(
        f"fault {fault}: acknowledged {len(writer.acknowledged)}, found {len(written)}, "
        f"duplicated {len(doubled)}, in doubt {len(writer.in_doubt)} "
        f"(of them stored {stored_in_doubt}), read models current after {recovered_s:.1f} s"
    )
    assert not lost and not doubled, (lost, doubled)
    assert set(written) <= set(writer.acknowledged) | set(writer.in_doubt)
    return head
