"""Finding object nouns in a referring expression: the longest category form, compounds, heads.

"tennis player" names a person (a role noun after an object word), "the dog bed" may name a
dog or a bed (a compound of two object words names either), and "the baseball cap" names
neither ball nor anything we know (the object word only modifies an unknown head noun).
Used by ``spatial_parse``; the word tables are in ``spatial_words``.
"""

from __future__ import annotations

from hoiscribe.expressions.spatial_words import (
    FAR_WORDS,
    FRAME_NOUNS,
    MIDDLE_WORDS,
    NEAR_WORDS,
    NEGATORS,
    NEUTRAL_PREPS,
    ORDINALS,
    RELATION_PREPS,
    SIDE_WORDS,
    SIZE_WORDS,
    STOPWORDS,
    role_nouns,
)


def match(words: list[str], i: int, forms: dict[tuple[str, ...], frozenset[str]]) -> tuple[frozenset[str], int] | None:
    """The categories named at ``i`` (longest form first; 'tennis player' is a person) and the length."""
    for n in (4, 3, 2, 1):
        key = tuple(words[i : i + n])
        if len(key) == n and key in forms:
            if i + n < len(words) and words[i + n] in role_nouns():
                return forms.get(("person",), frozenset({"person"})), n + 1
            nxt = match_plain(words, i + n, forms)  # noun-noun compound: 'the dog bed' (either word may name it)
            if nxt is not None:
                return forms[key] | nxt[0], n + nxt[1]
            if i + n < len(words) and _maybe_head(words[i + n]):
                return frozenset(), n  # 'the baseball cap': the object word is a modifier; the head is unknown
            return forms[key], n
    return None


_FUNCTION = (
    STOPWORDS
    | NEUTRAL_PREPS
    | NEGATORS
    | frozenset(SIDE_WORDS)
    | frozenset(SIZE_WORDS)
    | MIDDLE_WORDS
    | (frozenset(ORDINALS) | frozenset(RELATION_PREPS) | NEAR_WORDS | FAR_WORDS | FRAME_NOUNS)
    | frozenset(
        {
            "whose",
            "who",
            "which",
            "that",
            "closer",
            "nearer",
            "not",
            "no",
            "furthest",
            "farthest",
            "alone",
            "itself",
            "too",
            "again",
            "together",
            "there",
            "here",
            "now",
            "sits",
            "stands",
            "lies",
            "looks",
            "seems",
            "appears",
            "shown",
            "pictured",
            "visible",
            "partially",
            "partly",
            "mostly",
            "fully",
        }
    )
)


def _maybe_head(word: str) -> bool:
    """A word after an object noun that may be the real head noun ('baseball cap', 'car door')."""
    return word.isalpha() and word not in _FUNCTION and not word.endswith(("ing", "ed", "ly"))


def stranded(words: list[str], j: int) -> bool:
    """A preposition with no object: the clause ends, or only spatial words follow ('next to, on the right')."""
    return j >= len(words) or words[j] in ("on", "in", "at", "and", "which", "that", "who", "the", "to")


def match_plain(
    words: list[str], i: int, forms: dict[tuple[str, ...], frozenset[str]]
) -> tuple[frozenset[str], int] | None:
    for n in (3, 2, 1):
        key = tuple(words[i : i + n])
        if len(key) == n and key in forms:
            return forms[key], n
    return None


def pick(options: frozenset[str], categories: set[str]) -> str:
    present = sorted(options & categories)
    return present[0] if present else sorted(options)[0]
