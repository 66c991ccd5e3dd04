"""Where a spatial word's claim reaches, and whose frame it is in: negation scope, ordinals, body sides.

Prose that the templates did not write says the same things in many shapes: "last but one",
"second-to-last", "number 3 from the left"; "not the one on the far left, the one beside it";
"the man raising his right hand" (a body side, no claim about where he is); "from her point of
view, on the left" (the person's frame, which boxes cannot settle). ``spatial_parse`` asks this
module three questions at a word: which rank an ordinal phrase starting here names, how far a
negator reaches, and whether a side word is about the image at all. Precision first: when the
answer is unclear the claim is made unsure (unknown), never guessed. Ordinal phrases are read in
``spatial_ordinals`` and places said from the referent ('has X to its right') in ``spatial_placed``;
both are re-exported here, where ``spatial_parse`` asks for them.
"""

from __future__ import annotations

import re

from hoiscribe.expressions.spatial_absence import NOBODY as NOBODY
from hoiscribe.expressions.spatial_absence import SEAT_WORDS as SEAT_WORDS
from hoiscribe.expressions.spatial_absence import container_empty as container_empty
from hoiscribe.expressions.spatial_absence import seat_claim as seat_claim
from hoiscribe.expressions.spatial_nouns import match
from hoiscribe.expressions.spatial_ordinals import CARDINALS, ordinal_at, ordinal_direction
from hoiscribe.expressions.spatial_ordinals import at_an_end as at_an_end
from hoiscribe.expressions.spatial_ordinals import cardinal_from as cardinal_from
from hoiscribe.expressions.spatial_ordinals import counts_other as counts_other
from hoiscribe.expressions.spatial_ordinals import leading_direction as leading_direction
from hoiscribe.expressions.spatial_placed import PERSONAL as PERSONAL
from hoiscribe.expressions.spatial_placed import beside_it as beside_it
from hoiscribe.expressions.spatial_placed import placed_after as placed_after
from hoiscribe.expressions.spatial_placed import placed_relation as placed_relation
from hoiscribe.expressions.spatial_words import (
    EXTREME,
    MARK_SIZES,
    ORDINALS,
    ROLE_TOOLS,
    SIDE_WORDS,
    SIZE_WORDS,
    STOPWORDS,
    TOOL,
    Tok,
)

# a side word before one of these is the side of a body ("his right hand"), not a place in the image
BODY_PARTS = frozenset(
    {"hand", "hands", "arm", "arms", "leg", "legs", "foot", "feet", "shoulder", "shoulders", "eye", "eyes", "ear",
     "ears", "knee", "knees", "elbow", "elbows", "wrist", "wrists", "cheek", "palm", "fist", "thumb", "finger",
     "fingers", "shoe", "shoes", "boot", "boots", "sleeve", "glove", "hip", "hips", "handed", "wing", "paw", "paws",
     "headlight", "headlights", "ankle", "thigh", "brow", "eyebrow", "pocket", "lane"}
)  # fmt: skip
# "his left", "her own right", "the man's left": the person's own side, which boxes cannot tell
PERSON_POSSESSIVES = frozenset({"his", "her", "their", "its", "own", "whose"})
_NOT_POSSESSORS = frozenset(
    {"it", "that", "there", "here", "what", "who", "he", "she", "where", "which", "let", "viewer", "camera",
     "photographer", "observer", "reader", "picture", "image", "photo"}
)  # fmt: skip
_CLAUSE_WORDS = frozenset({"but", "and", "or", "while", "whereas", "although", "though", "however", "instead"})
# words a negator may step over before its claim without its scope becoming unclear
_NEG_FILLER = STOPWORDS | frozenset(
    {"located", "placed", "positioned", "situated", "standing", "sitting", "lying", "stand", "sit", "lie", "stands",
     "sits", "lies", "set", "parked", "kept", "found", "do", "does", "did", "is", "are", "was", "were", "be", "been",
     "exactly", "quite", "really", "even", "at", "all", "actually", "so", "too", "the", "on", "in", "to", "one",
     "ones", "anywhere", "remotely", "currently", "still", "flying", "perched", "hanging", "resting", "leaning",
     "floating", "waiting", "seated", "seem", "seems", "seemed", "appear", "appears", "appeared", "being", "mounted",
     "sat", "stood", "laid", "held"}
) - _CLAUSE_WORDS  # fmt: skip
_PUNCT = re.compile(r"[,;:.!?()\[\]\u2014\u2013]|\s-\s")
_FRAME = re.compile(
    r"\b(?:his|her|their|its|[a-z]+'s)\s+(?:own\s+)?(?:perspective|point\s+of\s+view|viewpoint|view|standpoint)\b"
)
_VIEWERS = ("viewer's", "camera's", "photographer's", "observer's", "spectator's", "reader's", "our", "my", "your")


# side and size superlatives that single out one landmark ("above the leftmost apple")
LANDMARK_EXTREMES = {"leftmost": "left", "rightmost": "right", "topmost": "top", "uppermost": "top", "highest": "top",
                     "bottommost": "bottom", "lowest": "bottom", "largest": "largest", "biggest": "largest",
                     "smallest": "smallest", "tallest": "tallest", "shortest": "shortest", "widest": "widest",
                     "narrowest": "narrowest"}  # fmt: skip
# a young one among grown ones of its kind: the smallest box of them, as a landmark ("in front of the calf")
_YOUNG = frozenset({"calf", "foal", "puppy", "kitten", "lamb", "cub", "baby"})
SUPERLATIVE_SIDES = frozenset({"leftmost", "rightmost", "topmost", "uppermost", "bottommost"})
_PLAIN_MARK_SIDES = {"left": "left", "right": "right", "upper": "top", "lower": "bottom", "top": "top",
                     "bottom": "bottom"}  # fmt: skip


def landmark_spec(words: list[str], a: int, b: int) -> tuple[str, int | None, int] | None:
    """What singles out the landmark of a phrase ``words[a:b]``: a superlative ('left of the biggest cup',
    'above the far-left apple') as (value, None, b), or an ordinal ('below the second apple from the left')
    as (direction, rank, end) where ``end`` also covers a direction after the noun."""
    for k in range(a + 1, b):
        if words[k - 1] in ("a", "an") and (words[k] in _PLAIN_MARK_SIDES or words[k] in MARK_SIZES):
            return None  # "with a small sheep in front of it": an indefinite picks no one of its kind
        if words[k] in LANDMARK_EXTREMES:
            return LANDMARK_EXTREMES[words[k]], None, b
        if words[k] in _YOUNG and k == b - 1 - (words[k] == "baby"):  # "in front of the calf", "the baby elephant"
            return "smallest", None, b
        if words[k] in ("left", "right") and words[k - 1] in ("far", "very", "extreme"):
            return words[k], None, b
        if words[k] in ("middle", "center", "centre", "central"):  # "right of the middle car": of a row of three
            return "middle", None, b
        if words[k] in _PLAIN_MARK_SIDES:  # "below the left traffic light": of two, the left one
            return _PLAIN_MARK_SIDES[words[k]], 0, b
        if words[k] in MARK_SIZES and words[k + 1 : k + 2] not in (["girl"], ["boy"], ["kid"], ["child"]):
            return MARK_SIZES[words[k]], 0, b  # "next to the bigger laptop": of two, the bigger one
        found = ordinal_at(words, k)
        if found is not None and found[1] <= b:
            direction, _, rank, end, side_at = ordinal_direction(words, b, found[0])
            if side_at is not None and words[side_at] != "from":
                return None  # "the second apple on the left": whose side, the apple's or the referent's?
            return (direction if side_at is not None else "row"), rank, end
    return (
        (TOOL + "|".join(ROLE_TOOLS[words[b - 1]]), None, b)
        if words[b - 1 : b] and words[b - 1] in ROLE_TOOLS
        else None
    )


_ONE_BEFORE = frozenset({"the", "a", "this", "that", "another"}) | frozenset(ORDINALS) | frozenset(SIDE_WORDS) | (
    frozenset(SIZE_WORDS) | {"middle", "other", "only", "far"})  # fmt: skip


def head_one(words: list[str], i: int) -> bool:
    """'the one with no helmet', 'the small one next to the dog': 'one' as the head noun of the expression
    (not the number, and not 'one of the cups', where the cups are the referent's kind)."""
    return i > 0 and words[i - 1] in _ONE_BEFORE and words[i + 1 : i + 2] != ["of"]


def possessive_side(text: str, toks: list[Tok], k: int) -> bool:
    """A side word at ``k`` right after a possessive ("the car's left", "person's right side")."""
    if not 0 < k < len(toks) or toks[k].low not in ("left", "right"):
        return False
    return text[toks[k - 1].end : toks[k].start].strip().lower() in ("'s", "\u2019s", "'", "s'")


_SWEEPS = frozenset({"from", "counting", "going", "reading", "moving", "starting", "looking"})


def counting_sweeps(words: list[str]) -> list[tuple[int, int]]:
    """The 'to the right' of 'from left to right' / 'from the right to the left': where a count sweeps to,
    which is no side claim; (start, end) token ranges."""
    out = []
    for k in range(1, len(words) - 2):
        end = k + 3 + (words[k + 2] == "the")
        other = {"left": "right", "right": "left"}.get(words[k])
        sweep = other is not None and words[k + 1] == "to" and words[end - 1 : end] == [other]
        opener = words[k - 1] in _SWEEPS or (k >= 2 and words[k - 1] == "the" and words[k - 2] in _SWEEPS)
        if sweep and opener:  # also "counting left to right", "going from the right to the left"
            out.append((k + 1, end))
    return out


def between_specs(words: list[str], j: int, end: int) -> tuple[tuple[str, int | None], ...]:
    """What singles out each landmark of 'between the middle car and the right car' / 'between the second
    and third cup': one (extreme, rank) per part around 'and'; () unless both parts name one."""
    cut = [k for k in range(j, end) if words[k] == "and"]
    if len(cut) != 1:
        return ()
    specs = []
    for a, b in ((j, cut[0]), (cut[0] + 1, end)):
        spec = landmark_spec(words, a - 1, b)
        specs.append(("", None) if spec is None else (spec[0], spec[1]))  # "": any of that part's kind
    return tuple(specs) if any(v for v, _ in specs) else ()


_EXCLUDE_2 = (["other", "than"], ["apart", "from"], ["aside", "from"], ["not", "counting"], ["rather", "than"],
              ["instead", "of"], ["but", "not"])  # fmt: skip


def exclusion_at(words: list[str], i: int, quantified: bool) -> int:
    """Length of an exclusion at ``i`` ('except', 'other than', 'any cup but the leftmost'): what follows
    is true of the excluded object, so it is negated for the referent; 0 when there is none."""
    if words[i] in ("except", "excluding"):
        return 1 + (words[i + 1 : i + 2] == ["for"])
    if words[i : i + 2] in _EXCLUDE_2:
        return 2
    return 1 if words[i] == "but" and quantified else 0


def boundary_before(text: str, toks: list[Tok], k: int, words: bool = True) -> bool:
    """Whether a clause boundary (punctuation; with ``words`` also 'but', 'and', ...) lies just before token ``k``."""
    if k <= 0 or k >= len(toks):
        return k >= len(toks)
    return bool(_PUNCT.search(text[toks[k - 1].end : toks[k].start])) or (words and toks[k].low in _CLAUSE_WORDS)


def negation_reach(text: str, toks: list[Tok], i: int, limit: int = 8) -> int:
    """The last token a negator at ``i`` can reach: up to ``limit`` words, never past a clause boundary."""
    end = i
    for k in range(i + 1, min(i + 1 + limit, len(toks))):
        if boundary_before(text, toks, k):
            break
        end = k
    return end


def scope_unclear(words: list[str], neg: int, claim_start: int) -> bool:
    """A content word between a negator and its claim ("not wearing a hat, on the left") makes the scope
    unclear: the negation may belong to that word, so the claim is left unknown."""
    return any(w not in _NEG_FILLER for w in words[neg + 1 : claim_start])


_PRONOUNS = frozenset({"it", "them", "him", "her", "this", "that", "these", "those", "which", "whom", "us", "me"})


def unknown_landmark(words: list[str], j: int) -> int:
    """End of a landmark that is a pronoun or a noun the lexicon does not know ('left of it', 'left of the
    road'), or 0 when ``words[j:]`` starts with neither."""
    if j < len(words) and words[j] in _PRONOUNS:
        return j + 1
    k = j + (words[j : j + 1] in (["the"], ["a"], ["an"], ["this"], ["that"]))
    return k + 1 if k < len(words) and words[k].isalpha() and words[k] not in STOPWORDS and k > j else 0


def body_or_own_side(words: list[str], toks: list[Tok], i: int) -> bool:
    """'his right hand', 'left-handed', 'on her own left', 'to the man's left': not the image's side."""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if nxt in BODY_PARTS and words[i + 2 : i + 3] != ["side"]:
        return True
    k = i - 1
    while k >= 0 and words[k] in ("own", "far", "very", "extreme", "upper", "lower", "top", "bottom"):
        k -= 1
    return k >= 0 and (words[k] in PERSON_POSSESSIVES or (toks[k].poss and words[k] not in _NOT_POSSESSORS))


def possessor(toks: list[Tok], k: int) -> bool:
    """'the man's cup': a noun written with 's names whose, not what."""
    return toks[k].poss and toks[k].low not in _NOT_POSSESSORS


def person_frame(text: str) -> bool:
    """The text places things from a person's own point of view ('from his perspective')."""
    low = text.lower().replace("\u2019", "'")
    return any(not m.group().startswith(_VIEWERS) for m in _FRAME.finditer(low))


def after_extreme(words: list[str], i: int) -> bool:
    """'far left', 'furthest to the left', 'most on the right': a superlative, not a plain side."""
    k = i - 1
    while k >= 0 and i - k <= 3 and words[k] in ("to", "the", "on", "at"):
        k -= 1
    return k >= 0 and words[k] in EXTREME


def than_all(words: list[str], k: int) -> bool:
    """'than the others', 'than all the rest', 'than any other': a comparative that means the superlative."""
    if words[k : k + 1] != ["than"]:
        return False
    rest = [w for w in words[k + 1 : k + 5] if w not in ("the", "all", "of", "every", "each", "both")]
    return bool(rest) and rest[0] in ("others", "rest", "other", "any", "anyone", "anything", "everyone", "everybody",
                                      "everything")  # fmt: skip  # also "than both of the other people"


_STANDARDS = frozenset({"as", "than", "like", "unlike"})


def compared_with(words: list[str], i: int) -> bool:
    """An ordinal at ``i`` after 'as the', 'than the', 'like the' ('as tall as the first player', 'smaller than the
    second cup'): it ranks the thing compared with, not the referent."""
    j = i - (i > 0 and words[i - 1] in ("the", "a", "that", "this"))
    return j > 0 and words[j - 1] in _STANDARDS


def said_of_others(text: str, toks: list[Tok], words: list[str], i: int, forms: dict, options: frozenset[str]) -> int:
    """The end of a phrase from a boundary at ``i`` that compares with other things of another kind ("..., not on
    the table like the other two bottles"): it describes one of those (a bottle), not the referent; else 0."""
    if not options or not boundary_before(text, toks, i, words=False):
        return 0
    k = i
    while k < len(words) and (k == i or not boundary_before(text, toks, k, words=False)):
        if words[k] in ("like", "unlike") and words[k + 1 : k + 2] == ["the"] and words[k + 2 : k + 3] == ["other"]:
            j = k + 3 + (words[k + 3 : k + 4] != [] and words[k + 3] in CARDINALS)
            m = match(words, j, forms)
            return j + m[1] if m is not None and m[0] and not m[0] & options else 0
        k += 1
    return 0
