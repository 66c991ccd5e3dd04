"""OmniLabel AP: plain categories, free-form descriptions, and their harmonic mean.

The protocol as OmniLabel publishes it: every image has a label space of descriptions (each
description lists the ``image_ids`` it is evaluated on), of type *category* (plain class names)
or *description* (free-form, ``anno_info.type == "object_description"``). A description is
*positive* in an image where a GT box refers to it and *negative* where none does, so any box
predicted for a negative description is a false positive. Detections are matched per
(image, description) cell exactly as COCO matches them (IoU 0.50:0.95, up to 100 per cell,
crowd boxes ignored), but AP is computed over the cells of a group *pooled* into one ranked
list, not averaged per description. Groups: ``categ``, ``descr`` (positive and negative),
``descr-pos``. The final score is the harmonic mean of ``categ`` and ``descr``. Detections
for a description outside an image's label space are not scored. A group without any GT box
reports ``no ground truth``.

Predictions: OmniLabel's rows (``image_id, bbox, description_ids, scores``) or COCO-style rows
(``image_id, category_id`` or ``description_id``, ``bbox, score``), ``bbox`` as ``[x, y, w, h]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hoiscribe.eval.coco_tools import NO_GT, coco_from_dict, cocoeval, load_results, pooled_ap
from hoiscribe.eval.dod import read_json, result_row
from hoiscribe.eval.errors import EvalInputError

GROUPS: dict[str, tuple[str, ...]] = {"categ": ("C",), "descr": ("Dp", "Dn"), "descr-pos": ("Dp",)}


@dataclass(frozen=True)
class OmniLabelResult:
    """AP (percent) per group and the final harmonic mean; None means ``no ground truth``."""

    ap: dict[str, float | None]
    n_gt: dict[str, int]
    final: float | None
    predictions_used: int
    predictions_outside: int

    def as_dict(self) -> dict[str, Any]:
        show = {k: (NO_GT if v is None else round(v, 3)) for k, v in self.ap.items()}
        return {"AP": NO_GT if self.final is None else round(self.final, 3), "groups": show, "gt_boxes": self.n_gt,
                "predictions_used": self.predictions_used, "predictions_outside": self.predictions_outside}  # fmt: skip


def _descr_type(d: dict[str, Any]) -> str:
    kind = d.get("type") or (d.get("anno_info") or {}).get("type")
    return "D" if kind in ("D", "object_description", "description") else "C"


def _flat_predictions(preds: Any, source: str) -> list[dict[str, Any]]:
    if not isinstance(preds, list):
        raise EvalInputError(f"{source}: predictions must be a JSON list")
    out = []
    for i, p in enumerate(preds):
        try:
            if "description_ids" in p:
                pairs = list(zip(p["description_ids"], p["scores"], strict=True))
            else:
                pairs = [(p["description_id"] if "description_id" in p else p["category_id"], p["score"])]
            out += [result_row(p["image_id"], d, p["bbox"], s) for d, s in pairs]
        except (KeyError, TypeError, ValueError) as exc:
            raise EvalInputError(f"{source}: prediction [{i}]: {exc}") from exc
    return out


def evaluate_omnilabel_data(gt: dict[str, Any], preds: list[dict[str, Any]], source: str = "gt") -> OmniLabelResult:
    """OmniLabel AP of flat predictions against one ground-truth dict."""
    if not isinstance(gt, dict) or not {"images", "descriptions"} <= set(gt):
        raise EvalInputError(f"{source}: an OmniLabel file needs 'images' and 'descriptions'")
    images = {int(im["id"]) for im in gt["images"]}
    space = {(int(img), int(d["id"])) for d in gt["descriptions"] for img in d.get("image_ids", []) if img in images}
    kinds = {int(d["id"]): _descr_type(d) for d in gt["descriptions"]}
    anns = []
    for a in gt.get("annotations", []):
        for d in a.get("description_ids", []):
            if (int(a["image_id"]), int(d)) in space:
                x, y, w, h = (float(v) for v in a["bbox"])
                anns.append({"id": len(anns) + 1, "image_id": int(a["image_id"]), "category_id": int(d),
                             "bbox": [x, y, w, h], "area": w * h, "iscrowd": int(a.get("iscrowd", 0))})  # fmt: skip
    positive = {(a["image_id"], a["category_id"]) for a in anns}
    cell_type = {cell: kinds[cell[1]] + ("" if kinds[cell[1]] == "C" else "p" if cell in positive else "n")
                 for cell in space}  # fmt: skip
    used = [p for p in preds if (p["image_id"], p["category_id"]) in space]
    coco = coco_from_dict({"images": [{"id": i} for i in sorted(images)], "annotations": anns,
                           "categories": [{"id": d} for d in sorted(kinds)]})  # fmt: skip
    ap: dict[str, float | None] = {}
    n_gt: dict[str, int] = {}
    if used and anns:
        ev = cocoeval(coco, load_results(coco, used), all_areas_only=True)
        p = ev.params
        n_img = len(p.imgIds)
        cell_of = {(img, cat): ev.evalImgs[k * n_img + i] for k, cat in enumerate(p.catIds)
                   for i, img in enumerate(p.imgIds)}  # fmt: skip
        for name, types in GROUPS.items():
            cells = [cell_of.get(c) for c, t in cell_type.items() if t in types]
            value, n_gt[name] = pooled_ap(cells, np.asarray(p.iouThrs), np.asarray(p.recThrs))
            ap[name] = None if value is None else 100.0 * value
    for name, types in GROUPS.items():  # no detections (or no GT): AP 0 where GT exists
        if name not in ap:
            n_gt[name] = sum(1 for a in anns if cell_type[(a["image_id"], a["category_id"])] in types and
                             not a["iscrowd"])  # fmt: skip
            ap[name] = 0.0 if n_gt[name] else None
    c, d = ap["categ"], ap["descr"]
    final = None if c is None or d is None else (2 * c * d / (c + d) if c + d > 0 else 0.0)
    return OmniLabelResult(ap, n_gt, final, len(used), len(preds) - len(used))


def evaluate_omnilabel(gt_path: Path, predictions: Path) -> OmniLabelResult:
    preds = _flat_predictions(read_json(predictions), str(predictions))
    return evaluate_omnilabel_data(read_json(gt_path), preds, str(gt_path))
