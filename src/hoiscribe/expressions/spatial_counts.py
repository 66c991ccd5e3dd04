"""Counts a referring expression states about a kind of object: "the last of the four bicycles",
"one of the three cups", "between the two groups of three sheep".

A partitive after a rank ("the last of", "the second of", "one of", "the largest of", "the bigger of")
names how many objects of that kind there are; "K groups of N Xs" says there are at least K * N. Boxes
can contradict a count only when the image's boxes are complete for that kind. COCO-derived scenes
annotate every instance of a category, so what is chosen here: the boxes of a kind are its whole count.
A partitive after a rank ("the first of the three cars") counts the whole kind it ranks in, so any other
number of boxes contradicts it; "K groups of N Xs" is only a lower bound (a stray X may stand apart), so
only fewer boxes contradict it. A kind with no box at all is left alone (its noun may name something
unannotated, and the category check speaks for a referent of the wrong kind).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from hoiscribe.expressions.spatial_nouns import match
from hoiscribe.expressions.spatial_scope import CARDINALS
from hoiscribe.expressions.spatial_words import COMPARATIVES, ORDINALS, SIZE_WORDS, image_forms, tokens_at

if TYPE_CHECKING:
    from hoiscribe.expressions.spatial import SpatialObject

__all__ = ["count_contradictions"]

# the word before a partitive "of the N Xs" that makes N the whole of that kind
_RANK_HEADS = (
    frozenset(ORDINALS) | COMPARATIVES | {"one", "middle", "center", "centre", "each", "any", "none", "neither"}
)
_AFTER = frozenset({"that", "which", "who", "on", "in", "at", "from", "and", "next", "near", "beside", "by"})
_BREAK = re.compile(r"[,;:.!?()]")
_LINES = frozenset({"row", "line", "queue", "column"})
_GROUPS = frozenset({"groups", "rows", "lines", "sets", "clusters", "columns", "stacks"})


def _number(word: str) -> int | None:
    if word in CARDINALS:
        return CARDINALS[word]
    return int(word) if word.isdigit() and len(word) <= 2 else None


def _rank_head(word: str) -> bool:
    return word in _RANK_HEADS or word.endswith(("est", "most"))


def _kind_at(words: list[str], k: int, forms: dict) -> tuple[frozenset[str], int] | None:
    """The categories a plural noun names at ``k`` (over size words: "the three small cups")."""
    while k < len(words) and words[k] in SIZE_WORDS:
        k += 1
    m = match(words, k, forms)
    return (m[0], k + m[1]) if m is not None and m[0] else None


def stated_counts(
    text: str, categories: list[str], referent: frozenset[str] = frozenset()
) -> list[tuple[int, frozenset[str], int, int, bool]]:
    """(count, categories, start, end, exact) of each count the text states: the whole of that kind
    (exact, a partitive) or a lower bound (groups). ``referent``: the categories the referent noun names,
    for a bare partitive after it ("the second car of the four")."""
    toks = tokens_at(text)
    words = [t.low for t in toks]
    forms = image_forms(tuple(sorted(set(categories))))
    out = []
    for i, w in enumerate(words):
        num = _number(w)
        if num is None or num < 2:
            continue
        named = i >= 2 and words[i - 1] == "the" and words[i - 2] == "of" and i >= 3 and _rank_head(words[i - 3])
        partitive = named or (i >= 2 and words[i - 1] == "of" and _rank_head(words[i - 2]))  # "the last of five"
        lined = i >= 2 and words[i - 1] == "of" and words[i - 2] in _LINES  # "at the end of a row of five people"
        if lined and (kind := _kind_at(words, i + 1, forms) or ((referent, i + 1) if referent else None)) is not None:
            out.append((num, kind[0], toks[i - 2].start, toks[kind[1] - 1].end, False))  # at least that many
            continue
        groups = words[i + 1 : i + 2] and words[i + 1] in _GROUPS and words[i + 2 : i + 3] == ["of"]
        if groups and i + 3 < len(words) and (inner := _number(words[i + 3])) is not None:
            kind = _kind_at(words, i + 4, forms)  # "two groups of three sheep": six at least
            if kind is not None:
                out.append((num * inner, kind[0], toks[i].start, toks[kind[1] - 1].end, False))
            continue
        kind = _kind_at(words, i + 1, forms) if partitive else None
        if kind is not None:
            out.append((num, kind[0], toks[i].start, toks[kind[1] - 1].end, True))
        elif not named and (
            referent
            and (
                words[max(0, i - 2) : i] in (["of", "the"], ["among", "the"]) or words[i - 1 : i] in (["of"], ["among"])
            )
            and _bare(text, toks, words, i + 1)
            and any(_rank_head(w) for w in words[max(0, i - 6) : i - 1])
        ):  # "the last car of the four", "the fourth bottle of five", "the biggest cow among the three"
            at = i - 1 - (words[i - 1] == "the")
            out.append((num, referent, toks[at].start, toks[i].end, True))
    return out


def _bare(text: str, toks: list, words: list[str], k: int) -> bool:
    """No noun after a number: the phrase ends, or a clause boundary or a relative word follows."""
    return k >= len(words) or bool(_BREAK.search(text[toks[k - 1].end : toks[k].start])) or words[k] in _AFTER


def count_contradictions(
    text: str, objects: list[SpatialObject], referent: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    """Contradictions (span, start, end, type 'count', why): a partitive's count other than the boxes of
    its kind, a lower bound above them."""
    out = []
    for num, kinds, start, end, exact in stated_counts(text, [o.category for o in objects], referent):
        have = sum(o.category in kinds for o in objects)
        if 0 < have < num or (exact and 0 < have != num):
            why = f"the image has {have}, not {num}"
            out.append({"span": text[start:end], "start": start, "end": end, "type": "count", "why": why})
    return out
