"""Checkpoint key rotation on a real PostgreSQL: the log's checkpoints move from one key to
the next through a statement both keys sign; `verify` follows it from either key, the old
key signs no more, a forged or altered statement is named, and a proof signed before the
rotation checks offline with the key document fetched after it."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import msgspec
import pytest

from adapters import sealer, signing
from adapters.eventstore import open_event_store
from adapters.sealer.worker import Sealer
from domain.ledger.rotation import KeyRotation
from tests.integration.ledger_support import AT, ORIGIN, World, sign
from tracker import cli
from tracker.api.ledger import rotation_document


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    store = open_event_store(database_url)
    yield World(store, database_url)
    store.close()


@pytest.fixture
def old(tmp_path: Path) -> signing.Signer:
    return signing.load_or_create(tmp_path / "keys" / "2025.pem")


@pytest.fixture
def new(tmp_path: Path) -> signing.Signer:
    return signing.load_or_create(tmp_path / "keys" / "2027.pem")


def rotate(world: World, old: signing.Signer, new: signing.Signer) -> KeyRotation:
    at = AT + timedelta(days=30)
    return world.run(lambda pool: sealer.rotate(pool, old, new, ORIGIN, at))


@pytest.fixture
def rotated(world: World, old: signing.Signer, new: signing.Signer) -> World:
    """10 events signed by the old key, the rotation, 5 more signed by the new key."""
    world.write(10)
    assert sign(world, old).size == 10
    rotation = rotate(world, old, new)
    assert (rotation.old_key, rotation.new_key) == (old.public_key_raw(), new.public_key_raw())
    world.write(5)
    with pytest.raises(sealer.KeyRetired):
        sign(world, old)
    assert sign(world, new).size == 15
    return world


def test_verify_follows_the_rotation_from_either_key(
    rotated: World, old: signing.Signer, new: signing.Signer
) -> None:
    for pinned in (old, new):
        report = rotated.verify(pinned.keyring())
        assert report.ok, report.problem
        assert (report.checked, report.checkpoints) == (15, 2)
        assert set(report.keys) == {old.key_id, new.key_id}
    stranger = signing.Signer.generate()
    report = rotated.verify(stranger.keyring())
    assert report.kind == "checkpoint" and "not one of the keys" in str(report.problem)


def test_a_rotation_must_start_from_the_key_that_signs_now(
    rotated: World, old: signing.Signer, new: signing.Signer
) -> None:
    third = signing.Signer.generate()
    with pytest.raises(sealer.RotationRefused, match="signed with key"):
        rotate(rotated, old, third)  # old was retired: only `new` may hand over
    with pytest.raises(sealer.RotationRefused, match="has signed this log before"):
        rotate(rotated, new, old)  # back to a key the log already used
    rotate(rotated, new, third)
    rotated.write(1)
    assert sign(rotated, third).size == 16
    report = rotated.verify(old.keyring())
    assert report.ok and set(report.keys) == {old.key_id, new.key_id, third.key_id}


def test_an_altered_or_forged_rotation_is_named(
    rotated: World, old: signing.Signer, new: signing.Signer
) -> None:
    intruder = signing.Signer.generate()
    forged = KeyRotation(ORIGIN, new.public_key_raw(), intruder.public_key_raw(), AT.isoformat())
    body = forged.body().decode()
    rotated.sql(  # written straight into the table: only the intruder's key can sign
        "INSERT INTO audit.key_rotation VALUES "
        f"('{intruder.key_id}', '{new.key_id}', '{body}', "
        f"'\\x{intruder.sign(forged.body()).hex()}', '\\x{intruder.sign(forged.body()).hex()}', "
        f"'{AT.isoformat()}')"
    )
    report = rotated.verify(old.keyring())
    assert report.kind == "rotation" and "not signed by the old key" in str(report.problem)
    rotated.sql(f"DELETE FROM audit.key_rotation WHERE new_key_id = '{intruder.key_id}'")
    assert rotated.verify(old.keyring()).ok
    rotated.sql("UPDATE audit.key_rotation SET body = replace(body, 'at 2026', 'at 2024')")
    report = rotated.verify(new.keyring())
    assert report.kind == "rotation", report.problem


def test_the_sealer_stops_signing_with_a_retired_key(
    world: World, old: signing.Signer, new: signing.Signer
) -> None:
    world.write(3)

    async def main(pool: Any) -> tuple[int, int, bool]:
        worker = Sealer(pool, old, ORIGIN, lambda: AT, interval_seconds=0, poll_seconds=0.01)
        await worker.start()
        signed_first = worker.signed_size
        await sealer.rotate(pool, old, new, ORIGIN, AT)
        await asyncio.to_thread(world.write, 2)
        reached = await worker.wait_until(lambda w: w.chain_size == 5, timeout=10)
        assert reached, "it keeps sealing"
        await worker.wait_until(lambda w: w.key_retired, timeout=10)
        await worker.stop()
        return signed_first, worker.signed_size, worker.key_retired

    first, last, retired = world.run(main)
    assert (first, last, retired) == (3, 3, True)


def test_check_proof_takes_the_key_document_with_its_rotations(
    rotated: World, old: signing.Signer, new: signing.Signer, tmp_path: Path
) -> None:
    proof = rotated.run(lambda pool: sealer.proof_for(pool, rotated.positions[2], 10))
    entry = rotated.run(lambda pool: sealer.stored_entry(pool, rotated.positions[2]))
    stored = rotated.run(sealer.rotations)
    document = {  # what /.well-known/pelacak-ham-audit-key answers after the rotation
        "algorithm": "Ed25519",
        "key_id": new.key_id,
        "public_key": new.public_key_b64(),
        "rotations": [rotation_document(s) for s in stored],
    }
    files = {"proof.json": proof, "event.json": entry, "key.json": document}
    for name, body in files.items():
        (tmp_path / name).write_text(json.dumps(msgspec.to_builtins(body)))
    (tmp_path / "new.pem").write_text(new.public_pem())
    args = ["audit", "check-proof", "--proof", str(tmp_path / "proof.json")]
    args += ["--event", str(tmp_path / "event.json")]
    assert cli.main([*args, "--public-key", str(tmp_path / "key.json")]) == 0
    assert cli.main([*args, "--public-key", str(tmp_path / "new.pem")]) == 1  # only the new
    (tmp_path / "old.pem").write_text(old.public_pem())
    both = ["--public-key", str(tmp_path / "new.pem"), "--public-key", str(tmp_path / "old.pem")]
    assert cli.main([*args, *both]) == 0
    document["rotations"][0]["new_signature"] = base64.b64encode(b"x" * 64).decode()
    (tmp_path / "key.json").write_text(json.dumps(document))
    assert cli.main([*args, "--public-key", str(tmp_path / "key.json")]) == 1


def test_the_cli_rotates_and_verify_names_both_keys(
    world: World, nats_server_url: str, tmp_path: Path, monkeypatch: Any, capsys: Any
) -> None:
    monkeypatch.setenv("TRACKER_DATABASE_URL", world.url)
    monkeypatch.setenv("TRACKER_NATS_URL", nats_server_url)
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TRACKER_LANG", "en")
    old_file, new_file = tmp_path / "old.pem", tmp_path / "keys" / "new.pem"
    monkeypatch.setenv("TRACKER_AUDIT_KEY_FILE", str(old_file))
    world.write(4)
    assert cli.main(["audit", "checkpoint"]) == 0
    assert cli.main(["audit", "rotate-key", "--new-key", str(new_file)]) == 0
    old, new = signing.load_or_create(old_file), signing.load_or_create(new_file)
    assert f"Key {old.key_id} replaced by {new.key_id}" in capsys.readouterr().out
    assert oct(new_file.stat().st_mode & 0o777) == "0o600"
    world.write(2)
    assert cli.main(["audit", "checkpoint"]) == 1  # the old key signs no more
    assert "rotated out and signs no more" in capsys.readouterr().err
    assert cli.main(["audit", "rotate-key", "--new-key", str(tmp_path / "third.pem")]) == 1
    refused = capsys.readouterr().err.strip()
    assert refused.startswith("tracker: key rotation refused: the checkpoints are signed with")
    assert "\n" not in refused
    assert not (tmp_path / "third.pem").exists()  # refused: no stray key file
    monkeypatch.setenv("TRACKER_AUDIT_KEY_FILE", str(new_file))
    assert cli.main(["audit", "checkpoint"]) == 0
    assert cli.main(["audit", "verify"]) == 0
    said = capsys.readouterr().out
    assert "6 events match the chain and 2 signed checkpoints" in said
    assert old.key_id in said and new.key_id in said
