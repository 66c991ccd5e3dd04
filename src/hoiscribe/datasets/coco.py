"""COCO person keypoints (``annotations/person_keypoints_{split}.json``), read with pycocotools.

COCO samples are pose-only: one person, 17 keypoints, no object and no interaction.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from hoiscribe.core.records import Box, Keypoints, Person, RecordError, Sample
from hoiscribe.datasets.base import DatasetError, Drop, ReadResult, safe_join
from hoiscribe.vocab.keypoints import COCO17


def coco_path(root: Path, split: str) -> Path:
    return Path(root) / "annotations" / f"person_keypoints_{split}.json"


def read_coco(
    root: Path,
    split: str = "train2017",
    max_samples: int | None = None,
    min_keypoints: int = 1,
    include_crowd: bool = False,
) -> ReadResult:
    """People with at least ``min_keypoints`` labelled keypoints, as pose-only samples."""
    from pycocotools.coco import COCO

    root = Path(root)
    path = coco_path(root, split)
    if not path.is_file():
        raise DatasetError(f"COCO keypoint annotation not found: {path}")
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            coco = COCO(str(path))
    except Exception as exc:  # pycocotools raises bare exceptions and asserts on bad files
        raise DatasetError(f"COCO keypoint annotation is not readable: {path}: {exc}") from exc

    result = ReadResult(samples=[])
    image_dir = root / split
    for image_id in sorted(coco.imgs):
        img = coco.imgs[image_id]
        for ann in coco.imgToAnns.get(image_id, []):
            rec = f"image {image_id} annotation {ann.get('id')}"
            if ann.get("iscrowd") and not include_crowd:
                continue
            if ann.get("num_keypoints", 0) < min_keypoints:
                continue
            try:
                file_name = img.get("file_name")
                image_path = safe_join(image_dir, file_name)
            except ValueError as exc:
                result.dropped.append(Drop(str(path), rec, "file_name", str(exc)))
                continue
            try:
                w, h = img.get("width"), img.get("height")
                if not isinstance(w, int) or not isinstance(h, int) or w <= 0 or h <= 0:
                    raise RecordError("width/height", f"expected positive integers, got {w!r}x{h!r}")
                box = Box.from_xywh(ann.get("bbox"), (w, h), "bbox")
                kps = Keypoints.from_flat(ann.get("keypoints"), COCO17)
            except RecordError as exc:
                result.dropped.append(Drop(str(path), rec, exc.field, exc.reason))
                continue
            result.samples.append(
                Sample(
                    sample_id=f"{file_name}#{ann['id']}",
                    dataset="coco",
                    file_name=file_name,
                    image_id=int(image_id),
                    instance_id=int(ann["id"]),
                    width=w,
                    height=h,
                    person=Person(box=box, keypoints=kps),
                    image_path=str(image_path),
                )
            )
            if max_samples is not None and len(result.samples) >= max_samples:
                break
        if max_samples is not None and len(result.samples) >= max_samples:
            break
    result.stats = {"images": len(coco.imgs), "people": len(result.samples), "dropped": len(result.dropped)}
    return result
