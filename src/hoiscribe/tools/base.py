"""The tool contract: a name, a JSON schema for arguments, a typed result, a text rendering.

A tool never raises into the rollout: bad arguments, unknown categories and boxes outside
the image come back as ``ToolResult.error`` text the model reads and can correct. The
``ToolContext`` holds one sample's state across calls: the image (loaded once), the
annotation oracle tools answer from, and the entities found so far (``h0``, ``o1``, ...)
so later calls can name them instead of repeating coordinates.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, TypeVar

import numpy as np
from PIL import Image

from hoiscribe.core.records import Box
from hoiscribe.datasets.gt_index import ImageAnnotation
from hoiscribe.engines.base import ImagePart
from hoiscribe.engines.images import ImageError, load_image

T = TypeVar("T")


class ToolError(ValueError):
    """A call the tool cannot answer (bad argument, unknown category); shown to the model."""


@dataclass(slots=True)
class Entity:
    """Something a detector found, addressable by ``id`` in later calls."""

    id: str
    kind: str  # "human" | "object"
    box: Box
    category: str = "person"
    score: float = 1.0
    keypoints: np.ndarray | None = None  # COCO-17 (17, 3), set by estimate_pose

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "category": self.category,
            "box": [round(v, 1) for v in self.box.as_xyxy()],
            "score": round(float(self.score), 3),
        }
        return out


@dataclass(slots=True)
class ToolResult:
    """What a call returns: JSON-able ``data`` and its ``text`` for the model, or an ``error``.

    ``image`` is a new picture for the next turn (crop, zoom, highlight); ``image_op``
    records how it was made so exports can redraw it from the source image."""

    name: str
    data: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    error: str | None = None
    image: Image.Image | None = None
    image_op: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def render(self) -> str:
        return f"error: {self.error}" if self.error is not None else self.text

    def as_record(self) -> dict[str, Any]:
        """JSON-able record kept in the chain (the image itself is not stored)."""
        rec: dict[str, Any] = {"name": self.name, "ok": self.ok, "text": self.render(), "data": self.data}
        if self.error is not None:
            rec["error"] = self.error
        if self.image_op is not None:
            rec["image_op"] = self.image_op
        return rec


@dataclass
class ToolContext:
    """Per-sample state shared by the calls of one rollout."""

    image_size: tuple[int, int]
    image_path: str | None = None
    image: Image.Image | None = None  # in-memory pixels, possibly resized by the run layer
    file_name: str = ""
    annotation: ImageAnnotation | None = None
    entities: dict[str, Entity] = field(default_factory=dict)
    usage: dict[str, float] = field(default_factory=dict)  # per-rollout spend of budgeted tools (imagine)
    _pixels: Image.Image | None = None

    def pixels(self) -> Image.Image:
        """The image at its original size (loaded from its path once, else the given pixels resized).

        A file that cannot be used (missing, truncated, corrupt, over the pixel cap) and no pixels
        to fall back on: ``ImageError`` naming the file and the reason."""
        if self._pixels is None:
            img: Image.Image | None = None
            fault: ImageError | None = None
            if self.image_path is not None:
                try:
                    img = load_image(ImagePart(path=self.image_path))  # the one loader: cap checked before decoding
                except ImageError as exc:
                    fault = exc
            if img is None and self.image is not None:
                img = self.image.convert("RGB")
            if img is None:
                if fault is not None:
                    raise fault
                raise ToolError("this sample has no image to look at")
            if img.size != tuple(self.image_size):
                img = img.resize(tuple(self.image_size))
            self._pixels = img
        return self._pixels

    def add(self, kind: str, box: Box, category: str, score: float = 1.0) -> Entity:
        """Register a detection; an equal box of the same kind and category keeps its id."""
        for e in self.entities.values():
            if e.kind == kind and e.category == category and e.box == box:
                e.score = max(e.score, score)
                return e
        prefix = "h" if kind == "human" else "o"
        n = sum(1 for e in self.entities.values() if e.kind == kind)
        ent = Entity(f"{prefix}{n}", kind, box, category, score)
        self.entities[ent.id] = ent
        return ent

    def box_arg(self, value: Any, name: str) -> tuple[Box, Entity | None]:
        """A box argument given as an entity id (``"h0"``) or ``[x1, y1, x2, y2]`` pixels."""
        if isinstance(value, str):
            ent = self.entities.get(value.strip())
            if ent is None:
                known = ", ".join(self.entities) or "none yet (call a detector first)"
                raise ToolError(f"{name}: unknown id {value!r}; known ids: {known}")
            return ent.box, ent
        return check_box(value, self.image_size, name), None


def check_box(value: Any, image_size: tuple[int, int], name: str = "box") -> Box:
    """A box argument validated against the image: 4 finite numbers, ordered, inside it."""
    w, h = image_size
    if not isinstance(value, list | tuple) or len(value) != 4:
        raise ToolError(f"{name}: expected [x1, y1, x2, y2] pixels, got {value!r}")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and np.isfinite(v) for v in value):
        raise ToolError(f"{name}: coordinates must be finite numbers, got {value!r}")
    x1, y1, x2, y2 = (float(v) for v in value)
    if x2 <= x1 or y2 <= y1:
        raise ToolError(f"{name}: need x1 < x2 and y1 < y2, got {list(value)}")
    if x2 <= 0 or y2 <= 0 or x1 >= w or y1 >= h:
        raise ToolError(f"{name}: box {list(value)} lies outside the {w}x{h} image")
    return Box(max(x1, 0.0), max(y1, 0.0), min(x2, float(w)), min(y2, float(h)), int(w), int(h))


class Tool(ABC):
    """One callable tool. Subclasses set ``name``, ``description``, ``parameters`` and ``run``."""

    name: str = ""
    backend: ClassVar[Literal["detector", "pose", "imagine"] | None] = None  # the model its constructor takes
    requires_backend: ClassVar[bool] = False  # left out of a tool box that has no such backend
    description: str = ""
    parameters: dict[str, Any] = {"type": "object", "properties": {}}  # noqa: RUF012 - class default

    @classmethod
    def spec(cls) -> dict[str, Any]:
        """The OpenAI / Qwen function spec of this tool (class-level: listing needs no backend)."""
        return {
            "type": "function",
            "function": {"name": cls.name, "description": cls.description, "parameters": cls.parameters},
        }

    @abstractmethod
    def run(self, args: dict[str, Any], ctx: ToolContext) -> ToolResult:
        """Answer one call; raise ``ToolError`` for a call the model should correct."""

    async def arun(self, args: dict[str, Any], ctx: ToolContext) -> ToolResult:
        """``run`` inside a rollout; model-backed tools override it to batch across rollouts."""
        return self.run(args, ctx)

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release models."""


class ToolSetupError(RuntimeError):
    """A tool backend cannot start (missing extra, bad model folder)."""


def build_backend(spec: str | dict[str, Any], base: type[T], builtins: dict[str, Callable[..., T]], what: str) -> T:
    """A tool backend from ``"kind"``, ``{"kind": ..., **options}`` or ``"package.module:Class"``."""
    options: dict[str, Any] = {}
    if isinstance(spec, dict):
        options = dict(spec)
        kind = str(options.pop("kind", "oracle"))
    else:
        kind = str(spec)
    if kind in builtins:
        return builtins[kind](**options)
    if ":" in kind:
        module, cls_name = kind.split(":", 1)
        cls = getattr(importlib.import_module(module), cls_name, None)
        if not (isinstance(cls, type) and issubclass(cls, base)):
            raise ToolSetupError(f"{kind} is not a {base.__name__} class")
        return cls(**options)
    raise ToolSetupError(f"unknown {what} {kind!r}; choose {', '.join(builtins)} or package.module:Class")
