"""The delivery store's contract, on memory and on PostgreSQL: preferences replace each other;
queued rows and the consumer's position move together and a key queues once; due rows come
in time order; a failure puts a row back for later or gives it up, and the log keeps it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from adapters.delivery_types import Outgoing, Preference, Status
from tests.contracts.conftest import Runner

T0 = datetime(2026, 5, 2, 1, tzinfo=UTC)


def row(n: int, at: datetime = T0, digest: bool = False) -> Outgoing:
    return Outgoing(
        key=f"{UUID(int=n)}/u{n}",
        reminder_id=UUID(int=n),
        user_id=f"u{n}",
        email=f"u{n}@example.org",
        lang="id",
        digest=digest,
        reminder={"stage": "due-14", "title": f"Aksi {n}"},
        next_attempt_at=at,
        created_at=T0,
    )


def test_preferences_are_replaced_whole(delivery: tuple[Any, Runner]) -> None:
    store, run = delivery
    run(store.set_preference(Preference(user_id="a", email="a@example.org", updated_at=T0)))
    run(store.set_preference(Preference(user_id="a", email=None, lang="en", digest=True)))
    run(store.set_preference(Preference(user_id="b", email="b@example.org")))
    found = run(store.preferences())
    assert list(found) == ["a", "b"]
    assert (found["a"].email, found["a"].lang, found["a"].digest) == (None, "en", True)


def test_rows_and_position_move_together_and_a_key_queues_once(
    delivery: tuple[Any, Runner],
) -> None:
    store, run = delivery
    assert run(store.position("mail")) == 0
    assert run(store.enqueue("mail", 7, [row(1), row(2, T0 + timedelta(minutes=5))])) == 2
    assert run(store.enqueue("mail", 5, [row(1)])) == 0  # a replay: nothing new, no step back
    assert run(store.position("mail")) == 7
    assert run(store.enqueue("mail", 9, [])) == 0 and run(store.position("mail")) == 9
    due = run(store.due(T0))
    assert [r.key for r in due] == [row(1).key]
    assert due[0].reminder == {"stage": "due-14", "title": "Aksi 1"}
    assert [r.key for r in run(store.due(T0 + timedelta(hours=1)))] == [row(1).key, row(2).key]


def test_a_failure_waits_or_gives_up_and_the_log_keeps_every_row(
    delivery: tuple[Any, Runner],
) -> None:
    store, run = delivery
    run(store.enqueue("mail", 3, [row(1), row(2), row(3)]))
    first, second, third = run(store.due(T0))
    run(store.sent([first.id], T0))
    run(store.failed([second.id], "SMTPServerDisconnected: gone", T0 + timedelta(minutes=1)))
    run(store.failed([third.id], "SMTPRecipientsRefused", None))
    assert [r.key for r in run(store.due(T0))] == []
    assert [r.key for r in run(store.due(T0 + timedelta(minutes=1)))] == [row(2).key]
    log = {r.key: r for r in run(store.log())}
    assert (log[row(1).key].status, log[row(1).key].attempts) == (Status.SENT, 1)
    assert log[row(1).key].sent_at == T0
    assert (log[row(2).key].status, log[row(2).key].attempts) == (Status.PENDING, 1)
    assert log[row(2).key].last_error == "SMTPServerDisconnected: gone"
    assert (log[row(3).key].status, log[row(3).key].attempts) == (Status.FAILED, 1)
