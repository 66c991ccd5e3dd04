"""What every reader returns and path safety; readers are named in ``hoiscribe.catalog``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from hoiscribe.core.records import Sample


class DatasetError(ValueError):
    """A problem that stops reading: a missing or unreadable annotation file."""


@dataclass(frozen=True, slots=True)
class Drop:
    """One record left out, with where and why."""

    file: str
    record: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file} [{self.record}] {self.field}: {self.reason}"


@dataclass
class ReadResult:
    """Samples that are usable, the records dropped, and reader-specific counts."""

    samples: list[Sample | Any]  # Sample, or another record type with sample_id / image_path / as_record()
    dropped: list[Drop] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    def drop_summary(self) -> dict[str, int]:
        """Counts of drops by field and reason, for the run summary."""
        return dict(Counter(f"{d.field}: {_reason_kind(d.reason)}" for d in self.dropped))


def _reason_kind(reason: str) -> str:
    """Collapse a reason to its kind (drop record-specific numbers) for counting."""
    return "".join("#" if ch.isdigit() else ch for ch in reason)[:80]


def load_json_file(path: Path, what: str) -> Any:
    """Parse a JSON annotation file; ``DatasetError`` naming the file otherwise."""
    if not path.is_file():
        raise DatasetError(f"{what} not found: {path}")
    try:
        return orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise DatasetError(f"{what} is not readable JSON: {path}: {exc}") from exc


def safe_join(root: Path, *parts: str) -> Path:
    """Join untrusted file names under ``root``; ``ValueError`` if one could escape it.

    Lexical on purpose (no filesystem access per record): absolute paths, ``..`` parts and
    backslashes are refused, which keeps every result inside ``root``.
    """
    for p in parts:
        if (
            not isinstance(p, str)
            or not p
            or p.startswith(("/", "~"))
            or "\\" in p
            or "\0" in p
            or ".." in p.split("/")
        ):
            raise ValueError(f"file name {p!r} escapes the data root")
    return root.joinpath(*parts)
