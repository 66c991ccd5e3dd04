"""Describing words inside a landmark's phrase: 'next to the tall bottle', 'left of the red car', 'behind the wooden
bench', 'near the sleeping dog'.

A colour, a plain dimension or a word shaped like an adjective between the article and the noun was not stepped
over, so the landmark was lost and the relation went unread ('next to the tall bottle': unchecked). Only a word
right before a known noun (or before one more such word) is stepped over; a function word or a noun never is.
"""

from __future__ import annotations

from hoiscribe.expressions.spatial_nouns import match
from hoiscribe.expressions.spatial_words import NEGATORS, NEUTRAL_PREPS, RELATION_WORDS, STOPWORDS

_COLOURS = frozenset({"white", "black", "red", "blue", "green", "yellow", "brown", "grey", "gray", "pink", "purple",
                      "silver", "golden", "gold", "beige", "dark", "light", "pale", "bright", "striped", "spotted",
                      "tan", "navy", "cream"})  # fmt: skip
_PLAIN = frozenset({"tall", "short", "wide", "thin", "slim", "narrow", "long", "fat", "old", "young", "new", "empty",
                    "full", "open", "closed", "round", "square", "wooden", "plastic", "metal", "glass", "adult",
                    "parked", "standing", "sitting", "lying", "sleeping", "grazing", "flying", "running", "walking",
                    "seated"})  # fmt: skip
_SHAPED = ("ish", "ful", "ous", "less", "-colored", "-coloured", "-haired", "-sized", "-shaped")


def describing(words: list[str], k: int, forms: dict[tuple[str, ...], frozenset[str]]) -> bool:
    """Whether ``words[k]`` describes a noun that follows at once (or after one more describing word)."""
    w = words[k]
    if not (w in _COLOURS or w in _PLAIN or w.endswith(_SHAPED)):
        return False
    if w in STOPWORDS or w in NEUTRAL_PREPS or w in RELATION_WORDS or w in NEGATORS or match(words, k, forms):
        return False
    nxt = match(words, k + 1, forms)
    if nxt is not None and nxt[0]:
        return True
    return k + 2 < len(words) and words[k + 1] in _COLOURS | _PLAIN and bool((m := match(words, k + 2, forms)) and m[0])
