"""The key rotation statement (domain.ledger.rotation): one canonical text, and `trusted`
follows only statements both named keys signed, in either direction, across several."""

from __future__ import annotations

import pytest

from adapters.signing import Signer, verifier_from
from domain.ledger.rotation import KeyRotation, SignedRotation, trusted

AT = "2027-01-04T09:00:00+07:00"


def verify(public: bytes, message: bytes, signature: bytes) -> bool:
    return verifier_from(public)(message, signature)


def statement(old: Signer, new: Signer, *, old_signs: Signer | None = None) -> SignedRotation:
    body = KeyRotation("pelacak-ham.test", old.public_key_raw(), new.public_key_raw(), AT).body()
    return SignedRotation(body, (old_signs or old).sign(body), new.sign(body))


def test_the_statement_has_one_canonical_text() -> None:
    a, b = Signer.generate(), Signer.generate()
    made = KeyRotation("pelacak-ham.test", a.public_key_raw(), b.public_key_raw(), AT)
    body = made.body()
    assert body.decode().splitlines()[0] == "pelacak-ham/key-rotation/v1"
    assert KeyRotation.parse(body) == made
    for wrong in (
        body.replace(b"\n", b"\r\n"),
        body + b"\n",
        body.replace(b"at ", b"at  "),
        body.replace(b"origin", b"Origin"),
        body[:-1],
    ):
        with pytest.raises(ValueError, match="key rotation"):
            KeyRotation.parse(wrong)
    with pytest.raises(ValueError, match="two different keys"):
        KeyRotation("o", a.public_key_raw(), a.public_key_raw(), AT)
    with pytest.raises(ValueError, match="offset"):
        KeyRotation("o", a.public_key_raw(), b.public_key_raw(), "2027-01-04T09:00:00")


def test_trust_follows_signed_statements_both_ways_and_only_those() -> None:
    a, b, c, stranger = (Signer.generate() for _ in range(4))
    chain = [statement(a, b), statement(b, c)]
    raw = {s: s.public_key_raw() for s in (a, b, c, stranger)}
    for pinned in (a, b, c):
        keys, refused = trusted([raw[pinned]], chain, verify)
        assert keys == {raw[a], raw[b], raw[c]} and refused == []
    keys, refused = trusted([raw[stranger]], chain, verify)
    assert keys == {raw[stranger]} and refused == []
    forged = statement(c, stranger, old_signs=stranger)  # the stranger cannot sign as c
    keys, refused = trusted([raw[a]], [*chain, forged], verify)
    assert raw[stranger] not in keys
    assert refused == ["rotation 3: not signed by the old key it names"]
    unsigned = SignedRotation(chain[0].body, chain[0].old_signature, b"\0" * 64)
    keys, refused = trusted([raw[a]], [unsigned], verify)
    assert keys == {raw[a]} and refused == ["rotation 1: not signed by the new key it names"]
