"""The idempotency store's contract, on memory and on PostgreSQL: a key is claimed once
per account; the same request again gets the stored answer once there is one (and is told
the first is still running before), another request under the key is a mismatch; a released
claim can be made again, a completed one cannot; keys older than a moment are purged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from adapters.idempotency_types import Answer, Claim
from tests.contracts.conftest import Runner

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
