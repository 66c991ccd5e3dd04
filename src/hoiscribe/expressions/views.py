"""The workflow's image tools: what the vision model is shown of the chosen object.

Three views, each a pure function of the image and the chosen object's box, recorded as an
operation so a history can be replayed without storing pictures:

* ``crop``: exactly the box region (outward-rounded to whole pixels);
* ``extended_crop``: the box enlarged by ``margin`` x its width/height on every side, clipped to the image;
* ``highlight``: the full image with the box's pixel rectangle outlined on it.

The pixels come from ``hoiscribe.tools.views``, the implementation the agent's crop / zoom /
highlight tools use too: one rounding rule (``pixel_rect``: floor left/top, ceil right/bottom,
clamp to the image, a box that covers no pixel is a ``ViewError``), so a box gives the same
pixels on both paths.

(The published workflow dispatched these options to the wrong operations; here each tool
name maps to one function, and the tests check the pixels each returns.)
"""

from __future__ import annotations

from typing import Any

from PIL import Image

from hoiscribe.tools.views import RegionError, crop, highlight, outline_width, pixel_rect

DEFAULT_MARGIN = 0.5
MAX_MARGIN = 4.0
HIGHLIGHT_RGB = (255, 0, 0)


class ViewError(ValueError):
    """A view that cannot be made (bad parameter, box with no pixels); reported to the planner."""


def extended_region(box: list[float], size: tuple[int, int], margin: float) -> list[int]:
    """The box grown by ``margin`` times its width (left and right) and height (top and bottom), clipped."""
    try:
        return list(pixel_rect(box, size, margin))
    except RegionError as exc:
        raise ViewError(str(exc)) from None


def crop_region(box: list[float], size: tuple[int, int]) -> list[int]:
    """The box as whole pixels [left, top, right, bottom), rounded outward and clipped to the image."""
    return extended_region(box, size, 0.0)


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
        recorded = [round(v, 2) for v in box]
        crop_region(recorded, size)  # the box (as recorded and drawn) must show on the image
        return {"op": "highlight", "box": recorded, "width": outline_width(size)}
    raise ViewError(f"{tool!r} is not a view tool")


def render_view(image: Image.Image, op: dict[str, Any]) -> Image.Image:
    """Apply a recorded operation to the full image (the same one the sample's boxes are in)."""
    if op["op"] == "crop":
        return crop(image, op["region"])
    if op["op"] == "highlight":
        return highlight(image, crop_region(op["box"], image.size), HIGHLIGHT_RGB, int(op["width"]))
    raise ViewError(f"unknown view operation {op['op']!r}")
