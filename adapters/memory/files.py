"""Evidence files in process memory (twin of adapters/files.py, same contract)."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.file_types import StoredFile, fingerprint


class MemoryFileStore:
    def __init__(self) -> None:
        self._files: dict[str, StoredFile] = {}
        self._transient: dict[str, datetime] = {}  # sha256 -> when stored

    async def create_schema(self) -> None:
        return None

    async def put(self, content: bytes, media_type: str, *, transient: bool = False) -> StoredFile:
        sha256 = fingerprint(content)
        new = StoredFile(sha256=sha256, media_type=media_type, size=len(content), content=content)
        existing, was_transient = self._files.get(sha256), sha256 in self._transient
        if existing is None or (was_transient and not transient):
            self._files[sha256] = new
        if not transient:  # stored for good: permanent from now on
            self._transient.pop(sha256, None)
        elif existing is None or was_transient:
            self._transient[sha256] = datetime.now(UTC)
        kept = self._files[sha256]
        return StoredFile(sha256=sha256, media_type=kept.media_type, size=kept.size)

    async def get(self, sha256: str) -> StoredFile | None:
        return self._files.get(sha256)

    async def forget_transient(self, stored_before: datetime) -> int:
        old = [sha for sha, at in self._transient.items() if at < stored_before]
        for sha256 in old:
            del self._files[sha256], self._transient[sha256]
        return len(old)
