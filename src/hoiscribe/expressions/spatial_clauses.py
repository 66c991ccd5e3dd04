"""A clause whose subject is another thing, placed from the referent by a pronoun: '...; a sheep grazes in front of
it', 'and the dog is to its left', 'the farmer is not standing beside it', 'a dog sits right beside it'.

Long prose goes on describing the scene around the referent in full clauses, not only in 'with X ...' phrases.
``spatial_parse`` asks here, at a clause boundary after the referent, whether the words that follow are such a
clause; it reads it as 'with X in front of it' (or its denial) and the subject's own words ('a small sheep') as the
landmark's, never the referent's. A subject of the referent's own kind counts only when something singles it out
('; the biggest car is to its right', 'the other sheep'); bare, it may be the referent again and is left alone. A
clause about another subject that places nothing from the referent ('; the largest cow stands on the right') is said
of that subject to the sentence's end: the reading leaves it unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass

from hoiscribe.expressions.spatial_nouns import match_plain, pick
from hoiscribe.expressions.spatial_placed import beside_it, placed_relation
from hoiscribe.expressions.spatial_reading import Reading
from hoiscribe.expressions.spatial_scope import PERSONAL, boundary_before, landmark_spec
from hoiscribe.expressions.spatial_words import STRICT

_DETERMINERS = frozenset({"a", "an", "the", "another", "some", "no", "one"})
# between the subject and its place: a copula, a stance verb, a hedge ('seems to be'), a negator
_LINKS = frozenset({"is", "are", "was", "were", "be", "being", "been", "also", "too", "still", "can", "could", "seen",
                    "sits", "sit", "stands", "stand", "lies", "lie", "rests", "rest", "hangs", "hang", "flies", "fly",
                    "grazes", "graze", "grazing", "waits", "wait", "perches", "perched", "floats", "hovers", "leans",
                    "sleeps", "walks", "walking", "runs", "running", "plays", "playing", "seems", "seem", "appears",
                    "appear", "does", "do", "did", "sitting", "standing", "lying", "resting", "hanging", "flying",
                    "waiting", "leaning", "sleeping", "parked", "placed", "located", "positioned", "visible",
                    "kept", "stays", "remains", "far", "off", "well", "slightly", "further", "farther"})  # fmt: skip
_FINITE = frozenset({"is", "are", "was", "were", "sits", "stands", "lies", "rests", "hangs", "flies", "grazes",
                     "waits", "perches", "floats", "hovers", "leans", "sleeps", "walks", "runs", "plays", "seems",
                     "appears", "stays", "remains", "looks"})  # fmt: skip
_PREPS = frozenset({"at", "on", "in", "by", "near", "beside", "next", "under", "behind", "with", "of"})
_NOT = frozenset({"not", "never", "isn't", "aren't", "wasn't", "weren't", "doesn't", "don't", "didn't", "can't"})
_PRONOUNS = frozenset({"it", "them", "him", "her"})
JOINS = _JOINS = frozenset({"and", "while", "whereas"})
OPENERS = _OPENERS = _DETERMINERS | {"nobody", "noone", "nothing"}  # a subject clause's first word
_CARRIED = _OPENERS | _JOINS  # the first word of a subject clause's span


@dataclass(frozen=True, slots=True)
class SubjectClause:
    """'the dog is to its left': the subject's kind, where its noun phrase ends, the referent's relation to it
    (kind '' for a clause said of another of the referent's own kind that places it from nothing: unchecked)."""

    landmark: str
    noun_end: int
    kind: str
    value: str
    strict: bool
    stop: int
    denied: bool


def subject_clause(reading: Reading, i: int) -> SubjectClause | None:
    """The clause starting at token ``i`` (just after a clause boundary, or at its 'and') whose subject is a thing
    of another kind than the referent (or one of its kind singled out) and whose place is said from the referent ('in
    front of it', 'beside it', 'on its left'), or kind '' for one said of its subject alone; None when not a clause."""
    words, n, referent = reading.words, reading.n, reading.referent
    if referent is None or not 0 < i < n or words[i] not in _OPENERS:
        return None
    if not (words[i - 1] in _JOINS or boundary_before(reading.text, reading.toks, i, words=False)):
        return None
    cat, end, frame = reading.landmark_after(i, wide=True)
    if cat is None and not frame and end > i and words[end : end + 1] and words[end] in _LINKS | _NOT:
        m = match_plain(words, end - 1, reading.forms)  # "a small sheep grazes": 'grazes' is its verb, not its head
        cat = pick(m[0], reading.cats) if m is not None and m[0] else None
    if cat is None or frame or any(reading.used[i:end]):
        return None
    other = bool({"other", "another"} & set(words[i:end]))
    own = cat == referent or (cat == "person" and referent == "person")
    if own and not other and landmark_spec(words, i - 1, end) is None:
        return None  # "; the cow is ...": it may be the referent again
    k, denied = end, words[i] in ("no", "nobody", "noone")
    while k < n and (words[k] in _LINKS or words[k] in _NOT or words[k : k + 2] == ["to", "be"]) and k - end < 5:
        denied = denied or words[k] in _NOT
        k += 1
    placed = placed_relation(words, k)
    if placed is not None and words[placed[3] - 1] in _PRONOUNS | {"left", "right", "side"}:
        kind, value, strict, stop = placed
        if kind != "with":
            return SubjectClause(cat, end, kind, value, strict, stop, denied)
    while k < n and words[k] in STRICT and words[k + 1 : k + 2] != ["of"]:  # "sits right beside it"
        k += 1
    beside = beside_it(words, k)
    if beside and words[beside - 1] in _PRONOUNS:
        return SubjectClause(cat, end, "next", "next", False, beside, denied)
    if (own and other) or _finite_after(reading, end):
        # "; the other sheep is further right, under the biggest cow", "; the largest cow stands on the right", "; the
        # smallest cup is at the left end": all of it is said of that subject, not of the referent
        stop = next((q for q in range(end, n) if _hard_break(reading, q)), n)
        return SubjectClause(cat, end, "", "", False, stop, denied)
    return None


def _finite_after(reading: Reading, end: int) -> bool:
    """A finite verb right after the subject's noun, or after a short phrase on it ('the sheep at its feet is')."""
    words = reading.words
    for q in range(end, min(end + 5, reading.n)):
        if q > end and boundary_before(reading.text, reading.toks, q, words=False):
            return False
        if words[q] in _FINITE:
            return q == end or words[end] in _PREPS
    return False


def said_of_referent(reading: Reading, i: int, clause: SubjectClause) -> bool:
    """Whether the clause's pronoun is the referent's for sure: a person's ('beside him'), no landmark before it,
    only people before it ('it' is no person), or a full stop or semicolon before the clause (a new sentence
    about the same topic)."""
    if reading.words[clause.stop - 1] in PERSONAL or not reading.landmarks:
        return True
    last = reading.claims[-1] if reading.claims else None
    joined = reading.words[i] in _JOINS and last is not None and last.attached == "referent"
    if joined and last.span.split()[0].lower() in _CARRIED | {"with", "has", "have", "having"}:
        return True  # "with the bird overhead and the dog at its left": a second thing placed from the referent
    if all(m == "person" for m in reading.landmarks):
        return True
    return i > 0 and _hard_break(reading, i)


def _hard_break(reading: Reading, q: int) -> bool:
    """A sentence-level break before token ``q`` (a full stop, semicolon, 'but', 'while'): commas go on."""
    gap = reading.text[reading.toks[q - 1].end : reading.toks[q].start]
    return any(c in gap for c in ".;!?") or reading.words[q] in ("but", "while", "whereas")
