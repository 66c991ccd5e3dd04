"""Relations between the referent and a landmark that boxes can weigh, but only loosely.

"next to", "between", "behind" and "with" (holding, wearing, under an umbrella) are not
settled by one coordinate the way "left of" is, so each verdict here is three-valued and
leans to "cannot tell": a relation is called false only when the boxes leave no reading
under which it holds (the target is far from every landmark while another object of its kind
is right beside one; the target lies outside every pair of landmarks on both axes; ...).
"""

from __future__ import annotations

from typing import Any, Protocol

from hoiscribe.expressions.spatial_types import Claim


class Boxed(Protocol):
    id: Any
    category: str
    box: tuple[float, float, float, float]

    @property
    def cx(self) -> float: ...

    @property
    def cy(self) -> float: ...


_FURNITURE = frozenset({"chair", "couch", "bench", "bed", "toilet", "dining table"})  # a person overlapping one sits
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


def next_to(
    target: Boxed,
    group: list[Boxed],
    marks: list[Boxed],
    size: tuple[int, int],
    beside: bool = True,
    scene: list[Boxed] | None = None,
) -> tuple[bool | None, str]:
    """True when the target touches a landmark and is its nearest of its kind (``beside``: side by side,
    not above or below it, which "near" allows); False when it is far from every landmark while another of
    its kind touches one; otherwise unknown."""
    if not marks:
        return None, "no landmark in the image"
    group = [o for o in group if o is target or all(o is not m for m in marks)]  # "next to the leftmost person"
    diag = _diag(size)
    mine = min(box_gap(target, m) for m in marks)
    rivals = [min(box_gap(o, m) for m in marks) for o in group if o is not target]
    best_rival = min(rivals) if rivals else float("inf")
    # near: touching and the nearest of its kind, or by far the nearest ("the bird near the pole" of a flock)
    by_far = bool(rivals) and mine <= 2 * NEAR * diag and best_rival >= max(FAR * diag, 3 * mine)
    # the nearest of its kind on its own side of one landmark: with one on each side of the dog, both are next to
    # it; a dog beside the man on the right is next to him though another dog stands by the man on the left
    nearest = [m for m in marks if _nearest_on_its_side(target, group, m, NEAR * diag)]
    if nearest or by_far:
        level = any(box_gap(target, m) <= 2 * NEAR * diag and y_overlap(target, m) for m in nearest or marks)
        if level or not beside:  # side by side; touching from above or below may not be "beside"
            return True, "it is beside it, the nearest of its kind"
        return None, "it touches it from above or below"
    if mine >= FAR * diag and best_rival <= NEAR * diag:
        return False, "it is far from it while another of its kind is beside it"
    if mine > NEAR * diag and any(_against(o, m) for o in group if o is not target for m in marks):
        return False, "it is clear of it while another of its kind is against it"
    level = [box_gap(o, m) for o in group if o is not target for m in marks if y_overlap(o, m) and not _seated(o, m)]
    if level and mine >= 2.5 * NEAR * diag and min(level) <= NEAR / 2 * diag and mine >= 5 * min(level):
        return False, "it is well apart from it while another of its kind is right beside it"
    if mine >= FAR * diag and best_rival <= 2 * NEAR * diag and mine >= 3 * best_rival:
        return False, "it is far from it while another of its kind is by far nearer"
    if mine >= 2 * FAR * diag:
        return False, "it is far from every one of them"
    if scene and mine >= 2 * NEAR * diag and all(_walled(target, m, scene) for m in marks):
        return False, "other things stand between it and every one of them"
    return None, "not clearly beside it or apart from it"


def kin_between(target: Boxed, m: Boxed, scene: list[Boxed], size: tuple[int, int]) -> bool:
    """'beside the first suitcase' when another suitcase stands in the gap between them, touching the target: it is
    beside that one, not the one named (the named one itself does not touch it)."""
    touch = NEAR * _diag(size)
    kin = [o for o in scene if o.category == m.category and o is not m and box_gap(o, target) <= touch]
    return box_gap(target, m) > touch and _walled(target, m, kin)


def _nearest_on_its_side(target: Boxed, group: list[Boxed], m: Boxed, touch: float) -> bool:
    """The target touches ``m`` and no other of its kind on the same side of ``m`` is nearer to it."""
    gap = box_gap(target, m)
    side = target.cx - m.cx
    return gap <= touch and all(box_gap(o, m) >= gap for o in group if o is not target and (o.cx - m.cx) * side > 0)


def _walled(a: Boxed, m: Boxed, scene: list[Boxed]) -> bool:
    """Another object stands between ``a`` and ``m`` side by side: its box lies in the gap across and is
    level with both (so ``a`` is not next to ``m`` but next to it)."""
    lo, hi = sorted((a, m), key=lambda o: o.box[0])
    left, right = lo.box[2], hi.box[0]
    if right - left <= 0:
        return False
    return any(
        o is not a and o is not m and left - 0.5 <= o.box[0] and o.box[2] <= right + 0.5 and y_overlap(o, a)
        and y_overlap(o, m)
        for o in scene
    )  # fmt: skip


def interposed(target: Boxed, marks: list[Boxed], scene: list[Boxed]) -> bool:
    """Another thing stands wholly in the gap across between the target and one of ``marks``, level with the
    target: 'sandwiched between the bowl and the knife' is false with a cup between it and the knife."""
    for m in marks:
        lo, hi = sorted((target, m), key=lambda o: o.box[0])
        left, right = lo.box[2], hi.box[0]
        if right - left <= 0:
            continue
        if any(
            o is not target and o not in marks and left - 0.5 <= o.box[0] and o.box[2] <= right + 0.5
            and y_overlap(o, target)
            for o in scene
        ):  # fmt: skip
            return True
    return False


def between(target: Boxed, marks: list[Boxed], size: tuple[int, int], strong: bool = False) -> tuple[bool | None, str]:
    """Between landmarks along the axis they are spread along (either, when spread about as much on both);
    false when outside them on every such axis (between them up and down only while off to the side of both
    counts as outside). ``strong`` (for "not between"): true only when it is also in line with them across that
    axis."""
    if len(marks) < 2:
        return None, "fewer than two landmarks"
    spans = [(min(p(m) for m in marks), max(p(m) for m in marks), MARGIN * e)
             for p, e in ((lambda o: o.cx, size[0]), (lambda o: o.cy, size[1]))]  # fmt: skip
    widest = max(hi - lo for lo, hi, _ in spans)
    outside = []
    for axis, pos in enumerate((target.cx, target.cy)):
        lo, hi, tol = spans[axis]
        if hi - lo <= 2 * tol or hi - lo < 0.5 * widest:
            continue  # the landmarks are level along this axis: nothing lies between them along it
        if lo + tol < pos < hi - tol:
            olo, ohi, otol = spans[1 - axis]
            other, half = (target.cy, _half(target, 0)) if axis == 0 else (target.cx, _half(target, 1))
            in_line = olo - otol - half <= other <= ohi + otol + half or all(
                (y_overlap if axis == 0 else x_overlap)(target, m) for m in marks
            )  # a bench between two people: its box level with both of theirs
            if in_line or (axis == 0 and not strong):
                return True, "its centre lies between them" + (", in line with them" if strong else "")
            if strong:
                return None, "between them along one axis only"
            outside.append(True)  # between them up and down only, off to the side of both: not between them
            continue
        outside.append(pos < lo - tol or pos > hi + tol)
    if outside and all(outside):
        return False, "its centre lies outside them along the line they make"
    return None, "at the edge of the landmarks"


def _half(target: Boxed, axis: int) -> float:
    """Half the target's extent across ``axis`` (its height for a row along x)."""
    return (target.box[3] - target.box[1]) / 2 if axis == 0 else (target.box[2] - target.box[0]) / 2


def behind(
    target: Boxed, group: list[Boxed], marks: list[Boxed], size: tuple[int, int] | None = None
) -> tuple[bool | None, str]:
    """'behind' is depth; boxes only rule it out when the target is beside every landmark, not
    across it, while another of its kind overlaps one across, or (given the image ``size``) when it is
    clear of every landmark, off to its side (in line with it, the boxes would overlap across)."""
    if not marks:
        return None, "no landmark in the image"
    if any(x_overlap(target, m) for m in marks):
        return None, "it overlaps the landmark across"
    if any(x_overlap(o, m) for o in group if o is not target for m in marks):
        return False, "it is beside the landmark while another of its kind is behind or in front of it"
    if size is not None and all(box_gap(target, m) > NEAR * _diag(size) for m in marks):
        return False, "it is off to the side of every one, clear of it: not in line with it"
    return None, "depth is not in the boxes"


def overlaps_own(
    target: Boxed, group: list[Boxed], marks: list[Boxed], frac: float = 0.0, touch: float = 0.0
) -> tuple[bool | None, str]:
    """For "without X" / "empty": true only when an X box overlaps the target (by more than ``frac`` of the
    smaller box) and no other of its kind; otherwise unknown (an X near it may be someone else's). With
    ``touch`` (pixels), an X resting on it or held just over it, in line across or up and down, also counts
    (a helmet on a bike's top edge, an umbrella over a head) when no other of its kind is that close."""
    for m in marks:
        alone = all(box_gap(o, m) > touch for o in group if o is not target)
        if x_overlap(target, m) and y_overlap(target, m) and alone and shared(target, m) > frac:
            return True, "one overlaps it and no other of its kind"
        clear = all(box_gap(o, m) > 0 for o in group if o is not target)  # others only come near it
        if clear and shared(target, m) >= max(0.3, frac):  # "the bus without a car": one covers a third of it
            return True, "a good part of one lies over it and no other of its kind meets it"
        if touch and alone and box_gap(target, m) <= touch and (x_overlap(target, m) or y_overlap(target, m)):
            return True, "one rests against it and no other of its kind"
    return None, "no X overlaps it alone"


def contained(inner: Boxed, outer: Boxed) -> bool:
    """Most of ``inner``'s box (80%) lies inside ``outer``'s, and it is the smaller: in the bowl, on the plate."""
    w = min(inner.box[2], outer.box[2]) - max(inner.box[0], outer.box[0])
    h = min(inner.box[3], outer.box[3]) - max(inner.box[1], outer.box[1])
    area_in = (inner.box[2] - inner.box[0]) * (inner.box[3] - inner.box[1])
    area_out = (outer.box[2] - outer.box[0]) * (outer.box[3] - outer.box[1])
    return area_in > 0 and area_in < area_out and max(0.0, w) * max(0.0, h) >= 0.8 * area_in


def shared(a: Boxed, b: Boxed) -> float:
    """Intersection over the smaller box's area."""
    w = min(a.box[2], b.box[2]) - max(a.box[0], b.box[0])
    h = min(a.box[3], b.box[3]) - max(a.box[1], b.box[1])
    area = min((a.box[2] - a.box[0]) * (a.box[3] - a.box[1]), (b.box[2] - b.box[0]) * (b.box[3] - b.box[1]))
    return max(0.0, w) * max(0.0, h) / area if area > 0 else 0.0


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


def at_landmark(target: Boxed, group: list[Boxed], marks: list[Boxed], size: tuple[int, int]) -> list[Boxed] | None:
    """Those of ``group`` at a landmark (touching one of ``marks``), for "the cup at the far right end of the
    table": the whole group when no landmark is in the image; None when the target is clear of every one."""
    if not marks:
        return group
    touch = NEAR * _diag(size)
    at = [o for o in group if any(box_gap(o, m) <= touch for m in marks)]
    return at if target in at else None


def _meets(a: Boxed, b: Boxed) -> bool:
    return x_overlap(a, b) and y_overlap(a, b)


def _against(a: Boxed, b: Boxed) -> bool:
    """``a``'s box meets ``b``'s, and not as a person sitting on or at furniture, either way round (the people on the
    bench are on it, not next to it; the chair a man sits on is under him, not next to him)."""
    return _meets(a, b) and not _seated(a, b)


def _seated(a: Boxed, b: Boxed) -> bool:
    return bool({a.category, b.category} & _FURNITURE) and "person" in (a.category, b.category)


def over_another(claim: Claim, target: Boxed, marks: list[Boxed], objects: list[Boxed]) -> str | None:
    """'the umbrella above the second person' when it is clear across of that person and right over another
    person: the phrase names one landmark of several and the target is in line with a different one."""
    if claim.value not in ("top", "bottom") or claim.negated or claim.mark_extreme is None or len(marks) != 1:
        return None
    named = marks[0]
    if x_overlap(target, named):
        return None
    sign = 1.0 if claim.value == "top" else -1.0  # above: a smaller centre y; below: a larger one
    others = [o for o in objects if o.category == named.category and o is not named and o is not target]
    for o in others:
        if x_overlap(target, o) and sign * target.cy < sign * o.cy - 0.5:
            return f"{o.category} {o.id}"
    return None


def named_rival(
    claim: Claim, target: Boxed, marks: list[Boxed], objects: list[Boxed], size: tuple[int, int]
) -> str | None:
    """'next to the first glass', 'in the smallest boat', 'in front of the smallest horse': the phrase names one
    landmark of several, and the target is clear of it while it touches (for 'behind' / 'in front of': is in
    line across with) another of that kind: the other one, described; None when that is not so."""
    if claim.kind == "between" or (claim.mark_extreme is None) or len(marks) != 1 or claim.unsure:
        return None
    named = marks[0]
    others = [o for o in objects if o.category == named.category and o is not named and o is not target]
    diag = (size[0] ** 2 + size[1] ** 2) ** 0.5
    gap = box_gap(target, named)
    if claim.kind == "behind":
        if x_overlap(target, named):
            return None  # close beside the named one, it must overlap another by a good part to be in line with that
        near = [o for o in others if x_overlap(target, o) and (gap > NEAR * diag or shared(target, o) >= 0.3)]
    elif claim.kind == "with" and gap >= NEAR * diag and any(_meets(target, o) for o in others):
        near = [o for o in others if _meets(target, o)]  # "the rider on the first horse", sitting on another
    else:
        if gap < (FAR if claim.kind == "next" else 2 * NEAR) * diag:
            return None
        reach = (2 if claim.kind == "next" else 1) * NEAR * diag  # "next to": by far the nearer one, too
        near = [o for o in others if box_gap(target, o) <= reach and 3 * box_gap(target, o) <= gap]
    return f"{near[0].category} {near[0].id}" if near else None
