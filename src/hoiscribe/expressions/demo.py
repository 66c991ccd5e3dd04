"""Demo scenes for referring expressions: several objects, same-category duplicates, drawn with Pillow.

Written in the Real-LOD workflow input format (JSON array, ``[x, y, w, h]`` boxes), so the
reader of real workflow input loads it. Every object is the chosen object of one item; its
raw expression imitates a VLM's first attempt: sometimes right, sometimes ambiguous ("a
cup" among three cups), with left and right swapped, or with the wrong size word, so the
workflow has something to repair. Every box is exact because the scene is drawn from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from hoiscribe.datasets.base import ReadResult
from hoiscribe.expressions.reader import read_reallod, write_items
from hoiscribe.expressions.spatial import SpatialObject
from hoiscribe.expressions.spatial_parse import plural

DEMO_VERSION = "1"
W, H = 640, 480
ANNOTATIONS = "annotations.json"
COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (210, 50, 50), "blue": (50, 90, 210), "green": (40, 160, 70), "yellow": (235, 200, 40),
    "orange": (240, 140, 30), "brown": (130, 85, 45), "white": (245, 245, 245), "purple": (130, 60, 170),
}  # fmt: skip
Draw = Callable[[ImageDraw.ImageDraw, tuple[int, int, int, int], tuple[int, int, int]], None]


@dataclass(frozen=True)
class Thing:
    category: str
    box: tuple[int, int, int, int]  # xyxy
    colour: str


def _cup(d: ImageDraw.ImageDraw, b: tuple[int, int, int, int], c: tuple[int, int, int]) -> None:
    x1, y1, x2, y2 = b
    hw = max(4, (x2 - x1) // 4)
    d.rectangle((x1, y1, x2 - hw, y2), fill=c, outline=(20, 20, 20), width=2)
    d.arc((x2 - 2 * hw, y1 + (y2 - y1) // 4, x2, y1 + 3 * (y2 - y1) // 4), 270, 90, fill=(20, 20, 20), width=3)


def _ball(d: ImageDraw.ImageDraw, b: tuple[int, int, int, int], c: tuple[int, int, int]) -> None:
    d.ellipse(b, fill=c, outline=(20, 20, 20), width=2)


def _book(d: ImageDraw.ImageDraw, b: tuple[int, int, int, int], c: tuple[int, int, int]) -> None:
    x1, y1, _, y2 = b
    d.rectangle(b, fill=c, outline=(20, 20, 20), width=2)
    d.line((x1 + 6, y1, x1 + 6, y2), fill=(250, 250, 250), width=2)


def _bottle(d: ImageDraw.ImageDraw, b: tuple[int, int, int, int], c: tuple[int, int, int]) -> None:
    x1, y1, x2, y2 = b
    neck = (y2 - y1) // 4
    cx, nw = (x1 + x2) // 2, max(3, (x2 - x1) // 5)
    d.rectangle((cx - nw, y1, cx + nw, y1 + neck), fill=c, outline=(20, 20, 20))
    d.rectangle((x1, y1 + neck, x2, y2), fill=c, outline=(20, 20, 20), width=2)


def _chair(d: ImageDraw.ImageDraw, b: tuple[int, int, int, int], c: tuple[int, int, int]) -> None:
    x1, y1, x2, y2 = b
    seat = (y1 + y2) // 2
    d.rectangle((x1, y1, x1 + 10, y2), fill=c)
    d.rectangle((x1, seat - 6, x2, seat + 6), fill=c)
    d.rectangle((x2 - 10, seat, x2, y2), fill=c)


def _plant(d: ImageDraw.ImageDraw, b: tuple[int, int, int, int], c: tuple[int, int, int]) -> None:
    x1, y1, x2, y2 = b
    pot = y1 + 2 * (y2 - y1) // 3
    d.polygon([(x1 + 8, pot), (x2 - 8, pot), (x2 - 16, y2), (x1 + 16, y2)], fill=c, outline=(20, 20, 20))
    d.ellipse((x1, y1, x2, pot + 6), fill=(40, 150, 60), outline=(20, 80, 30))


def _kite(d: ImageDraw.ImageDraw, b: tuple[int, int, int, int], c: tuple[int, int, int]) -> None:
    x1, y1, x2, y2 = b
    cx, cy = (x1 + x2) // 2, (y1 + y2) // 2
    d.polygon([(cx, y1), (x2, cy), (cx, y2), (x1, cy)], fill=c, outline=(20, 20, 20))


def _bench(d: ImageDraw.ImageDraw, b: tuple[int, int, int, int], c: tuple[int, int, int]) -> None:
    x1, y1, x2, y2 = b
    d.rectangle((x1, y1, x2, y1 + (y2 - y1) // 3), fill=c, outline=(20, 20, 20), width=2)
    d.rectangle((x1 + 10, y1, x1 + 22, y2), fill=c)
    d.rectangle((x2 - 22, y1, x2 - 10, y2), fill=c)


SHAPES: dict[str, Draw] = {
    "cup": _cup, "sports ball": _ball, "book": _book, "bottle": _bottle, "chair": _chair,
    "potted plant": _plant, "kite": _kite, "bench": _bench,
}  # fmt: skip


def scenes() -> list[tuple[str, list[Thing]]]:
    """The demo scenes: (name, objects), chosen so that side, size and ordinal words all occur."""
    T = Thing
    return [
        ("cups_row", [T("cup", (60, 200, 120, 280), "red"), T("cup", (250, 180, 350, 300), "blue"),
                      T("cup", (480, 220, 520, 270), "green"), T("sports ball", (560, 380, 620, 440), "orange")]),
        ("two_balls", [T("sports ball", (80, 250, 240, 410), "red"), T("sports ball", (420, 330, 480, 390), "yellow"),
                       T("book", (260, 40, 380, 90), "brown")]),
        ("bottles", [T("bottle", (60, 120, 100, 300), "green"), T("bottle", (180, 140, 220, 300), "brown"),
                     T("bottle", (300, 100, 345, 300), "blue"), T("bottle", (420, 150, 460, 300), "green"),
                     T("cup", (540, 240, 600, 300), "white")]),
        ("chairs", [T("chair", (60, 180, 220, 420), "brown"), T("chair", (380, 220, 500, 400), "red"),
                    T("potted plant", (260, 60, 340, 200), "orange")]),
        ("book_stack", [T("book", (250, 60, 390, 110), "red"), T("book", (240, 200, 400, 250), "blue"),
                        T("book", (230, 340, 410, 400), "green"), T("cup", (520, 330, 580, 400), "yellow")]),
        ("kites", [T("kite", (80, 30, 180, 130), "purple"), T("kite", (400, 60, 470, 130), "yellow"),
                   T("sports ball", (300, 380, 350, 430), "white")]),
        ("lone_cup", [T("cup", (70, 300, 130, 380), "red"), T("bench", (330, 280, 610, 360), "brown")]),
        ("mixed", [T("cup", (60, 100, 110, 160), "blue"), T("cup", (300, 110, 360, 180), "red"),
                   T("sports ball", (150, 350, 210, 410), "yellow"), T("sports ball", (450, 340, 530, 420), "orange")]),
    ]  # fmt: skip


_SWAPS = {"left": "right", "right": "left", "leftmost": "rightmost", "rightmost": "leftmost",
          "largest": "smallest", "smallest": "largest", "bigger": "smaller", "smaller": "bigger"}  # fmt: skip


def _swap(text: str, words: set[str]) -> str | None:
    """``text`` with the first of ``words`` replaced by its opposite; None when none occurs."""
    for m in re.finditer(r"[a-z]+", text):
        if m.group(0) in words:
            return text[: m.start()] + _SWAPS[m.group(0)] + text[m.end() :]
    return None


def raw_expression(thing: Thing, things: list[Thing], kind: str) -> str:
    """An imitation VLM raw expression of one of four kinds: good, ambiguous, swapped, attribute."""
    from hoiscribe.expressions.grounded import baseline_expressions

    objs = [SpatialObject(i, t.category, tuple(float(v) for v in t.box)) for i, t in enumerate(things)]
    target = objs[things.index(thing)]
    good = baseline_expressions(target, objs, (W, H), num_short=3)["short"]
    duplicates = sum(t.category == thing.category for t in things) > 1
    if kind == "ambiguous" and duplicates:
        return f"a {thing.category}"
    if kind == "swapped":
        for text in good:
            swapped = _swap(text, set(_SWAPS))
            if swapped is not None:
                return swapped
    if kind == "attribute":
        article = "an" if thing.colour[0] in "aeiou" else "a"
        return f"{article} {thing.colour} {thing.category}"
    return good[0] if good else f"the {thing.category}"


def _caption(things: list[Thing]) -> str:
    counts: dict[str, int] = {}
    for t in things:
        counts[t.category] = counts.get(t.category, 0) + 1
    parts = [f"a {c}" if n == 1 else f"{n} {plural(c)}" for c, n in counts.items()]
    listed = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]
    return f"A simple drawing of {listed} on a plain background."


KINDS = ("good", "ambiguous", "swapped", "attribute")


def write_expression_demo(root: Path) -> Path:
    """Draw every scene and write images plus the annotation file under ``root``."""
    root = Path(root)
    (root / "images").mkdir(parents=True, exist_ok=True)
    items: list[dict[str, Any]] = []
    for s, (name, things) in enumerate(scenes()):
        file_name = f"images/scene_{s:02d}_{name}.png"
        image = Image.new("RGB", (W, H), (225, 232, 238))
        draw = ImageDraw.Draw(image)
        for t in things:
            SHAPES[t.category](draw, t.box, COLOURS[t.colour])
        image.save(root / file_name)
        located = [
            {"id": i, "category": t.category, "bbox": [t.box[0], t.box[1], t.box[2] - t.box[0], t.box[3] - t.box[1]]}
            for i, t in enumerate(things)
        ]
        for i, t in enumerate(things):
            items.append(
                {
                    "image_path": file_name,
                    "height": H,
                    "width": W,
                    "raw_expression": raw_expression(t, things, KINDS[(s + i) % len(KINDS)]),
                    "global_caption": _caption(things),
                    "object_locations": {
                        "chosen_object": located[i],
                        "other_objects": [o for o in located if o["id"] != i],
                    },
                }
            )
    write_items(root / ANNOTATIONS, items)
    (root / "EXPRESSION_DEMO_VERSION").write_text(DEMO_VERSION)
    return root


def ensure_expression_demo(root: Path) -> Path:
    """Write the demo scenes unless ``root`` already holds this version of them."""
    marker = Path(root) / "EXPRESSION_DEMO_VERSION"
    if marker.is_file() and marker.read_text().strip() == DEMO_VERSION:
        return Path(root)
    return write_expression_demo(root)


def read_expression_demo(
    root: Path, split: str | None = None, max_samples: int | None = None, **options: Any
) -> ReadResult:
    """The demo scenes through the Real-LOD reader, written first if ``root`` does not hold them."""
    ensure_expression_demo(root)
    return read_reallod(Path(root), split, max_samples=max_samples, dataset="expression_demo", **options)
