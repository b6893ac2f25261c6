"""The canonical bytes of one stored event, its leaf hash and its link in the chain."""

from __future__ import annotations

import hashlib
from uuid import UUID

HASH_SIZE = 32
GENESIS = bytes(HASH_SIZE)  # the link "before" the first event
ENTRY_FORMAT = 1
LINK_TAG = b"pelacak-ham/link/v1\x00"
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
