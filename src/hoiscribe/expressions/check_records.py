"""Checking referring expressions wherever they are stored: Real-LOD input, Real-Data lines, labelled JSONL.

Four layouts carry an expression and the boxes it must fit: a Real-LOD workflow item
(``raw_expression`` and ``object_locations`` with ``[x, y, w, h]`` boxes), a Real-Data line
(``pairs`` of ``[x1, y1, x2, y2]`` boxes with positive and negative expressions), a merged
expressions row (``object_id``, ``bbox``, ``other_objects`` and the stage output), and a
labelled record in the corpus schema (``scene`` boxes, ``target``, ``text``). Each record becomes
one result row with, per expression, the spatial checker's verdict and the contradicted spans;
a bad record is a row with ``skipped`` and the reason.
"""

from __future__ import annotations

from typing import Any

from hoiscribe.expressions.spatial import SpatialObject, check_expression

MAX_CHARS = 2_000  # an expression longer than this is checked on its first MAX_CHARS characters


def is_expression_record(rec: dict[str, Any]) -> bool:
    if "scene" in rec and "target" in rec:
        return True
    if isinstance(rec.get("pairs"), dict) and "filename" in rec:
        return True
    return "object_locations" in rec or ("object_id" in rec and "bbox" in rec and "category" in rec)


class _Bad(ValueError):
    pass


def _box(value: Any, where: str, xywh: bool = False) -> tuple[float, float, float, float]:
    if not isinstance(value, list | tuple) or len(value) != 4:
        raise _Bad(f"{where}: expected 4 numbers")
    try:
        x1, y1, a, b = (float(v) for v in value)
    except (TypeError, ValueError):
        raise _Bad(f"{where}: expected 4 numbers") from None
    x2, y2 = (x1 + a, y1 + b) if xywh else (a, b)
    if x2 <= x1 or y2 <= y1:
        raise _Bad(f"{where}: empty box {list(value)}")
    return (x1, y1, x2, y2)


def _obj(d: Any, where: str, xywh: bool = False) -> SpatialObject:
    if not isinstance(d, dict) or "category" not in d:
        raise _Bad(f"{where}: expected {{id, category, bbox}}")
    return SpatialObject(d.get("id"), str(d["category"]), _box(d.get("bbox"), f"{where}.bbox", xywh))


def _size(rec: dict[str, Any], where: str = "") -> tuple[int, int]:
    try:
        w, h = int(rec["width"]), int(rec["height"])
    except (KeyError, TypeError, ValueError):
        raise _Bad(f"{where}width/height: expected two positive integers") from None
    if w <= 0 or h <= 0:
        raise _Bad(f"{where}width/height: expected two positive integers")
    return w, h


def _jobs(
    rec: dict[str, Any], field: str | None
) -> list[tuple[str, str, Any, SpatialObject, list[SpatialObject], tuple[int, int]]]:
    """(source, polarity, text, target, objects, size) for every expression the record holds."""
    if "scene" in rec:
        scene = rec["scene"] if isinstance(rec["scene"], dict) else {}
        objects = [_obj(b, f"scene.boxes[{i}]") for i, b in enumerate(scene.get("boxes") or [])]
        target = next((o for o in objects if o.id == rec.get("target")), None)
        if target is None:
            raise _Bad(f"target: {rec.get('target')!r} is not a box id of the scene")
        return [(field or "text", "positive", rec.get(field or "text"), target, objects, _size(scene, "scene."))]
    if "pairs" in rec:
        return _realdata_jobs(rec)
    if "object_locations" in rec:
        loc = rec["object_locations"] if isinstance(rec["object_locations"], dict) else {}
        target = _obj(loc.get("chosen_object"), "object_locations.chosen_object", xywh=True)
        listed = [(i, o) for i, o in enumerate(loc.get("other_objects") or []) if isinstance(o, dict) and "bbox" in o]
        others = [_obj(o, f"object_locations.other_objects[{i}]", xywh=True) for i, o in listed]
        return [(field or "raw_expression", "positive", rec.get(field or "raw_expression"), target, [target, *others],
                 _size(rec))]  # fmt: skip
    target = SpatialObject(rec.get("object_id"), str(rec.get("category")), _box(rec.get("bbox"), "bbox"))
    others = [_obj(o, f"other_objects[{i}]") for i, o in enumerate(rec.get("other_objects") or [])]
    texts = []
    if field is not None:
        value = rec.get(field)
        texts.append((field, value.get("expression") if isinstance(value, dict) else value))
    else:
        for key in ("expression", "raw_expression"):
            if key in rec:
                texts.append((key, rec[key]))
        for key, value in rec.items():  # a merged row: the expressions stage's output
            if isinstance(value, dict) and "expression" in value:
                texts.append((f"{key}.expression", value["expression"]))
    return [(name, "positive", text, target, [target, *others], _size(rec)) for name, text in texts]


def _realdata_jobs(
    rec: dict[str, Any],
) -> list[tuple[str, str, Any, SpatialObject, list[SpatialObject], tuple[int, int]]]:
    """Single-object pairs of a Real-Data line: positives must fit their box, negatives must not."""
    size = _size(rec)
    objects: dict[tuple[str, tuple[float, ...]], SpatialObject] = {}
    singles = []
    for key, pair in rec["pairs"].items():
        if not isinstance(pair, dict) or not isinstance(pair.get("bboxes"), list):
            raise _Bad(f"pairs[{key!r}]: expected {{bboxes, category, ...}}")
        for j, b in enumerate(pair["bboxes"]):
            box = _box(b, f"pairs[{key!r}].bboxes[{j}]")
            objects.setdefault(
                (str(pair.get("category")), box), SpatialObject(f"{key}#{j}", str(pair.get("category")), box)
            )
        if pair.get("relation", "single") == "single" and len(pair["bboxes"]) == 1:
            singles.append((key, pair))
    everything = list(objects.values())
    jobs = []
    for key, pair in singles:
        target = objects[(str(pair.get("category")), _box(pair["bboxes"][0], key))]
        for polarity in ("positive", "negative"):
            for text in pair.get(f"{polarity}_expressions") or []:
                jobs.append((key, polarity, text, target, everything, size))
    return jobs


def check_expression_record(rec: dict[str, Any], field: str | None = None) -> dict[str, Any]:
    """One result row: each expression's verdict, problems and contradicted spans (or ``skipped``)."""
    row: dict[str, Any] = {"id": rec.get("id") or rec.get("sample_id") or rec.get("filename") or rec.get("image_path")}
    try:
        jobs = _jobs(rec, field)
    except _Bad as exc:
        row["skipped"] = f"bad record: {exc}"
        return row
    items = []
    for source, polarity, text, target, objects, size in jobs:
        item: dict[str, Any] = {"source": source, "polarity": polarity, "target": target.id}
        if not isinstance(text, str) or not text.strip():
            items.append(item | {"text": text if isinstance(text, str) else None, "skipped": "empty text"})
            continue
        if len(text) > MAX_CHARS:
            item["note"] = f"expression of {len(text)} characters: checked its first {MAX_CHARS}"
            text = text[:MAX_CHARS]
        check = check_expression(text, target, objects, size, polarity)  # type: ignore[arg-type]
        item |= {"text": text, "ok": check.ok, "problems": check.problems, "contradictions": check.contradictions,
                 "flagged": bool(check.contradictions) if polarity == "positive" else not check.ok}  # fmt: skip
        if check.referent is None and not check.claims and "note" not in item:
            item["note"] = "no object noun or spatial claim found" + (
                " (the text does not look like English)" if _foreign(text) else ""
            )
        items.append(item)
    if not items:
        row["skipped"] = "no expression in the record"
        return row
    row["expressions"] = items
    row["flagged"] = any(i.get("flagged") for i in items)
    return row


def _foreign(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isascii() for c in letters) < 0.5 * len(letters)
