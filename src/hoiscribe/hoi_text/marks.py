"""Marks drawn on a request's image: the pair's boxes, so a model sees which person and object
the facts are about (HICO images often hold several people)."""

from __future__ import annotations

from PIL import Image, ImageDraw

from hoiscribe.core.records import Box, Sample

PERSON_COLOR = (0, 200, 0)  # the prompt names these colours
OBJECT_COLOR = (230, 0, 0)


def draw_pair_boxes(image: Image.Image, sample: Sample) -> Image.Image:
    """A copy of ``image`` (any size; boxes are scaled from the original frame) with the boxes drawn."""
    out = image.copy()
    draw = ImageDraw.Draw(out)
    width = max(2, round(max(out.size) / 200))
    for box, color in ((sample.person.box, PERSON_COLOR), (sample.object.box if sample.object else None, OBJECT_COLOR)):
        if box is not None:
            draw.rectangle(_scaled(box, out.size), outline=color, width=width)
    return out


def _scaled(box: Box, size: tuple[int, int]) -> tuple[float, float, float, float]:
    sx, sy = size[0] / box.width, size[1] / box.height
    return (box.x1 * sx, box.y1 * sy, max(box.x1 * sx, box.x2 * sx - 1), max(box.y1 * sy, box.y2 * sy - 1))
