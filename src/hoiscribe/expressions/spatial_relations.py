"""Relations between the referent and a landmark that boxes can weigh, but only loosely.

"next to", "between", "behind" and "with" (holding, wearing, under an umbrella) are not
settled by one coordinate the way "left of" is, so each verdict here is three-valued and
leans to "cannot tell": a relation is called false only when the boxes leave no reading
under which it holds (the target is far from every landmark while another object of its kind
is right beside one; the target lies outside every pair of landmarks on both axes; ...).
"""

from __future__ import annotations

from typing import Any, Protocol


class Boxed(Protocol):
    id: Any
    category: str
    box: tuple[float, float, float, float]

    @property
    def cx(self) -> float: ...

    @property
    def cy(self) -> float: ...


NEAR = 0.04  # box gaps under this fraction of the image diagonal count as touching
FAR = 0.15  # over this, an object is not "next to" another
MARGIN = 0.02  # centres this close (fraction of the extent) are level


def box_gap(a: Boxed, b: Boxed) -> float:
    """Distance between two boxes' edges (0 when they overlap), pixels."""
    dx = max(0.0, max(a.box[0], b.box[0]) - min(a.box[2], b.box[2]))
    dy = max(0.0, max(a.box[1], b.box[1]) - min(a.box[3], b.box[3]))
    return (dx * dx + dy * dy) ** 0.5


def x_overlap(a: Boxed, b: Boxed) -> bool:
    return min(a.box[2], b.box[2]) > max(a.box[0], b.box[0])


def y_overlap(a: Boxed, b: Boxed) -> bool:
    return min(a.box[3], b.box[3]) > max(a.box[1], b.box[1])


def _diag(size: tuple[int, int]) -> float:
    return float((size[0] ** 2 + size[1] ** 2) ** 0.5)


def next_to(target: Boxed, group: list[Boxed], marks: list[Boxed], size: tuple[int, int]) -> tuple[bool | None, str]:
    """True when the target touches a landmark and is its nearest of its kind; False when it is far
    from every landmark while another of its kind touches one; otherwise unknown."""
    if not marks:
        return None, "no landmark in the image"
    diag = _diag(size)
    mine = min(box_gap(target, m) for m in marks)
    rivals = [min(box_gap(o, m) for m in marks) for o in group if o is not target]
    best_rival = min(rivals) if rivals else float("inf")
    if mine <= NEAR * diag and mine <= best_rival:
        level = any(box_gap(target, m) <= NEAR * diag and y_overlap(target, m) for m in marks)
        if level:  # side by side; touching from above or below may not be "beside"
            return True, "it is beside it, the nearest of its kind"
        return None, "it touches it from above or below"
    if mine >= FAR * diag and best_rival <= NEAR * diag:
        return False, "it is far from it while another of its kind is beside it"
    return None, "not clearly beside it or apart from it"


def between(target: Boxed, marks: list[Boxed], size: tuple[int, int]) -> tuple[bool | None, str]:
    """Between two landmarks along x or y; false when outside all of them on both axes."""
    if len(marks) < 2:
        return None, "fewer than two landmarks"
    verdicts = []
    for pos, extent in ((lambda o: o.cx, size[0]), (lambda o: o.cy, size[1])):
        lo, hi = min(pos(m) for m in marks), max(pos(m) for m in marks)
        tol = MARGIN * extent
        if lo + tol < pos(target) < hi - tol:
            return True, "its centre lies between them"
        verdicts.append(pos(target) < lo - tol or pos(target) > hi + tol)
    if all(verdicts):
        return False, "its centre lies outside them on both axes"
    return None, "at the edge of the landmarks"


def behind(target: Boxed, group: list[Boxed], marks: list[Boxed]) -> tuple[bool | None, str]:
    """'behind' is depth; boxes only rule it out when the target is beside every landmark, not
    across it, while another of its kind overlaps one across."""
    if not marks:
        return None, "no landmark in the image"
    if any(x_overlap(target, m) for m in marks):
        return None, "it overlaps the landmark across"
    if any(x_overlap(o, m) for o in group if o is not target for m in marks):
        return False, "it is beside the landmark while another of its kind is behind or in front of it"
    return None, "depth is not in the boxes"


def with_object(
    target: Boxed, group: list[Boxed], marks: list[Boxed], size: tuple[int, int]
) -> tuple[bool | None, str]:
    """Holding / wearing / with X: some X box touches the target and no other of its kind is nearer to
    it (True); no X touches the target while one touches another of its kind (False)."""
    if not marks:
        return None, "no such object in the image"
    near = NEAR * _diag(size)
    owned = []
    for m in marks:
        mine = box_gap(target, m)
        others = [box_gap(o, m) for o in group if o is not target]
        if mine <= near and all(mine <= g for g in others):
            owned.append(m)
    if owned:
        return True, "one touches it and is nearer to it than to any other of its kind"
    if all(box_gap(target, m) > near for m in marks) and any(
        box_gap(o, m) <= near for o in group if o is not target for m in marks
    ):
        return False, "none touches it while one touches another of its kind"
    return None, "no clear owner"
