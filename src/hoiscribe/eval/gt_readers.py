"""Ground-truth readers: HICO-DET (fredzzhang ``instances_*.json`` or PPDM/QPIC ``test_hico.json``)
and SWiG-HOI (THID / CMD-SE ``swig_test*.json``), all flattened into one array of GT pairs.

Each layout keeps its boxes in its own pixel frame, and each reader says which: the fredzzhang
instances files copy the official MATLAB annotation, 1-based; PPDM/QPIC subtracted 1 when they
converted it, 0-based; SWiG-HOI is 0-based. Boxes are kept as the file has them
(``GroundTruth.box_origin`` names the frame); the evaluation moves detections into it.
"""

from __future__ import annotations

import gc
import math
import os
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from hoiscribe.eval.errors import EvalInputError, SkipLog
from hoiscribe.eval.instances_bytes import instances_arrays
from hoiscribe.eval.json_chunks import decode
from hoiscribe.vocab.hico import hico
from hoiscribe.vocab.swig import swig

BOX_ORIGIN = {"instances": 1, "ppdm": 0, "thid": 0}  # each layout's pixel frame (see the module doc)


@dataclass(frozen=True)
class GroundTruth:
    """Every GT human-object pair of a test set, one row per pair, classes as dense ids."""

    dataset: str  # "hico" or "swig"
    layout: str  # which reader produced it
    file_names: tuple[str, ...]
    pair_image: np.ndarray  # int64 index into ``file_names``
    pair_class: np.ndarray  # int64 class id (hoi_idx 0..599 or SWiG interaction id)
    pair_boxes: np.ndarray  # float64 (n, 8): human xyxy, object xyxy
    n_classes: int
    class_object: np.ndarray  # int64 object id of each class (for Known-Object)
    box_origin: int = 0  # pixel frame of pair_boxes: 1 = 1-based (MATLAB), 0 = 0-based
    skipped: dict[str, int] = field(default_factory=dict)
    image_index: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def n_images(self) -> int:
        return len(self.file_names)

    @property
    def n_pairs(self) -> int:
        return len(self.pair_class)

    @property
    def non_empty_images(self) -> int:
        return len(np.unique(self.pair_image))

    def class_counts(self) -> np.ndarray:
        """GT pairs per class."""
        return np.bincount(self.pair_class, minlength=self.n_classes)

    def lookup_image(self, name: str) -> int | None:
        """Index of an image by file name (or by its base name when a path was given)."""
        idx = self.image_index.get(name)
        if idx is None:
            idx = self.image_index.get(os.path.basename(name))
        return idx


def load_json_file(path: str | Path, data: bytes | None = None) -> Any:
    """Parse a JSON file (or JSON Lines when the name ends in ``.jsonl``), or its bytes ``data``."""
    data = Path(path).read_bytes() if data is None else data
    gc_was_enabled = gc.isenabled()
    gc.disable()  # decoded JSON has no cycles: the collector would only rescan its lists (half the time)
    try:
        if str(path).endswith(".jsonl"):
            return [decode(line) for line in data.splitlines() if line.strip()]
        return decode(data)
    except (orjson.JSONDecodeError, ValueError) as exc:
        raise EvalInputError(f"{path}: not valid JSON: {exc}") from None
    finally:
        if gc_was_enabled:
            gc.enable()


def _box(value: Any, where: str) -> list[float]:
    """One xyxy box as four finite floats with x2 >= x1 and y2 >= y1."""
    if not isinstance(value, list | tuple) or len(value) != 4:
        raise EvalInputError(f"{where}: expected [x1, y1, x2, y2], got {value!r}")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):  # float() takes "9.5"
        raise EvalInputError(f"{where}: box coordinates must be numbers, got {value!r}")
    box = [float(v) for v in value]
    if not all(map(math.isfinite, box)) or box[2] < box[0] or box[3] < box[1]:
        raise EvalInputError(f"{where}: invalid box {value!r} (need finite x1 <= x2, y1 <= y2)")
    return box


def _finish(
    dataset: str,
    layout: str,
    names: list[str],
    images: list[int] | np.ndarray,
    classes: list[int] | np.ndarray,
    boxes: list[list[float]] | np.ndarray,
    n_classes: int,
    class_object: np.ndarray,
    log: SkipLog,
    box_origin: int = 0,
) -> GroundTruth:
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in index:
            raise EvalInputError(f"{log.source}: image {name!r} appears twice (entries {index[name]} and {i})")
        index[name] = i
    return GroundTruth(
        dataset=dataset,
        layout=layout,
        file_names=tuple(names),
        pair_image=np.asarray(images, dtype=np.int64),
        pair_class=np.asarray(classes, dtype=np.int64),
        pair_boxes=np.asarray(boxes, dtype=np.float64).reshape(-1, 8),
        n_classes=n_classes,
        class_object=class_object,
        box_origin=box_origin,
        skipped=log.as_dict(),
        image_index=index,
    )


def _hico_class_object() -> np.ndarray:
    return np.asarray([h.object_coco_idx for h in hico().hois], dtype=np.int64)


def _instances_fast(names: list[str], annotations: list[Any], source: str) -> GroundTruth | None:
    """The instances file as arrays when every record is well formed, else None (the record loop names it).

    Only numbers pass (numpy gives any string or null another dtype), so the arrays equal what the
    loop's ``float()`` gives; any invalid pair sends the file to the loop, which rejects it."""
    try:
        hs = [a["boxes_h"] for a in annotations]
        os_ = [a["boxes_o"] for a in annotations]
        hois = [a["hoi"] for a in annotations]
        objects = [a.get("object") for a in annotations]
    except (KeyError, TypeError, AttributeError):
        return None
    if any(o is None for o in objects) or not all(map(_same_lengths, hs, os_, hois, objects)):
        return None
    try:  # a string, null or ragged row gives another dtype or shape (or raises): the loop decides
        hoi, obj = np.asarray(list(chain.from_iterable(hois))), np.asarray(list(chain.from_iterable(objects)))
        h = np.asarray(list(chain.from_iterable(hs)))
        o = np.asarray(list(chain.from_iterable(os_)))
    except (OverflowError, ValueError, TypeError):
        return None
    n = len(hoi)  # no pairs at all: h has shape (0,), and the loop reads the file
    if hoi.shape != (n,) or obj.shape != (n,) or h.shape != (n, 4) or o.shape != (n, 4):
        return None
    if hoi.dtype.kind != "i" or obj.dtype.kind != "i" or h.dtype.kind not in "fi" or o.dtype.kind not in "fi":
        return None
    boxes = np.concatenate([h, o], axis=1, dtype=np.float64)
    return _instances_checked(names, np.asarray([len(x) for x in hois], dtype=np.int64), hoi, obj, boxes, source)


def _instances_checked(
    names: list[str], counts: np.ndarray, hoi: np.ndarray, obj: np.ndarray, boxes: np.ndarray, source: str
) -> GroundTruth | None:
    """The GT of well-shaped instances arrays when every pair is valid, else None (the loop decides)."""
    class_object = np.asarray([x.object_hicodet_idx for x in hico().hois], dtype=np.int64)
    if len(hoi) == 0 or hoi.min() < 0 or hoi.max() >= len(class_object) or (class_object[hoi] != obj).any():
        return None
    h, o = boxes[:, :4], boxes[:, 4:]
    if not np.isfinite(boxes).all() or (h[:, 2:] < h[:, :2]).any() or (o[:, 2:] < o[:, :2]).any():
        return None
    images = np.repeat(np.arange(len(counts)), counts)
    return _finish("hico", "instances", names, images, hoi, boxes, len(class_object), _hico_class_object(),
                   SkipLog(False, source), box_origin=BOX_ORIGIN["instances"])  # fmt: skip


def _instances_from_bytes(raw: bytes, source: str) -> GroundTruth | None:
    """A well-formed instances file read from its bytes without decoding its numbers (or None)."""
    got = instances_arrays(raw)
    return None if got is None else _instances_checked(got.names, got.pairs_per_image, got.hoi, got.object_,
                                                       got.boxes, source)  # fmt: skip


def _same_lengths(hs: Any, os_: Any, hois: Any, objects: Any) -> bool:
    """One image's four per-pair lists, all lists of one length."""
    same_type = type(hs) is type(os_) is type(hois) is type(objects) is list
    return same_type and len(hs) == len(os_) == len(hois) == len(objects)


def read_hico_instances(data: dict[str, Any], source: str, skip_invalid: bool = False) -> GroundTruth:
    """fredzzhang/hicodet ``instances_test2015.json``: per image ``boxes_h``/``boxes_o``/``hoi``.

    A well-formed file is read as whole arrays (``_instances_fast``); the record loop below runs
    only when something is off, and names the image and field."""
    voc = hico()
    hoi_object = [h.object_hicodet_idx for h in voc.hois]
    log = SkipLog(skip_invalid, source)
    try:
        names = [str(n) for n in data["filenames"]]
        annotations = data["annotation"]
    except KeyError as exc:
        raise EvalInputError(f"{source}: missing top-level field {exc.args[0]!r}") from None
    if len(annotations) != len(names):
        raise EvalInputError(f"{source}: {len(annotations)} annotations but {len(names)} filenames")
    if isinstance(annotations, list) and (fast := _instances_fast(names, annotations, source)) is not None:
        return fast
    images: list[int] = []
    classes: list[int] = []
    boxes: list[list[float]] = []
    for i, ann in enumerate(annotations):
        name = names[i]
        try:
            hs, os_, hois = ann["boxes_h"], ann["boxes_o"], ann["hoi"]
        except (KeyError, TypeError):
            raise EvalInputError(f"{source}: image {name!r}: needs boxes_h, boxes_o and hoi") from None
        objects = ann.get("object")
        if not len(hs) == len(os_) == len(hois) or (objects is not None and len(objects) != len(hois)):
            raise EvalInputError(f"{source}: image {name!r}: boxes_h, boxes_o, hoi, object differ in length")
        for k, hoi in enumerate(hois):
            if not isinstance(hoi, int) or not 0 <= hoi < len(voc.hois):
                log.reject("hoi_out_of_range", 1, f"image {name!r}: hoi[{k}] = {hoi!r} is not in 0..599")
                continue
            if objects is not None and objects[k] != hoi_object[hoi]:
                log.reject(
                    "object_mismatch",
                    1,
                    f"image {name!r}: object[{k}] = {objects[k]!r} but hoi {hoi} has object "
                    f"hicodet_idx {hoi_object[hoi]}",
                )
                continue
            try:
                box = _box(hs[k], f"image {name!r}: boxes_h[{k}]") + _box(os_[k], f"image {name!r}: boxes_o[{k}]")
            except EvalInputError as exc:
                log.reject("invalid_box", 1, str(exc))
                continue
            images.append(i)
            classes.append(hoi)
            boxes.append(box)
    return _finish("hico", "instances", names, images, classes, boxes, len(voc.hois), _hico_class_object(), log,
                   box_origin=BOX_ORIGIN["instances"])  # fmt: skip


def read_hico_ppdm(data: list[Any], source: str, skip_invalid: bool = False) -> GroundTruth:
    """PPDM/QPIC ``test_hico.json``: ``annotations`` (bbox + COCO ``category_id``), ``hoi_annotation``.

    The class is looked up from (verb ``category_id`` 1..117, object box COCO id), as QPIC does;
    a ``hoi_category_id`` (1..600), when present, must agree with it.
    """
    voc = hico()
    coco_to_idx = {cid: i for i, cid in enumerate(voc.object_coco_ids)}
    by_pair = {(h.verb_idx, h.object_coco_idx): h.hoi_idx for h in voc.hois}
    log = SkipLog(skip_invalid, source)
    names: list[str] = []
    images: list[int] = []
    classes: list[int] = []
    boxes: list[list[float]] = []
    for i, entry in enumerate(data):
        if not isinstance(entry, dict) or "file_name" not in entry:
            raise EvalInputError(f"{source}: entry {i} has no file_name")
        name = str(entry["file_name"])
        names.append(name)
        anns = entry.get("annotations") or []
        for k, hoi in enumerate(entry.get("hoi_annotation") or []):
            where = f"image {name!r}: hoi_annotation[{k}]"
            try:
                s, o, verb_id = int(hoi["subject_id"]), int(hoi["object_id"]), int(hoi["category_id"])
            except (KeyError, TypeError, ValueError):
                raise EvalInputError(f"{source}: {where}: needs integer subject_id, object_id, category_id") from None
            if not (0 <= s < len(anns) and 0 <= o < len(anns)):
                log.reject("box_index_out_of_range", 1, f"{where}: subject_id/object_id outside annotations")
                continue
            obj = coco_to_idx.get(anns[o].get("category_id"))
            cls = by_pair.get((verb_id - 1, obj if obj is not None else -1))
            if cls is None:
                log.reject(
                    "not_a_class",
                    1,
                    f"{where}: verb category_id {verb_id} with object category_id "
                    f"{anns[o].get('category_id')!r} is not a HICO-DET class",
                )
                continue
            declared = hoi.get("hoi_category_id")
            if declared is not None and int(declared) != cls + 1:
                log.reject("class_mismatch", 1, f"{where}: hoi_category_id {declared} but verb/object give {cls + 1}")
                continue
            try:
                box = _box(anns[s].get("bbox"), f"image {name!r}: annotations[{s}].bbox") + _box(
                    anns[o].get("bbox"), f"image {name!r}: annotations[{o}].bbox"
                )
            except EvalInputError as exc:
                log.reject("invalid_box", 1, str(exc))
                continue
            images.append(i)
            classes.append(cls)
            boxes.append(box)
    return _finish("hico", "ppdm", names, images, classes, boxes, len(voc.hois), _hico_class_object(), log,
                   box_origin=BOX_ORIGIN["ppdm"])  # fmt: skip


def read_hico_gt(path: str | Path, skip_invalid: bool = False) -> GroundTruth:
    """Read HICO-DET test GT, picking the layout from the JSON shape.

    A well-formed instances file is read from its bytes (``instances_bytes``); any other file,
    or one with a record the loop must reject or report, is decoded and read record by record."""
    raw = Path(path).read_bytes()
    if not str(path).endswith(".jsonl") and (fast := _instances_from_bytes(raw, str(path))) is not None:
        return fast
    data = load_json_file(path, raw)
    if isinstance(data, dict) and "annotation" in data:
        return read_hico_instances(data, str(path), skip_invalid)
    if isinstance(data, list):
        return read_hico_ppdm(data, str(path), skip_invalid)
    raise EvalInputError(
        f"{path}: not a HICO-DET GT file (expected fredzzhang instances_*.json with 'annotation', "
        "or a PPDM/QPIC list of images)"
    )


def read_swig_gt(path: str | Path, skip_invalid: bool = False) -> GroundTruth:
    """THID / CMD-SE SWiG-HOI test JSON: ``box_annotations`` + ``hoi_annotations`` (``action_id``).

    The interaction id comes from (``action_id``, object box ``category_id``), both 0-based.
    """
    data = load_json_file(path)
    source = str(path)
    if not isinstance(data, list):
        raise EvalInputError(f"{source}: expected a list of images with box_annotations and hoi_annotations")
    voc = swig()
    log = SkipLog(skip_invalid, source)
    names: list[str] = []
    images: list[int] = []
    classes: list[int] = []
    boxes: list[list[float]] = []
    for i, entry in enumerate(data):
        if not isinstance(entry, dict) or "file_name" not in entry:
            raise EvalInputError(f"{source}: entry {i} has no file_name")
        name = str(entry["file_name"])
        names.append(name)
        anns = entry.get("box_annotations") or []
        for k, hoi in enumerate(entry.get("hoi_annotations") or []):
            where = f"image {name!r}: hoi_annotations[{k}]"
            try:
                s, o, action = int(hoi["subject_id"]), int(hoi["object_id"]), int(hoi["action_id"])
            except (KeyError, TypeError, ValueError):
                raise EvalInputError(f"{source}: {where}: needs integer subject_id, object_id, action_id") from None
            if not (0 <= s < len(anns) and 0 <= o < len(anns)):
                log.reject("box_index_out_of_range", 1, f"{where}: subject_id/object_id outside box_annotations")
                continue
            try:
                cls = voc.interaction_id(action, int(anns[o].get("category_id", -1)))
            except (KeyError, TypeError, ValueError):
                log.reject(
                    "not_a_class",
                    1,
                    f"{where}: action_id {action} with object category_id {anns[o].get('category_id')!r} "
                    "is not a SWiG-HOI interaction",
                )
                continue
            try:
                box = _box(anns[s].get("bbox"), f"image {name!r}: box_annotations[{s}].bbox") + _box(
                    anns[o].get("bbox"), f"image {name!r}: box_annotations[{o}].bbox"
                )
            except EvalInputError as exc:
                log.reject("invalid_box", 1, str(exc))
                continue
            images.append(i)
            classes.append(cls)
            boxes.append(box)
    class_object = np.asarray([x.object_id for x in voc.interactions], dtype=np.int64)
    return _finish("swig", "thid", names, images, classes, boxes, len(voc.interactions), class_object, log)
