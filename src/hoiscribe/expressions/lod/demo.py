"""Real-Data and D-cube files from the expression demo scenes, for tests, benchmarks and a first try.

The drawn scenes of :mod:`hoiscribe.expressions.demo` get the rule-based baseline's checked
expressions as ``vlm_short`` / ``vlm_long`` pairs, their colour as an ``llm`` pair ("the red
cup", when no other object of the category shares the colour), and a ``multiple`` pair per
repeated category, in the same line schema ``merge --format realdata`` writes.
``realdata_to_dcube`` turns Real-Data lines into D-cube's three COCO-style annotation files,
so a held-out split can be scored with ``eval dod``.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import orjson

from hoiscribe.core.io import atomic_write_bytes
from hoiscribe.expressions.demo import COLOURS, H, W, ensure_expression_demo, scenes
from hoiscribe.expressions.grounded import baseline_expressions, baseline_negatives
from hoiscribe.expressions.lod.realdata_io import ImageEntry
from hoiscribe.expressions.spatial import SpatialObject
from hoiscribe.expressions.spatial_parse import plural

_ABSENCE = re.compile(r"\b(not|without|no|none|nothing|never)\b")
DCUBE_FILES = {"full": "d3_full_annotations.json", "pres": "d3_pres_annotations.json",
               "abs": "d3_abs_annotations.json"}  # fmt: skip


def demo_realdata_lines() -> list[dict[str, Any]]:
    """One Real-Data line per demo scene."""
    lines = []
    for s, (name, things) in enumerate(scenes()):
        objs = [SpatialObject(i, t.category, tuple(float(v) for v in t.box)) for i, t in enumerate(things)]
        pairs: dict[str, Any] = {}
        for i, (t, o) in enumerate(zip(things, objs, strict=True)):
            pos, neg = baseline_expressions(o, objs, (W, H)), baseline_negatives(o, objs, (W, H))
            box = [float(v) for v in t.box]
            for kind, source in (("short", "vlm_short"), ("long", "vlm_long")):
                if pos[kind]:
                    pairs[f"{source}/{i}"] = {
                        "bboxes": [box],
                        "category": t.category,
                        "relation": "single",
                        "positive_expressions": pos[kind],
                        "negative_expressions": neg[kind],
                    }
            same = [u for u in things if u.category == t.category and u.colour == t.colour]
            if len(same) == 1:
                others = sorted({f"the {c} {t.category}" for c in COLOURS} - {f"the {t.colour} {t.category}"})
                pairs[f"llm/{i}"] = {"bboxes": [box], "category": t.category, "relation": "single",
                                     "positive_expressions": [f"the {t.colour} {t.category}"],
                                     "negative_expressions": others[:3]}  # fmt: skip
        counts = Counter(t.category for t in things)
        for cat, n in counts.items():
            if n > 1:
                pairs[f"category/{cat}"] = {
                    "bboxes": [[float(v) for v in t.box] for t in things if t.category == cat],
                    "category": cat, "relation": "multiple",
                    "positive_expressions": [f"the {plural(cat)}", f"all {n} {plural(cat)}"],
                    "negative_expressions": [f"the {plural(c)}" for c in sorted(counts) if c != cat],
                }  # fmt: skip
        lines.append({"filename": f"images/scene_{s:02d}_{name}.png", "height": H, "width": W, "pairs": pairs})
    return lines


def write_demo_realdata(root: Path) -> Path:
    """Draw the demo scenes under ``root`` and write ``root/realdata.jsonl``; returns that path."""
    root = Path(root)
    ensure_expression_demo(root)
    path = root / "realdata.jsonl"
    atomic_write_bytes(path, b"".join(orjson.dumps(line) + b"\n" for line in demo_realdata_lines()))
    return path


def is_absence(text: str) -> bool:
    """D-cube's ABS descriptions name something absent ("a dog without a leash")."""
    return bool(_ABSENCE.search(text.lower()))


def realdata_to_dcube(entries: list[ImageEntry], out_dir: Path) -> dict[str, Path]:
    """D-cube FULL/PRES/ABS annotation files: each expression a category, each image its own group."""
    sents: dict[str, int] = {}
    for e in entries:
        for t in e.expressions():
            sents.setdefault(t, len(sents) + 1)
    images, annotations = [], []
    for img_id, e in enumerate(entries, 1):
        images.append({"id": img_id, "file_name": e.filename, "height": e.height, "width": e.width,
                       "sent_ids": [sents[t] for t in e.expressions()]})  # fmt: skip
        seen: set[tuple[int, tuple[float, ...]]] = set()
        for p in e.pairs:
            for t in p.positives:
                for x1, y1, x2, y2 in p.boxes:
                    key = (sents[t], (x1, y1, x2, y2))
                    if key in seen:
                        continue
                    seen.add(key)
                    annotations.append({"id": len(annotations) + 1, "image_id": img_id, "category_id": sents[t],
                                        "bbox": [x1, y1, x2 - x1, y2 - y1], "area": (x2 - x1) * (y2 - y1),
                                        "iscrowd": 0})  # fmt: skip
    cats = [{"id": i, "name": t, "is_negative": is_absence(t)} for t, i in sents.items()]
    out_dir = Path(out_dir)
    written = {}
    for subset, name in DCUBE_FILES.items():
        keep = {c["id"] for c in cats if subset == "full" or c["is_negative"] == (subset == "abs")}
        data = {"images": [{**im, "sent_ids": [s for s in im["sent_ids"] if s in keep]} for im in images],
                "annotations": [a for a in annotations if a["category_id"] in keep],
                "categories": [c for c in cats if c["id"] in keep]}  # fmt: skip
        written[subset] = out_dir / name
        atomic_write_bytes(written[subset], orjson.dumps(data))
    return written
