"""Tamper evidence in PostgreSQL: the hash chain over `tracker_events` (schema `audit`),
signed Merkle checkpoints, inclusion proofs, and the check that recomputes it all.

`seal` extends `audit.chain` (one row per event, in notification order: leaf hash and
chain link, see `domain.ledger`) and `checkpoint` signs the Merkle root of the chain so
far. Anyone holding a checkpoint and the public key can check one event with
`proof_for` + `stored_entry` + `ledger.check_proof`, or the whole log with `verify`.
The functions take an asyncpg pool or a connection.

`chain` seals, `checkpoints` signs, `proofs` answers for one event, `verify` recomputes
everything, `rotation` moves the signing to a new key, `worker` runs sealing and
signing in the background.
"""

from adapters.sealer.chain import (
    BATCH,
    NULL_LEAF,
    SCHEMA,
    SEAL_LOCK,
    chain_size,
    create_schema,
    seal,
)
from adapters.sealer.checkpoints import (
    KeyRetired,
    SignedCheckpoint,
    checkpoint,
    latest_checkpoint,
)
from adapters.sealer.proofs import (
    NotCovered,
    NotSealed,
    ProofUnavailable,
    UnknownPosition,
    entry_of,
    proof_for,
    stored_entry,
)
from adapters.sealer.rotation import RotationRefused, StoredRotation, rotate, rotations

__all__ = [
    "BATCH",
    "NULL_LEAF",
    "SCHEMA",
    "SEAL_LOCK",
    "KeyRetired",
    "NotCovered",
    "NotSealed",
    "ProofUnavailable",
    "RotationRefused",
    "SignedCheckpoint",
    "StoredRotation",
    "UnknownPosition",
    "chain_size",
    "checkpoint",
    "create_schema",
    "entry_of",
    "latest_checkpoint",
    "proof_for",
    "rotate",
    "rotations",
    "seal",
    "stored_entry",
]
