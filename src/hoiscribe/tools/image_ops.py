"""crop, zoom and highlight: a new picture for the model's next turn.

Each operation is a pure function of the source image and its arguments, recorded in the
result's ``image_op``; a chain export redraws the pictures from the original image instead
of storing them in the output rows. The pixels come from ``tools.views`` (one rounding rule
for a box's pixel rectangle, shared with the referring-expression views).
"""

from __future__ import annotations

from typing import Any

from PIL import Image

from hoiscribe.tools.base import Tool, ToolContext, ToolError, ToolResult
from hoiscribe.tools.views import RegionError, crop, highlight, outline_width, pixel_rect, zoom

_BOX = {
    "description": "an id from a detector result (e.g. 'h0', 'o1') or [x1, y1, x2, y2] pixels of the original image",
    "anyOf": [
        {"type": "string"},
        {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4},
    ],
}
MAX_ZOOM = 8.0
MAX_OUTPUT_SIDE = 2048
HIGHLIGHT_COLOURS = {"red": (230, 40, 40), "green": (40, 200, 60), "blue": (40, 90, 230), "yellow": (240, 210, 30)}


def _region(box: list[float], margin: float, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The box grown by ``margin`` as whole pixels (``tools.views.pixel_rect``); ``ToolError`` if empty."""
    try:
        return pixel_rect(box, size, margin)
    except RegionError as exc:
        raise ToolError(f"box: {exc}") from None


def apply_image_op(image: Image.Image, op: dict[str, Any]) -> Image.Image:
    """Redo a recorded operation on the original image (what exports call)."""
    kind = op["op"]
    if kind == "crop":
        return crop(image, op["region"])
    if kind == "zoom":
        return zoom(image, op["region"], float(op["factor"]))
    if kind == "highlight":
        rect = pixel_rect(op["box"], image.size)
        colour = HIGHLIGHT_COLOURS[op["color"]]
        return highlight(image, rect, colour, outline_width(image.size), op.get("label") or "")
    if kind == "imagine":  # generated, not derived: the picture was saved when it was made
        with Image.open(op["path"]) as saved:
            return saved.convert("RGB")
    raise ValueError(f"unknown image operation {kind!r}")


class CropTool(Tool):
    name = "crop"
    description = "Cut out a region of the image (with a relative margin) and look at it in the next turn."
    parameters = {  # noqa: RUF012
        "type": "object",
        "properties": {"box": _BOX, "margin": {"type": "number", "minimum": 0, "maximum": 1}},
        "required": ["box"],
        "additionalProperties": False,
    }

    def run(self, args: dict[str, Any], ctx: ToolContext) -> ToolResult:
        box, _ = ctx.box_arg(args["box"], "box")
        region = _region(box.as_xyxy(), float(args.get("margin", 0.1)), ctx.image_size)
        if region[2] - region[0] < 2 or region[3] - region[1] < 2:
            raise ToolError(f"box: region {list(region)} is too small to show")
        op = {"op": "crop", "region": list(region)}
        image = apply_image_op(ctx.pixels(), op)
        text = f"cropped region {list(region)} ({image.width}x{image.height} px); it is shown in the next message"
        return ToolResult(self.name, {"region": list(region), "size": list(image.size)}, text, image=image, image_op=op)


class ZoomTool(Tool):
    name = "zoom"
    description = "Enlarge a region of the image by a factor (1-8) to see small details."
    parameters = {  # noqa: RUF012
        "type": "object",
        "properties": {"box": _BOX, "factor": {"type": "number", "minimum": 1, "maximum": MAX_ZOOM}},
        "required": ["box"],
        "additionalProperties": False,
    }

    def run(self, args: dict[str, Any], ctx: ToolContext) -> ToolResult:
        box, _ = ctx.box_arg(args["box"], "box")
        factor = float(args.get("factor", 2.0))
        region = _region(box.as_xyxy(), 0.0, ctx.image_size)
        w, h = region[2] - region[0], region[3] - region[1]
        if w < 2 or h < 2:
            raise ToolError(f"box: region {list(region)} is too small to zoom into")
        factor = min(factor, MAX_OUTPUT_SIDE / max(w, h))
        op = {"op": "zoom", "region": list(region), "factor": round(max(factor, 1.0), 3)}
        image = apply_image_op(ctx.pixels(), op)
        text = f"region {list(region)} enlarged {op['factor']}x to {image.width}x{image.height} px; shown next"
        return ToolResult(self.name, {"region": list(region), "factor": op["factor"]}, text, image=image, image_op=op)


class HighlightTool(Tool):
    name = "highlight"
    description = "Draw a coloured box on the image to check which person or object a box covers."
    parameters = {  # noqa: RUF012
        "type": "object",
        "properties": {
            "box": _BOX,
            "color": {"type": "string", "enum": list(HIGHLIGHT_COLOURS)},
            "label": {"type": "string", "maxLength": 40},
        },
        "required": ["box"],
        "additionalProperties": False,
    }

    def run(self, args: dict[str, Any], ctx: ToolContext) -> ToolResult:
        box, ent = ctx.box_arg(args["box"], "box")
        label = args.get("label") or (ent.id if ent is not None else "")
        op = {"op": "highlight", "box": [round(v, 1) for v in box.as_xyxy()], "color": args.get("color", "red"),
              "label": label}  # fmt: skip
        _region(op["box"], 0.0, ctx.image_size)  # the recorded (rounded) box must still cover a pixel
        image = apply_image_op(ctx.pixels(), op)
        text = f"drew a {op['color']} box at {op['box']} on the image; shown next"
        return ToolResult(self.name, {"box": op["box"]}, text, image=image, image_op=op)
