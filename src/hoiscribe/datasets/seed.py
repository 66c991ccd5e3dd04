"""The seed JSON format (the reference annotation output): one dict per person/pair.

HICO records: ``file_name, image_id, keypoints (51 = 17 x 3), vis (51), instance_id,
action_labels, height, width, human_bbox, object_bbox`` plus the stage fields
``description``, ``refined_description``, ``examiner_result``. COCO records have no
object or action fields. Merged records also carry ``hoi_id``, ``verb`` and ``object``.
"""

from __future__ import annotations

from typing import Any

from hoiscribe.schema import Sample

STAGE_FIELDS = {"describe": "description", "refine": "refined_description", "examine": "examiner_result"}
_ZEROS = [0.0] * 51


def _int_box(values: list[float]) -> list[float | int]:  # Box coordinates are always floats
    """Integers stay integers (HICO boxes are whole pixels); fractions keep 2 decimals."""
    return [int(v) if v.is_integer() else round(v, 2) for v in values]


def seed_record(sample: Sample) -> dict[str, Any]:
    """The seed fields of one sample (without stage outputs)."""
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
