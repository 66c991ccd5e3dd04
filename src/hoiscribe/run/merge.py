"""Merge a run directory into the seed JSON, merge reference per-rank files, export.

The merged file has one record per sample (first-stage rows carry the seed fields), with
each stage's output under its seed field name (``description``, ``refined_description``,
``examiner_result``), ordered by image and instance, written atomically.
"""

from __future__ import annotations

import glob
import json
import re
from collections import Counter
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any

import orjson

from hoiscribe.catalog import EXPORTS, TASKS, ExportError, get_task
from hoiscribe.core.io import MergeError, atomic_write_bytes, disk_full_as_error
from hoiscribe.run.rows import Row
from hoiscribe.run.rundir import Manifest, RunDir, StageEntry


def load_manifest(run_dir: Path) -> Manifest:
    """The run directory's manifest; ``MergeError`` when it is not a run directory."""
    return RunDir(run_dir).manifest


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
    out = {}
    for s, rows in zip(stages, per_stage, strict=True):
        status = Counter(r["status"] for r in rows.values())
        reasons = Counter(_reason_kind(r.get("reason") or "") for r in rows.values() if r["status"] != "ok")
        out[s.name] = {
            "task": s.task,
            "rows": len(rows),
            "status": dict(status),
            "prompt_tokens": sum(r.get("prompt_tokens") or 0 for r in rows.values()),
            "completion_tokens": sum(r.get("completion_tokens") or 0 for r in rows.values()),
            "retried_rows": sum(1 for r in rows.values() if (r.get("attempt") or 0) > 1),
            # the openai/vllm engines record the HTTP attempts behind each answer in its timings
            "http_retries": sum(max(0, int((r.get("timings") or {}).get("attempts") or 1) - 1) for r in rows.values()),
            "not_ok_reasons": dict(reasons.most_common(20)),
        }
    return out


def _reason_kind(reason: str) -> str:
    """Group reasons by kind: keep what precedes the first colon, with quoted names blanked."""
    return re.sub(r"'[^']*'", "'…'", reason.split(":", 1)[0])[:80]


def merge_run(run_dir: Path, output_path: Path | None = None, preloaded: list[dict[str, Row]] | None = None) -> Path:
    """Write ``merged.json`` (or ``output_path``) and ``stats.json`` for a run directory.

    The one place a run is merged: every executor calls it once all ranks are done."""
    run = RunDir(run_dir)
    records, stats = merged_records(run, preloaded)
    output_path = Path(output_path) if output_path else run.merged_path
    atomic_write_bytes(output_path, orjson.dumps(records))
    runtime = run.runtime()
    reader = run.reader_drops()
    summary = {
        "records": len(records),
        "reader": reader.get("stats"),
        "reader_drops": dict(Counter(f"{d['field']}: {_reason_kind(d['reason'])}" for d in reader.get("dropped", []))),
        "stages": stats,
        "runtime": runtime,
    }
    atomic_write_bytes(run.stats_path, json.dumps(summary, indent=1).encode())
    return output_path


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
