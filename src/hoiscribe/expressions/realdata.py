"""Export an expressions run as Real-Data JSONL, plus the refined workflow output with histories.

``F.jsonl`` (Real-Data): one line per image, ``{filename, height, width, pairs}``. Each pair
is ``{bboxes: [[x1, y1, x2, y2], ...], category, relation, positive_expressions,
negative_expressions}``, keyed ``"<source>/<object id>"`` so that several objects of one
image can share a source: ``llm`` (the workflow's verified expression), ``vlm_short``,
``vlm_long`` and ``grounded`` (the rule-based baseline). Categories with several objects
also get a ``"category/<name>"`` pair with all their boxes and ``relation: multiple``.
Verified ``llm`` expressions of other objects of the image that the spatial checker finds
false of an object become its ``llm`` negatives.

``F.workflow.jsonl``: one line per sample, whatever its outcome (solved, unsolved, failed,
or dropped by the reader), with its status, reason, expressions, rejected expressions and
full history. ``F.summary.json``: counts by status and the spatial checker's pass rates.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from hoiscribe.core.io import MergeError, atomic_write_bytes
from hoiscribe.expressions.spatial import SpatialObject, check_expression
from hoiscribe.expressions.spatial_parse import plural

if TYPE_CHECKING:
    from hoiscribe.run.rundir import RunDir


TASK = "expressions"


def sidecar(output_path: Path, suffix: str) -> Path:
    """``out.jsonl`` -> ``out.workflow.jsonl`` / ``out.summary.json``."""
    name = output_path.name
    stem = name[: -len(".jsonl")] if name.endswith(".jsonl") else output_path.stem
    return output_path.with_name(f"{stem}.{suffix}")


def _stage(run: RunDir) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """(rows of the last expressions stage, the seed record of every sample)."""
    stages = run.manifest.stages
    picked = [i for i, s in enumerate(stages) if s.task == TASK]
    if not picked:
        raise MergeError(f"{run.path} has no '{TASK}' stage to export as Real-Data")
    rows = run.stage_rows(stages[picked[-1]])
    return rows, run.seed_records(rows if picked[-1] == 0 else None)


def _workflow_line(sid: str, rec: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    out = row.get("output") if row.get("status") == "ok" and isinstance(row.get("output"), dict) else None
    meta = row.get("meta") or {}
    return {
        "sample_id": sid,
        "filename": rec["file_name"],
        "object_id": rec["object_id"],
        "category": rec["category"],
        "bbox": rec["bbox"],
        "raw_expression": rec.get("raw_expression"),
        "status": out["status"] if out else "failed",
        "reason": out.get("reason") if out else (row.get("reason") or "no usable answer"),
        "expression": out.get("expression") if out else None,
        "cycles": out.get("cycles") if out else len(meta.get("history") or []),
        "sources": out.get("sources") if out else None,
        "rejected": out.get("rejected", []) if out else [],
        "history": meta.get("history", []),
        "generation": meta.get("generation"),
        "row": {"status": row.get("status"), "attempt": row.get("attempt"), "engine": row.get("engine")},
    }


def _objects(rec: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"id": rec["object_id"], "category": rec["category"], "bbox": rec["bbox"]}, *rec.get("other_objects", [])]


def realdata_lines(workflow: list[dict[str, Any]], records: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One Real-Data line per image from the per-sample workflow lines."""
    images: dict[str, dict[str, Any]] = {}
    for line in workflow:
        rec = records.get(line["sample_id"])
        if rec is None:
            continue
        img = images.setdefault(rec["file_name"], {"height": rec["height"], "width": rec["width"], "objects": {},
                                                   "lines": []})  # fmt: skip
        for o in _objects(rec):
            img["objects"].setdefault(o["id"], o)
        if line["sources"]:
            img["lines"].append(line)
    out = []
    for file_name in sorted(images):
        img = images[file_name]
        out.append({"filename": file_name, "height": img["height"], "width": img["width"],
                    "pairs": _pairs(img)})  # fmt: skip
    return out


def _pairs(img: dict[str, Any]) -> dict[str, Any]:
    objects = [SpatialObject.from_dict(o) for o in img["objects"].values()]
    by_id = {o.id: o for o in objects}
    size = (int(img["width"]), int(img["height"]))
    pairs: dict[str, dict[str, Any]] = {}

    def pair(source: str, oid: Any) -> dict[str, Any]:
        o = img["objects"][oid]
        return pairs.setdefault(f"{source}/{oid}", {"bboxes": [o["bbox"]], "category": o["category"],
                                                    "relation": "single", "positive_expressions": [],
                                                    "negative_expressions": []})  # fmt: skip

    def add(items: list[str], texts: list[str]) -> None:
        items.extend(t for t in texts if t not in items)

    llm: dict[Any, list[str]] = {}
    for line in img["lines"]:
        oid = line["object_id"]
        for source, exprs in line["sources"].items():
            if exprs.get("positive") or exprs.get("negative"):
                p = pair(source, oid)
                add(p["positive_expressions"], exprs.get("positive", []))
                add(p["negative_expressions"], exprs.get("negative", []))
        llm.setdefault(oid, [])
        add(llm[oid], line["sources"].get("llm", {}).get("positive", []))
    for oid in llm:  # other objects' verified expressions that are false of this one
        negatives = [t for other, texts in llm.items() if other != oid for t in texts
                     if check_expression(t, by_id[oid], objects, size, "negative").ok]  # fmt: skip
        if negatives and llm[oid]:
            add(pair("llm", oid)["negative_expressions"], negatives)
    categories = Counter(o.category for o in objects)
    for cat, n in sorted(categories.items()):
        if n < 2:
            continue
        others = [plural(c) for c in sorted(categories) if c != cat]
        pairs[f"category/{cat}"] = {
            "bboxes": [o["bbox"] for o in img["objects"].values() if o["category"] == cat],
            "category": cat,
            "relation": "multiple",
            "positive_expressions": [f"the {plural(cat)}", f"all {n} {plural(cat)}"],
            "negative_expressions": [f"the {p}" for p in others],
        }
    return {k: v for k, v in pairs.items() if v["positive_expressions"]}


def _dropped_lines(run: RunDir) -> list[dict[str, Any]]:
    drops = run.reader_drops().get("dropped", [])
    return [{"sample_id": None, "status": "dropped", "reason": f"{d['field']}: {d['reason']}",
             "source": f"{d['file']} [{d['record']}]"} for d in drops]  # fmt: skip


def summary(workflow: list[dict[str, Any]], records: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Counts by status, and how often the spatial checker passes raw vs final expressions."""
    status = Counter(line["status"] for line in workflow)
    raw_ok = final_ok = checked = 0
    for line in workflow:
        rec = records.get(line.get("sample_id") or "")
        if rec is None or line["status"] == "dropped":
            continue
        objects = [SpatialObject.from_dict(o) for o in _objects(rec)]
        size = (int(rec["width"]), int(rec["height"]))
        checked += 1
        raw_ok += check_expression(rec.get("raw_expression") or "", objects[0], objects, size).ok
        final_ok += check_expression(line.get("expression") or "", objects[0], objects, size).ok
    return {
        "samples": len(workflow),
        "status": dict(status),
        "spatial_pass_rate": {
            "raw_expression": round(raw_ok / checked, 4) if checked else None,
            "final_expression": round(final_ok / checked, 4) if checked else None,
        },
        "rejected_expressions": sum(len(line.get("rejected") or []) for line in workflow),
    }


def export_realdata(run: RunDir, output_path: Path) -> Path:
    """Write ``output_path`` (Real-Data JSONL) and its ``.workflow.jsonl`` / ``.summary.json`` sidecars."""
    output_path = Path(output_path)
    rows, records = _stage(run)
    order = sorted((sid for sid in rows if sid in records), key=lambda sid: (records[sid].get("item_index", 0), sid))
    workflow = [_workflow_line(sid, records[sid], rows[sid]) for sid in order]  # input order
    lines = realdata_lines(workflow, records)
    workflow += _dropped_lines(run)
    output_path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(sidecar(output_path, "workflow.jsonl"), b"".join(orjson.dumps(w) + b"\n" for w in workflow))
    atomic_write_bytes(sidecar(output_path, "summary.json"), json.dumps(summary(workflow, records), indent=1).encode())
    atomic_write_bytes(output_path, b"".join(orjson.dumps(line) + b"\n" for line in lines))
    return output_path
