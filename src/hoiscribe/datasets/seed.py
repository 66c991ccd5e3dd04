"""The seed JSON format (the reference annotation output): one dict per person/pair.

HICO records: ``file_name, image_id, keypoints (51 = 17 x 3), vis (51), instance_id,
action_labels, height, width, human_bbox, object_bbox`` plus the stage fields
``description``, ``refined_description``, ``examiner_result``. COCO records have no
object or action fields. Merged records also carry ``hoi_id``, ``verb`` and ``object``.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from hoiscribe.core.records import RecordError, Sample
from hoiscribe.datasets.base import Drop, safe_join
from hoiscribe.datasets.fields import (
    MISSING,
    box_xyxy,
    flat_keypoints,
    image_size,
    int_field,
    list_field,
    object_field,
    show,
    text,
)
from hoiscribe.vocab.hake import part_state
from hoiscribe.vocab.hico import hico
from hoiscribe.vocab.keypoints import COCO17


def seed_record(sample: Sample) -> dict[str, Any]:
    """The seed fields of one sample (without stage outputs)."""
    return sample.as_record()


def check_seed_record(rec: Any) -> None:
    """``RecordError(field, reason)`` for the first field of ``rec`` that is not valid seed format."""
    object_field(rec, "record")
    name = text(rec.get("file_name", MISSING), "file_name")
    try:
        safe_join(PurePosixPath("."), name)  # type: ignore[arg-type]  # lexical: a relative name that fits
    except ValueError as exc:
        raise RecordError("file_name", str(exc)) from None
    int_field(rec.get("image_id", MISSING), "image_id", lo=0)
    int_field(rec.get("instance_id", MISSING), "instance_id", lo=0)
    size = image_size(rec.get("width", MISSING), rec.get("height", MISSING))
    flat_keypoints(rec.get("keypoints", MISSING), COCO17, "keypoints")
    vis = list_field(rec.get("vis", MISSING), "vis", length=51)
    if any(type(v) is not int or v not in (0, 1) for v in vis):
        raise RecordError("vis", f"expected 51 values of 0 or 1, got {show(vis)}")
    box_xyxy(rec.get("human_bbox", MISSING), size, "human_bbox")
    if "object_bbox" in rec:
        box_xyxy(rec["object_bbox"], size, "object_bbox")
        labels = list_field(rec.get("action_labels", MISSING), "action_labels")
        for j, item in enumerate(labels):
            object_field(item, f"action_labels[{j}]")
            part = int_field(item.get("human_part", MISSING), f"action_labels[{j}].human_part")
            state = int_field(item.get("partstate", MISSING), f"action_labels[{j}].partstate")
            try:
                part_state(part, state)
            except ValueError as exc:
                raise RecordError(f"action_labels[{j}]", str(exc)) from None
    if "hoi_id" in rec:
        int_field(rec["hoi_id"], "hoi_id", lo=1, hi=len(hico().hois))
    for key in ("verb", "object", "description", "refined_description"):
        if key in rec:
            text(rec[key], key, allow_empty=True)


def seed_drop(rec: Any, file: str, record: str) -> Drop | None:
    """The drop for a record that is not valid seed format, or None when it is."""
    try:
        check_seed_record(rec)
    except RecordError as exc:
        return Drop(file, record, exc.field, exc.reason)
    return None


def validate_seed_record(rec: Any, where: str = "record") -> None:
    """Raise ``ValueError`` naming the field when ``rec`` is not a valid seed record."""
    try:
        check_seed_record(rec)
    except RecordError as exc:
        raise ValueError(f"{where}: field {exc.field!r}: {exc.reason}") from None
