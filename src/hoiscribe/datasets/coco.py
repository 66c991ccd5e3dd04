"""COCO person keypoints (``annotations/person_keypoints_{split}.json``), indexed with pycocotools.

COCO samples are pose-only: one person, 17 keypoints, no object and no interaction. The file
is parsed here (size cap first) and every image and annotation is checked before pycocotools
indexes it, so a malformed entry is one drop, never an exception from pycocotools.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from hoiscribe.core.records import Person, RecordError, Sample
from hoiscribe.datasets.base import Drop, ReadResult, load_json_file, safe_join
from hoiscribe.datasets.fields import MISSING, box_xywh, coco_tables, flat_keypoints, image_size, int_field, text
from hoiscribe.vocab.keypoints import COCO17

COCO_MAX_BYTES = 1024**3  # person_keypoints_train2017.json is ~240 MB; reader option max_file_bytes overrides


def coco_path(root: Path, split: str) -> Path:
    return Path(root) / "annotations" / f"person_keypoints_{split}.json"


def read_coco(
    root: Path,
    split: str = "train2017",
    max_samples: int | None = None,
    min_keypoints: int = 1,
    include_crowd: bool = False,
    max_file_bytes: int | None = None,
) -> ReadResult:
    """People with at least ``min_keypoints`` labelled keypoints, as pose-only samples.

    Crowd annotations (unless ``include_crowd``) and people with fewer keypoints are left out
    by choice and counted in the stats; malformed entries are drops."""
    from pycocotools.coco import COCO

    root = Path(root)
    path = coco_path(root, split)
    tables = coco_tables(
        load_json_file(path, "COCO keypoint annotation", max_file_bytes or COCO_MAX_BYTES),
        path,
        lambda ann_id, image_id: f"image {image_id} annotation {ann_id}",
    )
    coco = COCO()
    coco.dataset = {"images": list(tables.images.values()), "annotations": [a for _, _, a in tables.annotations]}
    with contextlib.redirect_stdout(io.StringIO()):
        coco.createIndex()
    names = {id(a): rec for rec, _, a in tables.annotations}

    result = ReadResult(samples=[], dropped=tables.dropped)
    image_dir = root / split
    skipped = {"crowd": 0, "few_keypoints": 0}
    for image_id in sorted(coco.imgs):
        img = coco.imgs[image_id]
        checked: tuple[str, Path, tuple[int, int]] | RecordError | None = None
        for ann in coco.imgToAnns.get(image_id, []):
            rec = names[id(ann)]
            try:
                crowd = int_field(ann.get("iscrowd", 0), "iscrowd", lo=0, hi=1)
                n_kps = int_field(ann.get("num_keypoints", MISSING), "num_keypoints", lo=0, hi=len(COCO17))
            except RecordError as exc:
                result.dropped.append(Drop(str(path), rec, exc.field, exc.reason))
                continue
            if crowd and not include_crowd:
                skipped["crowd"] += 1
                continue
            if n_kps < min_keypoints:
                skipped["few_keypoints"] += 1
                continue
            if checked is None:
                checked = _image(img, image_dir)
            try:
                if isinstance(checked, RecordError):
                    raise RecordError(checked.field, checked.reason)
                file_name, image_path, (w, h) = checked
                box = box_xywh(ann.get("bbox", MISSING), (w, h), "bbox")
                kps = flat_keypoints(ann.get("keypoints", MISSING), COCO17)
            except RecordError as exc:
                result.dropped.append(Drop(str(path), rec, exc.field, exc.reason))
                continue
            result.samples.append(
                Sample(
                    sample_id=f"{file_name}#{ann['id']}",
                    dataset="coco",
                    file_name=file_name,
                    image_id=image_id,
                    instance_id=ann["id"],
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
    result.stats = {"images": len(coco.imgs), "people": len(result.samples), "dropped": len(result.dropped),
                    "skipped_crowd": skipped["crowd"], "skipped_few_keypoints": skipped["few_keypoints"]}  # fmt: skip
    return result


def _image(img: dict, image_dir: Path) -> tuple[str, Path, tuple[int, int]] | RecordError:
    """An image's file name, path and size, checked once for all its people."""
    try:
        file_name = text(img.get("file_name", MISSING), "file_name")
        try:
            image_path = safe_join(image_dir, file_name)
        except ValueError as exc:
            raise RecordError("file_name", str(exc)) from None
        return file_name, image_path, image_size(img.get("width", MISSING), img.get("height", MISSING))
    except RecordError as exc:
        return exc
