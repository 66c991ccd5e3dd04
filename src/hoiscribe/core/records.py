"""Typed records that every stage passes around.

Boxes carry their frame: canonical ``[x1, y1, x2, y2]`` pixels of the original image,
always with that image's size. Conversions from and to other layouts (xywh, normalised,
0-1000) happen here, at the format boundary, and nowhere else.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import orjson

from hoiscribe.vocab.hake import PartState
from hoiscribe.vocab.keypoints import COCO17, HALPE136, KeypointLayout

BOX_TOLERANCE_PX = 1.0  # coordinates this far past the border are clipped, farther is an error


class RecordError(ValueError):
    """A record that cannot be used, with the field that is wrong."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.reason = message


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned box in pixels of an image of size (width, height)."""

    x1: float
    y1: float
    x2: float
    y2: float
    width: int
    height: int

    @classmethod
    def from_xyxy(cls, xyxy: Any, image_size: tuple[int, int], field_name: str = "bbox") -> Box:
        """Validated box from [x1, y1, x2, y2]; ``RecordError`` naming the field otherwise."""
        if not isinstance(xyxy, list | tuple | np.ndarray) or len(xyxy) != 4:
            raise RecordError(field_name, f"expected 4 numbers, got {xyxy!r}")
        try:
            x1, y1, x2, y2 = (float(v) for v in xyxy)
        except (TypeError, ValueError):
            raise RecordError(field_name, f"expected 4 numbers, got {xyxy!r}") from None
        w, h = image_size
        if not (math.isfinite(x1) and math.isfinite(y1) and math.isfinite(x2) and math.isfinite(y2)):
            raise RecordError(field_name, f"non-finite coordinate in {list(xyxy)}")
        if x2 < x1 or y2 < y1:
            raise RecordError(field_name, f"x2 < x1 or y2 < y1 in {list(xyxy)}")
        tol = BOX_TOLERANCE_PX
        if x1 < -tol or y1 < -tol or x2 > w + tol or y2 > h + tol:
            raise RecordError(field_name, f"box {list(xyxy)} lies outside the {w}x{h} image")
        # within the tolerance (1-based inclusive HICO coordinates, float COCO boxes): clip
        return cls(max(x1, 0.0), max(y1, 0.0), min(x2, float(w)), min(y2, float(h)), int(w), int(h))

    @classmethod
    def from_xywh(cls, xywh: Any, image_size: tuple[int, int], field_name: str = "bbox") -> Box:
        """From [x, y, w, h] pixels (COCO, Real-LOD)."""
        if not isinstance(xywh, list | tuple) or len(xywh) != 4:
            raise RecordError(field_name, f"expected 4 numbers, got {xywh!r}")
        x, y, bw, bh = xywh
        return cls.from_xyxy([x, y, x + bw, y + bh], image_size, field_name)

    @classmethod
    def from_normalized(cls, xyxy: Any, image_size: tuple[int, int], scale: float = 1.0) -> Box:
        """From coordinates normalised to ``scale`` (1.0 or 1000 for Qwen-VL style outputs)."""
        w, h = image_size
        x1, y1, x2, y2 = (float(v) / scale for v in xyxy)
        return cls.from_xyxy([x1 * w, y1 * h, x2 * w, y2 * h], image_size)

    def as_xyxy(self) -> list[float]:
        return [self.x1, self.y1, self.x2, self.y2]

    def as_xywh(self) -> list[float]:
        return [self.x1, self.y1, self.x2 - self.x1, self.y2 - self.y1]

    def as_normalized(self, scale: float = 1.0) -> list[float]:
        return [
            self.x1 / self.width * scale,
            self.y1 / self.height * scale,
            self.x2 / self.width * scale,
            self.y2 / self.height * scale,
        ]

    @property
    def area(self) -> float:
        return (self.x2 - self.x1) * (self.y2 - self.y1)

    @property
    def center(self) -> tuple[float, float]:
        return ((self.x1 + self.x2) / 2, (self.y1 + self.y2) / 2)

    def iou(self, other: Box) -> float:
        """Intersection over union (continuous convention, no +1)."""
        iw = min(self.x2, other.x2) - max(self.x1, other.x1)
        ih = min(self.y2, other.y2) - max(self.y1, other.y1)
        if iw <= 0 or ih <= 0:
            return 0.0
        inter = iw * ih
        return inter / (self.area + other.area - inter)


@dataclass(frozen=True, slots=True)
class Keypoints:
    """K x 3 array of (x, y, visibility) in image pixels, with its layout."""

    xyv: np.ndarray
    layout: KeypointLayout = COCO17

    @classmethod
    def from_flat(cls, flat: Any, layout: KeypointLayout = COCO17, field_name: str = "keypoints") -> Keypoints:
        """From a flat [x, y, v, ...] list of exactly 3 x len(layout) numbers."""
        if not isinstance(flat, list | tuple | np.ndarray) or len(flat) != 3 * len(layout):
            n = len(flat) if hasattr(flat, "__len__") else "no"
            raise RecordError(field_name, f"expected {3 * len(layout)} numbers ({layout.name}), got {n}")
        try:
            arr = np.asarray(flat, dtype=np.float64).reshape(len(layout), 3)
        except (TypeError, ValueError):
            raise RecordError(field_name, "non-numeric keypoint values") from None
        if not np.isfinite(arr).all():
            raise RecordError(field_name, "non-finite keypoint values")
        return cls(arr, layout)

    def as_coco17(self) -> Keypoints:
        """The first 17 points; Halpe-136 starts with COCO-17 in COCO order."""
        if self.layout is COCO17:
            return self
        if self.layout is HALPE136:
            return Keypoints(self.xyv[:17].copy(), COCO17)
        raise ValueError(f"cannot convert {self.layout.name} keypoints to coco17")

    def as_flat(self) -> list[float]:
        return [round(float(v), 2) for v in self.xyv.reshape(-1)]

    def visible(self, name: str) -> bool:
        return bool(self.xyv[self.layout.index(name), 2] > 0)

    def point(self, name: str) -> tuple[float, float] | None:
        """(x, y) of a named point, or None when it is not visible/labelled."""
        row = self.xyv[self.layout.index(name)]
        return (float(row[0]), float(row[1])) if row[2] > 0 else None

    @property
    def num_visible(self) -> int:
        return int((self.xyv[:, 2] > 0).sum())


@dataclass(frozen=True, slots=True)
class Person:
    """One human: box, optional keypoints, HAKE part states (possibly none)."""

    box: Box
    keypoints: Keypoints | None = None
    part_states: tuple[PartState, ...] = ()


@dataclass(frozen=True, slots=True)
class Object:
    """One object with its category name (HICO/COCO vocabulary)."""

    box: Box
    category: str


@dataclass(frozen=True, slots=True)
class Interaction:
    """A HICO-DET HOI: 0-based ``hoi_idx`` plus its verb and object names."""

    hoi_idx: int
    verb: str
    object: str

    @property
    def hoi_id(self) -> int:
        return self.hoi_idx + 1


@dataclass(frozen=True, slots=True)
class Sample:
    """One unit of annotation: a person (and for HICO, an object and an interaction) in one image.

    ``sample_id`` is stable across runs (file name + instance index) and is what resume keys on.
    """

    sample_id: str
    dataset: str
    file_name: str
    image_id: int
    instance_id: int
    width: int
    height: int
    person: Person
    object: Object | None = None
    interaction: Interaction | None = None
    image_path: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def image_size(self) -> tuple[int, int]:
        return (self.width, self.height)

    def as_record(self) -> dict[str, Any]:
        """The seed-format fields (the reference annotation output) this sample contributes."""
        return _seed_fields(self)

    def input_digest(self, images: Any = None) -> str:
        """A stable hash of what this sample gives a task: what resume compares to tell an edited
        sample from a done one. Covers every field ``as_record`` writes and every field a task
        reads (boxes, HOI, part states, keypoints, ``extra``), plus ``images``: the identity of
        the image files, which the run layer supplies (it stats files; records do no I/O)."""
        p, o, i = self.person, self.object, self.interaction
        kps = p.keypoints
        return content_digest((
            self.dataset, self.file_name, self.image_id, self.instance_id, self.width, self.height,
            p.box.as_xyxy(), None if kps is None else (kps.layout.name, kps.xyv),
            [(s.part_id, s.state_idx) for s in p.part_states],
            None if o is None else (o.box.as_xyxy(), o.category),
            None if i is None else (i.hoi_idx, i.verb, i.object),
            self.extra, images,
        ))  # fmt: skip


@dataclass(frozen=True, slots=True)
class PosePair:
    """A reference and a target image of people in two poses (composed pose retrieval).

    ``captions`` holds the AutoComPose description lists by field name (``sents``, ``auto``,
    ``mllm``, ``reverse``, ``mirror``, ``mirror-reverse``, ...). Keypoints are COCO-17 in
    pixels of their own image; sizes (width, height) are what mirroring flips about, and
    boxes say which person is meant when an image holds several. ``extra`` keeps caption
    fields that are not description lists, so a caption file round-trips unchanged.
    """

    sample_id: str
    reference: str
    target: str
    reference_keypoints: Keypoints
    target_keypoints: Keypoints
    reference_path: str | None = None
    target_path: str | None = None
    img_set: Any = ""
    captions: dict[str, list[str]] = field(default_factory=dict)
    reference_size: tuple[int, int] | None = None
    target_size: tuple[int, int] | None = None
    reference_box: Box | None = None
    target_box: Box | None = None
    index: int = 0  # position in its caption file, so exports keep the file's order
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def image_path(self) -> str | None:
        """The run layer's image: the reference (tasks add the target themselves)."""
        return self.reference_path

    def as_record(self) -> dict[str, Any]:
        """Caption fields, then what exports need to recompute paircodes (keypoints, sizes, order)."""
        rec: dict[str, Any] = {"reference": self.reference, "target": self.target, "img_set": self.img_set}
        rec.update(self.extra)
        rec.update(self.captions)
        rec["pair_index"] = self.index
        rec["reference_keypoints"] = self.reference_keypoints.as_coco17().as_flat()
        rec["target_keypoints"] = self.target_keypoints.as_coco17().as_flat()
        rec["reference_size"] = list(self.reference_size) if self.reference_size else None
        rec["target_size"] = list(self.target_size) if self.target_size else None
        return rec

    def input_digest(self, images: Any = None) -> str:
        """A stable hash of the pair's annotation: image names, both poses (keypoints, sizes,
        boxes), captions, ``img_set``, ``extra`` and its position (``pair_index`` is in the
        record merge writes), plus ``images``: the identity of both image files, which the run
        layer supplies."""
        ref, tgt = self.reference_keypoints, self.target_keypoints
        return content_digest((
            self.reference, self.target, self.img_set, self.captions, self.extra, self.index,
            (ref.layout.name, ref.xyv), (tgt.layout.name, tgt.xyv), self.reference_size, self.target_size,
            None if self.reference_box is None else self.reference_box.as_xyxy(),
            None if self.target_box is None else self.target_box.as_xyxy(), images,
        ))  # fmt: skip


_DIGEST_OPTS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def _plain(value: Any) -> Any:
    """What orjson cannot write natively: numpy values and arrays that are not C-contiguous,
    sets (sorted, so the digest does not depend on their order), anything else by ``repr``."""
    if isinstance(value, np.ndarray | np.generic):
        return value.tolist()
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    return repr(value)


def content_digest(fields: Any) -> str:
    """A stable 128-bit hash of plain fields (tuples, lists, dicts, numbers, strings, numpy
    arrays): blake2b over their orjson bytes, dict keys sorted. A few microseconds a sample."""
    data = orjson.dumps(fields, default=_plain, option=_DIGEST_OPTS)
    return hashlib.blake2b(data, digest_size=16).hexdigest()


_ZEROS = [0.0] * 51


def _int_box(values: list[float]) -> list[float | int]:  # Box coordinates are always floats
    """Integers stay integers (HICO boxes are whole pixels); fractions keep 2 decimals."""
    return [int(v) if v.is_integer() else round(v, 2) for v in values]


def _seed_fields(sample: Sample) -> dict[str, Any]:
    """The seed-format fields of one sample (see ``datasets.seed``), without stage outputs."""
    kps = sample.person.keypoints
    if kps is not None:
        coco = kps.as_coco17()
        keypoints = coco.as_flat()
        vis = [1 if v > 0 else 0 for v in coco.xyv[:, 2] for _ in range(3)]
    else:
        keypoints, vis = list(_ZEROS), [0] * 51
    rec: dict[str, Any] = {
        "file_name": sample.file_name,
        "image_id": sample.image_id,
        "keypoints": keypoints,
        "vis": vis,
        "instance_id": sample.instance_id,
        "height": sample.height,
        "width": sample.width,
        "human_bbox": _int_box(sample.person.box.as_xyxy()),
    }
    if sample.interaction is not None and sample.object is not None:
        rec["action_labels"] = [
            {"human_part": ps.part_id, "partstate": ps.state_idx} for ps in sample.person.part_states
        ]
        rec["object_bbox"] = _int_box(sample.object.box.as_xyxy())
        rec["hoi_id"] = sample.interaction.hoi_id
        rec["verb"] = sample.interaction.verb
        rec["object"] = sample.interaction.object
    return rec
