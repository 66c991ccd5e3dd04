"""The workflow's image tools: what the vision model is shown of the chosen object.

Three views, each a pure function of the image and the chosen object's box, recorded as an
operation so a history can be replayed without storing pictures:

* ``crop``: exactly the box region (outward-rounded to whole pixels);
* ``extended_crop``: the box enlarged by ``margin`` x its width/height on every side, clipped to the image;
* ``highlight``: the full image with the box drawn on it.

(The published workflow dispatched these options to the wrong operations; here each tool
name maps to one function, and the tests check the pixels each returns.)
"""

from __future__ import annotations

import math
from typing import Any

from PIL import Image, ImageDraw

DEFAULT_MARGIN = 0.5
MAX_MARGIN = 4.0
HIGHLIGHT_RGB = (255, 0, 0)


class ViewError(ValueError):
    """A view that cannot be made (bad parameter, box with no pixels); reported to the planner."""


def _clip(v: float, hi: int) -> int:
    return max(0, min(hi, int(v)))


def crop_region(box: list[float], size: tuple[int, int]) -> list[int]:
    """The box as whole pixels [left, top, right, bottom), rounded outward and clipped to the image."""
    w, h = size
    x1, y1, x2, y2 = box
    region = [_clip(math.floor(x1), w), _clip(math.floor(y1), h), _clip(math.ceil(x2), w), _clip(math.ceil(y2), h)]
    if region[2] - region[0] < 1 or region[3] - region[1] < 1:
        raise ViewError(f"box {box} covers no pixel of the {w}x{h} image")
    return region


def extended_region(box: list[float], size: tuple[int, int], margin: float) -> list[int]:
    """The box grown by ``margin`` times its width (left and right) and height (top and bottom), clipped."""
    x1, y1, x2, y2 = box
    mx, my = (x2 - x1) * margin, (y2 - y1) * margin
    return crop_region([x1 - mx, y1 - my, x2 + mx, y2 + my], size)


def outline_width(size: tuple[int, int]) -> int:
    return max(2, round(min(size) / 150))


def view_op(tool: str, box: list[float], size: tuple[int, int], parameters: dict[str, Any],
            default_margin: float = DEFAULT_MARGIN) -> dict[str, Any]:  # fmt: skip
    """The recorded operation of a view tool call; ``ViewError`` for a bad margin or empty box."""
    if tool == "crop":
        return {"op": "crop", "region": crop_region(box, size)}
    if tool == "extended_crop":
        margin = parameters.get("margin", default_margin)
        if isinstance(margin, bool) or not isinstance(margin, int | float) or not 0 <= margin <= MAX_MARGIN:
            raise ViewError(f"extended_crop: margin must be a number from 0 to {MAX_MARGIN}, got {margin!r}")
        return {"op": "crop", "region": extended_region(box, size, float(margin)), "margin": float(margin)}
    if tool == "highlight":
        crop_region(box, size)  # the box must show on the image
        return {"op": "highlight", "box": [round(v, 2) for v in box], "width": outline_width(size)}
    raise ViewError(f"{tool!r} is not a view tool")


def render_view(image: Image.Image, op: dict[str, Any]) -> Image.Image:
    """Apply a recorded operation to the full image (the same one the sample's boxes are in)."""
    if op["op"] == "crop":
        return image.crop(tuple(op["region"]))
    if op["op"] == "highlight":
        out = image.copy()
        x1, y1, x2, y2 = op["box"]
        # PIL's rectangle includes its right/bottom edge: draw on the last pixel inside the box
        ImageDraw.Draw(out).rectangle(
            (round(x1), round(y1), max(round(x1), round(x2) - 1), max(round(y1), round(y2) - 1)),
            outline=HIGHLIGHT_RGB,
            width=int(op["width"]),
        )
        return out
    raise ViewError(f"unknown view operation {op['op']!r}")
