"""detect_humans and detect_objects, over swappable detector backends.

Backends: ``oracle`` answers from the dataset's annotations (for chain-of-thought data
generation, where the reasoning, not the detector, is being taught); ``hf``
(``tools.hf_detect``) runs a transformers model from a folder or hub id: closed-set DETR /
RT-DETR or open-vocabulary OWLv2 / OWL-ViT / Grounding DINO; ``yolo`` runs an ultralytics
checkpoint, imported only when used; any other ``package.module:Class`` is a plug-in backend.
A backend with ``batched = True`` answers concurrent rollouts' calls in one forward pass
(``detect_batch`` behind a ``core.batcher.Batcher``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hoiscribe.core.batcher import Batcher
from hoiscribe.core.records import Box
from hoiscribe.datasets.gt_index import normalise_object
from hoiscribe.tools.base import Tool, ToolContext, ToolError, ToolResult, ToolSetupError, build_backend
from hoiscribe.vocab.hico import hico

MAX_CATEGORIES = 20
MAX_DETECTIONS = 20


@dataclass(frozen=True, slots=True)
class Detection:
    """One box in pixels of the image the backend looked at."""

    box: tuple[float, float, float, float]
    category: str
    score: float


class Detector(ABC):
    """A detector backend: the same answer shape for oracle, transformers and plug-ins."""

    name: str = "detector"
    open_vocabulary: bool = False
    batched: bool = False  # True: concurrent calls share one detect_batch call
    max_batch: int = 16
    _batcher: Batcher[tuple[ToolContext, list[str]], list[Detection]] | None = None

    def vocabulary(self) -> tuple[str, ...] | None:
        """Categories it can find; None for open vocabulary."""
        return None

    @abstractmethod
    def detect(self, ctx: ToolContext, categories: list[str]) -> list[Detection]:
        """Boxes of the given categories ("person" for humans) in ``ctx.image_size`` pixels."""

    def detect_batch(self, jobs: Sequence[tuple[ToolContext, list[str]]]) -> list[list[Detection]]:
        """Several calls at once; a model backend overrides this with one forward pass."""
        return [self.detect(ctx, cats) for ctx, cats in jobs]

    async def adetect(self, ctx: ToolContext, categories: list[str]) -> list[Detection]:
        """``detect`` for a rollout in flight: batched with the other rollouts' calls when ``batched``."""
        if not self.batched:
            return self.detect(ctx, categories)
        if self._batcher is None:
            self._batcher = Batcher(self.detect_batch, self.max_batch)
        return await self._batcher.submit((ctx, list(categories)))

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the model."""


class OracleDetector(Detector):
    """Ground-truth boxes of the sample's image, score 1."""

    name = "oracle"

    def vocabulary(self) -> tuple[str, ...] | None:
        return ("person", *hico().objects[1:])

    def detect(self, ctx: ToolContext, categories: list[str]) -> list[Detection]:
        ann = ctx.annotation
        if ann is None:
            raise ToolError("the oracle detector has no annotation for this image")
        out: list[Detection] = []
        if "person" in categories:
            out += [Detection(tuple(b.as_xyxy()), "person", 1.0) for b in ann.humans]
        out += [
            Detection(tuple(b.as_xyxy()), c, 1.0)
            for b, c in zip(ann.objects, ann.categories, strict=True)
            if c in categories and c != "person"
        ]
        return out


class YoloDetector(Detector):
    """An ultralytics YOLO checkpoint (``pip install ultralytics``), imported when built."""

    name = "yolo"

    def __init__(self, model: str, threshold: float = 0.3, device: str = "cpu") -> None:
        try:
            from ultralytics import YOLO
        except ModuleNotFoundError as exc:
            raise ToolSetupError(
                "the yolo detector needs the 'ultralytics' package (AGPL-3.0; install it yourself: "
                "pip install ultralytics)"
            ) from exc
        self.model = YOLO(model)
        self.threshold, self.device = float(threshold), device
        self._labels = {int(k): normalise_object(v) for k, v in dict(self.model.names).items()}

    def vocabulary(self) -> tuple[str, ...] | None:
        return tuple(sorted(set(self._labels.values())))

    def detect(self, ctx: ToolContext, categories: list[str]) -> list[Detection]:
        result = self.model.predict(ctx.pixels(), conf=self.threshold, device=self.device, verbose=False)[0]
        boxes = result.boxes
        wanted = set(categories)
        out = []
        for b, c, s in zip(boxes.xyxy.tolist(), boxes.cls.tolist(), boxes.conf.tolist(), strict=True):
            name = self._labels.get(int(c), str(int(c)))
            if name in wanted:
                out.append(Detection(tuple(float(v) for v in b), name, float(s)))
        return out


def make_detector(spec: str | dict[str, Any] | Detector | None) -> Detector:
    """``"oracle"``, ``{"kind": "hf"|"yolo", "model": PATH, ...}`` or ``"package.module:Class"``."""
    if isinstance(spec, Detector):
        return spec
    if spec is None:
        return OracleDetector()
    builtins = {"oracle": OracleDetector, "hf": _hf_detector, "yolo": YoloDetector}
    return build_backend(spec, Detector, builtins, "detector")


def _hf_detector(**options: Any) -> Detector:
    from hoiscribe.tools.hf_detect import HFDetector  # imports detect: built on first use

    return HFDetector(**options)


def _check_categories(raw: list[Any], detector: Detector) -> list[str]:
    cats = list(dict.fromkeys(normalise_object(str(c)) for c in raw if str(c).strip()))
    if not cats:
        raise ToolError("categories: give at least one object category")
    vocab = detector.vocabulary()
    if vocab is not None:
        unknown = [c for c in cats if c not in vocab]
        if unknown:
            sample = ", ".join(v for v in vocab if v != "person")
            raise ToolError(f"categories: unknown {', '.join(map(repr, unknown))}; this detector knows: {sample}")
    return cats


def _register(ctx: ToolContext, kind: str, found: list[Detection], min_score: float) -> list[dict[str, Any]]:
    w, h = ctx.image_size
    out = []
    for d in sorted(found, key=lambda d: -d.score)[:MAX_DETECTIONS]:
        if d.score < min_score:
            continue
        x1, y1, x2, y2 = d.box
        x1, y1, x2, y2 = max(0.0, x1), max(0.0, y1), min(float(w), x2), min(float(h), y2)
        if x2 <= x1 or y2 <= y1:
            continue
        ent = ctx.add(kind, Box(x1, y1, x2, y2, w, h), d.category, d.score)
        if all(e["id"] != ent.id for e in out):  # equal boxes are one entity, listed once
            out.append(ent.as_dict())
    return out


def _render(kind: str, items: list[dict[str, Any]]) -> str:
    if not items:
        return f"no {kind}s found"
    lines = [f"{e['id']}: {e['category']} box {e['box']} score {e['score']:.2f}" for e in items]
    return f"found {len(items)} {kind}{'' if len(items) == 1 else 's'}:\n" + "\n".join(lines)


_MIN_SCORE = {"type": "number", "minimum": 0, "maximum": 1, "description": "drop boxes scoring below this"}


class DetectHumansTool(Tool):
    backend = "detector"
    requires_backend = True
    name = "detect_humans"
    description = "Find every person in the image; returns ids (h0, h1, ...) with boxes [x1, y1, x2, y2] in pixels."
    parameters = {"type": "object", "properties": {"min_score": _MIN_SCORE}, "additionalProperties": False}  # noqa: RUF012

    def __init__(self, detector: Detector) -> None:
        self.detector = detector

    def run(self, args: dict[str, Any], ctx: ToolContext) -> ToolResult:
        return self._answer(args, ctx, self.detector.detect(ctx, ["person"]))

    async def arun(self, args: dict[str, Any], ctx: ToolContext) -> ToolResult:
        return self._answer(args, ctx, await self.detector.adetect(ctx, ["person"]))

    def _answer(self, args: dict[str, Any], ctx: ToolContext, found: list[Detection]) -> ToolResult:
        items = _register(ctx, "human", found, float(args.get("min_score", 0.0)))
        return ToolResult(self.name, {"humans": items}, _render("person", items))


class DetectObjectsTool(Tool):
    backend = "detector"
    requires_backend = True
    name = "detect_objects"
    description = (
        "Find objects of the given categories; returns ids (o0, o1, ...) with category, box [x1, y1, x2, y2] "
        "in pixels and score."
    )
    parameters = {  # noqa: RUF012
        "type": "object",
        "properties": {
            "categories": {
                "type": "array",
                "items": {"type": "string"},
                "minItems": 1,
                "maxItems": MAX_CATEGORIES,
                "description": "object names, e.g. ['cup', 'bicycle']",
            },
            "min_score": _MIN_SCORE,
        },
        "required": ["categories"],
        "additionalProperties": False,
    }

    def __init__(self, detector: Detector) -> None:
        self.detector = detector

    def _categories(self, args: dict[str, Any]) -> list[str]:
        cats = [c for c in _check_categories(args["categories"], self.detector) if c != "person"]
        if not cats:
            raise ToolError("categories: use detect_humans for people")
        return cats

    def run(self, args: dict[str, Any], ctx: ToolContext) -> ToolResult:
        cats = self._categories(args)
        return self._answer(args, ctx, cats, self.detector.detect(ctx, cats))

    async def arun(self, args: dict[str, Any], ctx: ToolContext) -> ToolResult:
        cats = self._categories(args)
        return self._answer(args, ctx, cats, await self.detector.adetect(ctx, cats))

    def _answer(self, args: dict[str, Any], ctx: ToolContext, cats: list[str], found: list[Detection]) -> ToolResult:
        items = _register(ctx, "object", found, float(args.get("min_score", 0.0)))
        return ToolResult(self.name, {"objects": items, "categories": cats}, _render("object", items))
