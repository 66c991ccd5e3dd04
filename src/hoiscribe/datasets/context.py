"""What one pair's facts need from the rest of its image: distinct people, and the verbs of a pair.

HICO repeats a person's box once per HOI label, so most boxes of an image are exact copies.
Grouping identical boxes with a dict first leaves a handful of distinct ones, whose overlaps are
checked in plain Python (numpy only for the rare crowded image): the same answer as a full
N x N IoU matrix per image, for a fraction of its cost.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SAME_BOX_IOU = 0.7  # two annotated boxes above this overlap are the same person / object
NUMPY_FROM = 24  # distinct boxes in one image from which one matrix beats pairwise Python

BoxKey = tuple[float, float, float, float]


def _iou(a: BoxKey, b: BoxKey) -> float:
    """IoU in the same operation order as ``iou_matrix`` (bit-identical results)."""
    iw = min(a[2], b[2]) - max(a[0], b[0])
    ih = min(a[3], b[3]) - max(a[1], b[1])
    inter = (iw if iw > 0 else 0.0) * (ih if ih > 0 else 0.0)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _same(a: BoxKey, b: BoxKey) -> bool:
    return a == b or _iou(a, b) >= SAME_BOX_IOU


def iou_matrix(boxes: np.ndarray) -> np.ndarray:
    """Pairwise IoU of N x 4 xyxy boxes; identical boxes count as 1 even when degenerate."""
    iw = np.clip(
        np.minimum(boxes[:, None, 2], boxes[None, :, 2]) - np.maximum(boxes[:, None, 0], boxes[None, :, 0]), 0, None
    )
    ih = np.clip(
        np.minimum(boxes[:, None, 3], boxes[None, :, 3]) - np.maximum(boxes[:, None, 1], boxes[None, :, 1]), 0, None
    )
    inter = iw * ih
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    union = area[:, None] + area[None, :] - inter
    iou = np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)
    return np.where((boxes[:, None, :] == boxes[None, :, :]).all(-1), 1.0, iou)


def _same_matrix(keys: Sequence[BoxKey]) -> np.ndarray:
    return iou_matrix(np.array(keys, dtype=np.float64)) >= SAME_BOX_IOU


def distinct_people(person_boxes: Sequence[BoxKey]) -> int:
    """People in an image: boxes kept greedily in order, each unless it overlaps a kept one.

    An exact copy of an earlier box is never kept (the earlier one, or the box that covered it,
    covers it too), so only the first occurrence of each distinct box is looked at."""
    distinct = list(dict.fromkeys(person_boxes))
    kept: list[int] = []
    if len(distinct) >= NUMPY_FROM:
        same = _same_matrix(distinct)
        for i in range(len(distinct)):
            if not same[i, kept].any():
                kept.append(i)
        return len(kept)
    kept_boxes: list[BoxKey] = []
    for box in distinct:  # distinct: never equal to a kept box, so only the overlap decides
        for other in kept_boxes:
            if _iou(box, other) >= SAME_BOX_IOU:
                break
        else:
            kept_boxes.append(box)
    return len(kept_boxes)


PairKey = tuple[BoxKey, BoxKey, str]  # person box, object box, object category


def pair_verbs(keys: Sequence[PairKey], verbs: Sequence[str]) -> list[list[str]]:
    """Per pair, every verb given to the same person-object pair (both boxes the same, same category)."""
    groups: dict[PairKey, set[str]] = {}
    for key, verb in zip(keys, verbs, strict=True):
        groups.setdefault(key, set()).add(verb)
    distinct = list(groups)
    if len(distinct) == 1:
        only = sorted(groups[distinct[0]])
        return [list(only) for _ in keys]
    n = len(distinct)
    if n >= NUMPY_FROM:
        same = _same_matrix([k[0] for k in distinct]) & _same_matrix([k[1] for k in distinct])
        cats = np.array([k[2] for k in distinct])
        same &= cats[:, None] == cats[None, :]
        related = [np.flatnonzero(same[i]).tolist() for i in range(n)]
    else:  # symmetric: each pair of groups of one category looked at once (most images: one per category)
        related = [[i] for i in range(n)]
        by_category: dict[str, list[int]] = {}
        for i, k in enumerate(distinct):
            by_category.setdefault(k[2], []).append(i)
        for members in by_category.values():
            for x, i in enumerate(members):
                a = distinct[i]
                a0, a1 = a[0], a[1]
                for j in members[x + 1 :]:
                    b0, b1 = distinct[j][0], distinct[j][1]  # _same inlined: this loop runs per pair of groups
                    if (a0 == b0 or _iou(a0, b0) >= SAME_BOX_IOU) and (a1 == b1 or _iou(a1, b1) >= SAME_BOX_IOU):
                        related[i].append(j)
                        related[j].append(i)
    merged = {}
    for key, rel in zip(distinct, related, strict=True):
        merged[key] = sorted(groups[key]) if len(rel) == 1 else sorted(set().union(*(groups[distinct[j]] for j in rel)))
    return [list(merged[k]) for k in keys]
