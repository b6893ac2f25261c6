"""`tracker audit verify|checkpoint|check-proof|rotate-key`.

`verify` recomputes the hash chain and every signed checkpoint from the event store and
names the first position that does not match. `check-proof` needs no server and no data
directory: only the proof, the event and the public key, as fetched over HTTP.
`rotate-key` moves the signing of checkpoints to a new key (docs/operations.md).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

import anyio.to_thread
import msgspec

from domain import ledger
from domain.ledger.rotation import SignedRotation
from tracker.runtime import CliError, helptext, say

if TYPE_CHECKING:
    from adapters.signing import Keyring, Signer


def add_parsers(commands: Any) -> None:
    audit = commands.add_parser("audit", help=helptext("audit"))
    actions = audit.add_subparsers(dest="action", required=True)
    verify = actions.add_parser("verify", help=helptext("audit-verify"))
    verify.add_argument("--public-key", type=Path, action="append", help=helptext("audit-key"))
    actions.add_parser("checkpoint", help=helptext("audit-checkpoint"))
    rotate = actions.add_parser("rotate-key", help=helptext("audit-rotate-key"))
    rotate.add_argument("--new-key", type=Path, required=True, help=helptext("audit-new-key"))
    check = actions.add_parser("check-proof", help=helptext("audit-check-proof"))
    check.add_argument("--proof", type=Path, required=True, help=helptext("audit-proof"))
    check.add_argument("--event", type=Path, required=True, help=helptext("audit-event"))
    check.add_argument(
        "--public-key",
        type=Path,
        required=True,
        action="append",
        help=helptext("audit-public-key"),
    )


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CliError("cannot-read", what=what, path=path, reason=error.strerror) from None


def _keyring(files: list[bytes]) -> Keyring:
    """The keys in PEM, base64 or key documents (/.well-known/pelacak-ham-audit-key), with
    those a document's signed rotations connect to them."""
    from adapters.signing import Keyring, public_key_from, raw_of

    keys: list[bytes] = []
    statements: list[SignedRotation] = []
    for raw in files:
        text = raw.decode("utf-8", errors="replace").strip()
        try:
            if text.startswith("{"):
                document = json.loads(text)
                keys.append(raw_of(public_key_from(str(document["public_key"]))))
                statements += [_statement(r) for r in document.get("rotations", [])]
            else:
                keys.append(raw_of(public_key_from(raw)))
        except (KeyError, TypeError, AttributeError, binascii.Error):
            raise CliError("no-public-key-field") from None
        except ValueError as error:
            raise CliError("bad-public-key", reason=error) from None
    ring, refused = Keyring(keys).widened(statements)
    if refused:
        raise CliError("bad-public-key", reason=refused[0])
    return ring


def _statement(entry: dict[str, Any]) -> SignedRotation:
    return SignedRotation(
        str(entry["body"]).encode(),
        base64.b64decode(str(entry["old_signature"]), validate=True),
        base64.b64decode(str(entry["new_signature"]), validate=True),
    )


def _entry(raw: bytes) -> tuple[bytes, dict[str, Any]]:
    try:
        record = json.loads(raw)
        entry = ledger.entry_bytes(
            int(record["position"]),
            UUID(str(record["originator_id"])),
            int(record["originator_version"]),
            str(record["topic"]),
            base64.b64decode(str(record["state"]), validate=True),
        )
    except (ValueError, KeyError, TypeError, binascii.Error) as error:
        raise CliError("not-an-event", reason=error) from None
    return entry, record


def check_proof(args: argparse.Namespace) -> None:
    try:
        proof = msgspec.json.decode(_read(args.proof, "proof"), type=ledger.InclusionProof)
    except msgspec.DecodeError as error:
        raise CliError("not-a-proof", reason=error) from None
    entry, record = _entry(_read(args.event, "event"))
    keys = _keyring([_read(path, "public key") for path in args.public_key])
    try:
        signed = ledger.Checkpoint.parse(proof.checkpoint.encode())
    except ValueError as error:
        raise CliError("proof-rejected", reason=error) from None
    if keys.verifier(signed.key_id) is None:
        known = ", ".join(keys.ids())
        why = f"signed with key {signed.key_id}, which is not one of the keys ({known})"
        raise CliError("proof-rejected", reason=why)
    try:
        ledger.check_proof(proof, entry, keys.checkpoint_verifier())
    except ValueError as error:
        raise CliError("proof-rejected", reason=error) from None
    say(
        "proof-ok",
        topic=record["topic"],
        position=proof.position,
        aggregate=record["originator_id"],
        version=record["originator_version"],
        index=proof.index,
        size=signed.size,
        origin=signed.origin,
        issued_at=signed.issued_at,
        key_id=signed.key_id,
    )


async def _key_file(key_file: Path) -> bytes:
    """A public key file, or the public part of the server's private key file."""
    try:
        raw = await anyio.to_thread.run_sync(key_file.read_bytes)
    except FileNotFoundError:
        raise CliError("no-signing-key", path=key_file) from None
    if b"PRIVATE KEY" not in raw:
        return raw
    return _signer(key_file).public_pem().encode()


def _signer(key_file: Path) -> Signer:
    from adapters.signing import load_or_create

    try:
        return load_or_create(key_file)
    except ValueError as error:
        raise CliError("bad-public-key", reason=error) from None


async def verify(database_url: str, key_files: list[Path]) -> None:
    from adapters import readstore
    from adapters.sealer import verify as audit_verify
    from tracker.cli.projections import ProgressBar

    keys = _keyring([await _key_file(path) for path in key_files])
    pool = await readstore.create_pool(database_url, max_size=2)
    try:
        report = await audit_verify.verify(pool, keys, ProgressBar("verify"))
    finally:
        await pool.close()
    if not report.ok:
        raise CliError(
            "verify-failed",
            position=report.first_bad_position,
            problem=report.problem,
            checked=report.checked,
        )
    say(
        "verify-ok",
        checked=report.checked,
        checkpoints=report.checkpoints,
        unsealed=report.unsealed,
        keys=", ".join(report.keys),
    )


async def checkpoint(database_url: str, key_file: Path, origin: str) -> None:
    from adapters import readstore, sealer
    from adapters.signing import load_or_create

    signer = load_or_create(key_file)
    pool = await readstore.create_pool(database_url, max_size=2)
    try:
        await sealer.create_schema(pool)
        sealed = await sealer.seal(pool)
        made = await sealer.checkpoint(pool, signer, origin, datetime.now(UTC))
    except sealer.KeyRetired:
        raise CliError("key-retired", key_id=signer.key_id) from None
    finally:
        await pool.close()
    if made is None:
        say("sealed-nothing-to-sign", sealed=sealed)
    else:
        root = base64.b64encode(made.root).decode()
        say("checkpoint-signed", size=made.size, position=made.position, root=root)


def _rotation_keys(key_file: Path, new_key: Path) -> tuple[bool, Signer, Signer]:
    """The key signing now and the new one (made if its file does not exist yet)."""
    made_here = not new_key.exists()
    return made_here, _signer(key_file), _signer(new_key)


async def rotate_key(database_url: str, key_file: Path, new_key: Path, origin: str) -> None:
    from adapters import readstore, sealer

    made_here, old, new = await anyio.to_thread.run_sync(_rotation_keys, key_file, new_key)
    pool = await readstore.create_pool(database_url, max_size=2)
    try:
        await sealer.rotate(pool, old, new, origin, datetime.now(UTC))
    except sealer.RotationRefused as error:
        if made_here:  # refused: leave no key behind that nothing knows of
            await anyio.to_thread.run_sync(new_key.unlink)
        raise CliError("rotation-refused", reason=error) from None
    finally:
        await pool.close()
    say("key-rotated", old=old.key_id, new=new.key_id, path=new_key)
