"""Element-wise box IoU under the three pixel conventions used by HOI reference evaluators.

Each reference computes IoU with a slightly different formula, and the differences decide
true positives at the 0.5 boundary, so each is reproduced operation for operation:

- ``inclusive`` (official ho-rcnn MATLAB): widths ``x2 - x1 + 1``; overlap when the inclusive
  intersection width and height are both > 0.
- ``inclusive_strict`` (QPIC / GEN-VLKT Python): same areas, but the boxes count as disjoint
  unless ``min(x2) > max(x1)`` and ``min(y2) > max(y1)`` (a one-pixel touch gives 0).
- ``exclusive`` (THID / CMD-SE SWiG-HOI): widths ``x2 - x1`` clamped at 0, no ``+ 1``.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

IoUMode = Literal["inclusive", "inclusive_strict", "exclusive"]
IOU_MODES: tuple[IoUMode, ...] = ("inclusive", "inclusive_strict", "exclusive")


def pairwise_iou(a: np.ndarray, b: np.ndarray, mode: IoUMode) -> np.ndarray:
    """IoU of ``a[i]`` with ``b[i]`` for two ``(n, 4)`` xyxy arrays (row-aligned, not all pairs)."""
    ax1, ay1, ax2, ay2 = a[:, 0], a[:, 1], a[:, 2], a[:, 3]
    bx1, by1, bx2, by2 = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
    lo_x = np.maximum(ax1, bx1)
    lo_y = np.maximum(ay1, by1)
    hi_x = np.minimum(ax2, bx2)
    hi_y = np.minimum(ay2, by2)
    if mode == "exclusive":
        iw = np.maximum(hi_x - lo_x, 0.0)
        ih = np.maximum(hi_y - lo_y, 0.0)
        inter = iw * ih
        area_a = np.maximum(ax2 - ax1, 0.0) * np.maximum(ay2 - ay1, 0.0)
        area_b = np.maximum(bx2 - bx1, 0.0) * np.maximum(by2 - by1, 0.0)
        overlap = inter > 0
    elif mode in ("inclusive", "inclusive_strict"):
        iw = hi_x - lo_x + 1.0
        ih = hi_y - lo_y + 1.0
        inter = iw * ih
        area_a = (ax2 - ax1 + 1.0) * (ay2 - ay1 + 1.0)
        area_b = (bx2 - bx1 + 1.0) * (by2 - by1 + 1.0)
        overlap = (iw > 0) & (ih > 0) if mode == "inclusive" else (hi_x > lo_x) & (hi_y > lo_y)
    else:
        raise ValueError(f"unknown IoU mode {mode!r}; choose one of {', '.join(IOU_MODES)}")
    union = area_a + area_b - inter
    out = np.zeros(len(a), dtype=np.float64)
    np.divide(inter, union, out=out, where=overlap)
    return out
