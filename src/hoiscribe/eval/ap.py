"""Pooled per-class matching and 11-point interpolated AP, vectorised over all classes at once.

The rules every HICO-DET / SWiG-HOI reference shares: per class, detections from all images are
pooled and sorted by score; each detection looks only at the GT pairs of its class in its image,
takes the *first* pair with the highest ``min(IoU_human, IoU_object)``, and is a true positive when
that overlap reaches ``min_iou`` and that pair is still unmatched. If the best pair is taken the
detection is a false positive (no fallback to the second-best pair).

Because the best pair of a detection never depends on earlier decisions, the greedy loop of the
references reduces to: among detections whose best pair is pair ``j`` (and overlap passes), the
first one in score order wins. That makes the whole evaluation a handful of sorts and segment
reductions, with no Python loop over detections or GT pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hoiscribe.eval.boxes import IoUMode, pairwise_iou


def matlab_colon(start: float, step: float, stop: float) -> tuple[float, ...]:
    """The values of MATLAB's ``start:step:stop``.

    MATLAB builds the first half as ``start + k*step`` and the second half as
    ``stop - k*step``, so ``0:0.1:1`` holds exactly 0.6 and 0.7 but 0.30000000000000004.
    """
    n = round((stop - start) / step)
    out = [0.0] * (n + 1)
    for k in range(n // 2 + 1):
        out[k] = start + k * step
        out[n - k] = stop - k * step
    return tuple(out)


# Recall thresholds of the 11-point AP, as each reference materialises them.
THRESHOLDS_MATLAB = matlab_colon(0.0, 0.1, 1.0)  # ho-rcnn ``for t = 0:0.1:1``
THRESHOLDS_PYTHON = tuple(float(t) for t in np.arange(0.0, 1.1, 0.1))  # QPIC / GEN-VLKT
THRESHOLDS_EXACT = tuple(i / 10.0 for i in range(11))  # THID / CMD-SE ``i / 10.0``


@dataclass(frozen=True)
class MatchRules:
    """How detections are matched and AP is integrated."""

    iou_mode: IoUMode
    thresholds: tuple[float, ...]
    min_iou: float = 0.5
    max_per_class: int | None = None  # keep only the top-N detections of each class


@dataclass(frozen=True)
class ClassStats:
    """Per-class results, arrays indexed by class id."""

    ap: np.ndarray  # float64; 0 where a class has no detections
    recall: np.ndarray  # final recall (0 where no detections or no GT)
    n_gt: np.ndarray  # int64 GT pairs
    n_det: np.ndarray  # int64 detections that were evaluated
    n_tp: np.ndarray  # int64 true positives
    det_tp: np.ndarray  # bool per input detection (False for FP and for detections cut off)
    det_evaluated: np.ndarray  # bool per input detection (False when cut by ``max_per_class``)


DENSE_KEY_LIMIT = 1 << 24  # above this many (class, image) keys, look keys up by binary search


def _segment_starts(sorted_keys: np.ndarray) -> np.ndarray:
    """Start offsets of runs of equal values in a sorted array."""
    if len(sorted_keys) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])


def score_order(score: np.ndarray) -> np.ndarray:
    """Indices by descending score, ties in input order (what a stable sort gives, but faster).

    An introsort does the bulk; only runs of equal scores are re-sorted by input position.
    """
    order = np.argsort(-score)
    s = score[order]
    tie = s[1:] == s[:-1]
    if tie.any():
        in_run = np.zeros(len(s), dtype=bool)
        in_run[1:] |= tie
        in_run[:-1] |= tie
        idx = np.flatnonzero(in_run)
        run = np.cumsum(np.r_[True, ~tie])[idx]
        order[idx] = order[idx][np.lexsort((order[idx], run))]
    return order


def grouped_score_order(group: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Indices by ``group`` ascending, then score descending, then input position."""
    by_score = score_order(score)
    g = group[by_score]
    if len(g) and g.min() >= 0 and g.max() < np.iinfo(np.int16).max:
        g = g.astype(np.int16)  # 16-bit keys get numpy's radix sort
    return by_score[np.argsort(g, kind="stable")]


def _key_lookup(gt_key: np.ndarray, det_key: np.ndarray, key_space: int) -> tuple[np.ndarray, np.ndarray]:
    """For each detection key: start (into GT sorted by key) and count of GT pairs with that key."""
    uniq, first, counts = np.unique(gt_key, return_index=True, return_counts=True)
    valid = det_key >= 0
    if key_space <= DENSE_KEY_LIMIT:
        table = np.full(key_space, -1, dtype=np.int32)
        table[uniq] = np.arange(len(uniq), dtype=np.int32)
        slot = np.where(valid, table[np.where(valid, det_key, 0)], -1)
    else:
        pos = np.minimum(np.searchsorted(uniq, det_key), len(uniq) - 1)
        slot = np.where(valid & (uniq[pos] == det_key), pos, -1)
    found = slot >= 0
    return np.where(found, first[slot], 0), np.where(found, counts[slot], 0)


def _best_pairs(
    det_key: np.ndarray,
    det_boxes: np.ndarray,
    det_rows: np.ndarray,
    gt_key: np.ndarray,
    gt_boxes: np.ndarray,
    key_space: int,
    iou_mode: IoUMode,
) -> tuple[np.ndarray, np.ndarray]:
    """Per detection, the overlap with its best GT pair of the same key and that pair's index (-1).

    Detection ``i`` has boxes ``det_boxes[det_rows[i]]``; only rows with candidates are gathered.
    Ties keep the first pair in GT order, as every reference's strict ``>`` scan does.
    """
    n_det = len(det_key)
    best_ov = np.zeros(n_det, dtype=np.float64)
    best_gt = np.full(n_det, -1, dtype=np.int64)
    if n_det == 0 or len(gt_key) == 0:
        return best_ov, best_gt
    gt_order = np.argsort(gt_key, kind="stable")
    start, counts = _key_lookup(gt_key[gt_order], det_key, key_space)
    has = np.flatnonzero(counts)
    if len(has) == 0:
        return best_ov, best_gt
    counts_has = counts[has]
    offsets = np.cumsum(counts_has) - counts_has
    total = int(counts_has.sum())
    seg = np.repeat(np.arange(len(has)), counts_has)
    gt_idx = gt_order[start[has][seg] + (np.arange(total) - offsets[seg])]
    cand_boxes = det_boxes[det_rows[has]][seg]
    ov = np.minimum(
        pairwise_iou(cand_boxes[:, :4], gt_boxes[gt_idx, :4], iou_mode),
        pairwise_iou(cand_boxes[:, 4:], gt_boxes[gt_idx, 4:], iou_mode),
    )
    seg_max = np.maximum.reduceat(ov, offsets)
    pos = np.where(ov == seg_max[seg], np.arange(total), total)
    first = np.minimum.reduceat(pos, offsets)
    best_ov[has] = seg_max
    best_gt[has] = gt_idx[first]
    return best_ov, best_gt


def evaluate_classes(
    n_classes: int,
    n_images: int,
    det_class: np.ndarray,
    det_image: np.ndarray,
    det_score: np.ndarray,
    det_boxes: np.ndarray,
    gt_class: np.ndarray,
    gt_image: np.ndarray,
    gt_boxes: np.ndarray,
    rules: MatchRules,
    det_can_match: np.ndarray | None = None,
) -> ClassStats:
    """Match pooled detections to GT pairs and compute per-class AP.

    Boxes are ``(n, 8)``: human xyxy then object xyxy. Detections must already be in tie-break
    order (image order, then input order): sorting by score keeps that order for equal scores.
    ``det_can_match`` False forces a detection to be a false positive (e.g. a failed label check).
    """
    det_class = np.asarray(det_class, dtype=np.int64)
    det_image = np.asarray(det_image, dtype=np.int64)
    gt_class = np.asarray(gt_class, dtype=np.int64)
    gt_image = np.asarray(gt_image, dtype=np.int64)
    n_det = len(det_class)
    n_gt = np.bincount(gt_class, minlength=n_classes).astype(np.int64)

    # Pooled order: class, then score descending, ties in image/input order.
    order = grouped_score_order(det_class, np.asarray(det_score, dtype=np.float64))
    cls_sorted = det_class[order]
    starts = _segment_starts(cls_sorted)
    seg_len = np.diff(np.r_[starts, len(order)])
    if rules.max_per_class is not None and len(order) and seg_len.max() > rules.max_per_class:
        rank = np.arange(len(order)) - np.repeat(starts, seg_len)
        keep = rank < rules.max_per_class
        order, cls_sorted = order[keep], cls_sorted[keep]
        starts = _segment_starts(cls_sorted)
        seg_len = np.diff(np.r_[starts, len(order)])

    n_img = np.int64(max(n_images, 1))
    det_key = cls_sorted * n_img + det_image[order]
    if det_can_match is not None:
        det_key = np.where(np.asarray(det_can_match, dtype=bool)[order], det_key, -1)
    best_ov, best_gt = _best_pairs(
        det_key,
        np.asarray(det_boxes, dtype=np.float64),
        order,
        gt_class * n_img + gt_image,
        np.asarray(gt_boxes, dtype=np.float64),
        int(n_classes * n_img),
        rules.iou_mode,
    )

    # Greedy assignment: the first detection (in pooled order) whose best pair is j takes j.
    passing = np.flatnonzero((best_gt >= 0) & (best_ov >= rules.min_iou))
    _, first = np.unique(best_gt[passing], return_index=True)
    tp_pos = np.sort(passing[first])  # positions (in pooled order) of the true positives

    n_det_cls = np.bincount(cls_sorted, minlength=n_classes).astype(np.int64)
    n_tp_cls = np.bincount(cls_sorted[tp_pos], minlength=n_classes).astype(np.int64)
    ap = np.zeros(n_classes, dtype=np.float64)
    recall = np.zeros(n_classes, dtype=np.float64)
    if len(tp_pos):
        # Precision only peaks at true positives (it falls with every false positive and recall
        # only grows at a true positive), so max precision at recall >= t is a max over the true
        # positives with recall >= t: the 11-point AP needs just those rows, not every detection.
        tp_cls = cls_sorted[tp_pos]
        tp_starts = _segment_starts(tp_cls)
        seg_cls = tp_cls[tp_starts]
        k = np.arange(1, len(tp_pos) + 1) - np.repeat(tp_starts, np.diff(np.r_[tp_starts, len(tp_pos)]))
        rank = tp_pos - starts[np.searchsorted(starts, tp_pos, side="right") - 1]
        rec = k / n_gt[tp_cls]
        prec = k / (rank + 1)
        for t in rules.thresholds:
            p = np.maximum.reduceat(np.where(rec >= t, prec, -1.0), tp_starts)
            ap[seg_cls] = ap[seg_cls] + np.where(p < 0, 0.0, p) / 11.0
        recall[seg_cls] = n_tp_cls[seg_cls] / n_gt[seg_cls]

    det_tp = np.zeros(n_det, dtype=bool)
    det_tp[order[tp_pos]] = True
    evaluated = np.zeros(n_det, dtype=bool)
    evaluated[order] = True
    return ClassStats(
        ap=ap,
        recall=recall,
        n_gt=n_gt,
        n_det=n_det_cls,
        n_tp=n_tp_cls,
        det_tp=det_tp,
        det_evaluated=evaluated,
    )
