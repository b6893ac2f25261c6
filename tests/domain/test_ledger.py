"""The ledger against the RFC 9162 definitions: roots, audit paths, checkpoints, proofs."""

from __future__ import annotations

import base64
import hashlib
from uuid import UUID

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import ledger
from domain.ledger import Checkpoint, InclusionProof, merkle

ID = UUID("12345678-1234-5678-1234-567812345678")


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def leaves(n: int) -> list[bytes]:
    return [ledger.leaf_hash(i.to_bytes(4, "big")) for i in range(n)]  # all distinct


def mth(d: list[bytes]) -> bytes:
    """RFC 9162 2.1.1, literally (over leaf hashes)."""
    if not d:
        return sha(b"")
    if len(d) == 1:
        return d[0]
    k = 1
    while k * 2 < len(d):
        k *= 2
    return sha(b"\x01" + mth(d[:k]) + mth(d[k:]))


def path(m: int, d: list[bytes]) -> list[bytes]:
    """RFC 9162 2.1.3.1, literally."""
    if len(d) == 1:
        return []
    k = 1
    while k * 2 < len(d):
        k *= 2
    if m < k:
        return [*path(m, d[:k]), mth(d[k:])]
    return [*path(m - k, d[k:]), mth(d[:k])]


def test_hashes_are_domain_separated_as_in_rfc_9162() -> None:
    assert ledger.leaf_hash(b"abc") == sha(b"\x00abc")
    assert ledger.node_hash(b"L" * 32, b"R" * 32) == sha(b"\x01" + b"L" * 32 + b"R" * 32)
    assert ledger.EMPTY_ROOT.hex() == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
    assert bytes(32) == ledger.GENESIS


def test_known_small_trees_computed_by_hand() -> None:
    a, b, c = (ledger.leaf_hash(x) for x in (b"a", b"b", b"c"))
    assert ledger.root_of([a]) == a
    assert ledger.root_of([a, b]) == sha(b"\x01" + a + b)
    # Three leaves: the left subtree takes the largest power of two below 3.
    ab = sha(b"\x01" + a + b)
    assert ledger.root_of([a, b, c]) == sha(b"\x01" + ab + c)
    assert ledger.inclusion_proof([a, b, c], 2, 3) == [ab]
    assert ledger.inclusion_proof([a, b, c], 0, 3) == [b, c]
    assert ledger.inclusion_proof([a, b, c], 1, 2) == [a]


@pytest.mark.parametrize("n", range(71))
def test_accumulator_and_root_of_equal_the_recursive_definition(n: int) -> None:
    d = leaves(n)
    accumulator = ledger.MerkleAccumulator()
    for i, leaf in enumerate(d):
        assert accumulator.root() == mth(d[:i])
        accumulator.append(leaf)
    assert accumulator.size == n
    assert accumulator.root() == mth(d) == ledger.root_of(d)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 7, 8, 9, 16, 17, 33])
def test_inclusion_proof_equals_the_recursive_definition(n: int) -> None:
    d = leaves(n + 3)  # the extra leaves are not part of the tree of size n
    for m in range(n):
        assert ledger.inclusion_proof(d, m, n) == path(m, d[:n])


def test_inclusion_proof_refuses_an_index_outside_the_tree() -> None:
    for index, size in ((3, 3), (-1, 3), (0, 0), (0, 5)):
        with pytest.raises(ValueError):
            ledger.inclusion_proof(leaves(4), index, size)


def flip(data: bytes, bit: int) -> bytes:
    changed = bytearray(data)
    changed[bit // 8 % len(data)] ^= 1 << (bit % 8)
    return bytes(changed)


@settings(max_examples=60, deadline=None, database=None)
@given(st.integers(min_value=1, max_value=80), st.data())
def test_every_proof_verifies_and_any_flipped_bit_breaks_it(n: int, data: st.DataObject) -> None:
    d = leaves(n)
    root = ledger.root_of(d)
    bit = data.draw(st.integers(min_value=0, max_value=255), label="bit")
    for m in range(n):
        proof = ledger.inclusion_proof(d, m, n)
        assert ledger.verify_inclusion(d[m], m, n, proof, root)
        assert not ledger.verify_inclusion(flip(d[m], bit), m, n, proof, root)
        assert not ledger.verify_inclusion(d[m], m, n, proof, flip(root, bit))
        assert not ledger.verify_inclusion(d[m], m ^ (1 << (bit % 8)), n, proof, root)
        assert not ledger.verify_inclusion(d[m], m ^ (1 << 40), n, proof, root)
        for i in range(len(proof)):
            broken = [*proof[:i], flip(proof[i], bit), *proof[i + 1 :]]
            assert not ledger.verify_inclusion(d[m], m, n, broken, root)
        assert not ledger.verify_inclusion(d[m], m, n, [*proof, d[0]], root)
        if proof:
            assert not ledger.verify_inclusion(d[m], m, n, proof[:-1], root)


def test_entry_bytes_layout() -> None:
    entry = ledger.entry_bytes(7, ID, 3, "ActionPlanned", b"{}")
    assert entry == (
        b"\x01"
        + (7).to_bytes(8, "big")
        + ID.bytes
        + (3).to_bytes(8, "big")
        + (13).to_bytes(4, "big")
        + b"ActionPlanned"
        + (2).to_bytes(4, "big")
        + b"{}"
    )
    assert ledger.entry_position(entry) == 7
    # Moving a byte between topic and state changes the encoding (length prefixes).
    assert ledger.entry_bytes(7, ID, 3, "ab", b"c") != ledger.entry_bytes(7, ID, 3, "a", b"bc")
    with pytest.raises(ValueError):
        ledger.entry_bytes(-1, ID, 3, "t", b"")


def test_chain_link_covers_previous_link_position_and_leaf() -> None:
    leaf = ledger.leaf_hash(b"x")
    link = ledger.chain_link(ledger.GENESIS, 5, leaf)
    assert link == sha(b"pelacak-ham/link/v1\x00" + bytes(32) + (5).to_bytes(8, "big") + leaf)
    assert link != ledger.chain_link(ledger.GENESIS, 6, leaf)
    assert link != ledger.chain_link(link, 5, leaf)
    assert link != ledger.chain_link(ledger.GENESIS, 5, ledger.leaf_hash(b"y"))


def checkpoint(**changes: object) -> Checkpoint:
    fields: dict[str, object] = {
        "origin": "pelacak-ham.example.org",
        "size": 30,
        "position": 31,
        "root": sha(b"root"),
        "link": sha(b"link"),
        "issued_at": "2026-03-01T08:00:00+07:00",
        "key_id": "0123456789abcdef",
    }
    return Checkpoint(**{**fields, **changes})  # type: ignore[arg-type]


def test_checkpoint_body_is_line_based_and_round_trips() -> None:
    cp = checkpoint()
    body = cp.body()
    lines = body.decode().splitlines()
    assert lines[0] == "pelacak-ham/checkpoint/v1"
    assert lines[1:4] == ["origin pelacak-ham.example.org", "size 30", "position 31"]
    assert lines[4] == "root " + base64.b64encode(sha(b"root")).decode()
    assert lines[6:] == ["issued-at 2026-03-01T08:00:00+07:00", "key-id 0123456789abcdef"]
    assert Checkpoint.parse(body) == cp
    empty = checkpoint(size=0, position=0, root=ledger.EMPTY_ROOT, link=ledger.GENESIS)
    assert Checkpoint.parse(empty.body()) == empty


GOOD = checkpoint().body().decode()


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\xff\xfe",
        GOOD.rstrip("\n").encode(),  # no final newline
        GOOD.replace("\n", "\r\n").encode(),
        GOOD.replace("checkpoint/v1", "checkpoint/v2").encode(),
        GOOD.replace("size 30", "size 030").encode(),
        GOOD.replace("size 30", "size -1").encode(),
        GOOD.replace("size 30", "size  30").encode(),
        GOOD.replace("position 31", "posisi 31").encode(),
        GOOD.replace("origin ", "origin  ").encode(),
        GOOD.replace("key-id 0123456789abcdef", "key-id a b").encode(),
        GOOD.replace("issued-at 2026-03-01T08:00:00+07:00", "issued-at 2026-03-01").encode(),
        GOOD.replace("issued-at 2026-03-01T08:00:00+07:00", "issued-at yesterday").encode(),
        (GOOD + "extra 1\n").encode(),
        "\n".join(GOOD.split("\n")[:-2]).encode() + b"\n",  # a field missing
        GOOD.replace(base64.b64encode(sha(b"root")).decode(), "AAAA").encode(),
        GOOD.replace(base64.b64encode(sha(b"link")).decode(), "not base64!").encode(),
    ],
)
def test_malformed_checkpoints_are_refused_with_one_line(body: bytes) -> None:
    with pytest.raises(ValueError) as refused:
        Checkpoint.parse(body)
    assert "\n" not in str(refused.value) and str(refused.value)


def test_checkpoint_refuses_values_it_could_not_write() -> None:
    with pytest.raises(ValueError):
        checkpoint(origin="two\nlines")
    with pytest.raises(ValueError):
        checkpoint(root=b"short")
    with pytest.raises(ValueError):
        checkpoint(size=0)  # an empty tree has the empty root


def make_proof(n: int = 11, m: int = 6) -> tuple[InclusionProof, bytes, bytes]:
    entries = [ledger.entry_bytes(i + 1, ID, i + 1, "T", bytes([i])) for i in range(n)]
    d = [ledger.leaf_hash(e) for e in entries]
    cp = checkpoint(size=n, position=n, root=ledger.root_of(d))
    signature = b"sig:" + sha(cp.body())
    proof = InclusionProof(
        position=m + 1,
        index=m,
        size=n,
        leaf_hash=d[m].hex(),
        path=[p.hex() for p in ledger.inclusion_proof(d, m, n)],
        checkpoint=cp.body().decode(),
        signature=base64.b64encode(signature).decode(),
    )
    return proof, entries[m], signature


def fake_verifier(message: bytes, signature: bytes) -> bool:
    return signature == b"sig:" + sha(message)


def test_check_proof_accepts_a_good_proof() -> None:
    proof, entry, _ = make_proof()
    ledger.check_proof(proof, entry, fake_verifier)


def test_check_proof_names_what_is_wrong() -> None:
    proof, entry, _ = make_proof()

    def refused(candidate: InclusionProof, data: bytes = entry) -> str:
        with pytest.raises(ValueError) as error:
            ledger.check_proof(candidate, data, fake_verifier)
        return str(error.value)

    assert "signature invalid" in refused(
        msgspec_replace(proof, checkpoint=proof.checkpoint.replace("size 11", "size 12"))
    )
    assert "signature" in refused(msgspec_replace(proof, signature="!!"))
    assert "do not match the position" in refused(proof, entry[:-1] + b"\x99")
    other = ledger.entry_bytes(3, ID, 3, "T", bytes([2]))
    assert "do not match the position" in refused(proof, other)
    assert "out of range" in refused(msgspec_replace(proof, index=11))
    path = [proof.path[0][:-1] + ("0" if proof.path[0][-1] != "0" else "1"), *proof.path[1:]]
    assert "does not lead to the signed root" in refused(msgspec_replace(proof, path=path))
    assert "does not lead to the signed root" in refused(msgspec_replace(proof, index=5))


def msgspec_replace(proof: InclusionProof, **changes: object) -> InclusionProof:
    return msgspec.structs.replace(proof, **changes)


def test_the_constants_written_out_are_the_hashes_they_stand_for() -> None:
    """EMPTY_ROOT and the sealer's NULL_LEAF are literals so importing hashes nothing."""
    import hashlib

    from adapters.sealer import NULL_LEAF

    assert hashlib.sha256(b"").digest() == ledger.EMPTY_ROOT
    assert ledger.leaf_hash(b"NULL") == NULL_LEAF


def test_a_path_from_aligned_subtree_roots_is_the_rfc_9162_path() -> None:
    """What the stored interior nodes make possible: every range of a proof is a right fold
    of aligned perfect subtrees, so the path needs O(log n) roots, not every leaf."""
    leaves = [merkle_leaf(n) for n in range(70)]

    def block_root(level: int, index: int) -> bytes:
        return merkle.root_of(leaves[index << level : (index + 1) << level])

    for size in range(1, len(leaves) + 1):
        for index in range(size):
            ranges = merkle.proof_ranges(index, size)
            path = [
                merkle.fold_blocks([block_root(*b) for b in merkle.aligned_blocks(lo, hi)])
                for lo, hi in ranges
            ]
            assert path == merkle.inclusion_proof(leaves, index, size), (index, size)
            for lo, hi in ranges:
                blocks = merkle.aligned_blocks(lo, hi)
                assert len(blocks) <= (hi - lo).bit_length()
                sizes = [1 << level for level, _ in blocks]
                assert sizes == sorted(sizes, reverse=True) and sum(sizes) == hi - lo


def merkle_leaf(n: int) -> bytes:
    return hashlib.sha256(b"\x00" + n.to_bytes(8, "big")).digest()


def test_a_tree_resumed_from_its_subtree_roots_grows_as_if_never_stopped() -> None:
    leaves = [merkle_leaf(n) for n in range(45)]
    for cut in range(1, 45):
        blocks = merkle.aligned_blocks(0, cut)
        peaks = [merkle.root_of(leaves[i << lvl : (i + 1) << lvl]) for lvl, i in blocks]
        resumed = merkle.MerkleAccumulator.resume(peaks, cut)
        assert resumed.root() == merkle.root_of(leaves[:cut])
        resumed.extend(leaves[cut:])
        assert resumed.root() == merkle.root_of(leaves) and resumed.size == 45
    with pytest.raises(ValueError, match="subtrees"):
        merkle.MerkleAccumulator.resume([leaves[0]], 3)
