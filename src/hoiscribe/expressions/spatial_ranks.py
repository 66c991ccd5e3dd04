"""Extremes and ranks of boxes along a side or a size: the single leftmost, the second largest, rows and stacks.

``spatial_claims`` and ``spatial_landmarks`` ask here whether a box is the one extreme of its group (None on
a tie), its 1-based rank counted from a side (None when a neighbour is level with it), and whether a group
lies in a row or a stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hoiscribe.expressions.spatial import SpatialObject

_TIE_PX = 0.5  # coordinates this close count as equal (no unique extreme, no rank)

_KEYS = {
    "left": lambda o: o.cx,
    "right": lambda o: -o.cx,
    "top": lambda o: o.cy,
    "bottom": lambda o: -o.cy,
    "largest": lambda o: -o.area,
    "smallest": lambda o: o.area,
    "tallest": lambda o: -(o.box[3] - o.box[1]),
    "shortest": lambda o: o.box[3] - o.box[1],
    "widest": lambda o: -(o.box[2] - o.box[0]),
    "narrowest": lambda o: o.box[2] - o.box[0],
}
_SIZE_KEYS = frozenset({"largest", "smallest", "tallest", "shortest", "widest", "narrowest"})


def is_extreme(target: SpatialObject, group: list[SpatialObject], value: str) -> bool | None:
    """True when ``target`` is the single most ``value`` object of ``group``; None on a tie."""
    key = _KEYS[value]
    mine = key(target)
    others = [key(o) for o in group if o is not target]
    if not others:
        return True
    best = min(others)
    tol = _TIE_PX if value not in _SIZE_KEYS else max(1.0, 0.01 * abs(mine))
    if mine < best - tol:
        return True
    if mine <= best + tol:
        return None
    return False


def rank_of(target: SpatialObject, group: list[SpatialObject], direction: str) -> int | None:
    """1-based position of ``target`` counted from ``direction``; None when a neighbour ties with it."""
    key = _KEYS[direction]
    mine = key(target)
    others = [key(o) for o in group if o is not target]
    tol = _TIE_PX if direction not in _SIZE_KEYS else max(1.0, 0.05 * abs(mine))  # sizes: 5% apart or level
    if any(abs(v - mine) <= tol for v in others):
        return None
    return 1 + sum(1 for v in others if v < mine)


def _in_a_row(group: list[SpatialObject]) -> bool:
    """'the second cup' without 'from the left' counts from the left only along a row: the group spreads
    at least twice as far across as up and down."""
    xs, ys = [o.cx for o in group], [o.cy for o in group]
    return max(xs) - min(xs) >= 2 * (max(ys) - min(ys))


def _in_a_column(group: list[SpatialObject]) -> bool:
    """A stack: the group spreads at least twice as far up and down as across."""
    xs, ys = [o.cx for o in group], [o.cy for o in group]
    return max(ys) - min(ys) >= 2 * (max(xs) - min(xs))
