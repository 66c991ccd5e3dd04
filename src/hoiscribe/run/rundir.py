"""A run directory: its manifest, its paths and its rows, read and written in one place.

Layout (every path is built here and nowhere else)::

    RUN/manifest.json                         Manifest: units, dataset, stages, config
    RUN/run.lock                              the run's holder (hoiscribe.run.lock: one run per directory)
    RUN/stages/<stage>/<fingerprint>/uNNNNN.jsonl   rows of one unit (append-only)
    RUN/stages/<stage>/<fingerprint>/uNNNNN.done    its done marker
    RUN/stages/<first stage>/<fingerprint>/records-uNNNNN.jsonl   the unit's seed records (once, not per row)
    RUN/stages/<stage>/<fingerprint>/merged-uNNNNN.part   a one-stage run's merged lines of a unit (cache)
    RUN/spill/rankN.jsonl                     this run's read samples (scratch, removed at its end)
    RUN/merge-scratch/uNNNNN                  a merge's sorted record lines (scratch, removed at its end)
    RUN/cache/<stage>/                        request cache
    RUN/reader_drops.json  RUN/runtime/rankN.json  RUN/stats.json  RUN/merged.json

Exporters of the feature packages receive a ``RunDir`` and read through it, so they never
build a path or parse the manifest themselves.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import orjson

from hoiscribe.core.io import MergeError, atomic_write_bytes, read_rows
from hoiscribe.run.rows import Row, last_rows
from hoiscribe.run.units import unit_name


@dataclass(frozen=True, slots=True)
class StageEntry:
    """One stage as the manifest records it."""

    name: str
    task: str
    fingerprint: str
    input: str | None = None


@dataclass(frozen=True)
class Manifest:
    """What a run directory holds; the unit count is fixed by the first run."""

    num_units: int
    dataset: str
    split: str | None
    stages: tuple[StageEntry, ...]
    config: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Any, where: str = "manifest.json") -> Manifest:
        if not isinstance(data, dict):
            raise MergeError(f"{where}: expected a JSON object")
        try:
            stages = tuple(
                StageEntry(str(s["name"]), str(s["task"]), str(s["fingerprint"]), s.get("input"))
                for s in data["stages"]
            )
            config = data.get("config")
            return cls(int(data["num_units"]), str(data.get("dataset", "")), data.get("split"), stages,
                       config if isinstance(config, dict) else {})  # fmt: skip
        except (KeyError, TypeError, ValueError) as exc:
            raise MergeError(f"{where}: malformed manifest ({type(exc).__name__}: {exc})") from None

    def as_dict(self) -> dict[str, Any]:
        return {
            "num_units": self.num_units,
            "dataset": self.dataset,
            "split": self.split,
            "stages": [asdict(s) for s in self.stages],
            "config": self.config,
        }


def _inside(base: Path, *parts: str) -> Path:
    """``base/part/...`` where each part is one plain path component, so the result stays in ``base``.

    ``MergeError`` (a ``ValueError``) otherwise: a stage name from a hand-edited manifest, say.
    """
    for part in parts:
        if not part or part in (".", "..") or any(c in part for c in "/\\\0") or Path(part).is_absolute():
            raise MergeError(f"{part!r} is not a plain folder name: a path built from it would leave {base}")
    path = base.joinpath(*parts)
    if os.path.commonpath([os.path.normpath(base), os.path.normpath(path)]) != os.path.normpath(base):
        raise MergeError(f"{path} is outside {base}")
    return path


class RunDir:
    """Typed access to one run directory."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"RunDir({str(self.path)!r})"

    # ---- paths ----------------------------------------------------------------------------
    @property
    def manifest_path(self) -> Path:
        return self.path / "manifest.json"

    @property
    def merged_path(self) -> Path:
        return self.path / "merged.json"

    @property
    def stats_path(self) -> Path:
        return self.path / "stats.json"

    @property
    def reader_drops_path(self) -> Path:
        return self.path / "reader_drops.json"

    @property
    def lock_path(self) -> Path:
        """The run's lock file (``hoiscribe.run.lock``): one pipeline per run directory."""
        return self.path / "run.lock"

    def runtime_path(self, rank: int) -> Path:
        return self.path / "runtime" / f"rank{rank}.json"

    def stage_dir(self, stage: str, fingerprint: str) -> Path:
        """``RUN/stages/<stage>/<fingerprint>``; ``ValueError`` for a name that would leave it (the
        config refuses such stage names already; a hand-edited manifest could still hold one)."""
        return _inside(self.path / "stages", stage, fingerprint)

    def unit_rows_path(self, stage: str, fingerprint: str, unit: int) -> Path:
        return self.stage_dir(stage, fingerprint) / f"{unit_name(unit)}.jsonl"

    def unit_done_path(self, stage: str, fingerprint: str, unit: int) -> Path:
        return self.stage_dir(stage, fingerprint) / f"{unit_name(unit)}.done"

    def unit_records_path(self, stage: str, fingerprint: str, unit: int) -> Path:
        """The seed records of a unit's samples, written by the first stage beside its rows."""
        return self.stage_dir(stage, fingerprint) / f"records-{unit_name(unit)}.jsonl"

    def unit_part_path(self, stage: str, fingerprint: str, unit: int) -> Path:
        """A one-stage run's merged lines of a unit, written by its stage (``run.parts``: a checked cache)."""
        return self.stage_dir(stage, fingerprint) / f"merged-{unit_name(unit)}.part"

    def cache_dir(self, stage: str) -> Path:
        return _inside(self.path / "cache", stage)

    # ---- manifest -------------------------------------------------------------------------
    def has_manifest(self) -> bool:
        return self.manifest_path.is_file()

    @cached_property
    def manifest(self) -> Manifest:
        """The manifest; ``MergeError`` when this is not a run directory."""
        if not self.has_manifest():
            raise MergeError(f"{self.path} is not a hoiscribe run directory (no manifest.json)")
        try:
            data = json.loads(self.manifest_path.read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise MergeError(f"{self.manifest_path}: not readable JSON: {exc}") from None
        return Manifest.from_dict(data, str(self.manifest_path))

    def write_manifest(self, manifest: Manifest) -> None:
        """Write when it changed (a resume with the same config leaves the file alone)."""
        data = manifest.as_dict()
        previous = json.loads(self.manifest_path.read_text()) if self.has_manifest() else None
        if data != previous:
            atomic_write_bytes(self.manifest_path, json.dumps(data, indent=1).encode())
        self.__dict__["manifest"] = manifest

    def previous_num_units(self) -> int | None:
        """The unit count a previous run fixed, if any."""
        return self.manifest.num_units if self.has_manifest() else None

    # ---- rows -----------------------------------------------------------------------------
    def unit_rows(self, stage: str, fingerprint: str, unit: int) -> dict[str, Row]:
        return last_rows(read_rows_fast(self.unit_rows_path(stage, fingerprint, unit)))

    def stage_rows(self, stage: StageEntry) -> dict[str, Row]:
        """Last row per sample of one stage, across all its unit files; the first stage's rows carry
        their sample's seed record (``record``), joined from the unit's records file."""
        rows: dict[str, Row] = {}
        first = bool(self.manifest.stages) and stage == self.manifest.stages[0]
        for path in sorted(self.stage_dir(stage.name, stage.fingerprint).glob("u*.jsonl")):
            unit_rows = last_rows(read_rows_fast(path))
            if first:
                records = self.unit_records(path.parent / f"records-{path.name}")
                for sid, row in unit_rows.items():
                    if sid in records and "record" not in row:
                        row["record"] = records[sid]
            rows.update(unit_rows)
        return rows

    @staticmethod
    def unit_records(path: Path) -> dict[str, dict[str, Any]]:
        """sample_id -> seed record of one records file (empty when absent: older runs keep them in rows)."""
        return {sid: record for sid, (_key, record) in read_unit_records(path).items()}

    def seed_records(self, first_rows: dict[str, Row] | None = None) -> dict[str, dict[str, Any]]:
        """sample_id -> the record its reader contributed (first-stage rows carry them)."""
        rows = first_rows if first_rows is not None else self.stage_rows(self.manifest.stages[0])
        return {sid: r["record"] for sid, r in rows.items() if isinstance(r.get("record"), dict)}

    def field_names(self) -> list[str]:
        """The merged-record field of each stage, in manifest order."""
        from hoiscribe.run.merge import stage_field_names

        return stage_field_names(self.manifest.stages)

    def merged_records(self) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """One record per sample with every stage's output, and per-stage statistics."""
        from hoiscribe.run.merge import merged_records

        return merged_records(self)

    def reader_drops(self) -> dict[str, Any]:
        """``{"stats": ..., "dropped": [{file, record, field, reason}, ...]}`` (empty when absent)."""
        path = self.reader_drops_path
        return json.loads(path.read_text()) if path.is_file() else {}

    def runtime(self) -> list[dict[str, Any]]:
        return [json.loads(p.read_text()) for p in sorted((self.path / "runtime").glob("rank*.json"))]

    def data_root(self) -> Path:
        """The dataset root this run read (the demo sets live inside the run directory)."""
        from hoiscribe.run.config import PipelineConfig

        return PipelineConfig.model_validate(self.manifest.config).resolved_data_root()


def read_unit_records(path: Path, parse: bool = True) -> dict[str, tuple[list[Any], Any]]:
    """sample_id -> (sort key, record) of a records file; ``parse=False`` keeps each record as its JSON
    bytes (the merge copies them). Empty when the file is absent; a torn last line is skipped."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    out: dict[str, tuple[list[Any], Any]] = {}
    for line in data.split(b"\n"):
        key, tab, rec = line.partition(b"\t")
        if not tab:
            continue
        try:
            k = orjson.loads(key)
            out[k[3]] = (k, orjson.loads(rec) if parse else rec)
        except (orjson.JSONDecodeError, IndexError, TypeError):
            continue
    return out


def read_rows_fast(path: Path) -> list[Row]:
    """``core.io.read_rows``, parsed in one ``orjson.loads`` of the file's complete lines joined into a
    list; a file with anything ``read_rows`` would skip (an empty or unreadable line, a line that is
    not one object) is read line by line by ``read_rows`` itself, so both give the same rows."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    end = data.rfind(b"\n")
    if end <= 0:
        return read_rows(path) if end == 0 else []
    try:
        rows = orjson.loads(b"[" + data[:end].replace(b"\n", b",") + b"]")
    except orjson.JSONDecodeError:
        return read_rows(path)
    if len(rows) != data.count(b"\n", 0, end) + 1 or not all(type(r) is dict for r in rows):
        return read_rows(path)
    return rows
