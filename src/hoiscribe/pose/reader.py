"""Pose pairs in the AutoComPose layout: caption JSON, gallery splits, and a keypoint file.

Layout under a root::

    captions/{split}.json      list of {reference, target, img_set, sents, auto, ..., mirror-reverse}
    image_splits/{split}.json  list of gallery image names
    images/<name>              the pose images named in the captions
    keypoints/{split}.json     {"layout": "coco17" | "halpe136",
                                "images": {<name>: {"width", "height", "keypoints": [x, y, v, ...],
                                                    "bbox": [x, y, w, h] (optional)}}}

The keypoint file is hoiscribe's (AutoComPose ships none); keypoints may instead come from
a join with any keypoint dataset by image file name. Pairs can also be built from a keypoint
dataset (COCO, Halpe, the demo set) by normalised-pose distance inside a band. Coordinates
are rounded to 0.01 px on reading, which keeps mirroring exact.

This module reads; building pairs lives in ``hoiscribe.pose.pairing`` and writing a root in
``hoiscribe.pose.captions``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from PIL import Image

from hoiscribe.catalog import read_dataset
from hoiscribe.core.records import Box, Keypoints, PosePair, RecordError, Sample
from hoiscribe.datasets.base import DatasetError, Drop, ReadResult, file_exists, load_json_file, safe_join
from hoiscribe.datasets.fields import MISSING, box_xywh, flat_keypoints, image_size, object_field, text, xywh
from hoiscribe.pose.captions import CAPTION_FIELDS, captions_path, keypoints_path
from hoiscribe.pose.pairing import DEFAULT_BAND, best_person_per_image, quantized, read_built_pairs, usable
from hoiscribe.vocab.keypoints import COCO17, HALPE136

LAYOUTS = {"coco17": COCO17, "halpe136": HALPE136}


class _KeypointSource:
    """Image name -> (keypoints, size, box) from the keypoint file or a joined dataset."""

    def __init__(self, entries: dict[str, Any], layout: Any, where: str) -> None:
        self.entries, self.layout, self.where = entries, layout, where

    @classmethod
    def from_file(cls, path: Path, max_bytes: int | None = None) -> _KeypointSource:
        data = load_json_file(path, "pose keypoint file", max_bytes)
        if not isinstance(data, dict) or not isinstance(data.get("images"), dict):
            raise DatasetError(f"{path}: expected {{'layout': ..., 'images': {{name: entry}}}}")
        name = data.get("layout", "coco17")
        layout = LAYOUTS.get(name) if isinstance(name, str) else None
        if layout is None:
            raise DatasetError(f"{path}: layout must be one of {', '.join(LAYOUTS)}, got {data.get('layout')!r}")
        return cls(data["images"], layout, str(path))

    @classmethod
    def from_samples(cls, samples: list[Any], where: str) -> _KeypointSource:
        """One person per image (``best_person_per_image``)."""
        return cls(best_person_per_image(samples), COCO17, where)

    def get(self, name: str) -> tuple[Keypoints, tuple[int, int] | None, Box | tuple[float, ...] | None]:
        """``KeyError`` when the image has no entry, ``RecordError`` for a malformed one.

        ``width``/``height`` and ``bbox`` are optional, but checked when given; a box whose image
        size is not in the file comes back as its checked [x, y, w, h], to place once the size is
        read from the image."""
        entry = self.entries[name]
        if isinstance(entry, Sample):
            assert entry.person.keypoints is not None  # from_samples keeps people with keypoints only
            return quantized(entry.person.keypoints), entry.image_size, entry.person.box
        object_field(entry, "record")
        kps = quantized(flat_keypoints(entry.get("keypoints", MISSING), self.layout))
        w, h = entry.get("width"), entry.get("height")
        size = None if w is None and h is None else image_size(w, h)
        bbox = entry.get("bbox")
        box: Box | tuple[float, ...] | None = None
        if bbox is not None:
            box = _placed(xywh(bbox, "bbox"), size)
        return kps, size, box


def _placed(box: Box | tuple[float, ...] | None, size: tuple[int, int] | None) -> Box | tuple[float, ...] | None:
    """A checked [x, y, w, h] as a ``Box`` in an image of ``size`` (unchanged while the size is unknown)."""
    if type(box) is not tuple or size is None:
        return box
    return box_xywh(list(box), size, "bbox")


def read_pose_pairs(
    root: Path,
    split: str = "train",
    max_samples: int | None = None,
    keypoints: str | None = None,
    min_visible: int = 8,
    check_images: bool = True,
    join_dataset: str | None = None,
    join_root: str | None = None,
    join_split: str | None = None,
    build_from: str | None = None,
    band: tuple[float, float] | list[float] = DEFAULT_BAND,
    max_pairs_per_image: int = 2,
    dataset: str = "pose_pairs",
    max_file_bytes: int | None = None,
) -> ReadResult:
    """Pose pairs from an AutoComPose root, or built from a keypoint dataset (``build_from``).

    Keypoints come from ``keypoints`` (default ``keypoints/{split}.json``) or, with
    ``join_dataset``, from that dataset's people joined by image file name. Pairs whose
    images are missing or whose poses lack visible keypoints are dropped with the reason.
    ``max_file_bytes`` caps the caption and keypoint files (default 2 GiB).
    """
    root = Path(root)
    if build_from is not None:
        return read_built_pairs(root, split, max_samples, build_from, keypoints, band, max_pairs_per_image, min_visible)
    cap_path = captions_path(root, split)
    data = load_json_file(cap_path, "caption JSON", max_file_bytes)
    if not isinstance(data, list):
        raise DatasetError(f"{cap_path}: expected a list of pair records")
    if join_dataset is not None:
        joined = read_dataset(join_dataset, Path(join_root) if join_root else root, join_split)
        source = _KeypointSource.from_samples(joined.samples, f"{join_dataset} people")
    else:
        kp_path = Path(keypoints) if keypoints and Path(keypoints).is_absolute() else None
        if kp_path is None:
            try:
                kp_path = safe_join(root, keypoints) if keypoints else keypoints_path(root, split)
            except ValueError as exc:
                raise DatasetError(f"reader option keypoints: {exc}") from None
        source = _KeypointSource.from_file(kp_path, max_file_bytes)
    result = ReadResult(samples=[])
    seen: Counter[str] = Counter()
    for i, rec in enumerate(data):
        pair = _pair(root, str(cap_path), i, rec, source, min_visible, check_images, result.dropped)
        if pair is None:
            continue
        seen[pair.sample_id] += 1
        if seen[pair.sample_id] > 1:  # the same pair listed twice keeps a distinct id
            pair = _with_id(pair, f"{pair.sample_id}#{seen[pair.sample_id]}")
        result.samples.append(pair)
        if max_samples is not None and len(result.samples) >= max_samples:
            break
    result.stats = {"dataset": dataset, "records": len(data), "pairs": len(result.samples),
                    "dropped": len(result.dropped), "keypoints_from": source.where}  # fmt: skip
    return result


def _with_id(pair: PosePair, sid: str) -> PosePair:
    from dataclasses import replace

    return replace(pair, sample_id=sid)


def _pair(
    root: Path,
    file: str,
    index: int,
    rec: Any,
    source: _KeypointSource,
    min_visible: int,
    check_images: bool,
    dropped: list[Drop],
) -> PosePair | None:
    """One validated pair, or None with its drop appended."""
    where = f"pair {index}"
    if not isinstance(rec, dict):
        dropped.append(Drop(file, where, "record", "expected an object"))
        return None
    names, paths = {}, {}
    for role in ("reference", "target"):
        name = rec.get(role, MISSING)
        try:
            paths[role] = safe_join(root / "images", text(name, role))
        except RecordError as exc:
            dropped.append(Drop(file, where, role, exc.reason))
            return None
        except ValueError as exc:
            dropped.append(Drop(file, where, role, str(exc)))
            return None
        names[role] = name
        if check_images and not file_exists(paths[role]):
            dropped.append(Drop(file, where, role, f"image not found: {name}"))
            return None
    captions: dict[str, list[str]] = {}
    extra: dict[str, Any] = {}
    for key, value in rec.items():
        if key in ("reference", "target", "img_set"):
            continue
        if isinstance(value, list) and all(isinstance(t, str) for t in value):
            captions[key] = value
        elif key in CAPTION_FIELDS:
            dropped.append(Drop(file, where, key, "expected a list of strings"))
            return None
        else:
            extra[key] = value
    poses = {}
    for role in ("reference", "target"):
        try:
            kps, size, box = source.get(names[role])
        except KeyError:
            why = f"no keypoints for {role} image {names[role]} in {source.where}"
            dropped.append(Drop(file, where, "keypoints", why))
            return None
        except RecordError as exc:
            dropped.append(Drop(file, where, "keypoints", f"{role} image {names[role]}: {exc}"))
            return None
        why = usable(kps, min_visible)
        if why is not None:
            dropped.append(Drop(file, where, "keypoints", f"{role} image {names[role]}: {why}"))
            return None
        if size is None and file_exists(paths[role]):
            try:
                with Image.open(paths[role]) as im:
                    size = im.size
            except (OSError, ValueError, Image.DecompressionBombError) as exc:
                dropped.append(Drop(file, where, role, f"image {names[role]} is not readable: {exc}"))
                return None
        try:
            box = _placed(box, size)
        except RecordError as exc:
            dropped.append(Drop(file, where, "keypoints", f"{role} image {names[role]}: {exc}"))
            return None
        if type(box) is tuple:  # no size anywhere: the image is absent and the file gives none
            box = None
        poses[role] = (kps, size, box)
    return PosePair(
        sample_id=f"{names['reference']}->{names['target']}",
        reference=names["reference"],
        target=names["target"],
        reference_keypoints=poses["reference"][0],
        target_keypoints=poses["target"][0],
        reference_path=str(paths["reference"]),
        target_path=str(paths["target"]),
        img_set=rec.get("img_set", ""),
        captions=captions,
        reference_size=poses["reference"][1],
        target_size=poses["target"][1],
        reference_box=poses["reference"][2],
        target_box=poses["target"][2],
        index=index,
        extra=extra,
    )
