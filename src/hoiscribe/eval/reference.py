"""A slow, literal per-detection loop of the reference protocol, kept to check the fast path.

It follows the shape of the reference evaluators (per class: sort by score, scan every GT pair
of the image, strict ``>`` for the best pair, greedy marking, 11-point AP) with plain Python
loops, so the tests and the benchmark can assert that :func:`hoiscribe.eval.ap.evaluate_classes`
returns bit-identical APs and measure how much faster it is. Not meant for real use.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from hoiscribe.eval.ap import MatchRules


def _iou(a: list[float], b: list[float], mode: str) -> float:
    if mode == "exclusive":
        w1, h1 = max(a[2] - a[0], 0.0), max(a[3] - a[1], 0.0)
        w2, h2 = max(b[2] - b[0], 0.0), max(b[3] - b[1], 0.0)
        iw = max(min(a[2], b[2]) - max(a[0], b[0]), 0.0)
        ih = max(min(a[3], b[3]) - max(a[1], b[1]), 0.0)
        if iw * ih <= 0:
            return 0.0
        return iw * ih / (w1 * h1 + w2 * h2 - iw * ih)
    lo_x, lo_y = max(a[0], b[0]), max(a[1], b[1])
    hi_x, hi_y = min(a[2], b[2]), min(a[3], b[3])
    iw, ih = hi_x - lo_x + 1.0, hi_y - lo_y + 1.0
    disjoint = (iw <= 0 or ih <= 0) if mode == "inclusive" else (hi_x <= lo_x or hi_y <= lo_y)
    if disjoint:
        return 0.0
    ua = (a[2] - a[0] + 1.0) * (a[3] - a[1] + 1.0) + (b[2] - b[0] + 1.0) * (b[3] - b[1] + 1.0) - iw * ih
    return iw * ih / ua


def reference_ap(
    n_classes: int,
    det_class: np.ndarray,
    det_image: np.ndarray,
    det_score: np.ndarray,
    det_boxes: np.ndarray,
    gt_class: np.ndarray,
    gt_image: np.ndarray,
    gt_boxes: np.ndarray,
    rules: MatchRules,
) -> tuple[np.ndarray, np.ndarray]:
    """Per-class AP and final recall, one detection and one GT pair at a time."""
    gts: dict[int, dict[int, list[list[float]]]] = defaultdict(lambda: defaultdict(list))
    for c, i, b in zip(gt_class.tolist(), gt_image.tolist(), gt_boxes.tolist(), strict=True):
        gts[c][i].append(b)
    dets: dict[int, list[tuple[float, int, list[float]]]] = defaultdict(list)
    for c, i, s, b in zip(det_class.tolist(), det_image.tolist(), det_score.tolist(), det_boxes.tolist(), strict=True):
        dets[c].append((s, i, b))
    ap = np.zeros(n_classes)
    rec_final = np.zeros(n_classes)
    for c in range(n_classes):
        per_image = gts.get(c, {})
        npos = sum(len(v) for v in per_image.values())
        ranked = sorted(dets.get(c, []), key=lambda d: -d[0])  # stable: ties keep input order
        if rules.max_per_class is not None:
            ranked = ranked[: rules.max_per_class]
        used: dict[int, set[int]] = defaultdict(set)
        hits: list[int] = []
        for _score, img, box in ranked:
            best, best_j = -1.0, -1
            for j, g in enumerate(per_image.get(img, [])):
                ov = min(_iou(box[:4], g[:4], rules.iou_mode), _iou(box[4:], g[4:], rules.iou_mode))
                if ov > best:
                    best, best_j = ov, j
            if best_j >= 0 and best >= rules.min_iou and best_j not in used[img]:
                used[img].add(best_j)
                hits.append(1)
            else:
                hits.append(0)
        if not hits or npos == 0:
            continue
        tp = np.cumsum(hits)
        rec = tp / npos
        prec = tp / np.arange(1, len(hits) + 1)
        total = 0.0
        for t in rules.thresholds:
            mask = rec >= t
            total = total + (float(np.max(prec[mask])) if mask.any() else 0.0) / 11.0
        ap[c] = total
        rec_final[c] = rec[-1]
    return ap, rec_final
