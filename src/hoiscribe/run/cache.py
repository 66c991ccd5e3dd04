"""Request cache on local disk, keyed by request content + engine fingerprint.

A stage whose prompt or model is unchanged never pays for the same answer twice: a parser
fix, a crash after the answer but before the row, or a downstream-only change all reuse it.

The cache is a ``UnitFile`` as well: a full disk raises ``DiskFullError`` naming the cache file
(the run stops, like a full disk under its rows), entries written before stay, and a torn last
entry is cut like a torn row.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from pathlib import Path
from typing import Any

from hoiscribe.engines.base import Completion, Request
from hoiscribe.run.store import UnitFile


def cache_key(request: Request, engine_fingerprint: str) -> str:
    return hashlib.sha256(f"{engine_fingerprint}|{request.content_key()}".encode()).hexdigest()[:32]


class UnitCache:
    """Cached completions of one unit of one stage (append-only JSONL)."""

    def __init__(self, directory: Path, unit: str) -> None:
        self._file = UnitFile(directory, unit)
        self._entries: dict[str, dict[str, Any]] | None = None

    def _load(self) -> dict[str, dict[str, Any]]:
        if self._entries is None:
            self._entries = {r["key"]: r["completion"] for r in self._file.read() if "key" in r}
        return self._entries

    def get(self, key: str) -> Completion | None:
        hit = self._load().get(key)
        return Completion(**hit) if hit is not None else None

    def put(self, key: str, completion: Completion) -> None:
        if completion.error is not None:
            return  # only answers are worth keeping
        record = asdict(completion)
        entries = self._load()
        self._file.append([{"key": key, "completion": record}])  # DiskFullError: not kept in memory either
        entries[key] = record

    def close(self) -> None:
        self._file.close()
