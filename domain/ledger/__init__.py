"""Tamper evidence for the event log: a hash chain and an RFC 9162 Merkle tree, pure.

Every stored event is encoded canonically (`entry_bytes`) and hashed into a leaf. The
leaves are linked in log order (`chain_link`), which pins each event to its position and
to everything before it, and they form a Merkle tree (RFC 9162, Certificate Transparency
v2, section 2.1) whose root is signed in a `Checkpoint`. An `InclusionProof` lets an
outsider check one event against a signed checkpoint with nothing but this module and the
public key. No I/O and no clock here: callers pass the time and the signature check.

`entries` encodes and links events, `merkle` builds the tree and its proofs, `checkpoint`
signs and checks statements about it, `rotation` moves the signing to a new key, and `text`
holds the checks their signed texts share; the first three's names are re-exported here.
"""

from domain.ledger.checkpoint import CHECKPOINT_TAG, Checkpoint, InclusionProof, check_proof
from domain.ledger.entries import (
    ENTRY_FORMAT,
    GENESIS,
    HASH_SIZE,
    LINK_TAG,
    chain_link,
    entry_bytes,
    entry_position,
    leaf_hash,
    node_hash,
)
from domain.ledger.merkle import (
    EMPTY_ROOT,
    MerkleAccumulator,
    inclusion_proof,
    root_of,
    verify_inclusion,
)

__all__ = [
    "CHECKPOINT_TAG",
    "EMPTY_ROOT",
    "ENTRY_FORMAT",
    "GENESIS",
    "HASH_SIZE",
    "LINK_TAG",
    "Checkpoint",
    "InclusionProof",
    "MerkleAccumulator",
    "chain_link",
    "check_proof",
    "entry_bytes",
    "entry_position",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "root_of",
    "verify_inclusion",
]
