"""Read Real-Data JSONL for training: validated images and pairs, and a tally of what was dropped.

A line is ``{filename, height, width, pairs}``; ``pairs`` maps a key (``vlm_short``, ``llm/3``,
``category/cup``, ...) to ``{bboxes, category, relation, positive_expressions,
negative_expressions}``. Bad input is dropped at the smallest unit that holds it and counted
with file, line and field: a line that is not JSON, has no usable pairs, or names a missing
image; a pair with a box outside the image or no positive left; an expression longer than
the text-token budget. One bad line never stops a run.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

RELATIONS = ("single", "multiple")
_EDGE_SLACK = 1.0  # pixels a box may pass the border (rounding in annotation tools)


@dataclass(frozen=True, slots=True)
class Pair:
    """One target (a box, or several for ``relation: multiple``) and its expressions."""

    key: str
    boxes: tuple[tuple[float, float, float, float], ...]  # xyxy pixels
    category: str
    relation: str
    positives: tuple[str, ...]
    negatives: tuple[str, ...]

    @property
    def source(self) -> str:
        """``vlm_short`` / ``vlm_long`` / ``llm`` / ...: the key up to the first ``/``."""
        return self.key.split("/", 1)[0]


@dataclass(frozen=True, slots=True)
class ImageEntry:
    """One Real-Data line that survived validation."""

    filename: str
    height: int
    width: int
    pairs: tuple[Pair, ...]
    line: int

    def expressions(self) -> list[str]:
        """Every positive and negative expression of the image, first occurrence first."""
        out = [t for p in self.pairs for t in (*p.positives, *p.negatives)]
        return list(dict.fromkeys(out))


@dataclass(frozen=True, slots=True)
class Drop:
    """What was dropped, where: ``file:line`` and the field path inside the line."""

    file: str
    line: int
    field: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "field": self.field, "reason": self.reason}


@dataclass
class DropLog:
    """Every drop, and counts by reason for the summary."""

    drops: list[Drop] = field(default_factory=list)

    def add(self, file: str, line: int, where: str, reason: str) -> None:
        self.drops.append(Drop(file, line, where, reason))

    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(d.reason for d in self.drops).items()))

    def as_dict(self) -> dict[str, Any]:
        return {"dropped": len(self.drops), "by_reason": self.counts(), "items": [d.as_dict() for d in self.drops]}


def _box(raw: Any, width: int, height: int) -> tuple[tuple[float, float, float, float] | None, str]:
    if not (isinstance(raw, (list, tuple)) and len(raw) == 4):
        return None, "box is not [x1, y1, x2, y2]"
    try:
        x1, y1, x2, y2 = (float(v) for v in raw)
    except (TypeError, ValueError):
        return None, "box holds a non-number"
    if not all(math.isfinite(v) for v in (x1, y1, x2, y2)):
        return None, "box holds a non-finite number"
    if x2 <= x1 or y2 <= y1:
        return None, "box has no area"
    s = _EDGE_SLACK
    if x1 < -s or y1 < -s or x2 > width + s or y2 > height + s:
        return None, "box outside the image"
    return (max(0.0, x1), max(0.0, y1), min(float(width), x2), min(float(height), y2)), ""


def _texts(raw: Any) -> list[str]:
    if not isinstance(raw, list):
        return []
    return [t.strip() for t in raw if isinstance(t, str) and t.strip()]


def _pair(
    key: str, raw: Any, size: tuple[int, int], fits: Callable[[str], bool], note: Callable[[str, str], None]
) -> Pair | None:
    where = f"pairs.{key}"
    if not isinstance(raw, dict):
        note(where, "pair is not an object")
        return None
    boxes = []
    for i, b in enumerate(raw.get("bboxes") or []):
        box, why = _box(b, *size)
        if box is None:
            note(f"{where}.bboxes[{i}]", why)
            return None
        boxes.append(box)
    if not boxes:
        note(f"{where}.bboxes", "pair has no boxes")
        return None
    relation = raw.get("relation", "single" if len(boxes) == 1 else "multiple")
    if relation not in RELATIONS:
        note(f"{where}.relation", f"relation {relation!r} is not single/multiple")
        return None
    kept: dict[str, list[str]] = {}
    for name in ("positive_expressions", "negative_expressions"):
        kept[name] = []
        for i, text in enumerate(_texts(raw.get(name))):
            if fits(text):
                kept[name].append(text)
            else:
                note(f"{where}.{name}[{i}]", "expression over the text-token budget")
    if not kept["positive_expressions"]:
        note(f"{where}.positive_expressions", "pair has no usable positive expression")
        return None
    return Pair(key, tuple(boxes), str(raw.get("category", "")), relation,
                tuple(dict.fromkeys(kept["positive_expressions"])),
                tuple(dict.fromkeys(kept["negative_expressions"])))  # fmt: skip


def parse_line(
    raw: Any, lineno: int, file: str, images: Path | None, fits: Callable[[str], bool], log: DropLog
) -> ImageEntry | None:
    """One decoded line as an :class:`ImageEntry`, or None with the reason in ``log``."""

    def note(where: str, reason: str) -> None:
        log.add(file, lineno, where, reason)

    if not isinstance(raw, dict):
        note("", "line is not a JSON object")
        return None
    filename = raw.get("filename")
    if not isinstance(filename, str) or not filename:
        note("filename", "missing filename")
        return None
    try:
        width, height = int(raw["width"]), int(raw["height"])
    except (KeyError, TypeError, ValueError):
        note("width/height", "missing or non-integer image size")
        return None
    if width <= 0 or height <= 0:
        note("width/height", "image size is not positive")
        return None
    if images is not None and not (images / filename).is_file():
        note("filename", f"image not found under {images}")
        return None
    pairs_raw = raw.get("pairs")
    if not isinstance(pairs_raw, dict) or not pairs_raw:
        note("pairs", "line has no pairs")
        return None
    pairs = [p for key, v in pairs_raw.items() if (p := _pair(str(key), v, (width, height), fits, note))]
    if not pairs:
        note("pairs", "no usable pair left")
        return None
    return ImageEntry(filename, height, width, tuple(pairs), lineno)


def read_realdata(
    path: Path, images: Path | None = None, fits: Callable[[str], bool] | None = None
) -> tuple[list[ImageEntry], DropLog]:
    """Validated lines of a Real-Data JSONL file (1-based line numbers) and what was dropped."""
    path = Path(path)
    log = DropLog()
    fits = fits or (lambda _t: True)
    out: list[ImageEntry] = []
    with path.open("rb") as fh:
        for lineno, data in enumerate(fh, 1):
            if not data.strip():
                continue
            try:
                raw = orjson.loads(data)
            except orjson.JSONDecodeError as exc:
                log.add(str(path), lineno, "", f"not JSON: {exc}")
                continue
            entry = parse_line(raw, lineno, str(path), images, fits, log)
            if entry is not None:
                out.append(entry)
    return out, log
