"""Exports of ``hoi_reason`` runs: HICO-DET predictions for eval, reasoning chains for training.

``export_hoi_predictions`` is the ``hoi-predictions`` merge format: one entry per image in
the hoiscribe layout ``hoiscribe eval hico`` reads (boxes, COCO labels, ``[h, o, hoi_idx,
score]`` rows). ``export_cot`` keeps the chains whose final answer scores at least a
threshold against the image's GT and writes them in the chat format TRL reads (``messages``
+ ``images``) and the ShareGPT layout LLaMA-Factory reads, plus statistics.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from PIL import Image

from hoiscribe.agent.rewards import RewardWeights, chain_parts, score_chain
from hoiscribe.catalog import read_dataset
from hoiscribe.core.io import MergeError, atomic_write_bytes
from hoiscribe.datasets.gt_index import AnnotationIndex, write_hico_gt
from hoiscribe.tools.image_ops import apply_image_op
from hoiscribe.vocab.hico import hico

if TYPE_CHECKING:
    from hoiscribe.run.rundir import Manifest, RunDir, StageEntry


TASK = "hoi_reason"


def _hoi_stage(manifest: Manifest, stage: str | None = None) -> StageEntry:
    stages = [s for s in manifest.stages if s.task == TASK and (stage is None or s.name == stage)]
    if not stages:
        raise MergeError(f"the run has no {TASK} stage" + (f" named {stage!r}" if stage else ""))
    return stages[-1]


def image_rows(run: RunDir, stage: str | None = None) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """(file name -> the row answering that image, file name -> its seed record).

    Pair samples of an image share one answer; the first ok row in sample order wins, and
    an image without an ok row keeps its first row (so failures are still counted)."""
    rows = run.stage_rows(_hoi_stage(run.manifest, stage))
    records = run.seed_records()
    by_image: dict[str, dict[str, Any]] = {}
    rec_by_image: dict[str, dict[str, Any]] = {}
    for sid in sorted(rows):
        row, rec = rows[sid], records.get(sid)
        if rec is None:
            continue
        name = rec["file_name"]
        rec_by_image.setdefault(name, rec)
        if name not in by_image or (by_image[name]["status"] != "ok" and row["status"] == "ok"):
            by_image[name] = row
    return by_image, rec_by_image


def _clip(box: list[float], width: int, height: int) -> list[float]:
    x1, y1, x2, y2 = box
    return [round(min(max(x1, 0.0), width), 2), round(min(max(y1, 0.0), height), 2),
            round(min(max(x2, 0.0), width), 2), round(min(max(y2, 0.0), height), 2)]  # fmt: skip


def prediction_entry(file_name: str, hois: list[dict[str, Any]], width: int, height: int) -> tuple[dict[str, Any], int]:
    """One image in the hoiscribe prediction layout; returns it and the count of non-HICO labels left out."""
    objects = hico().objects
    boxes: list[list[float]] = []
    labels: list[int] = []
    index: dict[tuple[int, tuple[float, ...]], int] = {}

    def box_id(box: list[float], label: int) -> int:
        key = (label, tuple(box))
        if key not in index:
            index[key] = len(boxes)
            boxes.append(box)
            labels.append(label)
        return index[key]

    rows, dropped = [], 0
    for h in hois:
        hoi_idx = h.get("hoi_idx")
        if hoi_idx is None or h["object_category"] not in objects:
            dropped += 1
            continue
        hb, ob = _clip(h["human"], width, height), _clip(h["object"], width, height)
        if hb[2] <= hb[0] or hb[3] <= hb[1] or ob[2] <= ob[0] or ob[3] <= ob[1]:
            dropped += 1
            continue
        s, o = box_id(hb, 0), box_id(ob, objects.index(h["object_category"]))
        rows.append([s, o, int(hoi_idx), round(float(h.get("score", 1.0)), 4)])
    return {"file_name": file_name, "boxes": boxes, "labels": labels, "hois": rows}, dropped


def export_hoi_predictions(run: RunDir, output_path: Path) -> Path:
    """The ``hoi-predictions`` format; counts go to ``<output>.stats.json`` beside it."""
    by_image, records = image_rows(run)
    entries, stats = [], Counter()
    for name in sorted(by_image, key=lambda n: (records[n].get("image_id", 0), n)):
        row, rec = by_image[name], records[name]
        stats["images"] += 1
        hois = (row.get("output") or {}).get("hois", []) if row["status"] == "ok" else []
        stats["images_not_ok"] += row["status"] != "ok"
        entry, dropped = prediction_entry(name, hois, int(rec["width"]), int(rec["height"]))
        stats["detections"] += len(entry["hois"])
        stats["dropped_not_a_class_or_empty_box"] += dropped
        entries.append(entry)
    output_path = Path(output_path)
    atomic_write_bytes(output_path, orjson.dumps(entries))
    atomic_write_bytes(output_path.with_name(output_path.name + ".stats.json"), json.dumps(dict(stats)).encode())
    return output_path


def export_hico_gt(run: RunDir, output_path: Path) -> Path:
    """The run's own dataset as a HICO-DET GT file (fredzzhang layout), to score its predictions."""
    return write_hico_gt(gt_index_for_run(run), output_path)


# ---- chain-of-thought training data -------------------------------------------------------


@dataclass(slots=True)
class CotStats:
    images: int = 0
    answered: int = 0
    kept: int = 0
    calls: int = 0
    kept_calls: int = 0
    invalid_calls: int = 0

    def as_dict(self, rewards: list[float]) -> dict[str, Any]:
        return {
            "images": self.images,
            "answered": self.answered,
            "kept": self.kept,
            "kept_ratio": round(self.kept / self.images, 4) if self.images else 0.0,
            "calls_per_chain": round(self.calls / self.images, 3) if self.images else 0.0,
            "calls_per_kept_chain": round(self.kept_calls / self.kept, 3) if self.kept else 0.0,
            "invalid_calls": self.invalid_calls,
            "mean_total_reward": round(sum(rewards) / len(rewards), 4) if rewards else 0.0,
        }


def gt_index_for_run(run: RunDir) -> AnnotationIndex:
    """The GT of the run's own dataset split (read again through its reader)."""
    m = run.manifest
    return AnnotationIndex.from_samples(read_dataset(m.dataset, run.data_root(), m.split).samples)


class _ImageWriter:
    """Redraws tool images (crop/zoom/highlight) from the source image into ``out/images``."""

    def __init__(self, out: Path) -> None:
        self.dir = out / "images"
        self.cache: dict[str, Image.Image] = {}

    def write(self, source: str, op: dict[str, Any]) -> str:
        key = hashlib.sha1(json.dumps([source, op], sort_keys=True).encode()).hexdigest()[:16]
        path = self.dir / f"{key}.jpg"
        if not path.is_file():
            if source not in self.cache:
                with Image.open(source) as im:
                    self.cache = {source: im.convert("RGB")}
            self.dir.mkdir(parents=True, exist_ok=True)
            apply_image_op(self.cache[source], op).save(path, quality=92)
        return str(path.resolve())


def chat_example(meta: dict[str, Any], source_image: str | None, writer: _ImageWriter) -> tuple[list, list, list]:
    """(TRL messages, image paths, LLaMA-Factory messages) of one stored chain.

    Images become ``{"type": "image"}`` placeholders in user turns, in the order of the image
    list; LLaMA-Factory gets ``<image>`` tokens in string contents and consecutive tool
    results merged into one observation turn (its role order must alternate)."""
    trl_messages, images, lf_messages = [], [], []
    for m in meta.get("messages") or []:
        content = m["content"]
        if isinstance(content, str):
            parts = [{"type": "text", "text": content}]
        else:
            parts = []
            for p in content:
                if p["type"] == "text":
                    parts.append(p)
                    continue
                if p.get("image_op") and source_image:
                    images.append(writer.write(source_image, {k: v for k, v in p["image_op"].items() if k != "tool"}))
                elif p.get("image"):
                    images.append(str(Path(p["image"]).resolve()))
                else:
                    continue
                parts.append({"type": "image"})
        trl_messages.append({"role": m["role"], "content": parts})
        text = "".join("<image>" if p["type"] == "image" else p["text"] for p in parts)
        role = m["role"]
        if (
            lf_messages
            and role in ("tool", "user")
            and lf_messages[-1]["role"] == "tool"
            and (role == "tool" or "<image>" in text)
        ):
            lf_messages[-1]["content"] += "\n" + text
        else:
            lf_messages.append({"role": role, "content": text})
    return trl_messages, images, lf_messages


def export_cot(
    run: RunDir,
    output_dir: Path,
    threshold: float = 0.5,
    weights: RewardWeights | None = None,
    stage: str | None = None,
    gt_index: AnnotationIndex | None = None,
) -> dict[str, Any]:
    """Keep chains whose accuracy reward is >= ``threshold``; write ``cot.jsonl`` (TRL),
    ``cot_llamafactory.json`` + ``dataset_info.json`` (LLaMA-Factory) and ``stats.json``."""
    weights = weights or RewardWeights()
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    by_image, records = image_rows(run, stage)
    index = gt_index if gt_index is not None else gt_index_for_run(run)
    writer = _ImageWriter(output_dir)
    stats, rewards = CotStats(), []
    trl_lines, lf_rows = [], []
    tools: list[dict[str, Any]] = []
    for name in sorted(by_image):
        row = by_image[name]
        meta = row.get("meta") or {}
        stats.images += 1
        ann = index.get(name)
        if ann is None or "chain" not in meta:
            continue
        turns, relations, valid, invalid = chain_parts(meta)
        stats.calls += valid + invalid
        stats.invalid_calls += invalid
        if (meta.get("agent") or {}).get("status") != "answered" or row["status"] != "ok":
            continue
        stats.answered += 1
        gt = ann.triplets()
        score = score_chain(turns, relations, valid, invalid, gt, weights)
        rewards.append(score.total)
        if score.accuracy < threshold:
            continue
        stats.kept += 1
        stats.kept_calls += valid + invalid
        source = ann.image_path or records[name].get("image_path")
        messages, images, lf = chat_example(meta, source, writer)
        if not tools:
            tools = _tool_specs(meta)
        trl_lines.append(orjson.dumps({"messages": messages, "images": images, "file_name": name,
                                       "gt": json.dumps(gt), "reward": score.as_dict(),
                                       "relations": relations}))  # fmt: skip
        lf_rows.append({"messages": lf, "images": images, "tools": json.dumps(tools)})
    atomic_write_bytes(output_dir / "cot.jsonl", b"".join(line + b"\n" for line in trl_lines))
    atomic_write_bytes(output_dir / "cot_llamafactory.json", orjson.dumps(lf_rows, option=orjson.OPT_INDENT_2))
    info = {
        "hoi_cot": {
            "file_name": "cot_llamafactory.json",
            "formatting": "sharegpt",
            "columns": {"messages": "messages", "images": "images", "tools": "tools"},
            "tags": {
                "role_tag": "role",
                "content_tag": "content",
                "user_tag": "user",
                "assistant_tag": "assistant",
                "observation_tag": "tool",
                "system_tag": "system",
            },
        }
    }
    atomic_write_bytes(output_dir / "dataset_info.json", json.dumps(info, indent=1).encode())  # fmt: skip
    summary = stats.as_dict(rewards) | {"threshold": threshold, "weights": {k: getattr(weights, k) for k in
                                        ("accuracy", "format", "tool", "spatial")}}  # fmt: skip
    atomic_write_bytes(output_dir / "stats.json", json.dumps(summary, indent=1).encode())
    return summary


def _tool_specs(meta: dict[str, Any]) -> list[dict[str, Any]]:
    """The tool specs the chain's system prompt listed (one JSON object per line in <tools>)."""
    messages = meta.get("messages") or []
    system = messages[0]["content"] if messages and messages[0]["role"] == "system" else ""
    if not isinstance(system, str) or "<tools>" not in system:
        return []
    m = re.search(r"<tools>\n(.*?)\n</tools>", system, re.DOTALL)
    return [json.loads(line) for line in m.group(1).splitlines() if line.strip().startswith("{")] if m else []
