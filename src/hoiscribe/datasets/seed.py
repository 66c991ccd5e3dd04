"""The seed JSON format (the reference annotation output): one dict per person/pair.

HICO records: ``file_name, image_id, keypoints (51 = 17 x 3), vis (51), instance_id,
action_labels, height, width, human_bbox, object_bbox`` plus the stage fields
``description``, ``refined_description``, ``examiner_result``. COCO records have no
object or action fields. Merged records also carry ``hoi_id``, ``verb`` and ``object``.
"""

from __future__ import annotations

from typing import Any

from hoiscribe.core.records import Sample


def seed_record(sample: Sample) -> dict[str, Any]:
    """The seed fields of one sample (without stage outputs)."""
    return sample.as_record()


def validate_seed_record(rec: Any, where: str = "record") -> None:
    """Raise ``ValueError`` naming the field when ``rec`` is not a valid seed record."""
    if not isinstance(rec, dict):
        raise ValueError(f"{where}: expected an object")
    for key, kind in (
        ("file_name", str),
        ("image_id", int),
        ("instance_id", int),
        ("height", int),
        ("width", int),
        ("keypoints", list),
        ("vis", list),
        ("human_bbox", list),
    ):
        if not isinstance(rec.get(key), kind):
            raise ValueError(f"{where}: field {key!r} must be {kind.__name__}")
    if len(rec["keypoints"]) != 51 or len(rec["vis"]) != 51:
        raise ValueError(f"{where}: keypoints and vis must have 51 values")
    if len(rec["human_bbox"]) != 4:
        raise ValueError(f"{where}: human_bbox must have 4 values")
    if "object_bbox" in rec:
        if not isinstance(rec["object_bbox"], list) or len(rec["object_bbox"]) != 4:
            raise ValueError(f"{where}: object_bbox must have 4 values")
        if not isinstance(rec.get("action_labels"), list):
            raise ValueError(f"{where}: action_labels must be a list")
    if "description" in rec and not isinstance(rec["description"], str):
        raise ValueError(f"{where}: description must be a string")
