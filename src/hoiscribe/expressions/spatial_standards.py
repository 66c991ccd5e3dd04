"""A comparative against one named thing of the referent's own kind: 'larger than the middle one', 'smaller than
the cow on the right', 'taller than the second person'.

Without this the comparative was graded among all of its kind ('larger': the largest of three) and the standard's
own words ('middle', 'on the right') were read as the referent's: a false flag on faithful prose that compares two of
a row. ``spatial_parse`` reads the standard here; ``spatial_claims`` weighs the referent against that one box only,
and leaves the claim unknown when the words do not pick exactly one other box.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hoiscribe.expressions.spatial_scope import landmark_spec

if TYPE_CHECKING:
    from hoiscribe.expressions.spatial import SpatialObject
    from hoiscribe.expressions.spatial_reading import Reading
    from hoiscribe.expressions.spatial_types import Claim

_AFTER = {("on", "the", "left"): "left", ("on", "the", "right"): "right", ("in", "the", "middle"): "middle",
          ("in", "the", "center"): "middle", ("in", "the", "centre"): "middle", ("at", "the", "left"): "left",
          ("at", "the", "right"): "right", ("to", "the", "left"): "left", ("to", "the", "right"): "right"}  # fmt: skip


_BESIDE = {("to", "its", "right"): "next-right", ("on", "its", "right"): "next-right",
           ("to", "its", "left"): "next-left", ("on", "its", "left"): "next-left",
           ("next", "to", "it"): "next", ("beside", "it"): "next"}  # fmt: skip


def own_standard(reading: Reading, than: int, options: frozenset[str]) -> tuple[int, str | None, int | None] | None:
    """After 'than' at ``than``: a standard of the referent's own kind as (end, extreme, rank) of the words that pick
    it ('the middle one' -> middle, 'the cow on the right' -> right, 'the second cup' -> row 2); extreme None when
    nothing picks one ('than the cow next to it'); None when the standard is not of its kind (or is all the others)."""
    words, referent = reading.words, reading.referent
    if referent is None or words[than + 1 : than + 2] not in (["the"], ["that"]):
        return None
    cat, end, _ = reading.landmark_after(than + 1, wide=True)
    if cat is None or (cat != referent and cat not in options):
        return None
    for span in (3, 2):  # "smaller than the car to its right": its neighbour on that side
        if tuple(words[end : end + span]) in _BESIDE:
            return end + span, _BESIDE[tuple(words[end : end + span])], None
    after = _AFTER.get(tuple(words[end : end + 3]))
    if after is not None:
        return end + 3, after, 0
    spec = landmark_spec(words, than, end)
    if spec is None:
        return end, None, None
    return max(end, spec[2]), spec[0], spec[1]


def than_own(claim: Claim, target: SpatialObject, objects: list[SpatialObject]) -> list[SpatialObject] | None:
    """The one box of the referent's kind a standard names, other than the referent; None when not exactly one."""
    from hoiscribe.expressions.spatial_landmarks import _pick  # it reads claims: imported late, no cycle

    if claim.mark_extreme is None:
        return None
    pool = [o for o in objects if o.category == target.category]
    if claim.mark_extreme.startswith("next"):
        return _neighbour(target, pool, claim.mark_extreme.removeprefix("next").removeprefix("-"))
    chosen = _pick(pool, claim.mark_extreme, claim.mark_rank, True)
    return chosen if len(chosen) == 1 and chosen[0] is not target else None


def _neighbour(target: SpatialObject, pool: list[SpatialObject], side: str) -> list[SpatialObject] | None:
    """The nearest other box of its kind on ``side`` ('' for either side: then only when clearly the nearest)."""
    others = [o for o in pool if o is not target and (not side or (o.cx > target.cx) == (side == "right"))]
    if not others:
        return None
    far = sorted(others, key=lambda o: abs(o.cx - target.cx))
    if not side and len(far) > 1 and abs(far[1].cx - target.cx) < 1.5 * abs(far[0].cx - target.cx):
        return None  # "bigger than the one next to it" with a neighbour on each side: which one?
    return far[:1]
