"""Finding object nouns in a referring expression: the longest category form, compounds, heads.

"tennis player" names a person (a role noun after an object word), "the dog bed" may name a
dog or a bed (a compound of two object words names either), and "the baseball cap" names
neither ball nor anything we know (the object word only modifies an unknown head noun).
Used by ``spatial_parse``; the word tables are in ``spatial_words``.
"""

from __future__ import annotations

from functools import cache

from hoiscribe.expressions.spatial_words import (
    FAR_WORDS,
    FRAME_NOUNS,
    MIDDLE_WORDS,
    NEAR_WORDS,
    NEGATORS,
    NEUTRAL_PREPS,
    ORDINALS,
    RELATION_PREPS,
    RELATION_WORDS,
    SIDE_WORDS,
    SIZE_WORDS,
    STOPWORDS,
    role_nouns,
)

_AUXILIARIES = frozenset({"does", "goes", "has", "was"})
# a heap or a pair of things of one kind: the boxes of that kind are drawn round the heap or the pair
UNIT_NOUNS = frozenset({"pile", "piles", "pair", "pairs", "bunch", "bunches", "heap", "heaps", "stack", "stacks"})
_ANYONE = tuple([w] for w in ("someone", "somebody", "anyone", "anybody", "everyone", "everybody", "nobody", "noone"))


def match(words: list[str], i: int, forms: dict[tuple[str, ...], frozenset[str]]) -> tuple[frozenset[str], int] | None:
    """The categories named at ``i`` (longest form first; 'tennis player' is a person) and the length."""
    for n in (4, 3, 2, 1):
        key = tuple(words[i : i + n])
        if len(key) == n and key in forms:
            if i + n < len(words) and words[i + n] in role_nouns():
                return forms.get(("person",), frozenset({"person"})), n + 1
            if i + n < len(words) and words[i + n] in UNIT_NOUNS and words[i + n + 1 : i + n + 2] != ["of"]:
                return forms[key], n + 1  # "the four orange piles", "the banana bunch": oranges, bananas
            nxt = match_plain(words, i + n, forms) if words[i + n : i + n + 1] not in _ANYONE else None
            # noun-noun compound: 'the dog bed' (either word may name it); not 'the horse someone is riding'
            if nxt is not None:
                return forms[key] | nxt[0], n + nxt[1]
            verb = i + n < len(words) and words[i + n] in RELATION_WORDS  # "the chair, hold a cup": a learner's verb
            if i + n < len(words) and _maybe_head(words[i + n]) and not predicate_word(words, i + n) and not verb:
                return frozenset(), n  # 'the baseball cap': the object word is a modifier; the head is unknown
            return forms[key], n
    w = words[i] if i < len(words) else ""
    # a learner's plural: 'womans', 'mans' ("does" is the verb, not deer)
    if len(w) > 3 and w.endswith("s") and (w[:-1],) in forms and w not in _AUXILIARIES:
        return forms[(w[:-1],)], 1
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
            "outside",
            "none",
            "neither",
            "either",
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
            "extreme",
            "outermost",
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
            "nobody",
            "noone",
            "someone",
            "somebody",
            "everyone",
            "everybody",
            "anyone",
            "where",
            "what",
            "while",
            "but",
            "except",
            "empty",
            "occupied",
            "i",
            "you",
            "more",
            "most",
            "less",
            "least",
            "close",
            "stay",
            "stays",
            "stand",
            "sit",
            "lie",
            "begin",
            "begins",
            "come",
            "comes",
            "nobody's",
        }
    )
)


OPAQUE = "?"  # a landmark noun the lexicon does not know: claims that may describe it are unknown
_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "their", "its", "some", "another", "that", "this"})
# things a person wears or carries on the body: "in a red shirt on the left" still places the person
_WORN = frozenset({"shirt", "t", "jacket", "hat", "cap", "dress", "coat", "shorts", "pants", "trousers", "jeans",
                   "shoes", "helmet", "glasses", "sunglasses", "sweater", "hoodie", "uniform", "suit", "skirt", "top",
                   "vest", "scarf", "jersey", "apron", "costume", "hair", "beard", "mask", "gloves", "boots",
                   "sneakers", "outfit", "clothes", "blouse", "sweatshirt"})  # fmt: skip


def is_opaque_noun(words: list[str], i: int) -> bool:
    """An unknown noun after a determiner (and maybe adjectives) that a preposition introduces: 'next to
    the old tree', 'near a lamp'. Clothing is not one ('in a red shirt'): it moves with its wearer."""
    w = words[i]
    if not w.isalpha() or len(w) < 3 or w in _FUNCTION or w in _WORN or w.endswith(("ing", "ly")) or w == "own":
        return False
    if w in _GROUND or (w.endswith("ed") and len(w) >= 6):
        return False  # "on the floor to the right of": the floor has no place; "on the left, parked": a participle
    if i + 1 < len(words) and _maybe_head(words[i + 1]):
        return False  # an adjective or a modifier: the head noun comes next
    for k in range(i - 1, max(-1, i - 4), -1):
        if words[k] in _DETERMINERS:
            return k > 0 and words[k - 1] in NEUTRAL_PREPS | frozenset(RELATION_PREPS) | {"to", "of", "from"}
    return False


# the ground and the sky of a scene: no box, no place of their own, so a phrase after them is the referent's
_GROUND = frozenset({"floor", "ground", "grass", "road", "street", "sidewalk", "pavement", "snow", "sand", "water",
                     "sky", "air", "field", "lawn", "beach", "slope", "background", "foreground", "dirt", "carpet",
                     "runway", "tarmac", "shore", "court", "pitch", "mud", "gravel", "asphalt"})  # fmt: skip


def _maybe_head(word: str) -> bool:
    """A word after an object noun that may be the real head noun ('baseball cap', 'car door')."""
    return word.isalpha() and word not in _FUNCTION and not word.endswith(("ing", "ed", "ly"))


# after a verb-or-noun word ending in -s, these make it the verb of the clause ("the man holds the ...")
_VERB_NEXT = frozenset({"the", "a", "an", "his", "her", "their", "its", "this", "that", "these", "those", "some",
                        "one", "two", "three", "next", "beside", "behind", "near", "against", "alongside", "between",
                        "under", "below", "above", "beneath", "underneath", "toward", "towards", "across", "by",
                        "to", "into", "onto", "nearest", "closest", "furthest", "farthest"})  # fmt: skip


_ADVERBS = frozenset({"still", "down", "today", "yet", "already", "once", "meanwhile", "instead"})


@cache
def _readings(word: str) -> frozenset[str]:
    """The parts of speech a word form may have (lemminflect's tables; empty when it does not know it)."""
    try:
        from lemminflect import getAllLemmas
    except ModuleNotFoundError as exc:  # a core dependency; the message names it for broken installs
        raise ModuleNotFoundError(
            "the spatial checker needs the package 'lemminflect': pip install lemminflect"
        ) from exc
    return frozenset(getAllLemmas(word))


def predicate_word(words: list[str], k: int) -> bool:
    """A word after an object noun that starts the predicate rather than naming the head noun: one that is
    never a noun ("the man wears", "the cup nowhere near", "the dog sat"), or a verb in -s before a
    determiner or a preposition of place ("the woman holds the cup", "the dog waits beside ..."); "the
    baseball cap", "the car doors" stay compounds with an unknown head."""
    w = words[k]
    if w in _ADVERBS:
        return True
    kinds = _readings(w)
    if kinds and "NOUN" not in kinds and "PROPN" not in kinds:
        return True
    after = words[k + 1] if k + 1 < len(words) else ""
    return w.endswith("s") and not w.endswith("ss") and "VERB" in kinds and after in _VERB_NEXT


def is_head(word: str) -> bool:
    """A word that may be a noun the lexicon does not know ('pooch', 'lamp')."""
    return _maybe_head(word) and len(word) > 2


def stranded(words: list[str], j: int) -> bool:
    """A preposition with no object: the clause ends, or only spatial words follow ('next to, on the right')."""
    return j >= len(words) or words[j] in ("on", "in", "at", "and", "which", "that", "who", "the", "to")


def other_noun(words: list[str], k: int, forms: dict[tuple[str, ...], frozenset[str]], options: frozenset[str]) -> int:
    """The end of a noun at ``k`` that names none of the referent's ``options`` ('the second chair' after 'the man'),
    else 0: a position word right before it is that thing's, not the referent's."""
    m = match(words, k, forms)
    return k + m[1] if m is not None and m[0] and not m[0] & options else 0


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
