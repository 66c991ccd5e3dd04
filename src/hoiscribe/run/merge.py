"""Merge a run directory into the seed JSON, merge reference per-rank files, export.

The merged file has one record per sample (the first stage keeps each unit's seed records
beside its rows), with each stage's output under its seed field name (``description``,
``refined_description``, ``examiner_result``), ordered by image and instance, written atomically.

``merge_run`` streams: one unit's rows at a time become sorted record lines in a scratch file,
and the sorted files are merged into the output, so memory holds one unit, not the run. Seed
records are copied as the bytes they were written as, never parsed again.
"""

from __future__ import annotations

import gc
import glob
import heapq
import json
import shutil
from collections import Counter
from collections.abc import Sequence
from contextlib import suppress
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson

from hoiscribe.catalog import EXPORTS, TASKS, ExportError, get_task
from hoiscribe.core.io import MergeError, atomic_write_bytes, atomic_writer, disk_full_as_error
from hoiscribe.run.parts import PART_VERSION, _reason_kind, merged_lines, read_part, stage_counts, valid_part
from hoiscribe.run.rows import Row
from hoiscribe.run.rundir import RunDir, StageEntry

WRITE_BATCH = 4096  # merged records written to merged.json per write call
_Source = tuple[Path, int, Path, int]  # a sorted part: its path, where its lines start, the records file, version


def merged_records(
    run: RunDir | Path, preloaded: list[dict[str, Row]] | None = None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Merged records and per-stage statistics computed from the rows themselves.

    ``preloaded`` (the final rows of every stage, from a single process that just ran all
    units) saves reading them back from disk.
    """
    run = run if isinstance(run, RunDir) else RunDir(run)
    stages = run.manifest.stages
    per_stage = preloaded if preloaded is not None else [run.stage_rows(s) for s in stages]
    field_names = stage_field_names(stages)
    records = []
    for sid, row in per_stage[0].items():
        if row.get("status") != "ok" or "record" not in row:
            continue
        rec = dict(row["record"], sample_id=sid)
        for name, rows in zip(field_names, per_stage, strict=True):
            r = rows.get(sid)
            rec[name] = r.get("output") if r is not None and r.get("status") == "ok" else None
        records.append(rec)
    records.sort(key=lambda r: (r.get("image_id", 0), r.get("instance_id", 0), r.get("file_name", ""), r["sample_id"]))
    return records, _row_stats(stages, per_stage)


def stage_field_names(stages: Sequence[StageEntry]) -> list[str]:
    """Record field per stage (the task's ``output_field``, e.g. ``description``); a task used
    twice keeps its field for the first, stage names after."""
    seen: set[str] = set()
    names = []
    for s in stages:
        field = get_task(s.task).output_field if s.task in TASKS else None
        name = field or s.name
        if name in seen:
            name = s.name
        seen.add(name)
        names.append(name)
    return names


def _row_stats(stages: Sequence[StageEntry], per_stage: list[dict[str, Row]]) -> dict[str, Any]:
    tally = _StatsTally(stages)
    tally.add(per_stage)
    return tally.result()


class _StatsTally:
    """Per-stage statistics summed unit by unit (the streaming merge never holds every row)."""

    def __init__(self, stages: Sequence[StageEntry]) -> None:
        self.stages = stages
        self.rows = [0] * len(stages)
        self.status: list[Counter[str]] = [Counter() for _ in stages]
        self.reasons: list[Counter[str]] = [Counter() for _ in stages]
        self.sums = [Counter() for _ in stages]

    def add(self, per_stage: list[dict[str, Row]]) -> None:
        for i, rows in enumerate(per_stage):
            self.add_counts(i, stage_counts(rows))

    def add_counts(self, i: int, counts: dict[str, Any]) -> None:
        """One unit's ``parts.stage_counts`` of stage ``i`` (counted from its rows, or kept in its part)."""
        self.rows[i] += counts["rows"]
        self.status[i].update(counts["status"])
        self.reasons[i].update(counts["reasons"])
        self.sums[i].update(counts["sums"])

    def result(self) -> dict[str, Any]:
        out = {}
        for i, s in enumerate(self.stages):
            sums = self.sums[i]
            out[s.name] = {
                "task": s.task,
                "rows": self.rows[i],
                "status": dict(self.status[i]),
                "prompt_tokens": sums["prompt_tokens"],
                "completion_tokens": sums["completion_tokens"],
                "retried_rows": sums["retried_rows"],
                "http_retries": sums["http_retries"],
                "not_ok_reasons": dict(self.reasons[i].most_common(20)),
            }
        return out


def merge_run(run_dir: Path, output_path: Path | None = None, preloaded: list[dict[str, Row]] | None = None) -> Path:
    """Write ``merged.json`` (or ``output_path``) and ``stats.json`` for a run directory.

    The one place a run is merged: every executor calls it once all ranks are done. It streams
    unit by unit; ``preloaded`` (every stage's rows, held by a caller) merges those in memory."""
    run = RunDir(run_dir)
    output_path = Path(output_path) if output_path else run.merged_path
    if preloaded is not None:
        records, stats = merged_records(run, preloaded)
        atomic_write_bytes(output_path, orjson.dumps(records))
        n = len(records)
    else:
        n, stats = _stream_merge(run, output_path)
    runtime = run.runtime()
    reader = run.reader_drops()
    summary = {
        "records": n,
        "reader": reader.get("stats"),
        "reader_drops": dict(Counter(f"{d['field']}: {_reason_kind(d['reason'])}" for d in reader.get("dropped", []))),
        "stages": stats,
        "runtime": runtime,
    }
    atomic_write_bytes(run.stats_path, json.dumps(summary, indent=1).encode())
    return output_path


def _sort_key(rec: dict[str, Any], sid: str) -> list[Any]:
    return [rec.get("image_id", 0), rec.get("instance_id", 0), rec.get("file_name", ""), sid]


def _unit_lines(run: RunDir, unit: int, names: list[str], tally: _StatsTally) -> list[tuple[list[Any], bytes]]:
    """(sort key, scratch line ``key TAB merged record``) of one unit, sorted; its rows counted into
    ``tally`` (``parts.merged_lines``: nothing is serialised twice)."""
    stages = run.manifest.stages
    per_stage = [run.unit_rows(s.name, s.fingerprint, unit) for s in stages]
    tally.add(per_stage)
    if not per_stage[0]:
        return []
    records = _unit_records(run.unit_records_path(stages[0].name, stages[0].fingerprint, unit))
    return merged_lines(per_stage, records, names)


def _unit_part(run: RunDir, unit: int, names: list[str]) -> tuple[_Source, dict[str, Any]] | None:
    """A one-stage run's valid part of ``unit`` (``parts``): how to read it, and its row counts."""
    stages = run.manifest.stages
    if len(stages) != 1:
        return None
    s = stages[0]
    path = run.unit_part_path(s.name, s.fingerprint, unit)
    records = run.unit_records_path(s.name, s.fingerprint, unit)
    found = valid_part(path, run.unit_rows_path(s.name, s.fingerprint, unit), records, names)
    return None if found is None else ((path, found[0], records, found[2]), found[1])


def _unit_records(path: Path) -> dict[str, tuple[list[Any], bytes, bytes]]:
    """``read_unit_records(path, parse=False)`` with each line's key bytes kept beside its parsed key."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    out: dict[str, tuple[list[Any], bytes, bytes]] = {}
    loads = orjson.loads
    for line in data.split(b"\n"):
        key, tab, rec = line.partition(b"\t")
        if not tab:
            continue
        try:
            k = loads(key)
            out[k[3]] = (k, key, rec)
        except (orjson.JSONDecodeError, IndexError, TypeError):
            continue
    return out


def _stream_merge(run: RunDir, output_path: Path) -> tuple[int, dict[str, Any]]:
    stages = run.manifest.stages
    names = stage_field_names(stages)
    tally = _StatsTally(stages)
    scratch = run.path / "merge-scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    n = 0
    collecting = gc.isenabled()
    gc.disable()  # rows and records are freed by reference counts; no cycles to look for
    try:
        with disk_full_as_error(output_path):
            scratch.mkdir(parents=True)
            parts: list[_Source] = []
            used: list[Path] = []  # the stage's parts read as they are (one-stage runs)
            for unit in range(run.manifest.num_units):
                if (found := _unit_part(run, unit, names)) is not None:
                    source, counts = found
                    tally.add_counts(0, counts)
                    parts.append(source)
                    used.append(source[0])
                    continue
                lines = _unit_lines(run, unit, names, tally)
                if lines:
                    part = scratch / f"u{unit:05d}"
                    with open(part, "wb") as fh:  # scratch, removed below
                        fh.write(b"".join([line for _, line in lines]))
                    parts.append((part, 0, part, PART_VERSION))
        with atomic_writer(output_path) as out:
            out.write(b"[")
            merged = map(itemgetter(1), heapq.merge(*(read_part(*p) for p in parts), key=itemgetter(0)))
            while batch := list(islice(merged, WRITE_BATCH)):  # one write per batch, not per record
                out.write((b"," if n else b"") + b",".join(batch))
                n += len(batch)
            out.write(b"]")
        for path in used:  # merged: the parts have served
            with suppress(OSError):
                path.unlink()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if collecting:
            gc.enable()
    return n, tally.result()


def merge_rank_files(input_dir: Path, pattern: str, output_path: Path) -> tuple[int, int]:
    """Merge the reference implementation's per-rank JSON lists; returns (records, duplicates)."""
    paths = sorted(glob.glob(str(Path(input_dir) / pattern)))
    if not paths:
        raise MergeError(f"no files match {pattern!r} in {input_dir}")
    seen: set[tuple[Any, ...]] = set()
    merged, dups = [], 0
    for path in paths:
        try:
            data = json.loads(Path(path).read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise MergeError(f"{path}: not readable JSON: {exc}") from exc
        if not isinstance(data, list):
            raise MergeError(f"{path}: expected a JSON list of records")
        for i, rec in enumerate(data):
            if not isinstance(rec, dict) or "file_name" not in rec:
                raise MergeError(f"{path}: record {i} has no file_name")
            key = (rec["file_name"], rec.get("instance_id"), json.dumps(rec.get("human_bbox")))
            if key in seen:
                dups += 1
                continue
            seen.add(key)
            merged.append(rec)
    atomic_write_bytes(Path(output_path), orjson.dumps(merged))
    return len(merged), dups


def export_seed(run: RunDir, output_path: Path) -> Path:
    """The seed JSON (``merged.json`` format) at ``output_path``, with ``stats.json``."""
    return merge_run(run.path, output_path)


def export_jsonl(run: RunDir, output_path: Path) -> Path:
    """One merged record per line."""
    records, _ = merged_records(run)
    atomic_write_bytes(Path(output_path), b"".join(orjson.dumps(r) + b"\n" for r in records))
    return Path(output_path)


def export_parquet(run: RunDir, output_path: Path) -> Path:
    """Parquet loadable with ``datasets.load_dataset("parquet", ...)`` (needs ``hoiscribe[export]``)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ModuleNotFoundError as exc:
        raise MergeError("Parquet export needs pyarrow: pip install 'hoiscribe[export]'") from exc
    records, _ = merged_records(run)
    # verdict objects vary in shape across engines; keep them as JSON text columns
    flat = [{k: (json.dumps(v) if isinstance(v, dict) else v) for k, v in r.items()} for r in records]
    output_path = Path(output_path)
    tmp = output_path.with_name(f".{output_path.name}.tmp")
    table = pa.Table.from_pylist(flat)
    with disk_full_as_error(output_path):  # pyarrow says "No space left on device" in an OSError's text
        try:
            pq.write_table(table, tmp)
            tmp.replace(output_path)
        except BaseException:
            with suppress(OSError):
                tmp.unlink(missing_ok=True)  # a half-written Parquet file is never left behind
            raise
    return output_path


def export_run(run_dir: Path, output_path: Path, fmt: str = "seed") -> Path:
    """Write a run directory's results in one of the catalog's ``EXPORTS`` formats."""
    try:
        exporter = EXPORTS.get(fmt)
    except ExportError as exc:
        raise MergeError(str(exc)) from None
    run = RunDir(run_dir)
    run.manifest  # noqa: B018 - fail early, naming the directory, when it is not a run
    return exporter(run, Path(output_path))
