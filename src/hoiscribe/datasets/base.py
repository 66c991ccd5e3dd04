"""What every reader returns, path safety, and the reader dispatch used by the CLI."""

from __future__ import annotations

import importlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from hoiscribe.schema import Sample


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


# readers that draw their own data on first use; without --data-root it goes inside the run directory
SELF_GENERATED = {"demo", "pose_demo", "expression_demo"}

# name -> "module:function(root, split, max_samples, **options) -> ReadResult"; one line per reader
READERS: dict[str, str] = {
    "hico": "hoiscribe.datasets.hico:read_hico",
    "demo": "hoiscribe.datasets.demo:read_demo",
    "coco": "hoiscribe.datasets.coco:read_coco",
    "reallod": "hoiscribe.datasets.reallod:read_reallod",
    "expression_demo": "hoiscribe.datasets.expression_demo:read_expression_demo",
    "pose_pairs": "hoiscribe.datasets.pose_pairs:read_pose_pairs",
    "pose_demo": "hoiscribe.datasets.pose_demo:read_pose_demo",
}


def read_dataset(
    dataset: str,
    data_root: Path,
    split: str | None = None,
    max_samples: int | None = None,
    **options: Any,
) -> ReadResult:
    """Dispatch to a reader by name (see ``READERS``); ``split=None`` means the reader's default."""
    if dataset not in READERS:
        raise DatasetError(f"unknown dataset {dataset!r}; choose one of {', '.join(READERS)}")
    module, func = READERS[dataset].split(":", 1)
    reader = getattr(importlib.import_module(module), func)
    if split is not None:
        options["split"] = split
    return reader(Path(data_root), max_samples=max_samples, **options)
