"""Which landmark boxes a claim means: every one of its kind, the one it singles out, or every one meant.

"above the leftmost apple", "between the middle car and the right car", "left of the batter" (the one
touching a bat), "not next to any plate", "not near the bottles": ``spatial_claims`` asks here for the
boxes of a claim's landmark and whether a negated claim means every one of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from hoiscribe.expressions import spatial_denial as denial
from hoiscribe.expressions import spatial_relations as rel
from hoiscribe.expressions.spatial_absence import ANYTHING
from hoiscribe.expressions.spatial_parse import Claim, plural
from hoiscribe.expressions.spatial_ranks import _in_a_column, _in_a_row, is_extreme, rank_of
from hoiscribe.expressions.spatial_words import TOOL, global_forms

if TYPE_CHECKING:
    from hoiscribe.expressions.spatial import SpatialObject

_EVERY = frozenset({"any", "single", "no", "nobody", "noone", "without", "nothing", "anyone", "anybody", "anything",
                    "everyone", "everybody", "either", "neither", "none"})  # fmt: skip


_DEFINITE = frozenset({"the", "this", "that", "these", "those", "his", "her", "their", "its", "my", "our"})


def _any(claim: Claim) -> bool:
    """'not next to any plate', 'not below a single person', 'with nobody beside it', 'without a dog near
    him': every landmark is meant, not one of them."""
    words = claim.span.lower().split()
    if claim.negated and bool({"a", "an"} & set(words)):  # "not next to a surfboard": to no surfboard at all
        return True
    if claim.negated and not _DEFINITE & set(words):  # "which not have person next to it": a learner's bare noun
        return True
    return bool(_EVERY & set(words))


def _plural_mark(claim: Claim) -> bool:
    """'not near the bottles': near a group is near its nearest member, so every landmark is meant."""
    if claim.landmark is None:
        return False
    words = claim.span.lower().split()
    return plural(claim.landmark).lower() in words or any(
        w in _IRREGULAR and claim.landmark in global_forms().get((w,), ()) for w in words
    )  # "not near the people", "away from the men"


_IRREGULAR = frozenset({"people", "men", "women", "children", "kids", "persons", "guys", "sheep", "cattle", "calves",
                        "knives", "shelves", "geese", "mice"})  # fmt: skip


_IN_HAND = frozenset({"hand", "hands", "holding", "holds", "hold", "held", "grip", "gripping"})
_CARRY = frozenset({"carrying", "carries", "carry", "wearing", "wears", "wear", "with", "on"})
_WORN = frozenset({"backpack", "tie"})


def _landmarks(claim: Claim, target: SpatialObject, objects: list[SpatialObject], kinds: set) -> list[SpatialObject]:
    """The landmark boxes a claim may mean: every one of its kinds, or the single extreme one it names
    ("above the leftmost apple"); when that one is unclear (a tie), all of them. "Between the middle car
    and the right car" names one box in each part (a plain side is the extreme there: the parts contrast)."""
    marks = [o for o in objects if (o.category in kinds or ANYTHING in kinds) and o is not target]
    if claim.mark_ids:  # "left of the girl on the skateboard": the ones the phrase after the noun fits
        return [o for o in marks if o.id in claim.mark_ids]
    if ANYTHING in kinds and claim.kind == "relation" and claim.value in ("left", "right"):
        marks = [o for o in marks if rel.y_overlap(o, target)]  # "nothing on its left": in its row, not far behind
    if ANYTHING in kinds and claim.strict:  # "nothing on top of it": only what rests on it
        marks = [o for o in marks if rel.box_gap(o, target) <= 0.1 * (target.box[3] - target.box[1])]
    if ANYTHING in kinds and claim.kind == "with":  # "isn't holding anything": what a hand may hold
        marks = denial.holdable(target, marks, objects)
        said = set(claim.span.lower().split())
        if said & _IN_HAND and not said & _CARRY:  # "nothing in his hands": a backpack or tie is worn, not held
            marks = [m for m in marks if m.category not in _WORN]
    if claim.kind == "between" and len(claim.mark_specs) == 2:
        cats = (claim.landmark, claim.also or claim.landmark)
        picked = [
            _pick([o for o in objects if o.category == c], v, r, True, objects) if v else []
            for c, (v, r) in zip(cats, claim.mark_specs, strict=True)
        ]
        if (
            all(len(p) == 1 for p in picked)
            and picked[0][0] is not picked[1][0]
            and target not in picked[0] + picked[1]
        ):
            return picked[0] + picked[1]
        return marks
    if claim.mark_extreme is None:
        return marks
    if claim.mark_extreme.startswith(TOOL):  # "left of the batter": the one touching a bat
        chosen = _tooled(marks, claim.mark_extreme, objects)
        return chosen if len(chosen) == 1 else marks
    chosen = _pick([o for o in objects if o.category == claim.landmark], claim.mark_extreme, claim.mark_rank, False)
    return chosen if len(chosen) == 1 else marks


def _tooled(marks: list[SpatialObject], spec: str, objects: list[SpatialObject]) -> list[SpatialObject]:
    """The landmarks touching a role's tool ('tool:surfboard'): the surfer is the one on a surfboard."""
    tools = [o for o in objects if o.category in spec[len(TOOL) :].split("|")]
    return [m for m in marks if any(rel.box_gap(m, o) <= 0.2 * (m.box[3] - m.box[1]) for o in tools)]


def _pick(
    pool: list[SpatialObject], extreme: str, rank: int | None, contrast: bool, objects: Sequence[SpatialObject] = ()
) -> list[SpatialObject]:
    """The boxes of ``pool`` a landmark spec names: the extreme one, the middle one of an odd row or stack,
    the one of a rank; a plain side ("the left traffic light") only out of two unless ``contrast``; a role's tool
    ("between the surfer and the woman": the one on a surfboard among ``objects``; was a crash)."""
    if extreme.startswith(TOOL):
        return _tooled(pool, extreme, list(objects))
    n = len(pool)
    if extreme == "middle":
        axis = "top" if _in_a_column(pool) else "left" if _in_a_row(pool) else None
        return [m for m in pool if axis and n >= 3 and n % 2 and rank_of(m, pool, axis) == (n + 1) // 2]
    if rank is None or (rank == 0 and (n == 2 or contrast)):
        return [m for m in pool if is_extreme(m, pool, extreme) is True]
    if rank == 0 or (extreme == "row" and not _in_a_row(pool)):
        return []  # "the left one" of three or more, "the second apple" of apples not in a row: unclear
    direction = "left" if extreme == "row" else extreme
    want = n + 1 + rank if rank < 0 else rank
    return [m for m in pool if rank_of(m, pool, direction) == want]
