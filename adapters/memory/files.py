"""Evidence files in process memory (twin of adapters/files.py, same contract)."""

from __future__ import annotations

from adapters.file_types import StoredFile, fingerprint


class MemoryFileStore:
    def __init__(self) -> None:
        self._files: dict[str, StoredFile] = {}

    async def create_schema(self) -> None:
        return None

    async def put(self, content: bytes, media_type: str) -> StoredFile:
        sha256 = fingerprint(content)
        kept = self._files.setdefault(
            sha256,
            StoredFile(sha256=sha256, media_type=media_type, size=len(content), content=content),
        )
        return StoredFile(sha256=sha256, media_type=kept.media_type, size=kept.size)

    async def get(self, sha256: str) -> StoredFile | None:
        return self._files.get(sha256)
