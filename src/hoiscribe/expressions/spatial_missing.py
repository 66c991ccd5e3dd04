"""A definite landmark of a kind the image has no box of: 'holding the fork' with no fork, 'above the largest sheep'
among cows.

COCO-derived scenes box every instance of their 80 categories, so 'the fork' presupposes a fork box; with none, the
text names the wrong kind of thing (the knife the man holds, the cows the bird flies over). Only a definite, affirmed
phrase counts ('not near any dog', 'with no fork', 'a fork' prove nothing), only for COCO kinds, and never for
furniture, surfaces and fixtures a hand-made scene may leave out ('at the table', 'on the bench') or for nouns that
often name something else ('the screen', 'the mouse', 'the tie').
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hoiscribe.expressions.spatial_words import global_forms, known

if TYPE_CHECKING:
    from hoiscribe.expressions.spatial import SpatialObject
    from hoiscribe.expressions.spatial_types import Claim, ParsedExpression

_NOT_COCO = frozenset({"camel", "deer", "donkey", "fox", "goat", "lion", "monkey", "pig", "rabbit", "squirrel",
                       "tiger"})  # fmt: skip
_LEFT_OUT = frozenset({"dining table", "bench", "chair", "couch", "bed", "toilet", "sink", "potted plant", "tv",
                       "mouse", "tie", "refrigerator", "oven", "microwave", "clock", "book"})  # fmt: skip
_UNSURE = frozenset({"no", "any", "a", "an", "some", "like", "looks", "seems", "what", "without", "nothing", "either",
                     "neither", "none", "never", "if"})  # fmt: skip
_KINDS = frozenset({"relation", "next", "between", "behind", "with", "nearest", "size"})


def missing_landmarks(parsed: ParsedExpression, objects: list[SpatialObject]) -> list[dict[str, Any]]:
    """Contradictions (type 'category') for each definite, affirmed landmark of a COCO kind with no box at all."""
    present = {o.category for o in objects}
    out, seen = [], set()
    for c in parsed.claims:
        if _absent(c, present) and c.landmark not in seen:
            seen.add(c.landmark)
            why = f"the image has no {c.landmark}"
            out.append({"span": c.span, "start": c.start, "end": c.end, "type": "category", "why": why})
    return out


def _absent(c: Claim, present: set[str]) -> bool:
    """A landmark the boxes cannot have: its kind is a boxed COCO kind with no box, its phrase definite and affirmed."""
    mark = c.landmark
    if c.negated or c.kind not in _KINDS or mark is None or mark in present or mark in _NOT_COCO | _LEFT_OUT:
        return False
    if not known(mark) or c.also:
        return False  # "?" (an unknown noun), "*" (anything), a 'between' of two kinds
    words = c.span.lower().replace(",", " ").split()
    forms = global_forms()
    if any(len(forms.get((w,), ())) > 1 for w in words):
        return False  # "the board", "the glass", "the bag": a word of several kinds (a cutting board, a window)
    return "the" in words and not _UNSURE & set(words)
