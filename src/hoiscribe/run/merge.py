"""Merge a run directory into the seed JSON, merge reference per-rank files, export.

The merged file has one record per sample (first-stage rows carry the seed fields), with
each stage's output under its seed field name (``description``, ``refined_description``,
``examiner_result``), ordered by image and instance, written atomically.
"""

from __future__ import annotations

import glob
import importlib
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import orjson

from hoiscribe.datasets.seed import STAGE_FIELDS
from hoiscribe.run.stage import last_rows
from hoiscribe.run.store import atomic_write_bytes, read_rows


class MergeError(ValueError):
    """Inputs that cannot be merged, naming the file."""


def load_manifest(run_dir: Path) -> dict[str, Any]:
    path = Path(run_dir) / "manifest.json"
    if not path.is_file():
        raise MergeError(f"{run_dir} is not a hoiscribe run directory (no manifest.json)")
    return json.loads(path.read_text())


def stage_rows(run_dir: Path, stage: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Last row per sample of one stage, across all its unit files."""
    rows: dict[str, dict[str, Any]] = {}
    directory = Path(run_dir) / "stages" / stage["name"] / stage["fingerprint"]
    for path in sorted(directory.glob("u*.jsonl")):
        rows.update(last_rows(read_rows(path)))
    return rows


def merged_records(
    run_dir: Path, preloaded: list[dict[str, dict[str, Any]]] | None = None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Merged records and per-stage statistics computed from the rows themselves.

    ``preloaded`` (the final rows of every stage, from a single process that just ran all
    units) saves reading them back from disk.
    """
    manifest = load_manifest(run_dir)
    stages = manifest["stages"]
    per_stage = preloaded if preloaded is not None else [stage_rows(run_dir, s) for s in stages]
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


def stage_field_names(stages: list[dict[str, Any]]) -> list[str]:
    """Seed field per stage; a task used twice keeps its field for the first, stage names after."""
    seen: set[str] = set()
    names = []
    for s in stages:
        name = STAGE_FIELDS.get(s["task"], s["name"])
        if name in seen:
            name = s["name"]
        seen.add(name)
        names.append(name)
    return names


def _row_stats(stages: list[dict[str, Any]], per_stage: list[dict[str, dict[str, Any]]]) -> dict[str, Any]:
    out = {}
    for s, rows in zip(stages, per_stage, strict=True):
        status = Counter(r["status"] for r in rows.values())
        reasons = Counter(_reason_kind(r.get("reason") or "") for r in rows.values() if r["status"] != "ok")
        out[s["name"]] = {
            "task": s["task"],
            "rows": len(rows),
            "status": dict(status),
            "prompt_tokens": sum(r.get("prompt_tokens") or 0 for r in rows.values()),
            "completion_tokens": sum(r.get("completion_tokens") or 0 for r in rows.values()),
            "retried_rows": sum(1 for r in rows.values() if (r.get("attempt") or 0) > 1),
            "not_ok_reasons": dict(reasons.most_common(20)),
        }
    return out


def _reason_kind(reason: str) -> str:
    """Group reasons by kind: keep what precedes the first colon, with quoted names blanked."""
    return re.sub(r"'[^']*'", "'…'", reason.split(":", 1)[0])[:80]


def merge_run(
    run_dir: Path, output_path: Path | None = None, preloaded: list[dict[str, dict[str, Any]]] | None = None
) -> Path:
    """Write ``merged.json`` (or ``output_path``) and ``stats.json`` for a run directory."""
    run_dir = Path(run_dir)
    records, stats = merged_records(run_dir, preloaded)
    output_path = Path(output_path) if output_path else run_dir / "merged.json"
    atomic_write_bytes(output_path, orjson.dumps(records))
    runtime = [json.loads(p.read_text()) for p in sorted((run_dir / "runtime").glob("rank*.json"))]
    drops = run_dir / "reader_drops.json"
    reader = json.loads(drops.read_text()) if drops.is_file() else {}
    summary = {
        "records": len(records),
        "reader": reader.get("stats"),
        "reader_drops": dict(Counter(f"{d['field']}: {_reason_kind(d['reason'])}" for d in reader.get("dropped", []))),
        "stages": stats,
        "runtime": runtime,
    }
    atomic_write_bytes(run_dir / "stats.json", json.dumps(summary, indent=1).encode())
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


def export_jsonl(run_dir: Path, output_path: Path) -> Path:
    """One merged record per line."""
    records, _ = merged_records(run_dir)
    atomic_write_bytes(Path(output_path), b"".join(orjson.dumps(r) + b"\n" for r in records))
    return Path(output_path)


def export_parquet(run_dir: Path, output_path: Path) -> Path:
    """Parquet loadable with ``datasets.load_dataset("parquet", ...)`` (needs ``hoiscribe[export]``)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ModuleNotFoundError as exc:
        raise MergeError("Parquet export needs pyarrow: pip install 'hoiscribe[export]'") from exc
    records, _ = merged_records(run_dir)
    # verdict objects vary in shape across engines; keep them as JSON text columns
    flat = [{k: (json.dumps(v) if isinstance(v, dict) else v) for k, v in r.items()} for r in records]
    output_path = Path(output_path)
    tmp = output_path.with_name(f".{output_path.name}.tmp")
    pq.write_table(pa.Table.from_pylist(flat), tmp)
    tmp.replace(output_path)
    return output_path


# --format name -> "module:function(run_dir, output_path) -> Path"; one line per output format
EXPORTS: dict[str, str] = {
    "seed": "hoiscribe.run.merge:merge_run",
    "jsonl": "hoiscribe.run.merge:export_jsonl",
    "parquet": "hoiscribe.run.merge:export_parquet",
    "realdata": "hoiscribe.expressions.realdata:export_realdata",
    "autocompose": "hoiscribe.augment.autocompose:export_autocompose",
    "hoi-predictions": "hoiscribe.train.export:export_hoi_predictions",
    "hico-gt": "hoiscribe.train.export:export_hico_gt",
}


def export_run(run_dir: Path, output_path: Path, fmt: str = "seed") -> Path:
    """Write a run directory's results in one of the ``EXPORTS`` formats."""
    if fmt not in EXPORTS:
        raise MergeError(f"unknown format {fmt!r}; choose one of {', '.join(EXPORTS)}")
    load_manifest(run_dir)
    module, func = EXPORTS[fmt].split(":", 1)
    return getattr(importlib.import_module(module), func)(Path(run_dir), Path(output_path))
