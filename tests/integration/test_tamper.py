"""Tamper evidence on a real PostgreSQL: seal and sign the event log, tamper with it in
SQL as an attacker with database access would, and check that `verify` names the first
bad position and what happened to it; inclusion proofs checked end to end."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import stat
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import msgspec
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from adapters import sealer, signing
from adapters.eventstore import open_event_store
from adapters.sealer import verify as audit_verify
from adapters.sealer.verify import VerifyReport
from adapters.sealer.worker import Sealer
from domain import ledger
from domain.ledger import InclusionProof
from tests.integration.ledger_support import AT, ORIGIN, World, sign


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    store = open_event_store(database_url)
    yield World(store, database_url)
    store.close()


@pytest.fixture
def signer(tmp_path: Path) -> signing.Signer:
    return signing.load_or_create(tmp_path / "keys" / "ledger.pem")


@pytest.fixture
def sealed(world: World, signer: signing.Signer) -> World:
    """30 events with a hole after the 12th; checkpoints at 20 and at 30 events."""
    world.write(12)
    world.hole()  # writes the 13th, then loses a race
    world.write(7)
    assert sign(world, signer).size == 20
    world.write(10)
    assert sign(world, signer).size == 30
    return world


def test_an_untouched_log_verifies_with_its_counts(sealed: World, signer: signing.Signer) -> None:
    assert sign(sealed, signer) is None  # nothing new to sign
    sealed.write(3)
    seen: list[tuple[int, int]] = []
    report = sealed.run(
        lambda pool: audit_verify.verify(pool, signer.keyring(), lambda *p: seen.append(p))
    )
    assert report == VerifyReport(ok=True, checked=30, unsealed=3, checkpoints=2)
    assert seen[-1] == (33, 33)


def test_seal_is_incremental(world: World, signer: signing.Signer) -> None:
    world.write(12)
    assert world.run(lambda pool: sealer.seal(pool, batch=5)) == 12
    assert world.run(sealer.seal) == 0
    world.write(5)
    assert world.run(sealer.seal) == 5

    async def chain(pool: Any) -> list[Any]:
        return list(await pool.fetch("SELECT idx, position, link FROM audit.chain ORDER BY idx"))

    rows = world.run(chain)
    assert [r["idx"] for r in rows] == list(range(17))
    assert [r["position"] for r in rows] == world.positions
    assert world.verify(signer.keyring()) == VerifyReport(True, 17, 0, 0)


def test_concurrent_seals_do_not_duplicate_links(world: World, signer: signing.Signer) -> None:
    world.write(30)

    async def race(pool: Any) -> list[int]:
        return list(await asyncio.gather(*(sealer.seal(pool, batch=4) for _ in range(3))))

    assert sum(world.run(race)) == 30
    assert sign(world, signer).size == 30
    assert world.verify(signer.keyring()) == VerifyReport(True, 30, 0, 1)


def expect(report: VerifyReport, kind: str, position: int, *mentions: str) -> None:
    assert not report.ok
    assert (report.kind, report.first_bad_position) == (kind, position), report.problem
    assert report.problem is not None and report.problem.startswith(f"{kind}: ")
    assert "\n" not in report.problem
    for text in mentions:
        assert text in report.problem


def test_one_changed_byte_is_found(sealed: World, signer: signing.Signer) -> None:
    p = sealed.positions[7]
    sealed.sql(
        f"UPDATE tracker_events SET state = set_byte(state, 9, get_byte(state, 9) # 1) "
        f"WHERE notification_id = {p}"
    )
    report = sealed.verify(signer.keyring())
    expect(report, "changed", p)
    assert report.checked == 7 and report.checkpoints == 0


def test_a_deleted_event_is_missing(sealed: World, signer: signing.Signer) -> None:
    p = sealed.positions[22]
    sealed.sql(f"DELETE FROM tracker_events WHERE notification_id = {p}")
    report = sealed.verify(signer.keyring())
    expect(report, "missing", p)
    assert report.checkpoints == 1


def test_an_event_inserted_into_a_hole_is_found(sealed: World, signer: signing.Signer) -> None:
    hole = sealed.holes[0]
    assert sealed.positions[12] < hole < sealed.positions[13]
    sealed.sql(
        f"INSERT INTO tracker_events (originator_id, originator_version, topic, state, "
        f"notification_id) SELECT '{uuid4()}', 1, topic, state, {hole} FROM tracker_events "
        f"WHERE notification_id = {sealed.positions[3]}"
    )
    expect(sealed.verify(signer.keyring()), "inserted", hole)


def test_swapped_states_are_named(sealed: World, signer: signing.Signer) -> None:
    p, q = sealed.positions[4], sealed.positions[21]
    sealed.sql(
        f"UPDATE tracker_events t SET state = o.state FROM tracker_events o "
        f"WHERE (t.notification_id, o.notification_id) IN (({p}, {q}), ({q}, {p}))"
    )
    expect(sealed.verify(signer.keyring()), "swapped", p, f"{p} and {q}")


def test_exchanged_rows_are_reordered(sealed: World, signer: signing.Signer) -> None:
    p, q = sealed.positions[15], sealed.positions[16]
    sealed.sql(
        f"UPDATE tracker_events SET notification_id = -1 WHERE notification_id = {p}",
        f"UPDATE tracker_events SET notification_id = {p} WHERE notification_id = {q}",
        f"UPDATE tracker_events SET notification_id = {q} WHERE notification_id = -1",
    )
    expect(sealed.verify(signer.keyring()), "reordered", p, f"{p} and {q}")


def test_an_altered_seal_is_found(sealed: World, signer: signing.Signer) -> None:
    p = sealed.positions[9]
    sealed.sql(f"UPDATE audit.chain SET leaf_hash = sha256('x') WHERE position = {p}")
    expect(sealed.verify(signer.keyring()), "chain", p, "leaf hash")


def test_a_rewritten_chain_is_caught_by_the_signed_checkpoint(
    sealed: World, signer: signing.Signer
) -> None:
    """The attacker edits an event and recomputes every later leaf and link."""
    p = sealed.positions[24]
    sealed.sql(f"UPDATE tracker_events SET state = state || ' '::bytea WHERE notification_id = {p}")

    async def relink(pool: Any) -> None:
        link = bytes(await pool.fetchval("SELECT link FROM audit.chain WHERE idx = 23"))
        rows = await pool.fetch(f"SELECT * FROM tracker_events WHERE notification_id >= {p}")
        for row in sorted(rows, key=lambda r: r["notification_id"]):
            position = row["notification_id"]
            leaf = ledger.leaf_hash(
                ledger.entry_bytes(
                    position,
                    row["originator_id"],
                    row["originator_version"],
                    row["topic"],
                    bytes(row["state"]),
                )
            )
            link = ledger.chain_link(link, position, leaf)
            await pool.execute(
                "UPDATE audit.chain SET leaf_hash = $1, link = $2 WHERE position = $3",
                leaf,
                link,
                position,
            )

    sealed.run(relink)
    report = sealed.verify(signer.keyring())
    first, last = sealed.positions[20], sealed.positions[29]
    expect(report, "checkpoint", first, "signed checkpoint 30", f"positions {first}..{last}")
    assert report.checked == 30 and report.checkpoints == 1
    sealed.write(1)
    with pytest.raises(RuntimeError, match="no longer matches"):
        sign(sealed, signer)  # the sealer refuses to sign over the rewritten chain


def test_a_checkpoint_signed_by_another_key_fails(sealed: World, signer: signing.Signer) -> None:
    sealed.write(2)
    intruder = signing.Signer.generate()
    assert sign(sealed, intruder).size == 32
    report = sealed.verify(signer.keyring())
    expect(
        report, "checkpoint", sealed.positions[30], "signed checkpoint 32", "not one of the keys"
    )
    assert report.checkpoints == 2
    assert sealed.verify(intruder.keyring()).kind == "checkpoint"  # and the others fail


def test_deleting_the_tail_with_its_seals_is_caught(sealed: World, signer: signing.Signer) -> None:
    p = sealed.positions[28]
    sealed.sql(
        f"DELETE FROM tracker_events WHERE notification_id >= {p}",
        f"DELETE FROM audit.chain WHERE position >= {p}",
    )
    expect(sealed.verify(signer.keyring()), "missing", sealed.positions[27] + 1, "checkpoint 30")


def test_inclusion_proofs_check_end_to_end(sealed: World, signer: signing.Signer) -> None:
    p = sealed.positions[5]
    proof, record = sealed.run(
        lambda pool: asyncio.gather(sealer.proof_for(pool, p), sealer.stored_entry(pool, p))
    )
    proof = msgspec.json.decode(msgspec.json.encode(proof), type=InclusionProof)
    record = msgspec.json.decode(msgspec.json.encode(record))
    assert (proof.position, proof.index, proof.size) == (p, 5, 30)
    entry = sealer.entry_of(record)
    ledger.check_proof(proof, entry, signing.verifier_from(signer.public_pem()))
    raw = base64.b64encode(signer.public_key_raw()).decode()
    ledger.check_proof(proof, entry, signing.verifier_from(raw))

    older = sealed.run(lambda pool: sealer.proof_for(pool, p, size=20))
    assert older.size == 20
    ledger.check_proof(older, entry, signer.verifier())

    altered = {**record, "state": base64.b64encode(b"{}").decode()}
    with pytest.raises(ValueError, match="do not match the position"):
        ledger.check_proof(proof, sealer.entry_of(altered), signer.verifier())
    with pytest.raises(ValueError, match="signature invalid"):
        ledger.check_proof(proof, entry, signing.Signer.generate().verifier())


def test_proofs_that_cannot_be_given_say_why(sealed: World) -> None:
    sealed.write(1)
    sealed.run(sealer.seal)
    sealed.write(1)
    cases = [
        (sealed.holes[0], None, sealer.UnknownPosition),
        (10**9, None, sealer.UnknownPosition),
        (sealed.positions[25], 20, sealer.NotCovered),
        (sealed.positions[5], 21, sealer.NotCovered),
        (sealed.positions[30], None, sealer.NotCovered),
        (sealed.positions[31], None, sealer.NotSealed),
    ]
    for position, size, refusal in cases:
        with pytest.raises(refusal):
            sealed.run(lambda pool, p=position, s=size: sealer.proof_for(pool, p, s))
    with pytest.raises(sealer.UnknownPosition):
        sealed.run(lambda pool: sealer.stored_entry(pool, sealed.holes[0]))


def test_the_sealer_worker_seals_and_signs(world: World, signer: signing.Signer) -> None:
    async def body(pool: Any) -> None:
        def until(condition: Callable[[Sealer], bool]) -> Awaitable[bool]:
            return hourly.wait_until(condition, 30)

        async def signed() -> int:
            latest = await sealer.latest_checkpoint(pool)
            return latest.checkpoint.size if latest else -1

        async def chained() -> int:
            return int(await pool.fetchval("SELECT count(*) FROM audit.chain"))

        hourly = Sealer(pool, signer, ORIGIN, lambda: AT, 3600, poll_seconds=0.02)
        await hourly.start()  # nothing to sign yet
        try:
            assert await signed() == -1
            await asyncio.to_thread(world.write, 1)
            assert await until(lambda w: w.signed_size == 1)  # the first one comes at once
            await asyncio.to_thread(world.write, 3)
            assert await until(lambda w: w.chain_size == 4)
            assert await chained() == 4
            assert await signed() == 1  # the next one waits for the interval
        finally:
            await hourly.stop()
        eager = Sealer(pool, signer, ORIGIN, lambda: AT, 0, poll_seconds=0.02)
        await eager.start()
        await eager.stop()
        assert await signed() == 4

    world.run(body)
    assert world.verify(signer.keyring()) == VerifyReport(True, 4, 0, 2)


def test_signing_keys_are_created_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "ledger.pem"
    created = signing.load_or_create(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert signing.load_or_create(path).key_id == created.key_id
    assert created.key_id == hashlib.sha256(created.public_key_raw()).hexdigest()[:16]
    assert created.public_pem().startswith("-----BEGIN PUBLIC KEY-----")
    assert [p.name for p in path.parent.iterdir()] == ["ledger.pem"]


def test_unusable_keys_are_refused_in_one_line(tmp_path: Path) -> None:
    other = ec.generate_private_key(ec.SECP256R1())
    (tmp_path / "ec.pem").write_bytes(
        other.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (tmp_path / "junk.pem").write_text("not a key")
    for name, reason in (("ec.pem", "not Ed25519"), ("junk.pem", "not a readable")):
        with pytest.raises(ValueError, match=reason) as refused:
            signing.load_or_create(tmp_path / name)
        assert "\n" not in str(refused.value)
    for bad in ("", "AAAA", "-----BEGIN PUBLIC KEY-----\nxx\n-----END PUBLIC KEY-----\n"):
        with pytest.raises(ValueError):
            signing.verifier_from(bad)


def test_verifiers_accept_pem_base64_and_raw_keys() -> None:
    key = signing.Signer.generate()
    signature = key.sign(b"body")
    for form in (key.public_pem(), key.public_key_b64(), key.public_key_raw()):
        verify = signing.verifier_from(form)
        assert verify(b"body", signature)
        assert not verify(b"body!", signature)
        assert not verify(b"body", signature[:-1] + bytes([signature[-1] ^ 1]))


def test_proofs_come_from_the_stored_nodes_and_match_the_leaves(
    world: World, signer: signing.Signer
) -> None:
    """Sealed in uneven batches, the chain keeps every complete subtree of 16 leaves and up;
    each event's proof read from them is the RFC 9162 path over all the leaves, and nodes
    dropped (a chain sealed before nodes existed) are rebuilt equal by the next seal."""
    world.write(300)
    world.run(lambda pool: sealer.seal(pool, batch=37))
    assert sign(world, signer).size == 300

    async def check(pool: Any) -> list[Any]:
        chain = await pool.fetch("SELECT leaf_hash FROM audit.chain ORDER BY idx")
        leaves = [bytes(r[0]) for r in chain]
        for index, position in enumerate(world.positions):
            proof = await sealer.proof_for(pool, position)
            expected = ledger.inclusion_proof(leaves, index, 300)
            assert proof.path == [p.hex() for p in expected], index
        return list(await pool.fetch(NODES))

    stored = world.run(check)
    by_level = {level: sum(1 for r in stored if r["level"] == level) for level in range(4, 9)}
    assert by_level == {4: 18, 5: 9, 6: 4, 7: 2, 8: 1}
    world.sql("DELETE FROM audit.node")
    world.write(5)  # 305 leaves: one more node of 16 (the 19th)
    world.run(sealer.seal)
    again = {tuple(r) for r in world.run(lambda pool: pool.fetch(NODES))}
    assert {tuple(r) for r in stored} < again and len(again) == len(stored) + 1


NODES = "SELECT level, idx, hash FROM audit.node ORDER BY level, idx"
