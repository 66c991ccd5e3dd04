"""Files that survive a kill: atomic whole-file writes and JSONL rows with a torn-tail rule.

Shared by the run layer (unit files, manifest, merge) and the feature exporters.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson


class MergeError(ValueError):
    """Run output that cannot be read, merged or exported, naming the file."""


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write via a temp file, fsync, and rename: readers see the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def read_rows(path: Path) -> list[dict[str, Any]]:
    """All complete rows of a JSONL file (a torn last line is skipped)."""
    if not path.is_file():
        return []
    data = path.read_bytes()
    rows = []
    for line in data.split(b"\n"):
        if not line:
            continue
        try:
            rows.append(orjson.loads(line))
        except orjson.JSONDecodeError:
            continue  # only the torn tail can be partial; it is cut before the next append
    return rows
