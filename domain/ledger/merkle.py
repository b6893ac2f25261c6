"""The RFC 9162 Merkle tree over the leaves, in log order: its root and inclusion proofs."""

from __future__ import annotations

from collections.abc import Sequence

from domain.ledger.entries import HASH_SIZE, node_hash

# RFC 9162: MTH({}) = SHA-256() of nothing, written out so importing hashes nothing.
EMPTY_ROOT = bytes.fromhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")


class MerkleAccumulator:
    """The RFC 9162 tree head of a growing list of leaves, in O(log n) memory: the roots
    of the perfect subtrees that the leaves so far decompose into, largest first."""

    def __init__(self) -> None:
        self._peaks: list[bytes] = []
        self._size = 0

    @classmethod
    def resume(cls, peaks: Sequence[bytes], size: int) -> MerkleAccumulator:
        """Carry on from `size` leaves given the roots of their aligned perfect subtrees,
        largest first (`aligned_blocks(0, size)`): no need to read the leaves again."""
        if len(peaks) != size.bit_count():
            raise ValueError(f"{size} leaves decompose into {size.bit_count()} subtrees")
        made = cls()
        made._peaks, made._size = list(peaks), size
        return made

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


Block = tuple[int, int]  # (level, index): leaves [index * 2**level, (index + 1) * 2**level)


def aligned_blocks(lo: int, hi: int) -> list[Block]:
    """Leaves [lo, hi) as aligned perfect subtrees, largest first. For every range an
    inclusion proof names, the RFC 9162 root of the range is the right fold of these."""
    out: list[Block] = []
    while lo < hi:
        level = (hi - lo).bit_length() - 1
        while lo % (1 << level):
            level -= 1
        out.append((level, lo >> level))
        lo += 1 << level
    return out


def proof_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose roots make PATH(index, D[0:size]), from the leaf up: the same
    walk as `inclusion_proof`, without the leaves."""
    if not 0 <= index < size:
        raise ValueError(f"index {index} is not in a tree of {size} leaves")
    ranges: list[tuple[int, int]] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = _split(hi - lo)
        if index - lo < k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo += k
    ranges.reverse()
    return ranges


def fold_blocks(roots: Sequence[bytes]) -> bytes:
    """The root of a range from its aligned blocks' roots (largest first)."""
    node = roots[-1]
    for peak in reversed(roots[:-1]):
        node = node_hash(peak, node)
    return node
