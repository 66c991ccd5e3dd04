"""What a referring expression is read into: its claims and the parsed whole (``spatial_parse`` reads
them, ``spatial_claims`` and ``spatial`` judge them on the boxes). Kept apart from the reading so the
contract between reader and judge lives in one small module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Claim", "ClaimKind", "ParsedExpression"]

ClaimKind = Literal[
    "side", "middle", "size", "ordinal", "relation", "nearest", "next", "between", "behind", "with", "end", "empty"
]


@dataclass(frozen=True, slots=True)
class Claim:
    """One checkable claim read from an expression; ``start``/``end`` are character offsets."""

    kind: ClaimKind
    value: str  # left/right/top/bottom, middle, largest/smallest/tallest/..., nearest/farthest
    span: str  # the words it was read from
    rank: int | None = None  # ordinal: 1-based, -1 for "last", -2 for "second to last"
    landmark: str | None = None  # relation / nearest / next / between / behind / with: the other category
    frame: Literal["group", "image"] = "group"  # side: among same-category objects, or halves of the image
    negated: bool = False
    attached: Literal["referent", "either"] = "referent"
    start: int = 0
    end: int = 0
    strict: bool = False  # "directly above": the boxes must also overlap across
    plain: bool = False  # "on the left", "the big cup" (not "leftmost", "biggest"): graded among three or more
    also: str | None = None  # between: a second landmark category ("between the cup and the laptop")
    unsure: bool = False  # its negation scope or its frame ("from his point of view") is unclear: unknown
    implicit: bool = False  # ordinal without a direction ("the second cup"): counted along a row only
    mark_extreme: str | None = None  # the landmark is the extreme one of its kind ("above the leftmost apple")
    mark_rank: int | None = None  # ... or the one of this rank from ``mark_extreme`` ("the second apple");
    # 0: a plain side ("the left traffic light"), which picks a landmark only out of two
    mark_specs: tuple[tuple[str, int | None], ...] = ()  # between: (extreme, rank) of each of its two landmarks
    mark_ids: tuple[object, ...] = ()  # the landmark boxes a phrase after its noun picks ("the girl on the board")
    loose: bool = False  # "a big brown one": an indefinite describes, it does not contrast (false only at the far end)


@dataclass(frozen=True, slots=True)
class ParsedExpression:
    """The referent (None when no object noun is named), the claims, and words left unexplained.

    ``options`` are the categories the referent noun can name (a synonym may fit several)."""

    referent: str | None
    claims: tuple[Claim, ...]
    residual: tuple[str, ...]
    options: frozenset[str] = frozenset()
    referent_span: tuple[int, int] | None = None
    landmarks: tuple[str, ...] = ()
    unchecked: tuple[str, ...] = ()  # relations the boxes cannot settle ("next to the ball", "holding a cup")
    general: bool = False  # a group noun ("the fruit", "the animal"): compared with every object it names
    rows: bool = False  # it speaks of rows or shelves: ordinals count along the referent's own row (if clear)

    @property
    def purely_spatial(self) -> bool:
        """Only category and checkable spatial words: then boxes decide whether it singles one object out."""
        return not self.residual and not self.unchecked
