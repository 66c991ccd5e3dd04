"""Image-level ground truth gathered from per-pair samples: what oracle tools answer from.

Readers yield one sample per human-object pair and repeat the same person (and object) in
every pair it takes part in. Oracle tools, rewards and the HICO-DET GT writer need the
image instead: its distinct humans, distinct objects and the pairs that link them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from hoiscribe.core.records import Box, Keypoints, Sample
from hoiscribe.vocab.hico import HOI, hico

SAME_BOX_IOU = 0.7  # HICO-DET repeats a box per pair with small jitter; above this it is the same instance


@cache
def hoi_lookup() -> dict[tuple[str, str], HOI]:
    """(verb, object) -> HOI, with verbs in underscore form and objects in space form."""
    return {(h.verb, h.object): h for h in hico().hois}


def normalise_verb(verb: str) -> str:
    return verb.strip().lower().replace(" ", "_")


def normalise_object(obj: str) -> str:
    return obj.strip().lower().replace("_", " ")


@dataclass(frozen=True, slots=True)
class GTPair:
    """One annotated interaction: indices into the image's humans and objects."""

    human: int
    object: int
    verb: str
    object_category: str
    hoi_idx: int | None


@dataclass(slots=True)
class ImageAnnotation:
    """Distinct humans (with keypoints when known), distinct objects and their pairs."""

    file_name: str
    width: int
    height: int
    image_path: str | None = None
    humans: list[Box] = field(default_factory=list)
    keypoints: list[Keypoints | None] = field(default_factory=list)
    objects: list[Box] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    pairs: list[GTPair] = field(default_factory=list)

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)

    def _human_index(self, box: Box, kps: Keypoints | None) -> int:
        for i, b in enumerate(self.humans):
            if b == box or b.iou(box) >= SAME_BOX_IOU:
                if self.keypoints[i] is None and kps is not None:
                    self.keypoints[i] = kps
                return i
        self.humans.append(box)
        self.keypoints.append(kps)
        return len(self.humans) - 1

    def _object_index(self, box: Box, category: str) -> int:
        for i, (b, c) in enumerate(zip(self.objects, self.categories, strict=True)):
            if c == category and (b == box or b.iou(box) >= SAME_BOX_IOU):
                return i
        self.objects.append(box)
        self.categories.append(category)
        return len(self.objects) - 1

    def add(self, sample: Sample) -> None:
        """Fold one pair sample into the image (deduplicating its human and object)."""
        h = self._human_index(sample.person.box, sample.person.keypoints)
        if sample.object is None or sample.interaction is None:
            return
        o = self._object_index(sample.object.box, normalise_object(sample.object.category))
        it = sample.interaction
        pair = GTPair(h, o, normalise_verb(it.verb), normalise_object(it.object), it.hoi_idx)
        if pair not in self.pairs:
            self.pairs.append(pair)

    def triplets(self) -> list[dict[str, Any]]:
        """GT pairs in the answer layout (boxes, verb, object), for rewards and prompts."""
        return [
            {
                "human": self.humans[p.human].as_xyxy(),
                "object": self.objects[p.object].as_xyxy(),
                "verb": p.verb,
                "object_category": p.object_category,
            }
            for p in self.pairs
        ]

    def as_dict(self) -> dict[str, Any]:
        """JSON-able form (what CoT exports store as the sample's GT)."""
        return {
            "file_name": self.file_name,
            "width": self.width,
            "height": self.height,
            "humans": [b.as_xyxy() for b in self.humans],
            "objects": [b.as_xyxy() for b in self.objects],
            "categories": list(self.categories),
            "pairs": self.triplets(),
        }


class AnnotationIndex:
    """file name -> ``ImageAnnotation``; built once per dataset split."""

    def __init__(self, images: dict[str, ImageAnnotation] | None = None) -> None:
        self.images: dict[str, ImageAnnotation] = images or {}

    @classmethod
    def from_samples(cls, samples: Iterable[Any]) -> AnnotationIndex:
        """Group pair samples by image; records that are not ``Sample`` are skipped."""
        images: dict[str, ImageAnnotation] = {}
        for s in samples:
            if not isinstance(s, Sample):
                continue
            ann = images.get(s.file_name)
            if ann is None:
                ann = images[s.file_name] = ImageAnnotation(s.file_name, s.width, s.height, s.image_path)
            ann.add(s)
        return cls(images)

    def get(self, file_name: str) -> ImageAnnotation | None:
        ann = self.images.get(file_name)
        if ann is None:
            base = Path(file_name).name
            ann = self.images.get(base)
        return ann

    def __len__(self) -> int:
        return len(self.images)


def write_hico_gt(index: AnnotationIndex, path: str | Path) -> Path:
    """The index as a fredzzhang/hicodet ``instances_*.json`` that ``hoiscribe eval hico`` reads.

    Pairs whose (verb, object) is not a HICO-DET class are left out (open-vocabulary labels
    have no class to score against)."""
    vocab = hico()
    names, annotations, sizes = [], [], []
    for ann in index.images.values():
        boxes_h, boxes_o, hois, objects, verbs = [], [], [], [], []
        for p in ann.pairs:
            if p.hoi_idx is None:
                continue
            hoi = vocab.hois[p.hoi_idx]
            boxes_h.append(ann.humans[p.human].as_xyxy())
            boxes_o.append(ann.objects[p.object].as_xyxy())
            hois.append(hoi.hoi_idx)
            objects.append(hoi.object_hicodet_idx)
            verbs.append(hoi.verb_idx)
        names.append(ann.file_name)
        sizes.append([ann.width, ann.height])
        annotations.append({"boxes_h": boxes_h, "boxes_o": boxes_o, "hoi": hois, "object": objects, "verb": verbs})
    data = {
        "filenames": names,
        "annotation": annotations,
        "size": sizes,
        "empty": [i for i, a in enumerate(annotations) if not a["hoi"]],
        "objects": list(vocab.objects),
        "verbs": list(vocab.verbs),
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))
    return path


def keypoint_array(kps: Keypoints | None) -> np.ndarray:
    """COCO-17 (17, 3) array; all-NaN coordinates with visibility 0 when unknown."""
    if kps is None:
        out = np.full((17, 3), np.nan)
        out[:, 2] = 0
        return out
    return kps.as_coco17().xyv.astype(np.float64)
