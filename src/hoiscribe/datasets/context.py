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


def _pairs_of(n: int) -> tuple[np.ndarray, np.ndarray]:
    got = _TRIU.get(n)
    if got is None:
        i, j = np.triu_indices(n, 1)
        got = _TRIU[n] = (i.astype(np.int64), j.astype(np.int64))
    return got


_TRIU: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def block_pairs(sizes: np.ndarray) -> tuple[np.ndarray, ...] | None:
    """Every pair (i < j) inside each block of ``sizes`` consecutive items: the block, i and j overall.
    None when no block has two items. Built per distinct size, not per block."""
    n = np.asarray(sizes, np.int64)
    starts = np.cumsum(n) - n
    parts = []
    for size in np.unique(n[n > 1]).tolist():
        blocks = np.flatnonzero(n == size)
        i, j = _pairs_of(size)
        parts.append((np.repeat(blocks, len(i)), np.tile(i, len(blocks)), np.tile(j, len(blocks))))
    if not parts:
        return None
    owner, li, lj = (np.concatenate([p[x] for p in parts]) for x in range(3))
    return owner, starts[owner] + li, starts[owner] + lj


class _Columns:
    """N x 4 boxes as contiguous columns and areas, for ``_same`` of many index pairs at once."""

    def __init__(self, boxes: np.ndarray) -> None:
        self.x1, self.y1, self.x2, self.y2 = (np.ascontiguousarray(boxes[:, c]) for c in range(4))
        self.area = (self.x2 - self.x1) * (self.y2 - self.y1)

    def same(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        x1a, y1a, x2a, y2a = self.x1[a], self.y1[a], self.x2[a], self.y2[a]
        x1b, y1b, x2b, y2b = self.x1[b], self.y1[b], self.x2[b], self.y2[b]
        iw = np.clip(np.minimum(x2a, x2b) - np.maximum(x1a, x1b), 0, None)
        ih = np.clip(np.minimum(y2a, y2b) - np.maximum(y1a, y1b), 0, None)
        inter = iw * ih
        union = self.area[a] + self.area[b] - inter
        iou = np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)
        return (iou >= SAME_BOX_IOU) | ((x1a == x1b) & (y1a == y1b) & (x2a == x2b) & (y2a == y2b))


def _groups(rows: np.ndarray, image: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows equal as tuples of floats (``-0.0 == 0.0``), grouped: (each group's first row, each row's
    group, groups per image); groups are ordered by image, and inside one image by the row's values."""
    _, first, inverse = np.unique(rows + 0.0, axis=0, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1), np.unique(image[first], return_counts=True)[1]


def many_images(
    image: np.ndarray, humans: np.ndarray, objects: np.ndarray, categories: np.ndarray, verbs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``distinct_people`` and ``pair_verbs`` for the pairs of many images at once, the comparisons in numpy.

    ``image`` is each pair's image (non-decreasing), ``humans`` / ``objects`` N x 4 boxes, ``categories``
    and ``verbs`` ids (verb ids in the order of the verbs' names). Returns per pair the people of its
    image and a bit mask (N x words, uint64) of the verbs of ``pair_verbs`` (``verb_mask_names``)."""
    col = image[:, None].astype(np.float64)
    # distinct people: the first occurrence of each distinct box, greedily, in the image's order
    first, _, _ = _groups(np.hstack([col, humans]), image)
    first = np.sort(first)  # first-occurrence order (image by image)
    blocks_of, counts = np.unique(image[first], return_counts=True)
    people = counts.copy()
    pairs = block_pairs(counts)
    if pairs is not None:
        owner, a, b = pairs
        hit = _Columns(humans[first]).same(a, b)
        owner, a, b = owner[hit], a[hit], b[hit]
        later = np.unique(b)  # boxes that overlap an earlier one
        block = np.repeat(np.arange(len(counts)), counts)
        people -= np.bincount(block[later], minlength=len(counts))  # right unless an overlap chains
        chained = np.unique(block[np.intersect1d(later, np.unique(a))])
        if len(chained):
            people[chained] = _greedy(chained, owner, a, b, np.cumsum(counts) - counts, counts)
    per_pair_people = people[np.searchsorted(blocks_of, image)]
    # pair verbs: groups of equal (person, object, category); same-category groups whose boxes are the same
    first_g, group, counts_g = _groups(np.hstack([col, humans, objects, categories[:, None]]), image)
    words = (int(verbs.max(initial=0)) >> 6) + 1
    mask = np.zeros((len(first_g), words), np.uint64)
    np.bitwise_or.at(mask, (group, verbs >> 6), np.left_shift(np.uint64(1), (verbs & 63).astype(np.uint64)))
    merged = mask.copy()
    pairs = block_pairs(counts_g)
    if pairs is not None:
        _, a, b = pairs
        same_category = np.flatnonzero(categories[first_g[a]] == categories[first_g[b]])
        a, b = a[same_category], b[same_category]
        hit = np.flatnonzero(_Columns(humans[first_g]).same(a, b))  # the person, then the object
        a, b = a[hit], b[hit]
        hit = _Columns(objects[first_g]).same(a, b)
        a, b = a[hit], b[hit]
        np.bitwise_or.at(merged, a, mask[b])
        np.bitwise_or.at(merged, b, mask[a])
    return per_pair_people, merged[group]


def _greedy(
    blocks: np.ndarray, owner: np.ndarray, a: np.ndarray, b: np.ndarray, starts: np.ndarray, counts: np.ndarray
) -> list[int]:
    """``distinct_people``'s greedy count for the given blocks, from their overlapping pairs (a < b)."""
    wanted = np.isin(owner, blocks)
    earlier: dict[int, dict[int, set[int]]] = {int(k): {} for k in blocks}
    for k, i, j in zip(owner[wanted].tolist(), a[wanted].tolist(), b[wanted].tolist(), strict=True):
        earlier[k].setdefault(j, set()).add(i)
    out = []
    for k in blocks.tolist():
        kept: set[int] = set()
        edges, s = earlier[k], int(starts[k])
        for j in range(s, s + int(counts[k])):
            e = edges.get(j)
            if e is None or e.isdisjoint(kept):
                kept.add(j)
        out.append(len(kept))
    return out


def verb_mask_names(mask: tuple[int, ...], names: Sequence[str]) -> list[str]:
    """The verb names of one row of ``many_images``' masks, in order (``names`` sorted, by id)."""
    out = []
    for w, bits in enumerate(mask):
        while bits:
            low = bits & -bits
            out.append(names[(w << 6) + low.bit_length() - 1])
            bits ^= low
    return out
