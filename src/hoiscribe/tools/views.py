"""The pixel operations behind every image view: box -> pixel rectangle, crop, zoom, highlight.

The agent tools (``tools.image_ops``: crop / zoom / highlight, and the chain export that
redraws their pictures) and the referring-expression views (``expressions.views``: crop /
extended_crop / highlight) both call these functions, so the same box gives the same pixels
on either path.

One rounding rule, :func:`pixel_rect`: a box in (fractional) image coordinates becomes the
half-open integer rectangle ``[left, top, right, bottom)`` by

1. growing it by ``margin`` times its width (left and right) and height (top and bottom);
2. treating a coordinate within ``1e-6`` px of a whole number as that number;
3. rounding **outward**: ``floor`` the left/top edge, ``ceil`` the right/bottom edge;
4. clamping to the image ``[0, width] x [0, height]``;
5. raising :class:`RegionError` if no pixel is left.

Why outward: it is the one rule that keeps every pixel the box touches, even partly, so a crop
never cuts a sliver off the object and a highlight's outline never crosses into it; it treats
the left and right edges alike (nearest rounding of the right edge only, as the agent tools
did, is not symmetric, and Python's ``round`` is half-to-even); a larger box never gives a
smaller rectangle; and an integer box maps to itself. A box with positive area that overlaps
the image therefore always yields at least 1x1 px. A zero-area (or inverted) box is an error
rather than a made-up pixel: on integer coordinates it covers no pixel at all, and inventing
one only at fractional coordinates would make the result depend on where the empty box sits.
Step 2 keeps float noise from adding a row: ``0.1 * 70 == 7.000000000000001`` must not turn
an edge at 107 into 108.

A highlight's outline is drawn on the border pixels *of that rectangle* (its last column and
row are ``right - 1`` and ``bottom - 1``; PIL's rectangle includes its far edge), inward, so
cropping the highlighted image to the same rectangle shows the whole outline.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PIL import Image, ImageDraw

Rect = tuple[int, int, int, int]
_SNAP = 1e-6


class RegionError(ValueError):
    """A box that gives no pixel rectangle (zero area, off the image, not finite numbers)."""


def _snap(v: float) -> float:
    r = round(v)
    return float(r) if abs(v - r) <= _SNAP else v


def pixel_rect(box: Sequence[float], size: tuple[int, int], margin: float = 0.0) -> Rect:
    """The box (grown by ``margin``) as whole pixels ``(left, top, right, bottom)``; see the module rule."""
    w, h = int(size[0]), int(size[1])
    if len(box) != 4 or not all(math.isfinite(float(v)) for v in box):
        raise RegionError(f"box {list(box)} is not 4 finite numbers [x1, y1, x2, y2]")
    x1, y1, x2, y2 = (float(v) for v in box)
    if x2 <= x1 or y2 <= y1:
        raise RegionError(f"box {list(box)} has no area (need x1 < x2 and y1 < y2)")
    if not math.isfinite(margin) or margin < 0:
        raise RegionError(f"margin must be a number >= 0, got {margin!r}")
    mx, my = (x2 - x1) * margin, (y2 - y1) * margin
    left = min(w, max(0, math.floor(_snap(x1 - mx))))
    top = min(h, max(0, math.floor(_snap(y1 - my))))
    right = min(w, max(0, math.ceil(_snap(x2 + mx))))
    bottom = min(h, max(0, math.ceil(_snap(y2 + my))))
    if right - left < 1 or bottom - top < 1:
        raise RegionError(f"box {list(box)} covers no pixel of the {w}x{h} image")
    return left, top, right, bottom


def crop(image: Image.Image, rect: Sequence[int]) -> Image.Image:
    """Exactly the pixels of ``rect`` (a new image)."""
    return image.crop(tuple(int(v) for v in rect))


def zoom_size(rect: Sequence[int], factor: float) -> tuple[int, int]:
    """The zoomed size: each side times ``factor``, rounded down (never past ``factor``), at least 1 px."""
    w, h = int(rect[2]) - int(rect[0]), int(rect[3]) - int(rect[1])
    return max(1, int(w * factor)), max(1, int(h * factor))


def zoom(image: Image.Image, rect: Sequence[int], factor: float) -> Image.Image:
    """The crop of ``rect`` resized (bicubic) to :func:`zoom_size`."""
    return crop(image, rect).resize(zoom_size(rect, factor), Image.Resampling.BICUBIC)


def outline_width(size: tuple[int, int]) -> int:
    """A highlight's line width for an image of ``size``: 1/150 of the shorter side, at least 2 px."""
    return max(2, round(min(size) / 150))


def highlight(
    image: Image.Image, rect: Sequence[int], colour: tuple[int, int, int], width: int, label: str = ""
) -> Image.Image:
    """A copy of ``image`` with the outline of ``rect`` drawn on its border pixels (and ``label`` inside).

    The input image is not modified."""
    x1, y1, x2, y2 = (int(v) for v in rect)
    out = image.copy()
    draw = ImageDraw.Draw(out)
    draw.rectangle((x1, y1, max(x1, x2 - 1), max(y1, y2 - 1)), outline=colour, width=int(width))
    if label:
        draw.text((x1 + width + 1, y1 + width + 1), label, fill=colour)
    return out
