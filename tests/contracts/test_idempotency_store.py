"""The idempotency store's contract, on memory and on PostgreSQL: a key is claimed once
per account; the same request again gets the stored answer once there is one (and is told
the first is still running before), another request under the key is a mismatch; a released
claim can be made again, a completed one cannot; keys older than a moment are purged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from adapters.idempotency_types import CURRENT_ATTEMPT, LEASE, Answer, Attempt, Claim
from tests.contracts.conftest import Runner
from tests.contracts.test_event_store import convened

T0 = datetime(2026, 5, 2, 1, tzinfo=UTC)
A, B = b"\x01" * 32, b"\x02" * 32


def test_a_key_runs_once_and_answers_the_same_after(keys: tuple[Any, Runner]) -> None:
    store, run = keys
    assert run(store.claim("pemda-3572", "k-1", A, T0)).claim is Claim.NEW
    assert run(store.claim("pemda-3572", "k-1", A, T0)).claim is Claim.BUSY
    assert run(store.claim("pemda-3572", "k-1", B, T0)).claim is Claim.MISMATCH
    assert run(store.claim("pemda-3374", "k-1", B, T0)).claim is Claim.NEW  # per account
    answer = Answer(201, [("content-type", "application/json"), ("etag", '"3"')], b'{"id":1}')
    run(store.complete("pemda-3572", "k-1", answer))
    again = run(store.claim("pemda-3572", "k-1", A, T0 + timedelta(hours=1)))
    assert again.claim is Claim.REPLAY and again.answer == answer
    run(store.release("pemda-3572", "k-1"))  # a completed answer is kept
    assert run(store.claim("pemda-3572", "k-1", A, T0)).claim is Claim.REPLAY


def test_a_released_claim_runs_again_and_old_keys_are_purged(keys: tuple[Any, Runner]) -> None:
    store, run = keys
    assert run(store.claim("pemda-3572", "k-2", A, T0)).claim is Claim.NEW
    run(store.release("pemda-3572", "k-2"))  # the request failed: the retry may run
    assert run(store.claim("pemda-3572", "k-2", B, T0)).claim is Claim.NEW
    run(store.complete("pemda-3572", "k-2", Answer(200, [], b"")))
    assert run(store.claim("pemda-3572", "k-3", A, T0 + timedelta(days=2))).claim is Claim.NEW
    assert run(store.purge(T0 + timedelta(days=1))) == 1
    assert run(store.claim("pemda-3572", "k-2", A, T0)).claim is Claim.NEW  # forgotten


def test_a_claim_left_by_a_dead_run_is_taken_over_unless_that_run_was_stored(
    keys_and_events: tuple[Any, Any, Runner],
) -> None:
    """A claim without an answer is BUSY for the lease; after it, the key's retry runs
    (NEW) if the dead run stored nothing, and is told APPLIED if it had stored events."""
    store, events, run = keys_and_events
    later = T0 + LEASE + timedelta(seconds=1)
    for key in ("k-dead-before", "k-dead-after"):
        assert run(store.claim("pemda-3572", key, A, T0)).claim is Claim.NEW
    token = CURRENT_ATTEMPT.set(Attempt("pemda-3572", "k-dead-after"))
    try:  # this run stores its events, then its process dies before `complete`
        forum_id = uuid4()
        events.append("forum", forum_id, None, [convened(forum_id)])
    finally:
        CURRENT_ATTEMPT.reset(token)
    within = T0 + LEASE - timedelta(seconds=1)
    assert run(store.claim("pemda-3572", "k-dead-before", A, within)).claim is Claim.BUSY
    assert run(store.claim("pemda-3572", "k-dead-before", B, later)).claim is Claim.MISMATCH
    assert run(store.claim("pemda-3572", "k-dead-before", A, later)).claim is Claim.NEW
    assert run(store.claim("pemda-3572", "k-dead-before", A, later)).claim is Claim.BUSY  # once
    assert run(store.claim("pemda-3572", "k-dead-after", A, later)).claim is Claim.APPLIED
