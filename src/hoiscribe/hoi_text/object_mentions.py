"""Whether a text names an object anywhere: what the judge asks of an object the facts have and the text may
leave out.

Why apart from :mod:`hoiscribe.hoi_text.claims`: that module reads claims clause by clause; this one reads
the whole text for the object's name, past the near misses that hold it as a word ("a jet ski").
"""

from __future__ import annotations

import re
from functools import cache

from hoiscribe.hoi_text import phrases
from hoiscribe.hoi_text.claim_words import PREPOSITIONS, TOKEN, object_re, object_surfaces
from hoiscribe.hoi_text.claims import normalize

# general nouns ("the animal"): they may name the wrong object the text rode, so they name no object of their own
GENERAL_NOUNS = frozenset({"animal", "animals", "creature", "creatures", "beast", "beasts", "vehicle", "vehicles"})


@cache
def _near_holders() -> dict[str, tuple[str, ...]]:
    """Object name -> the near misses that hold it as a word ('bike' -> 'quad bike', 'ski' -> 'jet ski')."""
    names = object_surfaces()
    out: dict[str, list[str]] = {}
    for phrase in phrases.near_miss_table():
        for name in names:
            if name != phrase and re.search(rf"\b{re.escape(name)}\b", phrase):
                out.setdefault(name, []).append(phrase)
    return {k: tuple(v) for k, v in out.items()}


def _inside_near(low: str, start: int, end: int, holders: tuple[str, ...]) -> bool:
    """Is ``low[start:end]`` (an object's name) part of one of the near misses ``holders`` there?"""
    for phrase in holders:
        at = low.find(phrase, max(0, end - len(phrase)), start + len(phrase))
        if at != -1 and at <= start and end <= at + len(phrase):
            return True
    return False


def mentions_object(text: str, category: str, object_position_only: bool = False) -> bool:
    """Is ``category`` named anywhere in ``text`` (for 'person', only after a verb or preposition)?"""
    low = normalize(text)
    holders = _near_holders()
    for m in object_re().finditer(low):
        if m.group(1) in GENERAL_NOUNS:
            continue  # "the animal" may be the camel the text rode: it names no object of its own
        if m.group(1) in holders and _inside_near(low, m.start(), m.end(), holders[m.group(1)]):
            continue  # "a quad bike", "a jet ski": a near miss that holds an object's word names no object
        if category in object_surfaces()[m.group(1)] and not low.startswith("'s", m.end()):
            before = TOKEN.findall(low[: m.start()])[-3:]
            if not object_position_only or any(w in PREPOSITIONS or w == "with" or w.endswith("ing") for w in before):
                return True
    return False
