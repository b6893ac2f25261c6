"""A key rotation: the statement, signed by the old key and by the new one, that the log's
checkpoints move from one Ed25519 key to the next. Both signatures make it usable in both
directions: an auditor who pinned the old key learns the new one, and one who fetched the
new key learns which old key the earlier checkpoints were signed with. `trusted` walks the
statements from the keys an auditor trusts."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from domain.ledger.text import exact_base64, is_moment, is_origin

ROTATION_TAG = "pelacak-ham/key-rotation/v1"
KEY_SIZE = 32
_FIELDS = ("origin", "old-key", "new-key", "at")

# (public key bytes) -> (message, signature) -> bool, as the caller's crypto provides
Verify = Callable[[bytes, bytes, bytes], bool]


def _key(text: str, name: str) -> bytes:
    value = exact_base64(text, KEY_SIZE)
    if value is None:
        raise ValueError(f"key rotation {name} is not the base64 of 32 raw Ed25519 bytes")
    return value


@dataclass(frozen=True)
class KeyRotation:
    origin: str
    old_key: bytes  # raw Ed25519 public keys
    new_key: bytes
    at: str  # ISO-8601 with an offset

    def __post_init__(self) -> None:
        if not is_origin(self.origin):
            raise ValueError("key rotation origin must be printable text without edge spaces")
        if len(self.old_key) != KEY_SIZE or len(self.new_key) != KEY_SIZE:
            raise ValueError("key rotation keys must be 32 raw bytes")
        if self.old_key == self.new_key:
            raise ValueError("key rotation must name two different keys")
        if not is_moment(self.at):
            raise ValueError("key rotation time must be ISO-8601 with an offset")

    def body(self) -> bytes:
        """The signed text: the tag, then `name value` lines, each ending in LF."""
        values = (
            self.origin,
            base64.b64encode(self.old_key).decode(),
            base64.b64encode(self.new_key).decode(),
            self.at,
        )
        lines = [ROTATION_TAG, *(f"{n} {v}" for n, v in zip(_FIELDS, values, strict=True))]
        return ("\n".join(lines) + "\n").encode("utf-8")

    @classmethod
    def parse(cls, body: bytes) -> KeyRotation:
        """The statement in a body made by `body()`; ValueError for anything else."""
        try:
            lines = body.decode("utf-8").split("\n")
        except UnicodeDecodeError:
            raise ValueError("key rotation is not UTF-8 text") from None
        if lines[0] != ROTATION_TAG or lines[-1] != "" or len(lines) != len(_FIELDS) + 2:
            raise ValueError(f"key rotation must be {ROTATION_TAG!r} and {len(_FIELDS)} lines")
        values = []
        for expected, line in zip(_FIELDS, lines[1:-1], strict=True):
            name, _, value = line.partition(" ")
            if name != expected or not value:
                raise ValueError(f"key rotation field {expected!r} expected, found {line[:40]!r}")
            values.append(value)
        origin, old, new, at = values
        made = cls(origin, _key(old, "old-key"), _key(new, "new-key"), at)
        if made.body() != body:
            raise ValueError("key rotation is not in canonical form")
        return made


@dataclass(frozen=True)
class SignedRotation:
    body: bytes
    old_signature: bytes
    new_signature: bytes


def trusted(
    pinned: Iterable[bytes], statements: Iterable[SignedRotation], verify: Verify
) -> tuple[set[bytes], list[str]]:
    """The keys reachable from `pinned` through statements both keys signed, and one line
    for each statement that is not such a statement (it introduces no key)."""
    keys = set(pinned)
    valid: list[KeyRotation] = []
    refused: list[str] = []
    for number, signed in enumerate(statements, start=1):
        try:
            rotation = KeyRotation.parse(signed.body)
        except ValueError as error:
            refused.append(f"rotation {number}: {error}")
            continue
        if not verify(rotation.old_key, signed.body, signed.old_signature):
            refused.append(f"rotation {number}: not signed by the old key it names")
        elif not verify(rotation.new_key, signed.body, signed.new_signature):
            refused.append(f"rotation {number}: not signed by the new key it names")
        else:
            valid.append(rotation)
    grown = True
    while grown:
        before = len(keys)
        for rotation in valid:
            if rotation.old_key in keys or rotation.new_key in keys:
                keys |= {rotation.old_key, rotation.new_key}
        grown = len(keys) > before
    return keys, refused
