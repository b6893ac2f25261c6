"""Tamper evidence for the event log: a hash chain and an RFC 9162 Merkle tree, pure.

Every stored event is encoded canonically (`entry_bytes`) and hashed into a leaf. The
leaves are linked in log order (`chain_link`), which pins each event to its position and
to everything before it, and they form a Merkle tree (RFC 9162, Certificate Transparency
v2, section 2.1) whose root is signed in a `Checkpoint`. An `InclusionProof` lets an
outsider check one event against a signed checkpoint with nothing but this module and the
public key. No I/O and no clock here: callers pass the time and the signature check.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from uuid import UUID

import msgspec

HASH_SIZE = 32
GENESIS = bytes(HASH_SIZE)  # the link "before" the first event
EMPTY_ROOT = hashlib.sha256(b"").digest()  # RFC 9162: MTH({}) = SHA-256()
ENTRY_FORMAT = 1
LINK_TAG = b"pelacak-ham/link/v1\x00"
CHECKPOINT_TAG = "pelacak-ham/checkpoint/v1"
_U64 = 2**64


def entry_bytes(
    position: int, originator_id: UUID, originator_version: int, topic: str, state: bytes
) -> bytes:
    """The canonical bytes of one stored event, concatenated without separators:

    ======  =====================================================================
    bytes   content
    ======  =====================================================================
    1       format, the byte 0x01
    8       position (the notification id), unsigned big-endian
    16      originator id, the UUID's 16 bytes in RFC 4122 (network) order
    8       originator version, unsigned big-endian
    4       length of the topic in bytes, unsigned big-endian
    n       the topic, UTF-8
    4       length of the state in bytes, unsigned big-endian
    m       the state, exactly as stored (bytea)
    ======  =====================================================================
    """
    if not 0 <= position < _U64 or not 0 <= originator_version < _U64:
        raise ValueError("position and version must be between 0 and 2**64 - 1")
    encoded_topic = topic.encode("utf-8")
    if len(encoded_topic) >= 2**32 or len(state) >= 2**32:
        raise ValueError("topic and state must be shorter than 4 GiB")
    return b"".join(
        (
            bytes((ENTRY_FORMAT,)),
            position.to_bytes(8, "big"),
            originator_id.bytes,
            originator_version.to_bytes(8, "big"),
            len(encoded_topic).to_bytes(4, "big"),
            encoded_topic,
            len(state).to_bytes(4, "big"),
            bytes(state),
        )
    )


def entry_position(entry: bytes) -> int:
    """The position written in `entry_bytes` output; ValueError if it is not one."""
    if len(entry) < 41 or entry[0] != ENTRY_FORMAT:
        raise ValueError("not an encoded event entry (format 1)")
    return int.from_bytes(entry[1:9], "big")


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def chain_link(previous_link: bytes, position: int, leaf: bytes) -> bytes:
    """SHA-256(LINK_TAG || previous link || position, 8 bytes big-endian || leaf hash)."""
    if len(previous_link) != HASH_SIZE or len(leaf) != HASH_SIZE:
        raise ValueError("links and leaf hashes are 32 bytes")
    return hashlib.sha256(LINK_TAG + previous_link + position.to_bytes(8, "big") + leaf).digest()


class MerkleAccumulator:
    """The RFC 9162 tree head of a growing list of leaves, in O(log n) memory: the roots
    of the perfect subtrees that the leaves so far decompose into, largest first."""

    def __init__(self) -> None:
        self._peaks: list[bytes] = []
        self._size = 0

    @property
    def size(self) -> int:
        return self._size

    def append(self, leaf: bytes) -> None:
        node, carry = leaf, self._size
        while carry & 1:  # each trailing 1 bit of the old size closes a subtree
            node = node_hash(self._peaks.pop(), node)
            carry >>= 1
        self._peaks.append(node)
        self._size += 1

    def extend(self, leaves: Sequence[bytes]) -> None:
        for leaf in leaves:
            self.append(leaf)

    def root(self) -> bytes:
        if not self._peaks:
            return EMPTY_ROOT
        node = self._peaks[-1]
        for peak in reversed(self._peaks[:-1]):
            node = node_hash(peak, node)
        return node


def root_of(leaf_hashes: Sequence[bytes]) -> bytes:
    accumulator = MerkleAccumulator()
    accumulator.extend(leaf_hashes)
    return accumulator.root()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def _subtree_root(leaves: Sequence[bytes], lo: int, hi: int) -> bytes:
    accumulator = MerkleAccumulator()
    for i in range(lo, hi):
        accumulator.append(leaves[i])
    return accumulator.root()


def inclusion_proof(leaf_hashes: Sequence[bytes], index: int, size: int) -> list[bytes]:
    """RFC 9162 2.1.3.1: PATH(index, D[0:size]), the audit path from leaf to root."""
    if not 0 <= index < size <= len(leaf_hashes):
        raise ValueError(f"index {index} is not in a tree of {size} of {len(leaf_hashes)} leaves")
    path: list[bytes] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = _split(hi - lo)
        if index - lo < k:
            path.append(_subtree_root(leaf_hashes, lo + k, hi))
            hi = lo + k
        else:
            path.append(_subtree_root(leaf_hashes, lo, lo + k))
            lo += k
    path.reverse()  # collected from the root down; the proof goes from the leaf up
    return path


def verify_inclusion(
    leaf: bytes, index: int, size: int, path: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 2.1.3.2: does `path` lead from `leaf` at `index` to `root` of `size`?"""
    if not 0 <= index < size or any(len(p) != HASH_SIZE for p in path):
        return False
    fn, sn, node = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            node = node_hash(sibling, node)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            node = node_hash(node, sibling)
        fn >>= 1
        sn >>= 1
    return sn == 0 and node == root


_FIELDS = ("origin", "size", "position", "root", "link", "issued-at", "key-id")
_NUMBER = re.compile(r"0|[1-9][0-9]{0,18}")
_TOKEN = re.compile(r"[\x21-\x7e]+")  # printable ASCII, no spaces


def _b64_hash(text: str, name: str) -> bytes:
    try:
        value = base64.b64decode(text, validate=True)
    except binascii.Error:
        value = b""
    if len(value) != HASH_SIZE or base64.b64encode(value).decode() != text:
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
        if not self.origin or self.origin != self.origin.strip() or not self.origin.isprintable():
            raise ValueError("checkpoint origin must be printable text without edge spaces")
        for name, number in (("size", self.size), ("position", self.position)):
            if not 0 <= number < 2**63:
                raise ValueError(f"checkpoint {name} must be between 0 and 2**63 - 1")
        if len(self.root) != HASH_SIZE or len(self.link) != HASH_SIZE:
            raise ValueError("checkpoint root and link must be 32 bytes")
        if self.size == 0 and (self.root != EMPTY_ROOT or self.link != GENESIS):
            raise ValueError("an empty checkpoint has the empty root and the genesis link")
        try:
            moment = datetime.fromisoformat(self.issued_at)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None or not _TOKEN.fullmatch(self.issued_at):
            raise ValueError("checkpoint issued-at must be an ISO-8601 time with an offset")
        if not _TOKEN.fullmatch(self.key_id):
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
