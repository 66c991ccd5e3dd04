"""Export an expressions run as ODVG grounding JSONL, the format MM-Grounding-DINO trains on.

MMDetection's ``ODVGDataset`` reads one JSON object per line: ``{filename, height, width,
grounding: {caption, regions: [{bbox, phrase, tokens_positive}]}}`` with ``bbox`` in ``[x1, y1,
x2, y2]`` pixels (a list of boxes for a phrase that refers to several objects) and
``tokens_positive`` as character spans of the phrase in the caption. Each Real-Data pair gives
one line per positive expression: the caption is that expression followed by the pair's
negative expressions (``"pos. neg1. neg2."``), so the negatives sit in the text without a
region and train as "refers to nothing", and the region covers every box of the pair (all
of them for ``relation: multiple``). The Real-Data lines come from the ``realdata`` exporter.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from hoiscribe.core.io import atomic_write_bytes
from hoiscribe.expressions.realdata import export_realdata

if TYPE_CHECKING:
    from hoiscribe.run.rundir import RunDir


def _phrase(text: str) -> str:
    return " ".join(text.replace(".", " ").replace("?", " ").split())


def odvg_lines(realdata: Iterable[dict[str, Any]], max_negatives: int = 20) -> list[dict[str, Any]]:
    """ODVG grounding lines from Real-Data lines (one per pair and positive expression)."""
    out = []
    for line in realdata:
        for pair in line.get("pairs", {}).values():
            boxes = [[float(v) for v in b] for b in pair.get("bboxes", [])]
            if not boxes:
                continue
            negatives = [p for t in pair.get("negative_expressions", []) if (p := _phrase(t))][:max_negatives]
            for text in pair.get("positive_expressions", []):
                phrase = _phrase(text)
                if not phrase:
                    continue
                others = [n for n in negatives if n != phrase]
                caption = ". ".join([phrase, *others]) + "."
                region = {"bbox": boxes if len(boxes) > 1 else boxes[0], "phrase": phrase,
                          "tokens_positive": [[0, len(phrase)]]}  # fmt: skip
                out.append({"filename": line["filename"], "height": line["height"], "width": line["width"],
                            "grounding": {"caption": caption, "regions": [region]}})  # fmt: skip
    return out


def export_odvg(run: RunDir, output_path: Path) -> Path:
    """Write ``output_path`` (ODVG JSONL) from the run's Real-Data export."""
    output_path = Path(output_path)
    output_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output_path.parent) as tmp:
        real = export_realdata(run, Path(tmp) / "real.jsonl")
        lines = [orjson.loads(b) for b in real.read_bytes().splitlines() if b.strip()]
    atomic_write_bytes(output_path, b"".join(orjson.dumps(x) + b"\n" for x in odvg_lines(lines)))
    return output_path
