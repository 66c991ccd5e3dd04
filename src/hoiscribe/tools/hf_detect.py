"""The ``hf`` detector backend: transformers detection models, batched across rollouts.

Two model kinds, told apart by ``model_type``:

* open vocabulary (``AutoModelForZeroShotObjectDetection``): Grounding DINO / MM Grounding
  DINO (the categories become one ``"cup. bicycle."`` text), OWLv2 and OWL-ViT (one query
  per category). OWLv2 pads every image to a square before resizing, so its normalised boxes
  are scaled by the padded side, not by (height, width); the result is then clipped to the
  image. Every backend returns boxes in the pixel frame of the tool context's image.
* closed set (``AutoModelForObjectDetection``): DETR, RT-DETR and the rest of that family;
  labels come from the model's ``id2label``.

Concurrent calls are gathered by ``core.batcher.Batcher`` and run as one forward pass.
"""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image

from hoiscribe.datasets.gt_index import normalise_object
from hoiscribe.tools.base import ToolContext
from hoiscribe.tools.detect import Detection, Detector
from hoiscribe.tools.hf_models import load, model_ref, require_torch

GROUNDING_TYPES = {"grounding-dino", "mm-grounding-dino"}
OWL_TYPES = {"owlv2", "owlvit"}
ZERO_SHOT_TYPES = GROUNDING_TYPES | OWL_TYPES


class HFDetector(Detector):
    """A transformers detection model from a folder or hub id."""

    name = "hf"
    batched = True

    def __init__(
        self,
        model: str,
        threshold: float = 0.3,
        text_threshold: float = 0.25,
        device: str = "cpu",
        max_batch: int = 16,
        query_template: str = "a photo of a {}",
    ) -> None:
        transformers = require_torch("hf detector")
        ref = model_ref(model, "detector")
        self.model_type: str = str(load(transformers.AutoConfig, ref, "detector").model_type)
        self.open_vocabulary = self.model_type in ZERO_SHOT_TYPES
        self.threshold, self.text_threshold, self.device = float(threshold), float(text_threshold), device
        self.max_batch, self.query_template = int(max_batch), query_template
        if self.open_vocabulary:
            self.processor = load(transformers.AutoProcessor, ref, "detector")
            self.model = load(transformers.AutoModelForZeroShotObjectDetection, ref, "detector")
        else:
            self.processor = load(transformers.AutoImageProcessor, ref, "detector")
            self.model = load(transformers.AutoModelForObjectDetection, ref, "detector")
        self.model.to(device).eval()
        labels = getattr(self.model.config, "id2label", {}) or {}
        self._labels = {int(k): normalise_object(v) for k, v in labels.items()}

    def vocabulary(self) -> tuple[str, ...] | None:
        return None if self.open_vocabulary else tuple(sorted(set(self._labels.values())))

    def detect(self, ctx: ToolContext, categories: list[str]) -> list[Detection]:
        return self.detect_batch([(ctx, categories)])[0]

    def detect_batch(self, jobs: Sequence[tuple[ToolContext, list[str]]]) -> list[list[Detection]]:
        """One forward pass for every job; each job's boxes in its own image's pixels."""
        import torch

        images = [ctx.pixels() for ctx, _ in jobs]
        cats = [list(c) for _, c in jobs]
        with torch.inference_mode():
            if self.model_type in GROUNDING_TYPES:
                found = self._grounding(images, cats)
            elif self.open_vocabulary:
                found = self._owl(images, cats)
            else:
                found = self._closed(images)
        out = []
        for image, wanted, dets in zip(images, cats, found, strict=True):
            keep = set(wanted)
            out.append([_clip(d, image.size) for d in dets if d.category in keep])
        return out

    def _closed(self, images: list[Image.Image]) -> list[list[Detection]]:
        inputs = self.processor(images=images, return_tensors="pt").to(self.device)
        outputs = self.model(**inputs)
        sizes = [(im.height, im.width) for im in images]
        results = self.processor.post_process_object_detection(outputs, self.threshold, target_sizes=sizes)
        return [
            [Detection(tuple(b), self._labels.get(int(lbl), str(int(lbl))), float(s))
             for b, lbl, s in zip(r["boxes"].tolist(), r["labels"].tolist(), r["scores"].tolist(), strict=True)]
            for r in results
        ]  # fmt: skip

    def _owl(self, images: list[Image.Image], cats: list[list[str]]) -> list[list[Detection]]:
        queries = [[self.query_template.format(c) for c in cs] for cs in cats]
        inputs = self.processor(text=queries, images=images, return_tensors="pt", padding=True, truncation=True)
        outputs = self.model(**inputs.to(self.device))
        if self.model_type == "owlv2":  # boxes are relative to the image padded to a square
            sizes = [(max(im.size), max(im.size)) for im in images]
        else:
            sizes = [(im.height, im.width) for im in images]
        results = self.processor.post_process_grounded_object_detection(
            outputs, threshold=self.threshold, target_sizes=sizes
        )
        out = []
        for r, cs in zip(results, cats, strict=True):
            dets = []
            for b, i, s in zip(r["boxes"].tolist(), r["labels"].tolist(), r["scores"].tolist(), strict=True):
                if int(i) < len(cs):  # padded queries (" ") name no category
                    dets.append(Detection(tuple(b), cs[int(i)], float(s)))
            out.append(dets)
        return out

    def _grounding(self, images: list[Image.Image], cats: list[list[str]]) -> list[list[Detection]]:
        texts = [". ".join(cs) + "." for cs in cats]
        inputs = self.processor(images=images, text=texts, return_tensors="pt", padding=True).to(self.device)
        outputs = self.model(**inputs)
        results = self.processor.post_process_grounded_object_detection(
            outputs, inputs["input_ids"], threshold=self.threshold, text_threshold=self.text_threshold,
            target_sizes=[(im.height, im.width) for im in images],
        )  # fmt: skip
        out = []
        for r, cs in zip(results, cats, strict=True):
            labels = r.get("text_labels") or r.get("labels") or []
            dets = []
            for b, lbl, s in zip(r["boxes"].tolist(), labels, r["scores"].tolist(), strict=True):
                cat = _phrase_category(str(lbl), cs)
                if cat is not None:
                    dets.append(Detection(tuple(b), cat, float(s)))
            out.append(dets)
        return out

    def close(self) -> None:
        self.model = None


def _phrase_category(phrase: str, categories: list[str]) -> str | None:
    """The asked category a Grounding DINO phrase names: exact, else the longest one it contains."""
    text = normalise_object(phrase.strip())
    if text in categories:
        return text
    spaced = phrase.replace("_", " ").lower()
    hits = [c for c in categories if c.replace("_", " ") in spaced]
    return max(hits, key=len) if hits else None


def _clip(d: Detection, size: tuple[int, int]) -> Detection:
    w, h = size
    x1, y1, x2, y2 = (float(v) for v in d.box)
    box = (min(max(x1, 0.0), w), min(max(y1, 0.0), h), min(max(x2, 0.0), w), min(max(y2, 0.0), h))
    return Detection(box, d.category, d.score)
