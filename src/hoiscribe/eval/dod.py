"""D-cube (described object detection) AP: FULL, PRES and ABS, COCO AP over its annotation files.

D-cube ships its ground truth as three COCO-style files whose categories are descriptions
(``d3_full_annotations.json``: all; ``d3_pres_annotations.json``: presence descriptions;
``d3_abs_annotations.json``: absence descriptions) and scores a COCO result list with plain
``COCOeval``. Predictions for images or descriptions a subset does not hold are left out of
that subset (and counted). A subset without any ground-truth box reports ``no ground truth``
instead of COCO's -1.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from hoiscribe.eval.coco_tools import NO_GT, coco_from_dict, cocoeval, load_results
from hoiscribe.eval.errors import EvalInputError

SUBSET_FILES = {"FULL": "d3_full_annotations.json", "PRES": "d3_pres_annotations.json",
                "ABS": "d3_abs_annotations.json"}  # fmt: skip


@dataclass(frozen=True)
class SubsetResult:
    """COCO AP of one subset in percent; None (``no ground truth``) when it has no GT box."""

    name: str
    ap: float | None
    ap50: float | None
    ap75: float | None
    n_gt: int
    n_categories: int
    predictions_used: int
    predictions_outside: int

    def as_dict(self) -> dict[str, Any]:
        vals = {k: (NO_GT if v is None else round(v, 3)) for k, v in (("AP", self.ap), ("AP50", self.ap50),
                                                                       ("AP75", self.ap75))}  # fmt: skip
        return {"subset": self.name, **vals, "gt_boxes": self.n_gt, "descriptions": self.n_categories,
                "predictions_used": self.predictions_used, "predictions_outside": self.predictions_outside}  # fmt: skip


def read_json(path: Path) -> Any:
    try:
        return orjson.loads(Path(path).read_bytes())
    except orjson.JSONDecodeError as exc:
        raise EvalInputError(f"{path}: not JSON ({exc})") from exc


def check_predictions(preds: Any, source: str) -> list[dict[str, Any]]:
    """COCO result rows (``image_id, category_id, bbox [x, y, w, h], score``), validated."""
    if not isinstance(preds, list):
        raise EvalInputError(f"{source}: predictions must be a JSON list")
    out = []
    for i, p in enumerate(preds):
        try:
            out.append(result_row(p["image_id"], p["category_id"], p["bbox"], p["score"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise EvalInputError(f"{source}: prediction [{i}]: {exc}") from exc
    return out


def result_row(image_id: Any, category_id: Any, bbox: Any, score: Any) -> dict[str, Any]:
    """One COCO result row with its types checked (raises ``ValueError`` / ``TypeError``)."""
    box = [float(v) for v in bbox]
    if len(box) != 4:
        raise ValueError("bbox needs 4 numbers")
    return {"image_id": int(image_id), "category_id": int(category_id), "bbox": box, "score": float(score)}


def coco_subset_ap(name: str, gt_data: dict[str, Any], preds: list[dict[str, Any]]) -> SubsetResult:
    """COCO AP / AP50 / AP75 of ``preds`` against one COCO-style GT dict."""
    gt = coco_from_dict(gt_data)
    images, cats = set(gt.getImgIds()), set(gt.getCatIds())
    used = [p for p in preds if p["image_id"] in images and p["category_id"] in cats]
    n_gt = sum(1 for a in gt_data.get("annotations", []) if not a.get("iscrowd", 0))
    base = {"name": name, "n_gt": n_gt, "n_categories": len(cats), "predictions_used": len(used),
            "predictions_outside": len(preds) - len(used)}  # fmt: skip
    if n_gt == 0:
        return SubsetResult(ap=None, ap50=None, ap75=None, **base)
    if not used:
        return SubsetResult(ap=0.0, ap50=0.0, ap75=0.0, **base)
    ev = cocoeval(gt, load_results(gt, used))
    with contextlib.redirect_stdout(io.StringIO()):
        ev.accumulate()
        ev.summarize()
    ap, ap50, ap75 = (None if s < 0 else 100.0 * float(s) for s in ev.stats[:3])
    return SubsetResult(ap=ap, ap50=ap50, ap75=ap75, **base)


def evaluate_dod(gt: dict[str, Path], predictions: Path) -> list[SubsetResult]:
    """AP of one prediction file on each given subset file (``{"FULL": path, ...}``)."""
    preds = check_predictions(read_json(predictions), str(predictions))
    out = []
    for name, path in gt.items():
        data = read_json(path)
        if not isinstance(data, dict) or not {"images", "categories"} <= set(data):
            raise EvalInputError(f"{path}: a D-cube annotation file needs 'images' and 'categories'")
        out.append(coco_subset_ap(name, data, preds))
    return out


def subset_files(annotations: Path) -> dict[str, Path]:
    """The D-cube subset files present in a folder (FULL, PRES, ABS), or the one file given."""
    annotations = Path(annotations)
    if annotations.is_file():
        return {"FULL": annotations}
    found = {name: annotations / f for name, f in SUBSET_FILES.items() if (annotations / f).is_file()}
    if not found:
        raise EvalInputError(f"{annotations}: none of {', '.join(SUBSET_FILES.values())} found")
    return found
