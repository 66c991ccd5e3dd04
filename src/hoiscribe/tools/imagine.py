"""imagine: ask a generative model for another view of the image before deciding (OV-HOI).

Three operations, each a diffusers pipeline loaded from a folder or hub id (``pip install
'hoiscribe[imagine]'``):

* ``view_change``: an instruction-edit pipeline (FLUX.1 Kontext, InstructPix2Pix) redraws
  the scene as the instruction asks ("seen from the left", "the person's hands closer");
* ``outpaint``: the image is padded on the chosen sides and a fill / inpaint pipeline
  (FLUX.1 Fill, Stable Diffusion inpainting) paints the new border (mask = the padding);
* ``inpaint_box``: the same fill pipeline repaints one box (an occluder removed, an object
  completed).

The picture joins the conversation as the next user image, like a crop's. Each result is
saved (content-addressed) under ``save_dir`` and its ``image_op`` records the file, so a
chain export shows the same pixels without rerunning the model. A budget bounds the cost:
calls per rollout, pixels per output image and pixels per rollout; a call over it, an
outpaint wider than ``max_expand`` times a side, or a box off the image is a tool error the
model reads, never a crash. Generation runs in a worker thread (one at a time per pipeline),
so other rollouts keep going while a picture is painted.
"""

from __future__ import annotations

import asyncio
import hashlib
import tempfile
import threading
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw
from pydantic import BaseModel, ConfigDict, Field

from hoiscribe.tools.base import Tool, ToolContext, ToolError, ToolResult, ToolSetupError
from hoiscribe.tools.image_ops import _BOX
from hoiscribe.tools.views import RegionError, pixel_rect

OPERATIONS = ("view_change", "outpaint", "inpaint_box")
SIDES = ("left", "right", "top", "bottom")


class ImagineOptions(BaseModel):
    """The ``tools.imagine`` block of an agent config."""

    model_config = ConfigDict(extra="forbid")
    kind: str = "diffusers"
    edit: str | None = Field(None, description="instruction-edit pipeline (folder or hub id) for view_change")
    fill: str | None = Field(None, description="fill / inpaint pipeline (folder or hub id) for outpaint, inpaint_box")
    steps: int = Field(20, ge=1, le=200)
    guidance_scale: float | None = None
    device: str = "cpu"
    dtype: str = "float32"
    size_multiple: int = Field(8, ge=1, description="8 for Stable Diffusion, 16 for FLUX")
    work_pixels: int = Field(1024 * 1024, ge=64, description="the pipeline runs at most this many pixels")
    max_calls: int = Field(2, ge=0, description="imagine calls per rollout")
    max_pixels: int = Field(2048 * 2048, ge=64, description="pixels of one output image")
    max_total_pixels: int = Field(4 * 2048 * 2048, ge=64, description="output pixels per rollout")
    max_expand: float = Field(1.0, gt=0, description="outpaint: padding per side, as a fraction of that side")
    save_dir: str | None = Field(None, description="where pictures are kept (default: a temporary folder)")
    seed: int = 0


class DiffusersImagine:
    """The pipelines behind the tool; each is loaded on first use."""

    def __init__(self, **options: Any) -> None:
        self.options = ImagineOptions.model_validate(options)
        try:
            import diffusers  # noqa: F401
            import torch  # noqa: F401
        except ModuleNotFoundError as exc:
            raise ToolSetupError(f"the imagine tool needs {exc.name!r}: pip install 'hoiscribe[imagine]'") from exc
        if self.options.edit is None and self.options.fill is None:
            raise ToolSetupError("imagine: give an `edit` pipeline, a `fill` pipeline or both")
        self.refs = {"edit": self.options.edit, "fill": self.options.fill}
        self._pipes: dict[str, Any] = {}
        self._lock = threading.Lock()
        self.save_dir = Path(self.options.save_dir or tempfile.mkdtemp(prefix="hoiscribe-imagine-"))
        self.save_dir.mkdir(parents=True, exist_ok=True)
        for role, ref in self.refs.items():
            if ref is not None:
                self._pipe(role)  # load now: a bad folder fails at setup, not in the first rollout

    def operations(self) -> list[str]:
        ops = ["view_change"] if self.refs["edit"] else []
        return ops + (["outpaint", "inpaint_box"] if self.refs["fill"] else [])

    def _pipe(self, role: str) -> Any:
        if role not in self._pipes:
            import diffusers
            import torch

            ref = str(self.refs[role])
            path = Path(ref).expanduser()
            if path.is_dir() and not (path / "model_index.json").is_file():
                raise ToolSetupError(f"imagine {role} pipeline folder {path} has no model_index.json")
            try:
                pipe = diffusers.DiffusionPipeline.from_pretrained(
                    str(path) if path.is_dir() else ref, dtype=getattr(torch, self.options.dtype)
                )
            except (OSError, ValueError) as exc:
                raise ToolSetupError(f"cannot load the imagine {role} pipeline {ref!r}: {exc}") from exc
            pipe.set_progress_bar_config(disable=True)
            self._pipes[role] = pipe.to(self.options.device)
        return self._pipes[role]

    def _work_size(self, size: tuple[int, int]) -> tuple[int, int]:
        w, h = size
        scale = min(1.0, (self.options.work_pixels / (w * h)) ** 0.5)
        m = self.options.size_multiple
        return max(m, round(w * scale / m) * m), max(m, round(h * scale / m) * m)

    def generate(self, role: str, prompt: str, image: Image.Image, mask: Image.Image | None, seed: int) -> Image.Image:
        """One picture at ``image``'s size (the pipeline runs at its working size)."""
        import torch

        pipe = self._pipe(role)
        ws = self._work_size(image.size)
        kwargs: dict[str, Any] = {"prompt": prompt, "image": image.resize(ws),
                                  "num_inference_steps": self.options.steps,
                                  "generator": torch.Generator("cpu").manual_seed(seed), "height": ws[1],
                                  "width": ws[0]}  # fmt: skip
        if mask is not None:
            kwargs["mask_image"] = mask.resize(ws)
        if self.options.guidance_scale is not None:
            kwargs["guidance_scale"] = self.options.guidance_scale
        if "height" not in _call_params(pipe):
            kwargs.pop("height"), kwargs.pop("width")
        with self._lock, torch.inference_mode():
            out = pipe(**kwargs).images[0]
        return out.convert("RGB").resize(image.size, Image.Resampling.BICUBIC)

    def save(self, image: Image.Image, key: str) -> str:
        path = self.save_dir / f"{key}.png"
        image.save(path)
        return str(path.resolve())

    def close(self) -> None:
        self._pipes.clear()


def _call_params(pipe: Any) -> set[str]:
    import inspect

    return set(inspect.signature(pipe.__call__).parameters)


def make_imagine(spec: str | dict[str, Any] | DiffusersImagine | None) -> DiffusersImagine | None:
    """None (off), ``{"kind": "diffusers", "edit": ..., "fill": ..., ...}`` or a built backend."""
    if spec is None or isinstance(spec, DiffusersImagine):
        return spec
    if not isinstance(spec, dict):
        raise ToolSetupError(f"imagine: expected a mapping with `edit` and/or `fill`, got {spec!r}")
    options = dict(spec)
    kind = options.pop("kind", "diffusers")
    if kind != "diffusers":
        raise ToolSetupError(f"imagine: unknown kind {kind!r}; choose diffusers")
    try:
        return DiffusersImagine(**options)
    except ValueError as exc:  # pydantic: an unknown or out-of-range option
        raise ToolSetupError(f"imagine: {exc}") from exc


def outpaint_canvas(
    image: Image.Image, sides: list[str], amount: float, multiple: int = 1
) -> tuple[Image.Image, Image.Image, tuple[int, int, int, int]]:
    """The padded canvas (edge colour), its mask (white = paint) and where the original sits."""
    w, h = image.size
    pad = {s: round((w if s in ("left", "right") else h) * amount) if s in sides else 0 for s in SIDES}
    cw, ch = w + pad["left"] + pad["right"], h + pad["top"] + pad["bottom"]
    canvas = Image.new("RGB", (cw, ch), tuple(int(v) for v in image.resize((1, 1)).getpixel((0, 0))))
    canvas.paste(image, (pad["left"], pad["top"]))
    mask = Image.new("L", (cw, ch), 255)
    place = (pad["left"], pad["top"], pad["left"] + w, pad["top"] + h)
    ImageDraw.Draw(mask).rectangle((place[0], place[1], place[2] - 1, place[3] - 1), fill=0)
    return canvas, mask, place


class ImagineTool(Tool):
    backend = "imagine"
    requires_backend = True
    name = "imagine"
    description = (
        "Ask a generative model for an imagined view: view_change (redraw the scene as the instruction says, e.g. "
        "'seen from the left'), outpaint (extend the image past its border on the given sides) or inpaint_box "
        "(repaint one box, e.g. remove what hides a hand). The new image is shown next; it is imagined, not observed."
    )
    parameters = {  # noqa: RUF012
        "type": "object",
        "properties": {
            "operation": {"type": "string", "enum": list(OPERATIONS)},
            "instruction": {"type": "string", "minLength": 1, "maxLength": 300},
            "box": {**_BOX, "description": "inpaint_box: the region to repaint (an id or [x1, y1, x2, y2] pixels)"},
            "sides": {"type": "array", "items": {"type": "string", "enum": list(SIDES)}, "minItems": 1},
            "amount": {"type": "number", "minimum": 0, "description": "outpaint: padding per side, fraction of it"},
        },
        "required": ["operation", "instruction"],
        "additionalProperties": False,
    }

    def __init__(self, imagine: DiffusersImagine) -> None:
        self.imagine = imagine

    def run(self, args: dict[str, Any], ctx: ToolContext) -> ToolResult:
        role, prompt, image, mask, place = self._plan(args, ctx)
        return self._finish(args, ctx, place, self.imagine.generate(role, prompt, image, mask, self._seed(args, ctx)))

    async def arun(self, args: dict[str, Any], ctx: ToolContext) -> ToolResult:
        role, prompt, image, mask, place = self._plan(args, ctx)
        out = await asyncio.to_thread(self.imagine.generate, role, prompt, image, mask, self._seed(args, ctx))
        return self._finish(args, ctx, place, out)

    def _plan(
        self, args: dict[str, Any], ctx: ToolContext
    ) -> tuple[str, str, Image.Image, Image.Image | None, tuple[int, int, int, int]]:
        """Check the call against the budget and build the pipeline's inputs; ``ToolError`` if refused."""
        opts, op = self.imagine.options, args["operation"]
        if op not in self.imagine.operations():
            raise ToolError(f"operation {op!r} is not available here; choose {', '.join(self.imagine.operations())}")
        source = ctx.pixels()
        w, h = source.size
        mask: Image.Image | None = None
        place = (0, 0, w, h)
        image = source
        if op == "outpaint":
            sides = list(dict.fromkeys(args.get("sides") or ["left", "right"]))
            amount = float(args.get("amount", 0.25))
            if not 0 < amount <= opts.max_expand:
                raise ToolError(f"amount: {amount} is outside (0, {opts.max_expand}] (fraction of each padded side)")
            image, mask, place = outpaint_canvas(source, sides, amount)
        elif op == "inpaint_box":
            if "box" not in args:
                raise ToolError("inpaint_box needs `box`: an id or [x1, y1, x2, y2] pixels")
            box, _ = ctx.box_arg(args["box"], "box")
            try:
                rect = pixel_rect(box.as_xyxy(), (w, h))
            except RegionError as exc:
                raise ToolError(f"box: {exc}") from None
            mask = Image.new("L", (w, h), 0)
            ImageDraw.Draw(mask).rectangle((rect[0], rect[1], rect[2] - 1, rect[3] - 1), fill=255)
        pixels = image.width * image.height
        if pixels > opts.max_pixels:
            raise ToolError(f"the result would be {image.width}x{image.height} ({pixels} px), over the limit of "
                            f"{opts.max_pixels} px per image; ask for a smaller amount or fewer sides")  # fmt: skip
        used = int(ctx.usage.get("imagine_calls", 0))
        if used >= opts.max_calls:
            raise ToolError(f"imagine budget spent: {opts.max_calls} call(s) per image; decide from what you have")
        spent = float(ctx.usage.get("imagine_pixels", 0))
        if spent + pixels > opts.max_total_pixels:
            raise ToolError(f"imagine pixel budget spent ({int(spent)} of {opts.max_total_pixels} px used)")
        ctx.usage["imagine_calls"] = used + 1
        ctx.usage["imagine_pixels"] = spent + pixels
        return ("edit" if op == "view_change" else "fill"), str(args["instruction"]), image, mask, place

    def _seed(self, args: dict[str, Any], ctx: ToolContext) -> int:
        key = f"{self.imagine.options.seed}|{ctx.file_name}|{sorted(args.items())}"
        return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16)

    def _finish(
        self, args: dict[str, Any], ctx: ToolContext, place: tuple[int, int, int, int], image: Image.Image
    ) -> ToolResult:
        key = hashlib.sha256(f"{ctx.file_name}|{self._seed(args, ctx)}|{image.tobytes()[:4096]!r}".encode())
        path = self.imagine.save(image, key.hexdigest()[:24])
        op = {"op": "imagine", "operation": args["operation"], "instruction": args["instruction"], "path": path,
              "original_at": list(place)}  # fmt: skip
        text = (
            f"imagined ({args['operation']}: {args['instruction']!r}): a {image.width}x{image.height} image, shown next"
        )
        if args["operation"] == "outpaint":
            text += f"; the original image sits at {list(place)} in it (answer boxes in original-image pixels)"
        data = {"operation": args["operation"], "size": list(image.size), "original_at": list(place)}
        return ToolResult(self.name, data, text + ". It is imagined, not observed.", image=image, image_op=op)
