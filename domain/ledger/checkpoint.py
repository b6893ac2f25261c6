"""A signed checkpoint (the tree's size, root and chain link at a position) in its canonical
text form, and the offline check of one event's inclusion proof against it."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable

import msgspec

from domain.ledger.entries import GENESIS, HASH_SIZE, entry_position, leaf_hash
from domain.ledger.merkle import EMPTY_ROOT, verify_inclusion
from domain.ledger.text import TOKEN, exact_base64, is_moment, is_origin

CHECKPOINT_TAG = "pelacak-ham/checkpoint/v1"


_FIELDS = ("origin", "size", "position", "root", "link", "issued-at", "key-id")
_NUMBER = re.compile(r"0|[1-9][0-9]{0,18}")


def _b64_hash(text: str, name: str) -> bytes:
    value = exact_base64(text, HASH_SIZE)
    if value is None:
        raise ValueError(f"checkpoint {name} is not the base64 of 32 bytes")
    return value


class Checkpoint(msgspec.Struct, frozen=True):
    """A signed statement: the first `size` events, up to `position`, have this Merkle
    root and this chain link."""

    origin: str
    size: int
    position: int
    root: bytes
    link: bytes
    issued_at: str
    key_id: str

    def __post_init__(self) -> None:
        if not is_origin(self.origin):
            raise ValueError("checkpoint origin must be printable text without edge spaces")
        for name, number in (("size", self.size), ("position", self.position)):
            if not 0 <= number < 2**63:
                raise ValueError(f"checkpoint {name} must be between 0 and 2**63 - 1")
        if len(self.root) != HASH_SIZE or len(self.link) != HASH_SIZE:
            raise ValueError("checkpoint root and link must be 32 bytes")
        if self.size == 0 and (self.root != EMPTY_ROOT or self.link != GENESIS):
            raise ValueError("an empty checkpoint has the empty root and the genesis link")
        if not is_moment(self.issued_at):
            raise ValueError("checkpoint issued-at must be an ISO-8601 time with an offset")
        if not TOKEN.fullmatch(self.key_id):
            raise ValueError("checkpoint key-id must be printable ASCII without spaces")

    def body(self) -> bytes:
        """The signed text, UTF-8, one `name value` line each, every line ending in LF:

        pelacak-ham/checkpoint/v1
        origin <text>
        size <decimal>
        position <decimal>
        root <standard base64 of 32 bytes>
        link <standard base64 of 32 bytes>
        issued-at <ISO-8601 with offset>
        key-id <token>
        """
        values = (
            self.origin,
            str(self.size),
            str(self.position),
            base64.b64encode(self.root).decode(),
            base64.b64encode(self.link).decode(),
            self.issued_at,
            self.key_id,
        )
        lines = [CHECKPOINT_TAG, *(f"{n} {v}" for n, v in zip(_FIELDS, values, strict=True))]
        return ("\n".join(lines) + "\n").encode("utf-8")

    @classmethod
    def parse(cls, body: bytes) -> Checkpoint:
        """The checkpoint in a body made by `body()`; ValueError for anything else."""
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("checkpoint is not UTF-8 text") from None
        if not text.endswith("\n") or "\r" in text:
            raise ValueError("checkpoint lines must each end with a single LF")
        lines = text[:-1].split("\n")
        if lines[0] != CHECKPOINT_TAG:
            raise ValueError(f"checkpoint does not start with {CHECKPOINT_TAG!r}")
        if len(lines) != len(_FIELDS) + 1:
            raise ValueError(f"checkpoint has {len(lines) - 1} fields, expected {len(_FIELDS)}")
        values: list[str] = []
        for expected, line in zip(_FIELDS, lines[1:], strict=True):
            name, _, value = line.partition(" ")
            if name != expected or not value:
                raise ValueError(f"checkpoint field {expected!r} expected, found {line[:40]!r}")
            values.append(value)
        origin, size, position, root, link, issued_at, key_id = values
        for name, number in (("size", size), ("position", position)):
            if not _NUMBER.fullmatch(number):
                raise ValueError(f"checkpoint {name} is not a canonical decimal number")
        checkpoint = cls(
            origin=origin,
            size=int(size),
            position=int(position),
            root=_b64_hash(root, "root"),
            link=_b64_hash(link, "link"),
            issued_at=issued_at,
            key_id=key_id,
        )
        if checkpoint.body() != body:
            raise ValueError("checkpoint is not in canonical form")
        return checkpoint


class InclusionProof(msgspec.Struct, frozen=True):
    """Everything needed, with the event's bytes and the public key, to check that the
    event at `position` is leaf `index` of the tree that `checkpoint` signs."""

    position: int
    index: int
    size: int
    leaf_hash: str  # hex; lets a failed check say whether the event or the path is wrong
    path: list[str]  # hex, from the leaf up
    checkpoint: str  # the signed body
    signature: str  # base64


def check_proof(
    proof: InclusionProof, entry: bytes, verify_signature: Callable[[bytes, bytes], bool]
) -> None:
    """Raise ValueError with a one-line reason unless `entry` is proven by `proof`."""
    body = proof.checkpoint.encode("utf-8")
    try:
        signature = base64.b64decode(proof.signature, validate=True)
    except binascii.Error:
        raise ValueError("signature is not valid base64") from None
    if not verify_signature(body, signature):
        raise ValueError("signature invalid: the checkpoint was not signed by this key")
    checkpoint = Checkpoint.parse(body)
    if proof.size != checkpoint.size:
        raise ValueError(f"proof is for size {proof.size}, the checkpoint for {checkpoint.size}")
    if not 0 <= proof.index < proof.size:
        raise ValueError(f"index out of range: {proof.index} is not below size {proof.size}")
    if not 0 < proof.position <= checkpoint.position:
        raise ValueError(f"position {proof.position} is not covered by the checkpoint")
    try:
        path = [bytes.fromhex(p) for p in proof.path]
    except ValueError:
        raise ValueError("path is not a list of hex hashes") from None
    if entry_position(entry) != proof.position:
        raise ValueError(
            f"event bytes do not match the position: they are for {entry_position(entry)}, "
            f"the proof for {proof.position}"
        )
    leaf = leaf_hash(entry)
    if leaf.hex() != proof.leaf_hash.lower():
        raise ValueError(
            f"event bytes do not match the position: they are not the event sealed at "
            f"{proof.position}"
        )
    if not verify_inclusion(leaf, proof.index, proof.size, path, checkpoint.root):
        raise ValueError("path does not lead to the signed root")
