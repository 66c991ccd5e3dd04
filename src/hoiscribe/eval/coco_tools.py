"""pycocotools plumbing shared by the described-detection metrics (D-cube, OmniLabel).

COCO objects are built from dicts (no temp files), pycocotools' console chatter is silenced,
and the COCO 101-point interpolated precision is available for detections pooled over any
set of (image, category) cells, which OmniLabel needs and plain ``COCOeval.accumulate``
(one curve per category) does not give.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from typing import Any

import numpy as np

NO_GT = "no ground truth"


def coco_from_dict(data: dict[str, Any]) -> Any:
    """A ``pycocotools.coco.COCO`` over an in-memory dataset dict."""
    from pycocotools.coco import COCO

    coco = COCO()
    coco.dataset = {"images": data.get("images", []), "annotations": data.get("annotations", []),
                    "categories": data.get("categories", [])}  # fmt: skip
    with contextlib.redirect_stdout(io.StringIO()):
        coco.createIndex()
    return coco


def load_results(gt: Any, detections: list[dict[str, Any]]) -> Any:
    """``gt.loadRes`` without its prints; detections need ``image_id, category_id, bbox, score``."""
    with contextlib.redirect_stdout(io.StringIO()):
        return gt.loadRes([dict(d) for d in detections])


def cocoeval(gt: Any, dt: Any, max_dets: int = 100, all_areas_only: bool = False) -> Any:
    """A ``COCOeval`` (bbox) that has run ``evaluate``; ``all_areas_only`` keeps the 'all' area range."""
    from pycocotools.cocoeval import COCOeval

    ev = COCOeval(gt, dt, "bbox")
    if all_areas_only:
        ev.params.areaRng = [[0.0, 1e10]]
        ev.params.areaRngLbl = ["all"]
        ev.params.maxDets = [max_dets]
    with contextlib.redirect_stdout(io.StringIO()):
        ev.evaluate()
    return ev


def pooled_ap(cells: Sequence[dict[str, Any]], iou_thrs: np.ndarray, rec_thrs: np.ndarray,
              max_dets: int = 100) -> tuple[float | None, int]:  # fmt: skip
    """(AP averaged over IoU thresholds, number of counted GT) for ``evaluateImg`` cells pooled.

    Detections of all cells are ranked together by score (mergesort, as COCO does); precision
    is made monotone from the right and read at each recall threshold (0 past the last recall).
    None when the cells hold no GT that counts.
    """
    cells = [c for c in cells if c is not None]
    if not cells:
        return None, 0
    scores = np.concatenate([c["dtScores"][:max_dets] for c in cells])
    order = np.argsort(-scores, kind="mergesort")
    matched = np.concatenate([c["dtMatches"][:, :max_dets] for c in cells], axis=1)[:, order]
    ignored = np.concatenate([c["dtIgnore"][:, :max_dets] for c in cells], axis=1)[:, order]
    n_gt = int(np.count_nonzero(np.concatenate([c["gtIgnore"] for c in cells]) == 0))
    if n_gt == 0:
        return None, 0
    counted = np.logical_not(ignored)
    tps = np.cumsum(np.logical_and(matched, counted), axis=1).astype(float)
    fps = np.cumsum(np.logical_and(np.logical_not(matched), counted), axis=1).astype(float)
    aps = []
    for tp, fp in zip(tps, fps, strict=True):
        if len(tp) == 0:
            aps.append(0.0)
            continue
        recall = tp / n_gt
        precision = np.maximum.accumulate((tp / (tp + fp + np.spacing(1)))[::-1])[::-1]
        idx = np.searchsorted(recall, rec_thrs, side="left")
        q = np.where(idx < len(precision), precision[np.minimum(idx, len(precision) - 1)], 0.0)
        aps.append(float(q.mean()))
    return float(np.mean(aps)), n_gt
