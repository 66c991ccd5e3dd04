"""Spatial checker for referring expressions: do the words fit the boxes?

An expression such as "the second cup from the left" makes claims that boxes alone can
settle: its referent category, a side (left/right/top/bottom/middle), a size word
(largest/smallest), an ordinal among same-category objects, or a relation to another
category ("left of the ball"). ``spatial_parse`` reads those claims from free text; this
module evaluates them on every object of the image. A positive expression must hold for the chosen object
and for no other object of its category; a negative must not hold for the chosen object.
Claims it cannot settle (colours, "a big bench" with one bench) are reported as unknown,
never as wrong: the checker flags only what the boxes contradict.

It is used three ways: as the verifier inside the expression workflow's reflection loop,
as a filter on generated expressions, and as a metric over a finished run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from hoiscribe.expressions import spatial_relations as rel
from hoiscribe.expressions.spatial_parse import Claim, ParsedExpression, parse_expression, plural
from hoiscribe.expressions.spatial_words import canonical, known

Polarity = Literal["positive", "negative"]

_TIE_PX = 0.5  # coordinates this close count as equal (no unique extreme, no rank)
_CENTRE_BAND = 0.1  # image-relative side claims within this fraction of the centre line are unknown


@dataclass(frozen=True, slots=True)
class SpatialObject:
    """An object as the checker sees it: id, category and xyxy box in pixels."""

    id: Any
    category: str
    box: tuple[float, float, float, float]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SpatialObject:
        """From ``{"id", "category", "bbox": [x1, y1, x2, y2]}`` (the expression facts layout)."""
        x1, y1, x2, y2 = (float(v) for v in d["bbox"])
        return cls(d["id"], str(d["category"]), (x1, y1, x2, y2))

    @property
    def cx(self) -> float:
        return (self.box[0] + self.box[2]) / 2

    @property
    def cy(self) -> float:
        return (self.box[1] + self.box[3]) / 2

    @property
    def area(self) -> float:
        return max(0.0, self.box[2] - self.box[0]) * max(0.0, self.box[3] - self.box[1])


@dataclass(slots=True)
class SpatialCheck:
    """Verdict on one expression for one chosen object."""

    text: str
    polarity: Polarity
    ok: bool
    problems: list[str] = field(default_factory=list)
    referent: str | None = None
    claims: list[dict[str, Any]] = field(default_factory=list)
    holds_for: list[Any] = field(default_factory=list)  # ids it is certainly true of
    unknown_for: list[Any] = field(default_factory=list)  # ids it may be true of (unsettled claims)
    # what the boxes contradict: {span, start, end, type, why}; ambiguity is a problem, not a contradiction
    contradictions: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "polarity": self.polarity, "ok": self.ok, "problems": self.problems,
                "referent": self.referent, "claims": self.claims, "holds_for": self.holds_for,
                "unknown_for": self.unknown_for, "contradictions": self.contradictions}  # fmt: skip


# ---- geometry ------------------------------------------------------------------------------

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
    if any(abs(v - mine) <= _TIE_PX for v in others):
        return None
    return 1 + sum(1 for v in others if v < mine)


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
    if claim.kind == "side":
        if claim.frame == "image" or n == 1:
            res = _image_side(target, claim.value, size)
            return res, f"its centre {'is' if res else 'is not'} in the {claim.value} half of the image"
        res = _graded(claim, target, group, claim.value)
        return res, f"{_is(res)} the {claim.value}most of the {n} {plural(target.category)}"
    if claim.kind == "middle":
        if n >= 3:
            r = rank_of(target, group, "left")
            if r is None or n % 2 == 0:
                return None, "no single middle one"
            return r == (n + 1) // 2, f"it is number {r} of {n} from the left"
        offset = abs(target.cx / size[0] - 0.5)
        return (True if offset < 1 / 6 else False if offset > 1 / 4 else None), "its distance from the image centre"
    if claim.kind == "size":
        if n == 1:
            return None, "no other object of its kind to compare with"
        res = _graded(claim, target, group, claim.value)
        return res, f"{_is(res)} the {claim.value} of the {n} {plural(target.category)} by its box"
    if claim.kind == "ordinal":
        assert claim.rank is not None
        if n == 1:
            return claim.rank in (1, -1), "it is the only one"
        r = rank_of(target, group, claim.value)
        if r is None:
            return None, "a neighbour is level with it"
        want = n if claim.rank == -1 else claim.rank
        return r == want, f"it is number {r} of {n} from the {claim.value}"
    if claim.kind == "relation":
        marks = [o for o in objects if o.category == claim.landmark and o is not target]
        if not marks:
            return None, f"no {claim.landmark} in the image"
        key = _KEYS[claim.value]
        if claim.negated and claim.value in ("top", "bottom"):  # "not under an umbrella": not right under one
            res = any(rel.x_overlap(target, m) and key(target) < key(m) - _TIE_PX for m in marks)
            return res, f"{_is(res)} directly {'over' if claim.value == 'top' else 'under'} a {claim.landmark}"
        if claim.strict and claim.value in ("top", "bottom"):  # "directly above": over it, not off to a side
            marks = [m for m in marks if rel.x_overlap(target, m)] or marks
            if not any(rel.x_overlap(target, m) for m in marks):
                return False, f"it is not over or under any {claim.landmark} (no overlap across)"
        res = any(key(target) < key(m) - _TIE_PX for m in marks)
        return res, f"compared with the {claim.landmark}"
    if claim.kind == "nearest":
        return _nearest(claim, target, group, objects)
    if claim.kind in ("next", "between", "behind", "with"):
        kinds = {claim.landmark, claim.also}
        marks = [o for o in objects if o.category in kinds and o is not target]
        if claim.kind == "next":
            return rel.next_to(target, group, marks, size)  # type: ignore[arg-type]
        if claim.kind == "between":
            return rel.between(target, marks, size)
        if claim.kind == "behind":
            return rel.behind(target, group, marks)  # type: ignore[arg-type]
        return rel.with_object(target, group, marks, size)  # type: ignore[arg-type]
    return None, "unknown claim"


_OPPOSITE = {"left": "right", "right": "left", "top": "bottom", "bottom": "top", "largest": "smallest",
             "smallest": "largest", "tallest": "shortest", "shortest": "tallest", "widest": "narrowest",
             "narrowest": "widest"}  # fmt: skip


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
    return False if rank > len(group) // 2 or is_extreme(target, group, _OPPOSITE[value]) else None


def _gap(a: SpatialObject, b: SpatialObject) -> float:
    """Distance between two boxes' centres (pixels)."""
    return ((a.cx - b.cx) ** 2 + (a.cy - b.cy) ** 2) ** 0.5


def _nearest(
    claim: Claim, target: SpatialObject, group: list[SpatialObject], objects: list[SpatialObject]
) -> tuple[bool | None, str]:
    """'the cup closest to the laptop': of its group, the one nearest the (single) landmark."""
    marks = [o for o in objects if o.category == claim.landmark and o is not target]
    if len(marks) != 1 or len(group) < 2:
        return None, f"{len(marks)} {claim.landmark} in the image" if len(marks) != 1 else "nothing to compare with"
    mark = marks[0]
    mine = _gap(target, mark)
    others = [_gap(o, mark) for o in group if o is not target]
    near = claim.value == "nearest"
    best = min(others) if near else max(others)
    margin = max(2.0, 0.05 * max(mine, best))
    if abs(mine - best) <= margin:
        return None, f"about as {'near' if near else 'far'} as another {target.category}"
    res = mine < best if near else mine > best
    return res, f"{_is(res)} the {target.category} {claim.value} the {claim.landmark}"


def _negate(res: bool | None, why: str, claim: Claim) -> tuple[bool | None, str]:
    if not claim.negated or res is None:
        return res, why
    return (not res), f"negated: {why}"


def category_fits(parsed: ParsedExpression, obj: SpatialObject) -> bool | None:
    """Whether the referent noun can name ``obj``: True, False (another kind of object), None (cannot tell)."""
    if parsed.referent is None or not parsed.options:
        return True
    mine = canonical(obj.category)
    if parsed.options & (mine | {obj.category}):
        return True
    if known(obj.category) or parsed.referent == obj.category:
        return False
    return None  # an open-vocabulary category the lexicon does not know


def holds(
    parsed: ParsedExpression, target: SpatialObject, objects: list[SpatialObject], size: tuple[int, int]
) -> tuple[bool | None, list[tuple[Claim, bool | None, str]]]:
    """Whether the whole expression is true of ``target``: False if any claim (or the category) is
    false, True if all are true and nothing else is said, None otherwise; plus each claim's evaluation."""
    fits = category_fits(parsed, target)
    if fits is False:
        return False, []
    group = [o for o in objects if o.category == target.category]
    results = [(c, *_judge(c, parsed, target, group, objects, size)) for c in parsed.claims]
    if fits is None:
        return None, results
    if any(r is False for _, r, _ in results):
        return False, results
    if any(r is None for _, r, _ in results) or parsed.residual:
        return None, results  # words the boxes cannot settle ("red", "shiny") leave it open
    return True, results


def _judge(
    claim: Claim,
    parsed: ParsedExpression,
    target: SpatialObject,
    group: list[SpatialObject],
    objects: list[SpatialObject],
    size: tuple[int, int],
) -> tuple[bool | None, str]:
    """A claim's verdict for ``target``; one that may describe a landmark is false only if it fits none."""
    res, why = _negate(*evaluate_claim(claim, target, group, objects, size), claim)
    if res is not False or claim.attached != "either":
        return res, why
    for cat in set(parsed.landmarks):
        marks = [o for o in objects if o.category == cat and o is not target]
        for m in marks:
            alt, _ = _negate(*evaluate_claim(claim, m, marks, objects, size), claim)
            if alt is not False:
                return None, f"it may describe the {cat} instead ({why})"
    return res, why


def check_expression(
    text: str,
    target: SpatialObject,
    objects: list[SpatialObject],
    image_size: tuple[int, int],
    polarity: Polarity = "positive",
) -> SpatialCheck:
    """Check one expression for ``target`` (which must be in ``objects``).

    Positive: the named category must be the target's, every settled claim must hold for it,
    and a purely spatial expression must not fit another object of the same category.
    Negative: it must not be certainly true of the target."""
    if all(o is not target for o in objects):
        objects = [target, *objects]
    parsed = parse_expression(text, [o.category for o in objects])
    verdict, results = holds(parsed, target, objects, image_size)
    holds_for, unknown_for = [], []
    for o in objects:
        v = verdict if o is target else holds(parsed, o, objects, image_size)[0]
        if v is True:
            holds_for.append(o.id)
        elif v is None:
            unknown_for.append(o.id)
    claims = [
        {"kind": c.kind, "value": c.value, "span": c.span, "rank": c.rank, "landmark": c.landmark}
        | {"negated": c.negated, "start": c.start, "end": c.end, "holds": r, "why": why}
        for c, r, why in results
    ]
    check = SpatialCheck(text, polarity, True, referent=parsed.referent, claims=claims)
    check.holds_for, check.unknown_for = holds_for, unknown_for
    if polarity == "positive":
        if category_fits(parsed, target) is False:
            check.problems.append(f"it names a {parsed.referent}, but the object is a {target.category}")
            start, end = parsed.referent_span or (0, len(text))
            check.contradictions.append({"span": text[start:end], "start": start, "end": end, "type": "category",
                                         "why": f"the object is a {target.category}"})  # fmt: skip
        for c, r, why in results:
            if r is False:
                check.problems.append(f"'{c.span}' is false for this {target.category} ({why})")
                check.contradictions.append({"span": c.span, "start": c.start, "end": c.end, "type": c.kind,
                                             "why": why})  # fmt: skip
        if verdict is True and parsed.purely_spatial:
            rivals = [o for o in objects if o is not target and o.id in holds_for and o.category == target.category]
            if rivals:
                ids = ", ".join(str(o.id) for o in rivals)
                check.problems.append(
                    f"it does not single the object out: it also fits {target.category} {ids}"
                    f" (of {sum(o.category == target.category for o in objects)} in the image)"
                )
    elif verdict is True:
        check.problems.append("the negative expression is true of this object")
    check.ok = not check.problems
    return check


def objects_from_facts(facts: dict[str, Any]) -> tuple[SpatialObject, list[SpatialObject], tuple[int, int]]:
    """(target, all objects, image size) from expression facts; the target is the same instance in the list."""
    objects = [SpatialObject.from_dict(o) for o in facts["objects"]]
    target_id = facts["target"]["id"]
    target = next((o for o in objects if o.id == target_id), None)
    if target is None:
        target = SpatialObject.from_dict(facts["target"])
        objects.insert(0, target)
    w, h = facts["image_size"]
    return target, objects, (int(w), int(h))
