"""`tracker audit verify|checkpoint|check-proof`.

`verify` recomputes the hash chain and every signed checkpoint from the event store and
names the first position that does not match. `check-proof` needs no server and no data
directory: only the proof, the event and the public key, as fetched over HTTP.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import anyio.to_thread
import msgspec

from domain import ledger
from tracker.runtime import CliError, helptext, say


def add_parsers(commands: Any) -> None:
    audit = commands.add_parser("audit", help=helptext("audit"))
    actions = audit.add_subparsers(dest="action", required=True)
    verify = actions.add_parser("verify", help=helptext("audit-verify"))
    verify.add_argument("--public-key", type=Path, help=helptext("audit-key"))
    actions.add_parser("checkpoint", help=helptext("audit-checkpoint"))
    check = actions.add_parser("check-proof", help=helptext("audit-check-proof"))
    check.add_argument("--proof", type=Path, required=True, help=helptext("audit-proof"))
    check.add_argument("--event", type=Path, required=True, help=helptext("audit-event"))
    check.add_argument(
        "--public-key",
        type=Path,
        required=True,
        help=helptext("audit-public-key"),
    )


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CliError("cannot-read", what=what, path=path, reason=error.strerror) from None


def _public_key(raw: bytes) -> str | bytes:
    text = raw.decode("utf-8", errors="replace").strip()
    if text.startswith("{"):
        try:
            return str(json.loads(text)["public_key"])
        except (ValueError, KeyError, TypeError):
            raise CliError("no-public-key-field") from None
    return raw


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
    from adapters.signing import verifier_from

    try:
        proof = msgspec.json.decode(_read(args.proof, "proof"), type=ledger.InclusionProof)
    except msgspec.DecodeError as error:
        raise CliError("not-a-proof", reason=error) from None
    entry, record = _entry(_read(args.event, "event"))
    try:
        verify = verifier_from(_public_key(_read(args.public_key, "public key")))
    except ValueError as error:
        raise CliError("bad-public-key", reason=error) from None
    try:
        ledger.check_proof(proof, entry, verify)
    except ValueError as error:
        raise CliError("proof-rejected", reason=error) from None
    signed = ledger.Checkpoint.parse(proof.checkpoint.encode())
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


async def verify(database_url: str, key_file: Path) -> None:
    from adapters import readstore
    from adapters.sealer import verify as audit_verify
    from adapters.signing import verifier_from
    from tracker.cli.projections import ProgressBar

    try:
        raw = await anyio.to_thread.run_sync(key_file.read_bytes)
    except FileNotFoundError:
        raise CliError("no-signing-key", path=key_file) from None
    if b"PRIVATE KEY" in raw:
        from adapters.signing import load_or_create

        raw = load_or_create(key_file).public_pem().encode()
    try:
        verifier = verifier_from(_public_key(raw))
    except ValueError as error:
        raise CliError("bad-public-key", reason=error) from None
    pool = await readstore.create_pool(database_url, max_size=2)
    try:
        report = await audit_verify.verify(pool, verifier, ProgressBar("verify"))
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
    finally:
        await pool.close()
    if made is None:
        say("sealed-nothing-to-sign", sealed=sealed)
    else:
        root = base64.b64encode(made.root).decode()
        say("checkpoint-signed", size=made.size, position=made.position, root=root)
