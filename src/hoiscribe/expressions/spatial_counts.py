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
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from hoiscribe.expressions.spatial_age import aged_forms
from hoiscribe.expressions.spatial_nouns import UNIT_NOUNS, match
from hoiscribe.expressions.spatial_ordinals import CARDINALS
from hoiscribe.expressions.spatial_words import COMPARATIVES, ORDINALS, SIZE_WORDS, image_forms, tokens_at

if TYPE_CHECKING:
    from hoiscribe.expressions.spatial import SpatialObject

__all__ = ["count_contradictions", "has_number", "kind_at", "narrowed_partitives", "number", "stated_counts"]

# the word before a partitive "of the N Xs" that makes N the whole of that kind
_RANK_HEADS = (
    frozenset(ORDINALS) | COMPARATIVES | {"one", "middle", "center", "centre", "each", "any", "none", "neither"}
)
_AFTER = frozenset({"that", "which", "who", "on", "in", "at", "from", "and", "next", "near", "beside", "by"})
_BREAK = re.compile(r"[,;:.!?()]")
_LINES = frozenset({"row", "line", "queue", "column"})
_GROUPS = frozenset({"groups", "rows", "lines", "sets", "clusters", "columns", "stacks"})
_INTRO = frozenset({"of", "among", "amongst"})
_QUANT = frozenset({"the", "all", "these", "those"})
_SIDES = frozenset({"left", "right", "top", "bottom"})  # "the right chair among five"
_ENDS = frozenset({"end", "ends", "edge"})  # "at the right end of the three people"


def number(word: str) -> int | None:
    if word in CARDINALS:
        return CARDINALS[word]
    return int(word) if word.isdigit() and len(word) <= 2 else None


def _rank_head(word: str) -> bool:
    return word in _RANK_HEADS or word.endswith(("est", "most"))


def kind_at(words: list[str], k: int, forms: dict) -> tuple[frozenset[str], int] | None:
    """The categories a plural noun names at ``k`` (over size words: "the three small cups")."""
    while k < len(words) and words[k] in SIZE_WORDS:
        k += 1
    if words[k : k + 1] and words[k] in UNIT_NOUNS and words[k + 1 : k + 2] == ["of"]:
        k += 2  # "the three pairs of skis", "four piles of oranges": that many of the kind
    m = match(words, k, forms)
    return (m[0], k + m[1]) if m is not None and m[0] else None


# person nouns that name every person in view; any other ("students", "players", "women") may pick some of them
_ALL_PEOPLE = frozenset({"people", "persons", "person", "humans", "individuals", "figures", "ones", "folks"})


def _some_people(words: list[str], kind: tuple[frozenset[str], int]) -> bool:
    """'the other two students', 'the last of the three players': a role or kind of person is a subset of the
    person boxes (a teacher, a referee, a passer-by), so its count is only a lower bound."""
    return "person" in kind[0] and words[kind[1] - 1] not in _ALL_PEOPLE


def stated_counts(
    text: str, categories: list[str], referent: frozenset[str] = frozenset()
) -> list[tuple[int, frozenset[str], int, int, bool]]:
    """(count, categories, start, end, exact) of each count the text states: the whole of that kind
    (exact, a partitive) or a lower bound (groups, a partitive narrowed by a phrase after its noun). ``referent``:
    the categories the referent noun names, for a bare partitive after it ("the second car of the four")."""
    return [(num, kinds, start, end, exact) for num, kinds, start, end, exact, _ in _counts(text, categories, referent)]


def narrowed_partitives(text: str, categories: list[str], referent: frozenset[str] = frozenset()) -> list[int]:
    """Character offsets where a partitive narrowed by a phrase starts ("the left one of the two oranges in the
    bowl"): a rank before it is counted among those the phrase picks, which the boxes do not settle."""
    return [at for *_, exact, at in _counts(text, categories, referent) if at >= 0]


def _intro(words: list[str], i: int) -> int | None:
    """The partitive word before the number at ``i`` ("of", "among", "out of"), over "the", "all (the)"."""
    j = i - 1
    while j >= 0 and i - j <= 2 and words[j] in _QUANT:
        j -= 1
    return j if j >= 0 and words[j] in _INTRO else None


def _counts(
    text: str, categories: list[str], referent: frozenset[str]
) -> tuple[tuple[int, frozenset[str], int, int, bool, int], ...]:
    """Each stated count with the offset of a narrowed partitive's intro (-1 when it is not narrowed)."""
    if not has_number(text):
        return ()  # most expressions state no number: the tokens need not be read
    return _read_counts(text, tuple(sorted(set(categories))), referent)


_NUMERIC = re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten)\b|\d", re.I)


def has_number(text: str) -> bool:
    """Whether the text may state a count at all (a number word or a digit): the cheap test before reading it."""
    return bool(_NUMERIC.search(text))


@lru_cache(maxsize=4096)
def _read_counts(
    text: str, categories: tuple[str, ...], referent: frozenset[str]
) -> tuple[tuple[int, frozenset[str], int, int, bool, int], ...]:
    toks = tokens_at(text)
    words = [t.low for t in toks]
    forms = aged_forms(image_forms(tuple(sorted(set(categories)))), referent)  # "the two adults": elephants
    out = []
    for i, w in enumerate(words):
        num = number(w)
        if num is None or num < 2:
            continue
        if i >= 2 and words[i - 1] == "other" and words[i - 2] in ("the", "all") and referent:
            kind = kind_at(words, i + 1, forms)  # "between the other two", "the other three cows": the rest of its kind
            if kind is None and _bare(text, toks, words, i + 1):
                out.append((num + 1, referent, toks[i - 1].start, toks[i].end, True, -1))
            elif kind is not None and kind[0] & referent:
                narrowed = _narrowed(words, kind[1], forms) or _some_people(words, kind)
                out.append((num + 1, kind[0], toks[i - 1].start, toks[kind[1] - 1].end, not narrowed, -1))
            continue
        j = _intro(words, i)
        head = j - 1 - (j >= 2 and words[j] == "of" and words[j - 1] == "out") if j is not None else -1
        ranked = head >= 0 and (_rank_head(words[head]) or words[head] in _ENDS)
        fronted = j is not None and (j == 0 or bool(_BREAK.search(text[toks[j - 1].end : toks[j].start])))
        partitive = ranked or fronted
        lined = i >= 2 and words[i - 1] == "of" and words[i - 2] in _LINES  # "at the end of a row of five people"
        if lined and (kind := kind_at(words, i + 1, forms) or ((referent, i + 1) if referent else None)) is not None:
            out.append((num, kind[0], toks[i - 2].start, toks[kind[1] - 1].end, False, -1))  # at least that many
            continue
        groups = words[i + 1 : i + 2] and words[i + 1] in _GROUPS and words[i + 2 : i + 3] == ["of"]
        if groups and i + 3 < len(words) and (inner := number(words[i + 3])) is not None:
            kind = kind_at(words, i + 4, forms)  # "two groups of three sheep": six at least
            if kind is not None:
                out.append((num * inner, kind[0], toks[i].start, toks[kind[1] - 1].end, False, -1))
            continue
        kind = kind_at(words, i + 1, forms) if partitive else None
        if kind is not None:
            narrowed = _narrowed(words, kind[1], forms)
            some = _some_people(words, kind)  # "the last of the three students": ranked among those, not all people
            at = toks[head].start if (narrowed or some) and head >= 0 else -1
            exact = not narrowed and not some
            out.append((num, kind[0], toks[i].start, toks[kind[1] - 1].end, exact, at))
        elif (
            referent
            and j is not None
            and not (ranked and words[i - 1] == "the")  # "the bowl in the middle of the three": maybe cups
            and _bare(text, toks, words, i + 1)
            and (ranked or any(_rank_head(w) or w in _SIDES for w in words[max(0, i - 6) : j]))
        ):  # "the last car of the four", "the fourth bottle of five", "the biggest cow among the three"
            out.append((num, referent, toks[j].start, toks[i].end, True, -1))
        elif (
            not partitive
            and not (i >= 2 and words[i - 1] == "of" and words[i - 2] in _GROUPS)  # "two groups of three": said above
            and (kind := kind_at(words, i + 1, forms)) is not None
        ):
            # "right of the five bottles", "the couch with four people on it": there are at least that many
            out.append((num, kind[0], toks[i].start, toks[kind[1] - 1].end, False, -1))
    return tuple(out)


def _narrowed(words: list[str], k: int, forms: dict) -> bool:
    """A place phrase right after the partitive's noun picks some of its kind: "of the two oranges in the bowl",
    "of the three people on the couch" (a phrase naming no object, "parked along the curb", does not)."""
    if words[k : k + 1] not in (["in"], ["inside"], ["on"], ["under"]):
        return False
    j = k + 1 + (words[k + 1 : k + 2] in (["the"], ["a"]))
    return kind_at(words, j, forms) is not None


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
