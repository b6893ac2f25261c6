"""Tamper evidence over HTTP: the public key at a well-known URL, signed checkpoints and
inclusion proofs for anyone, the stored bytes of an event for its region's auditors.

A proof, the event's stored bytes and the public key are all `tracker audit check-proof`
needs, offline (docs/audit.md).
"""

from __future__ import annotations

import base64
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get
from litestar.params import FromPath, FromQuery

from adapters import codec, sealer
from adapters.signing import Signer
from domain import access
from projections.catalog import places
from tracker.http.deps import Config, Keys, Reader
from tracker.http.openapi_docs import RESPONDS
from tracker.http.principal import Who
from tracker.http.problems import PROBLEMS, problem
from tracker.settings import Settings

WELL_KNOWN = "/.well-known/pelacak-ham-audit-key"


def _key(signer: Signer, config: Settings, rotations: list[Any]) -> dict[str, Any]:
    return {
        "algorithm": "Ed25519",
        "key_id": signer.key_id,
        "public_key": signer.public_key_b64(),
        "public_key_pem": signer.public_pem(),
        "origin": config.audit_origin,
        "rotations": [rotation_document(stored) for stored in rotations],
    }


def rotation_document(stored: sealer.StoredRotation) -> dict[str, Any]:
    """A rotation as `tracker audit check-proof` reads it: the body both keys signed."""
    encode = base64.b64encode
    return {
        "old_key_id": stored.old_key_id,
        "new_key_id": stored.new_key_id,
        "at": stored.at.isoformat(),
        "body": stored.signed.body.decode(),
        "old_signature": encode(stored.signed.old_signature).decode(),
        "new_signature": encode(stored.signed.new_signature).decode(),
    }


@get(
    WELL_KNOWN,
    tags=["ledger"],
    summary="Kunci publik penanda tangan / signing public key",
    opt={RESPONDS: ("ledger", "key")},
)
async def public_key(keys: Keys, config: Config, reader: Reader) -> dict[str, Any]:
    return _key(keys, config, await reader.key_rotations())


@get(f"{WELL_KNOWN}.pem", tags=["ledger"], media_type="application/x-pem-file")
async def public_key_pem(keys: Keys) -> str:
    return keys.public_pem()


def _unavailable(request: Request[Any, Any, Any], error: sealer.ProofUnavailable) -> Response[Any]:
    if isinstance(error, sealer.UnknownPosition):
        return problem(
            request, 404, "unknown-position", "problem.unknown-position", {"error": error}
        )
    return problem(
        request,
        409,
        "not-yet-signed",
        "problem.not-yet-signed",
        {"error": error},
        headers={"Retry-After": "60"},
    )


class LedgerController(Controller):
    path = "/ledger"
    tags = ("ledger",)

    @get(
        "/checkpoints/latest",
        summary="Checkpoint terbaru / the latest signed checkpoint",
        opt={PROBLEMS: ("409",), RESPONDS: ("ledger", "checkpoint")},  # 409: none signed yet
    )
    async def latest(self, request: Request[Any, Any, Any], reader: Reader) -> Any:
        signed = await reader.latest_checkpoint()
        if signed is None:
            return _unavailable(request, sealer.NotCovered("nothing signed yet"))
        cp = signed.checkpoint
        return {
            "size": cp.size,
            "position": cp.position,
            "root": base64.b64encode(cp.root).decode(),
            "issued_at": cp.issued_at,
            "key_id": cp.key_id,
            "body": signed.body,
            "signature": base64.b64encode(signed.signature).decode(),
        }

    @get(
        "/proofs/{position:int}",
        summary="Bukti inklusi / inclusion proof of one event",
        opt={PROBLEMS: ("409",), RESPONDS: ("ledger", "proof")},  # 409: none covers it yet
    )
    async def proof(
        self,
        request: Request[Any, Any, Any],
        reader: Reader,
        position: FromPath[int],
        size: FromQuery[int | None] = None,
    ) -> Any:
        try:
            return await reader.proof_for(position, size)
        except sealer.ProofUnavailable as error:
            return _unavailable(request, error)

    @get(
        "/events/{position:int}",
        summary="Peristiwa tersimpan / stored event bytes (auditors)",
        opt={RESPONDS: ("read", "stored-event")},
    )
    async def event(
        self, request: Request[Any, Any, Any], reader: Reader, who: Who, position: FromPath[int]
    ) -> Any:
        """Raw bytes cannot be redacted without breaking the proof, so only auditors whose
        scope covers the event's aggregate get them (docs/access.md)."""
        try:
            record = await reader.stored_entry(position)
        except sealer.ProofUnavailable as error:
            return _unavailable(request, error)
        kind = codec.aggregate_kind(str(record["topic"]))
        value = await reader.load_state(kind, UUID(record["originator_id"]))
        access.require_auditor_of_any(who, _regions(kind, value))
        return record


def _regions(kind: str, value: Any) -> list[str]:
    return [] if value is None else places(kind, value)[0]


LEDGER_HANDLERS = [public_key, public_key_pem]
