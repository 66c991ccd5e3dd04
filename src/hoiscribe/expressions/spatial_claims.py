"""Evaluating one claim of a referring expression on the boxes: sides, ranks, sizes and relations.

``spatial`` reads an expression and asks, for each claim and each object, whether the claim holds
(True), is contradicted (False) or cannot be told (None). The answers lean to None: ties, near-ties,
objects that are not in a row for a bare ordinal, a landmark that the phrase does not single out for a
negated relation. Loose relations (next to, between, behind, with) live in ``spatial_relations``; extremes
and ranks of boxes in ``spatial_ranks``; which landmark boxes a claim means in ``spatial_landmarks``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from hoiscribe.expressions import spatial_denial as denial
from hoiscribe.expressions import spatial_relations as rel
from hoiscribe.expressions.spatial_absence import ANYTHING, something_in_front
from hoiscribe.expressions.spatial_landmarks import _any, _landmarks, _pick, _plural_mark
from hoiscribe.expressions.spatial_parse import Claim, plural
from hoiscribe.expressions.spatial_ranks import _KEYS, _TIE_PX, _in_a_column, _in_a_row, is_extreme, rank_of
from hoiscribe.expressions.spatial_standards import than_own

if TYPE_CHECKING:
    from hoiscribe.expressions.spatial import SpatialObject

_CENTRE_BAND = 0.1  # image-relative side claims within this fraction of the centre line are unknown


def _image_side(target: SpatialObject, value: str, size: tuple[int, int]) -> bool | None:
    w, h = size
    pos, extent = (target.cx, w) if value in ("left", "right") else (target.cy, h)
    offset = pos / extent - 0.5
    if abs(offset) <= _CENTRE_BAND:
        return None
    return offset < 0 if value in ("left", "top") else offset > 0


def _is(res: bool | None) -> str:
    return {True: "it is", False: "it is not", None: "it may be"}[res]


def evaluate_claim(
    claim: Claim,
    target: SpatialObject,
    group: list[SpatialObject],
    objects: list[SpatialObject],
    size: tuple[int, int],
) -> tuple[bool | None, str]:
    """Whether ``claim`` holds for ``target`` (None: cannot tell) and a short reason."""
    n = len(group)
    if claim.unsure:
        return None, "its negation scope or its frame of reference is unclear"
    if claim.kind == "side" and claim.landmark is not None:  # "at the far right end of the table"
        group = rel.at_landmark(target, group, [o for o in objects if o.category == claim.landmark], size)
        if group is None:
            return None, f"it is not at the {claim.landmark}"
        n = len(group)
    if claim.kind == "side":
        if claim.frame == "image" or n == 1:
            res = _image_side(target, claim.value, size)
            if res is False and n > 1 and is_extreme(target, group, claim.value):
                return None, f"it is the {claim.value}most of its kind, though not in that half of the image"
            return res, f"its centre {'is' if res else 'is not'} in the {claim.value} half of the image"
        res = _graded(claim, target, group, claim.value)
        return res, f"{_is(res)} the {claim.value}most of the {n} {plural(target.category)}"
    if claim.kind == "end":
        if n < 2 or not _in_a_row(group):
            return None, "no row to be at the end of"
        ends = [is_extreme(target, group, "left"), is_extreme(target, group, "right")]
        res = True if True in ends else (None if None in ends else False)
        return res, f"{_is(res)} at either end of the {n} {plural(target.category)}"
    if claim.kind == "middle":
        if n >= 3:
            axis = "top" if _in_a_column(group) else "left"  # a stack or a column counts top to bottom
            r = rank_of(target, group, axis)
            if r is None or n % 2 == 0:
                return None, "no single middle one"
            return r == (n + 1) // 2, f"it is number {r} of {n} from the {axis}"
        offset = abs(target.cx / size[0] - 0.5)
        return (True if offset < 1 / 6 else False if offset > 1 / 4 else None), "its distance from the image centre"
    if claim.kind == "size" and claim.landmark == target.category and claim.mark_extreme is not None:
        standard = than_own(claim, target, objects)  # "larger than the middle one": that one box alone
        if standard is None:
            return None, "no single one of its kind is named"
        res, why = _than(claim, target, standard)
        return res, why.replace(f"every {claim.landmark}", f"the {claim.landmark} it is compared with")
    if claim.kind == "size" and claim.landmark is not None:  # "the cow bigger than the dog"
        return _than(claim, target, [o for o in objects if o.category == claim.landmark and o is not target])
    if claim.kind == "size":
        if n == 1:
            return None, "no other object of its kind to compare with"
        res = _graded(claim, target, group, claim.value)
        if res is None and (claim.strict or n > 2) and len({_KEYS[claim.value](o) for o in group}) == 1:
            res = False  # "bigger than the others", "the biggest of three" among boxes all of one size: none is
        return res, f"{_is(res)} the {claim.value} of the {n} {plural(target.category)} by its box"
    if claim.kind == "ordinal":
        assert claim.rank is not None
        if n == 1:
            return claim.rank in (1, -1), "it is the only one"
        if claim.implicit and not _in_a_row(group):
            return None, "no direction given and the objects are not in a row"
        r = rank_of(target, group, claim.value)
        if r is None:
            return None, "a neighbour is level with it"
        want = n + 1 + claim.rank if claim.rank < 0 else claim.rank
        return r == want, f"it is number {r} of {n} from the {claim.value}"
    if claim.kind == "relation":
        marks = _landmarks(claim, target, objects, {claim.landmark})
        if not marks:
            return None, f"no {claim.landmark} in the image"
        over = rel.over_another(claim, target, marks, objects)
        if over is not None:
            return False, f"it is over or under the {over}, not the one the phrase names"
        return _relation(claim, target, marks, group, objects)
    if claim.kind == "nearest":
        return _nearest(claim, target, group, objects)
    if claim.kind == "empty":  # "the empty bowl": false when another thing lies inside its box
        inside = [o for o in objects if o.category != target.category and denial.held_in(o, target)]
        return (False, f"the {inside[0].category} lies inside it") if inside else (None, "nothing lies inside it")
    if claim.kind == "behind" and claim.landmark == ANYTHING:  # "with nothing in front of them"
        return something_in_front(target, objects)
    if claim.kind in ("next", "between", "behind", "with"):
        marks = _landmarks(claim, target, objects, {claim.landmark, claim.also})
        rival = rel.named_rival(claim, target, marks, objects, size)
        if rival is not None and not claim.negated:
            return False, f"it is by the {rival}, not by the one the phrase names"
        if claim.kind == "next" and claim.negated and len(marks) > 1 and not (_any(claim) or _plural_mark(claim)):
            each = [rel.next_to(target, group, [m], size, claim.value != "near", objects)[0] for m in marks]  # type: ignore
            res = True if all(v is True for v in each) else False if all(v is False for v in each) else None
            return res, f"{_is(res)} beside every {claim.landmark}"
        named = claim.kind == "next" and claim.value != "near" and claim.mark_extreme is not None and len(marks) == 1
        if named and not _plural_mark(claim) and rel.kin_between(target, marks[0], objects, size):  # type: ignore[arg-type]
            return False, f"another {claim.landmark} stands between them, right beside it"  # negated: true
        if claim.kind == "next":
            return rel.next_to(target, group, marks, size, claim.value != "near", objects)  # type: ignore[arg-type]
        if claim.kind == "between" and (claim.also or claim.mark_specs):
            return _between_pairs(claim, target, objects, size)
        if claim.kind == "between":
            return rel.between(target, marks, size, strong=claim.negated)
        if claim.kind == "behind":  # "not in front of the car" while overlapping it, alone of its kind: in line
            return denial.depth(claim.negated, target, group, marks, size, claim)
        ride = denial.riding(claim, target, group, marks) if claim.kind == "with" else None
        if ride is not None:  # "the man riding the motorbike" standing behind one while another man sits on one
            return ride
        if claim.negated and claim.value != "on":  # "without a cup": only when one overlaps it ("empty": mostly)
            strict = claim.strict or bool(denial.RIDE & set(claim.span.lower().split()))  # a rider is on it
            touch = 0.0 if strict else rel.NEAR / 2 * (size[0] ** 2 + size[1] ** 2) ** 0.5
            return rel.overlaps_own(target, group, marks, 0.3 if strict else 0.0, touch)  # type: ignore[arg-type]
        if claim.negated and claim.value == "on" and not any(denial.meets_on(target, m) for m in marks):
            return False, f"its box meets no {claim.landmark}"  # "the cat that is not on the couch", beside it
        on = claim.value == "on" and bool({"on", "onto"} & set(claim.span.lower().split()))
        if on and marks and all(target.box[1] >= m.box[3] - _TIE_PX for m in marks):  # the ball under the bench
            return False, f"it is below every {claim.landmark}, not on one"
        if (on or claim.strict) and denial.off_every(target, marks):  # "on the couch", "with a rider on it"
            return False, f"its box meets no {claim.landmark}: it is not on one, nor one on it"
        if denial.feet_below(claim, target, marks):  # "riding the elephant" while standing in front of it
            return False, f"its feet are lower than every {claim.landmark}'s: it stands before one, not on it"
        return rel.with_object(target, group, marks, size)  # type: ignore[arg-type]
    return None, "unknown claim"


_OPPOSITE = {"left": "right", "right": "left", "top": "bottom", "bottom": "top", "largest": "smallest",
             "smallest": "largest", "tallest": "shortest", "shortest": "tallest", "widest": "narrowest",
             "narrowest": "widest"}  # fmt: skip


def _than(claim: Claim, target: SpatialObject, marks: list[SpatialObject]) -> tuple[bool | None, str]:
    """A comparative against another kind: true when it is more so than every one of them by a tenth, false when
    less so than every one of them by a tenth, unknown in between or with none of them in the image."""
    if not marks:
        return None, f"no {claim.landmark} in the image"
    key = _KEYS[claim.value]
    mine = key(target)
    margin = [0.1 * max(abs(mine), abs(key(m))) for m in marks]
    if all(mine < key(m) - d for m, d in zip(marks, margin, strict=True)):
        return True, f"it is {claim.value.removesuffix('est')}er than every {claim.landmark} by its box"
    if all(mine > key(m) + d for m, d in zip(marks, margin, strict=True)):
        return False, f"every {claim.landmark} is {claim.value.removesuffix('est')}er by its box"
    return None, f"about the size of a {claim.landmark}"


def _graded(claim: Claim, target: SpatialObject, group: list[SpatialObject], value: str) -> bool | None:
    """A superlative must be the extreme; a plain word ("on the left", "the big one") is true of the
    extreme, false past the first half of the group (the middle of three is not "on the left"), and
    unknown for the others of that half (the second of four from the left)."""
    res = is_extreme(target, group, value)
    if not claim.plain or len(group) < 3 or res is not False:
        return res
    rank = rank_of(target, group, value)
    if rank is None:
        return None
    if claim.loose:  # "a big brown one" of the middle size: it describes; the smallest is not big
        return False if is_extreme(target, group, _OPPOSITE[value]) else None
    return False if rank > len(group) // 2 or is_extreme(target, group, _OPPOSITE[value]) else None


def _relation(
    claim: Claim, target: SpatialObject, marks: list[SpatialObject], group: list[SpatialObject], objects: list
) -> tuple[bool | None, str]:
    """left/right of, above/below X. Plain: true when it is so of some X (false of none). Negated: the
    relation must hold of every X the phrase may mean for 'not' to be false ('not below the person' with
    two people, below only one of them: unknown)."""
    key = _KEYS[claim.value]
    vertical = claim.value in ("top", "bottom")
    if claim.strict and vertical and not claim.negated:  # "directly above": over it, not off to a side
        marks = [m for m in marks if rel.x_overlap(target, m)] or marks
        if not any(rel.x_overlap(target, m) for m in marks):
            return False, f"it is not over or under any {claim.landmark} (no overlap across)"
    if claim.negated and vertical:  # "not under an umbrella": not right under one; "no cup on it": resting on it
        fits = [rel.x_overlap(target, m) and key(target) < key(m) - _TIE_PX and denial.rests(claim, target, m)
                for m in marks]  # fmt: skip
    elif vertical:  # "above X": not off to a side while another of its kind (or another thing: over that) is over X
        over = denial.over_another_thing(target, marks, objects, claim.value)
        fits = [key(target) < key(m) - _TIE_PX and _over_or_no_rival(target, m, group, key)
                and (rel.x_overlap(target, m) or not over) for m in marks]  # fmt: skip
    else:
        fits = [key(target) < key(m) - _TIE_PX for m in marks]
    if _adjacent(claim):  # "just right of X", "immediately below X": no other of its kind in between
        fits = [f and not _between(target, m, group, vertical) for f, m in zip(fits, marks, strict=True)]
    if not claim.negated or _any(claim):  # "not left of any cup": false if it is left of one
        return any(fits), f"compared with the {claim.landmark}"
    res = True if all(fits) else False if not any(fits) else None
    where = "directly " + ("over" if claim.value == "top" else "under") if vertical else f"{claim.value} of"
    return res, f"{_is(res)} {where} {'the' if len(marks) == 1 else 'every'} {claim.landmark}"


def _adjacent(claim: Claim) -> bool:
    """'just' / 'immediately' before a relation: the next one of its kind ('directly above' is only straight)."""
    return claim.strict and not claim.negated and claim.span.lower().startswith(("just ", "immediately "))


def _between(target: SpatialObject, mark: SpatialObject, group: list[SpatialObject], vertical: bool) -> bool:
    """Another of the target's kind lies between it and the landmark (centres, along the relation's axis)."""

    def key(o: SpatialObject) -> float:
        return o.cy if vertical else o.cx

    lo, hi = sorted((key(target), key(mark)))
    return any(lo + _TIE_PX < key(o) < hi - _TIE_PX for o in group if o is not target and o is not mark)


def _between_pairs(
    claim: Claim, target: SpatialObject, objects: list[SpatialObject], size: tuple[int, int]
) -> tuple[bool | None, str]:
    """'between the clock and the fourth vase', 'between the cup and the laptop': between one landmark of
    each part (the one a part singles out, else any of its kind); false only when outside every such pair."""
    cats = (claim.landmark, claim.also or claim.landmark)
    specs = claim.mark_specs or (("", None), ("", None))
    parts = []
    for cat, (value, rank) in zip(cats, specs, strict=True):
        pool = [o for o in objects if o.category == cat and o is not target]
        picked = _pick([o for o in objects if o.category == cat], value, rank, True, objects) if value else pool
        parts.append([o for o in picked if o is not target] or pool)
    verdicts = [rel.between(target, [a, b], size, strong=claim.negated)[0] for a in parts[0] for b in parts[1]
                if a is not b]  # fmt: skip
    if claim.strict and not claim.negated:  # "sandwiched between the bowl and the knife": nothing else in between
        pairs = [(a, b) for a in parts[0] for b in parts[1] if a is not b]
        verdicts = [False if v is True and rel.interposed(target, [a, b], objects) else v
                    for v, (a, b) in zip(verdicts, pairs, strict=True)]  # fmt: skip
    if not verdicts:
        return None, "no two landmarks to be between"
    res = True if True in verdicts else False if all(v is False for v in verdicts) else None
    return res, f"{_is(res)} between a {cats[0]} and a {cats[1]} the phrase names"


def _over_or_no_rival(a: SpatialObject, m: SpatialObject, group: list[SpatialObject], key: Callable) -> bool:
    """'the orange above the leftmost apple' is the one over it: when another of its kind lies over or
    under the landmark (overlapping it across) and this one does not, this one is not 'above' it; nor
    when it is more than twice as far off to the side as it is up or down."""
    if rel.x_overlap(a, m):
        return True
    if abs(a.cx - m.cx) > 2 * abs(a.cy - m.cy):
        return False
    return not any(rel.x_overlap(o, m) and key(o) < key(m) - _TIE_PX for o in group if o is not a)


def _gap(a: SpatialObject, b: SpatialObject) -> float:
    """Distance between two boxes' centres (pixels)."""
    return ((a.cx - b.cx) ** 2 + (a.cy - b.cy) ** 2) ** 0.5


def _nearest(
    claim: Claim, target: SpatialObject, group: list[SpatialObject], objects: list[SpatialObject]
) -> tuple[bool | None, str]:
    """'the cup closest to the laptop': of its group, the one nearest the (single, or singled out) landmark."""
    marks = _landmarks(claim, target, objects, {claim.landmark})
    if (len(marks) != 1 and not (marks and _plural_mark(claim))) or len(group) < 2:  # "closest to the cups": to
        return None, f"{len(marks)} {claim.landmark} in the image" if len(marks) != 1 else "nothing to compare with"
    mine = min(_gap(target, m) for m in marks)  # the nearest of them
    others = [min(_gap(o, m) for m in marks) for o in group if o is not target]
    near = claim.value == "nearest"
    if claim.plain and len(group) > 2:  # "the cup closer to the plate" of three: false only of the farthest
        far = [mine, *others]
        best, worst = (min(far), max(far)) if near else (max(far), min(far))
        if abs(mine - best) <= max(2.0, 0.05 * mine) or abs(mine - worst) > max(2.0, 0.05 * mine):
            return None, f"one of {len(group)}: a comparative does not say which"
        return False, f"it is the {target.category} {'farthest from' if near else 'nearest to'} the {claim.landmark}"
    if claim.rank is not None:  # "the second closest to the plate"
        margin = max(2.0, 0.05 * mine)
        if any(abs(v - mine) <= margin for v in others):
            return None, f"another {target.category} is about as near"
        r = 1 + sum(1 for v in others if (v < mine if near else v > mine))
        return r == claim.rank, f"it is number {r} of {len(group)} by distance to the {claim.landmark}"
    best = min(others) if near else max(others)
    margin = max(2.0, 0.05 * max(mine, best))
    if abs(mine - best) <= margin:
        return None, f"about as {'near' if near else 'far'} as another {target.category}"
    res = mine < best if near else mine > best
    return res, f"{_is(res)} the {target.category} {claim.value} the {claim.landmark}"
