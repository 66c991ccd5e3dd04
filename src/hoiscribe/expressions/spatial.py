"""Spatial checker for referring expressions: do the words fit the boxes?

An expression such as "the second cup from the left" makes claims that boxes alone can
settle: its referent category, a side (left/right/top/bottom/middle), a size word
(largest/smallest), an ordinal among same-category objects, or a relation to another
category ("left of the ball"). ``spatial_parse`` reads those claims from free text; this
module evaluates them on every object of the image. A positive expression must hold for the chosen object
and for no other object of its category; a negative must not hold for the chosen object.
Claims it cannot settle (colours, "a big bench" with one bench) are reported as unknown,
never as wrong: the checker flags only what the boxes contradict.

When the boxes are complete enough to contradict, per claim type (COCO-derived scenes box every instance
of a category, not every thing): a count ("the last of the four bicycles", ``spatial_counts``) is checked
against the boxes of its kind, a partitive as the exact number and "K groups of N" as a lower bound; a
negated claim about nobody / nothing / anyone ("nobody is standing near", "nothing above them",
``spatial_absence``) is contradicted only by a box that is there, never by one that is missing; a relation
to a landmark (left of, behind, in front of, far from) is contradicted only when a landmark box is there
and placed wrongly, and is unknown when no box of the landmark's kind is in the image; a role noun ("the
batter") names the one person touching that role's object, or any person when that is not one person.

It is used three ways: as the verifier inside the expression workflow's reflection loop,
as a filter on generated expressions, and as a metric over a finished run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from hoiscribe.expressions.spatial_absence import ANYTHING
from hoiscribe.expressions.spatial_claims import evaluate_claim
from hoiscribe.expressions.spatial_counts import count_contradictions, narrowed_partitives
from hoiscribe.expressions.spatial_held_counts import held_count_contradictions
from hoiscribe.expressions.spatial_missing import missing_landmarks
from hoiscribe.expressions.spatial_nouns import OPAQUE
from hoiscribe.expressions.spatial_parse import Claim, ParsedExpression, parse_expression
from hoiscribe.expressions.spatial_ranks import is_extreme, rank_of
from hoiscribe.expressions.spatial_words import canonical, known

Polarity = Literal["positive", "negative"]
__all__ = ["SpatialCheck", "SpatialObject", "check_expression", "evaluate_claim", "is_extreme", "rank_of"]


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
    if parsed.general:  # "the smallest fruit": among every object the group noun names
        group = [o for o in objects if category_fits(parsed, o) is True] or group
    row = own_row(target, group, parsed.rows) if any(c.kind in ("ordinal", "end") for c in parsed.claims) else None
    core = [o for o in group if o.category not in _FRINGE] if parsed.general else group  # "the second vehicle"
    results = []
    for c in parsed.claims:
        if 1 < len(core) < len(group) and row is None and c.kind in _RANKS and target.category not in _FRINGE:
            both = _judge(c, parsed, target, group, objects, size), _judge(c, parsed, target, core, objects, size)
            results.append(
                (c, *(both[0] if both[0][0] == both[1][0] else (None, f"with or without them: {both[0][1]}")))
            )
        elif c.kind not in ("ordinal", "end") or row is None:
            results.append((c, *_judge(c, parsed, target, group, objects, size)))
        elif parsed.rows:  # "the second jar on the top shelf": counted along its own row
            results.append((c, *_judge(c, parsed, target, row, objects, size)))
        else:  # shelves of jars, no row named: counted along its row or across all; false only if both are
            whole, in_row = (
                _judge(c, parsed, target, group, objects, size),
                _judge(c, parsed, target, row, objects, size),
            )
            results.append((c, *(whole if whole[0] == in_row[0] else (None, f"in its row or overall: {whole[1]}"))))
    results = _side_of_landmark(results, target, group, objects, size)
    results = _phrase_of_landmark(results, target, group, objects, size)
    if fits is None:
        return None, results
    if any(r is False for _, r, _ in results):
        return False, results
    if any(r is None for _, r, _ in results) or parsed.residual:
        return None, results  # words the boxes cannot settle ("red", "shiny") leave it open
    return True, results


_LANDMARK_KINDS = ("relation", "nearest", "next", "behind", "with")


def _side_of_landmark(
    results: list[tuple[Claim, bool | None, str]],
    target: SpatialObject,
    group: list[SpatialObject],
    objects: list[SpatialObject],
    size: tuple[int, int],
) -> list[tuple[Claim, bool | None, str]]:
    """'the cup beside the person on the left', 'above the person in the middle': a side (or the middle) right
    after a landmark that is false of the referent must name the landmark; the relation before it is then judged
    with that landmark alone (the left one of two, the leftmost one of 'on the far left', each of the left half
    of three or more, the middle one) and is false when it fails there too: false both ways."""
    out = list(results)
    for k in range(1, len(results)):
        c, r, _ = results[k]
        prev, pr, _ = out[k - 1]
        if c.kind not in ("side", "middle") or c.attached != "either" or r is not None or c.negated:
            continue
        if c.frame != "group":
            continue
        if prev.kind not in _LANDMARK_KINDS or prev.mark_extreme is not None or pr is False or prev.negated:
            continue
        if not 0 < c.start - prev.end <= 9 or _negate(*evaluate_claim(c, target, group, objects, size), c)[0]:
            continue  # not right after the landmark ("on the left"), or true of the referent
        n = sum(o.category == prev.landmark for o in objects)
        ranks = range(1, n // 2 + 1) if c.plain and n > 2 else [0 if c.plain else None]  # "the kite on the left"
        verdicts = [evaluate_claim(replace(prev, mark_extreme=c.value, mark_rank=q), target, group, objects, size)
                    for q in ranks]  # fmt: skip
        if all(res is False for res, _ in verdicts):
            out[k - 1] = (prev, False, f"{verdicts[0][1]} (the {prev.landmark} '{c.span}')")
    return out


def _phrase_of_landmark(
    results: list[tuple[Claim, bool | None, str]],
    target: SpatialObject,
    group: list[SpatialObject],
    objects: list[SpatialObject],
    size: tuple[int, int],
) -> list[tuple[Claim, bool | None, str]]:
    """'the bench on the left of the girl on the skateboard', 'next to the man with the handbag': a contact
    phrase right after a landmark noun that is false of the referent picks the landmarks it is true of; the
    relation before it is then judged with those alone, and is false when it fails for every one."""
    out = list(results)
    for k in range(1, len(results)):
        c, r, _ = results[k]
        prev, pr, _ = out[k - 1]
        if c.kind != "with" or c.attached != "either" or r is not None or c.negated or c.landmark in (None, ANYTHING):
            continue
        if prev.kind not in _LANDMARK_KINDS or prev.mark_extreme is not None or pr is False:
            continue  # "not next to the woman with the bag": denied of the ones the phrase picks
        if not 0 < c.start - prev.end <= 2 or prev.landmark in (None, c.landmark, OPAQUE) or prev.also:
            continue
        if _negate(*evaluate_claim(c, target, group, objects, size), c)[0] is True:
            continue  # it may be the referent's ("the dog next to the man, on a leash")
        pool = [o for o in objects if o.category == prev.landmark and o is not target]
        picked = [m.id for m in pool if evaluate_claim(c, m, pool, objects, size)[0] is True and _on(c, m, objects)]
        if not picked or len(picked) == len(pool):
            continue
        res, why = _negate(*evaluate_claim(replace(prev, mark_ids=tuple(picked)), target, group, objects, size), prev)
        if res is False:
            out[k - 1] = (prev, False, f"{why} (the {prev.landmark} '{c.span}')")
    return out


def _on(claim: Claim, mark: SpatialObject, objects: list[SpatialObject]) -> bool:
    """'the girl on the skateboard': standing on it, her feet at the board, not holding it up at her side."""
    if claim.value != "on" or "on" not in claim.span.lower().split():
        return True
    h = mark.box[3] - mark.box[1]
    return any(
        o.category == claim.landmark
        and min(o.box[2], mark.box[2]) > max(o.box[0], mark.box[0])
        and o.box[1] - 0.15 * h <= mark.box[3] <= o.box[3] + 0.15 * h
        for o in objects
    )


def own_row(target: SpatialObject, group: list[SpatialObject], named: bool = False) -> list[SpatialObject] | None:
    """The target's row when its group lies in clear rows, like jars on shelves: two or more bands apart
    up and down, each of three or more objects whose centres are level; None otherwise. When the text
    ``named`` a row ("third from the right in the row"), the target's own level band of three or more
    is its row even when the others are not rows (a sheep standing apart behind the row)."""
    bands: list[list[SpatialObject]] = []
    for o in sorted(group, key=lambda o: o.box[1]):
        if bands and o.box[1] < max(m.box[3] for m in bands[-1]):
            bands[-1].append(o)
        else:
            bands.append([o])
    mine = next(b for b in bands if target in b)
    if named and len(bands) > 1 and len(mine) >= 3 and _level(mine):
        return mine
    if len(bands) < 2 or any(len(b) < 3 or not _level(b) for b in bands):
        return None
    return mine


def _level(band: list[SpatialObject]) -> bool:
    heights = sorted(o.box[3] - o.box[1] for o in band)
    ys = [o.cy for o in band]
    return max(ys) - min(ys) <= 0.25 * heights[len(heights) // 2]


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
    for cat in set(parsed.landmarks) - {claim.landmark, claim.also}:  # "holding a knife above the bowl": no bowl
        if cat == OPAQUE:
            return None, f"it may describe another thing the text names ({why})"
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
    parsed = _narrow_ranks(parsed, narrowed_partitives(text, [o.category for o in objects], parsed.options))
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
        counted = count_contradictions(text, objects, parsed.options | ({parsed.referent} - {None}))
        # "the last of the four bicycles" with three; "the bed with three teddy bears on it" with two
        for wrong in [*counted, *held_count_contradictions(text, target, objects), *missing_landmarks(parsed, objects)]:
            check.problems.append(f"'{wrong['span']}' is false ({wrong['why']})")
            check.contradictions.append(wrong)
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
        if verdict is not False and _only(text, parsed):  # "the only cup left of the plate": no other may fit
            rivals = [o for o in objects if o is not target and o.id in holds_for and o.category == target.category]
            if rivals:
                start, end = parsed.referent_span or (0, len(text))
                why = f"{target.category} {', '.join(str(o.id) for o in rivals)} also fits it"
                check.problems.append(f"'only' is false: {why}")
                check.contradictions.append({"span": text[:end].strip(), "start": 0, "end": end, "type": "count",
                                             "why": why})  # fmt: skip
    elif verdict is True:
        check.problems.append("the negative expression is true of this object")
    check.ok = not check.problems
    return check


_RANKS = ("side", "ordinal", "size", "end", "middle")
_FRINGE = frozenset({"bicycle", "teddy bear", "toilet", "airplane", "boat", "train"})  # a group noun may leave out


def _narrow_ranks(parsed: ParsedExpression, starts: list[int]) -> ParsedExpression:
    """'the left one of the two oranges in the bowl': a rank right before a narrowed partitive ranks among the
    ones its phrase picks (those in the bowl), which the boxes do not settle; it is made unknown."""
    if not starts:
        return parsed
    claims = tuple(
        replace(c, unsure=True)
        if c.kind in _RANKS and c.landmark is None and any(0 <= s - c.end <= 12 or c.start == s for s in starts)
        else c
        for c in parsed.claims
    )
    return replace(parsed, claims=claims)


_ONLY = re.compile(r"\b(?:the|an?|is|it's|its)\s+(?:one\s+and\s+)?(?:only|sole)\s+(?:[\w-]+\s+){0,3}$", re.I)


_ONLY_AFTER = re.compile(r"\b(?:is|the)\s+only\s+one\b", re.I)


def _only(text: str, parsed: ParsedExpression) -> bool:
    """'the only cup that ...', 'the only one of the dogs ...', 'the cup which is the only one left of the
    plate': the expression claims that no other of its kind fits."""
    if parsed.referent_span is None:
        return False
    start, end = parsed.referent_span
    return bool(_ONLY.search(text[:start]) or _ONLY_AFTER.search(text[end:]))


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
