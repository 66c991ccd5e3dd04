"""How many things an expression says lie in or on its referent: "the bowl with three oranges in it", "the bed
with two teddy bears on it", "the bowl holding two oranges".

The count is of the things of that kind meeting the referent, so the referent's own box decides it: fewer
such boxes that even touch it than the number contradicts it, and (for a container) more that lie in it too.
Only said of a container or surface, or with "in it" / "on it" after the noun, so "the man with two dogs"
(beside him, not on him) is left alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hoiscribe.expressions.spatial_absence import CONTAINERS
from hoiscribe.expressions.spatial_counts import has_number, kind_at, number
from hoiscribe.expressions.spatial_denial import held_in, meets_on
from hoiscribe.expressions.spatial_words import image_forms, tokens_at

if TYPE_CHECKING:
    from hoiscribe.expressions.spatial import SpatialObject

__all__ = ["held_count_contradictions"]

_HOLDING = frozenset({"with", "has", "have", "having", "holding", "holds", "containing", "contains", "carrying",
                      "carries"})  # fmt: skip
_EXACTLY = frozenset({"only", "just", "exactly"})
_SURFACES = frozenset({"bed", "couch", "bench", "chair", "dining table", "plate", "tray"})
_ON_IT = (["in", "it"], ["on", "it"], ["inside"], ["inside", "it"], ["on", "top"], ["in", "them"], ["on", "them"])


def held_count_contradictions(text: str, target: SpatialObject, objects: list[SpatialObject]) -> list[dict[str, Any]]:
    """Contradictions (span, start, end, type 'count', why) of each "with N Xs (in it)" the boxes rule out."""
    if not has_number(text):
        return []
    toks = tokens_at(text)
    words = [t.low for t in toks]
    forms = image_forms(tuple(sorted({o.category for o in objects})))
    out = []
    for i, w in enumerate(words[:-1]):
        if w not in _HOLDING:
            continue
        k = i + 1 + (words[i + 1] in _EXACTLY)
        num = number(words[k]) if k < len(words) else None
        if num is None or num < 2:
            continue
        kind = kind_at(words, k + 1, forms)
        if kind is None:
            continue
        after = words[kind[1] : kind[1] + 2]
        placed = any(after[: len(p)] == p for p in _ON_IT) or words[kind[1] : kind[1] + 1] in (["sitting"], ["lying"])
        container = target.category in CONTAINERS
        if not (placed or container or target.category in _SURFACES) or target.category in kind[0]:
            continue
        things = [o for o in objects if o.category in kind[0] and o is not target]
        if len(things) < num:
            continue  # none of that kind boxed (its noun may name something unannotated), or too few: said elsewhere
        touching = sum(held_in(o, target) or meets_on(o, target) for o in things)
        inside = sum(held_in(o, target) for o in things) if container else 0
        why = ""
        if touching < num:
            why = f"only {touching} of the {len(things)} meet it"
        elif inside > num:
            why = f"{inside} lie in it"
        if why:
            start, end = toks[k].start, toks[kind[1] - 1].end
            out.append({"span": text[start:end], "start": start, "end": end, "type": "count", "why": why})
    return out
