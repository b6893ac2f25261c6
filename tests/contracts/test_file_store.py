"""The file store's contract, on memory and on PostgreSQL: bytes come back as stored, under
the SHA-256 the store computed itself; the same bytes stored twice are one file and keep the
first media type; an unknown fingerprint is None; a transient file (a checked sheet) is
forgotten later, unless the same bytes were also stored for good."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.contracts.conftest import Runner


def test_a_stored_file_comes_back_under_its_own_fingerprint(files: tuple[Any, Runner]) -> None:
    store, run = files
    content = b"%PDF-1.7\n" + bytes(range(256)) * 64
    stored = run(store.put(content, "application/pdf"))
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert (stored.media_type, stored.size) == ("application/pdf", len(content))
    found = run(store.get(stored.sha256))
    assert found is not None
    assert found.content == content and found.size == len(content)
    assert found.media_type == "application/pdf"


def test_the_same_bytes_twice_are_one_file_with_the_first_media_type(
    files: tuple[Any, Runner],
) -> None:
    store, run = files
    first = run(store.put(b"alpha,beta\n1,2\n", "text/csv"))
    second = run(store.put(b"alpha,beta\n1,2\n", "text/plain"))
    assert second.sha256 == first.sha256
    assert second.media_type == "text/csv"
    found = run(store.get(first.sha256))
    assert found is not None and found.media_type == "text/csv"


def test_an_unknown_fingerprint_is_none(files: tuple[Any, Runner]) -> None:
    store, run = files
    run(store.create_schema())  # creating twice is harmless
    assert run(store.get("0" * 64)) is None


def test_a_transient_file_is_forgotten_later_unless_it_was_stored_for_good(
    files: tuple[Any, Runner],
) -> None:
    store, run = files
    checked = run(store.put(b"kode,nilai\n1,2\n", "application/vnd.tracker.import", transient=True))
    evidence = run(store.put(b"%PDF-1.7 bukti", "application/pdf"))
    both = b"%PDF-1.7 diperiksa lalu dilampirkan"
    run(store.put(both, "application/vnd.tracker.import", transient=True))
    kept = run(store.put(both, "application/pdf"))  # attached as evidence: for good now
    assert kept.media_type == "application/pdf"
    run(store.put(b"%PDF-1.7 bukti", "text/csv", transient=True))  # permanent stays so
    assert run(store.forget_transient(datetime.now(UTC) - timedelta(hours=1))) == 0
    assert run(store.get(checked.sha256)) is not None
    assert run(store.forget_transient(datetime.now(UTC) + timedelta(hours=1))) == 1
    assert run(store.get(checked.sha256)) is None
    found = run(store.get(evidence.sha256))
    assert found is not None and found.media_type == "application/pdf"
    attached = run(store.get(kept.sha256))
    assert attached is not None and attached.media_type == "application/pdf"
