"""Ed25519 keys for signing checkpoints of the event log (`cryptography`)."""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import os
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from domain.ledger import Checkpoint
from domain.ledger.rotation import SignedRotation, trusted

Verifier = Callable[[bytes, bytes], bool]


def key_id_of(public_raw: bytes) -> str:
    """First 16 hex characters of SHA-256 of the 32 raw public key bytes."""
    return hashlib.sha256(public_raw).hexdigest()[:16]


class Signer:
    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key
        self._public_raw = private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.key_id = key_id_of(self._public_raw)

    @classmethod
    def generate(cls) -> Signer:
        return cls(Ed25519PrivateKey.generate())

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)

    def public_key_raw(self) -> bytes:
        return self._public_raw

    def public_key_b64(self) -> str:
        return base64.b64encode(self._public_raw).decode()

    def public_pem(self) -> str:
        return (
            self._key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )

    def private_pem(self) -> bytes:
        return self._key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def verifier(self) -> Verifier:
        return verifier_from(self._public_raw)

    def keyring(self) -> Keyring:
        return Keyring([self._public_raw])


class Keyring:
    """The public keys an auditor trusts, by key id; `widened` adds the keys that signed
    rotations lead to (domain.ledger.rotation)."""

    def __init__(self, public_keys: Iterable[bytes]) -> None:
        self._keys = {key_id_of(raw): raw for raw in public_keys}
        self._verifiers: dict[str, Verifier] = {}

    def ids(self) -> list[str]:
        return sorted(self._keys)

    def verifier(self, key_id: str) -> Verifier | None:
        raw = self._keys.get(key_id)
        if raw is None:
            return None
        if key_id not in self._verifiers:
            self._verifiers[key_id] = verifier_from(raw)
        return self._verifiers[key_id]

    def widened(self, statements: Iterable[SignedRotation]) -> tuple[Keyring, list[str]]:
        """This ring and every key a statement both keys signed connects to it, with one
        line for each statement that connects nothing because it does not verify."""
        keys, refused = trusted(self._keys.values(), statements, _verifies)
        return Keyring(keys), refused

    def checkpoint_verifier(self) -> Verifier:
        """Checks a checkpoint body's signature with the key its `key-id` line names."""

        def verify(body: bytes, signature: bytes) -> bool:
            try:
                key_id = Checkpoint.parse(body).key_id
            except ValueError:
                return False
            found = self.verifier(key_id)
            return found is not None and found(body, signature)

        return verify


def _verifies(public_raw: bytes, message: bytes, signature: bytes) -> bool:
    return verifier_from(public_raw)(message, signature)


def _reason(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _parse_private(data: bytes, source: Path) -> Signer:
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        why = f"not a readable unencrypted PEM private key ({_reason(error)})"
        raise ValueError(f"{source}: {why}") from None
    if not isinstance(key, Ed25519PrivateKey):
        # A wrong key file is a bad value to the operator, not a programming type error.
        msg = f"{source}: the key is {type(key).__name__}, not Ed25519"
        raise ValueError(msg)  # noqa: TRY004
    return Signer(key)


def load_or_create(path: Path) -> Signer:
    """The Ed25519 key in `path` (PEM, PKCS8); a new one, mode 0600, if there is none.

    A new key is written to a temporary file and linked into place, so a reader never sees
    a half-written key and two processes creating it at once end up with the same key.
    """
    try:
        return _parse_private(path.read_bytes(), path)
    except FileNotFoundError:
        pass
    except OSError as error:
        raise ValueError(f"{path}: cannot read the signing key ({error.strerror})") from None
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    signer = Signer.generate()
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(signer.private_pem())
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)  # fails if another process created the key meanwhile
        except FileExistsError:
            return _parse_private(path.read_bytes(), path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    with contextlib.suppress(OSError):  # make the new directory entry durable
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    return signer


def public_key_from(public_key: bytes | str) -> Ed25519PublicKey:
    """A PEM public key (text or bytes), the base64 of the 32 raw bytes, or the raw bytes."""
    if isinstance(public_key, bytes) and len(public_key) == 32:
        return Ed25519PublicKey.from_public_bytes(public_key)
    text = public_key.decode("ascii", "replace") if isinstance(public_key, bytes) else public_key
    text = text.strip()
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(text.encode("ascii", "replace"))
        except (ValueError, UnsupportedAlgorithm) as error:
            raise ValueError(f"not a readable PEM public key ({_reason(error)})") from None
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError(f"the public key is {type(key).__name__}, not Ed25519")
        return key
    try:
        raw = base64.b64decode(text, validate=True)
    except binascii.Error:
        raw = b""
    if len(raw) != 32:
        raise ValueError("public key must be PEM or the base64 of 32 raw Ed25519 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def raw_of(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def verifier_from(public_key: bytes | str) -> Verifier:
    """A `verify(message, signature) -> bool` for the given Ed25519 public key."""
    key = public_key_from(public_key)

    def verify(message: bytes, signature: bytes) -> bool:
        try:
            key.verify(signature, message)
        except InvalidSignature:
            return False
        return True

    return verify
