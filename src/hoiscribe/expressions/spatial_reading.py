"""The state of one left-to-right reading of a referring expression, and the steps every branch of
``spatial_parse`` shares: marking words as read, adding a claim (with its negation, its frame and the
landmark its phrase singles out), and finding the landmark noun after a preposition.

Kept apart from the branches themselves so that the grammar (``spatial_parse``) reads as a list of
constructions, while what a claim carries with it (negation scope, "either" attachment after a second
noun, the landmark's own superlative or ordinal) is decided in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hoiscribe.expressions import spatial_scope as scope
from hoiscribe.expressions.spatial_describe import describing
from hoiscribe.expressions.spatial_nouns import is_head, match, pick
from hoiscribe.expressions.spatial_types import Claim, ClaimKind
from hoiscribe.expressions.spatial_words import (
    COMPARATIVES,
    FRAME_NOUNS,
    LANDMARK_SKIP,
    REL,
    SIZE_WORDS,
    WIDE_NO_SIDES,
    WIDE_SKIP,
    Tok,
    image_forms,
)

__all__ = ["PHRASE_PREPS", "Reading"]
_SIZES = frozenset(SIZE_WORDS)

PHRASE_PREPS = frozenset({"on", "in", "at", "near", "by", "under", "behind", "beside", "with", "of", "inside", "above",
                          "below", "between", "from", "onto", "against", "beneath", "underneath", "to", "over",
                          "next", "among", "toward", "towards", "than"})  # fmt: skip
_ANYONE = frozenset(
    {"anyone", "anybody", "someone", "somebody", "everyone", "everybody"}
)  # "without anyone on it": a person


def _than(words: list[str], k: int) -> bool:
    """A comparative with its standard at ``k`` ("taller than", "more to the left than")."""
    return words[k] in COMPARATIVES and words[k + 1 : k + 2] == ["than"]


_COORDINATED = frozenset({"is", "are", "has", "have", "who", "which", "that", "not", "never", "no"})
_HOLDING = frozenset({"riding", "holding", "carrying", "wearing", "pushing", "pulling", "using", "hugging"})
_HEADS = frozenset({"one", "ones", "object", "objects", "item", "items", "thing", "things"})  # heads without a kind


@dataclass
class Reading:
    """Tokens, what is read so far and the claims found; ``referent`` is set once its noun is read."""

    text: str
    toks: list[Tok]
    cats: set[str]
    claims: list[Claim] = field(default_factory=list)
    landmarks: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)
    referent: str | None = None
    # a negator scopes over the next claim in its clause
    negation: dict[str, int] = field(default_factory=lambda: {"until": -1, "at": -1, "start": 0})
    last_mark: dict[str, int] = field(default_factory=lambda: {"end": 0})  # token just after the latest landmark

    def __post_init__(self) -> None:
        self.words = [t.low for t in self.toks]
        self.n = len(self.words)
        self.used = [False] * self.n
        self.forms = image_forms(tuple(sorted(self.cats)))
        self.own_frame = scope.person_frame(self.text)

    def take(self, a: int, b: int) -> None:
        for k in range(a, min(b, self.n)):
            self.used[k] = True

    def span(self, a: int, b: int) -> tuple[str, int, int]:
        toks = self.toks
        b = min(max(b, a + 1), self.n)
        return self.text[toks[a].start : toks[b - 1].end], toks[a].start, toks[b - 1].end

    def add(self, kind: ClaimKind, value: str, a: int, b: int, consume: bool = True, **kw: object) -> None:
        """A claim read from tokens ``a:b``: negated when an open negator reaches it, unsure in a person's
        frame, with the landmark its phrase singles out ("above the leftmost apple")."""
        negation, words = self.negation, self.words
        s, start, end = self.span(a, b)
        negated = negation["at"] <= a <= negation["until"]
        negation["claim_end"] = b if negated else -1  # "not the top one or the middle one": "or" carries it on
        if negated:
            negation["until"] = -1
            kw["unsure"] = kw.get("unsure") or scope.scope_unclear(words, negation["at"], a)
            start = min(start, negation["start"])
            s = self.text[start:end]
        if self.own_frame and kind in ("side", "relation") and kw.get("value", value) in ("left", "right"):
            kw["unsure"] = True
        if kw.get("landmark") and kind != "between" and "mark_extreme" not in kw:
            # "above the leftmost apple", "below the second apple"; after "just"/"directly" when strict
            spec = scope.landmark_spec(words, a + bool(kw.get("strict")), b)
            if spec is not None:
                kw["mark_extreme"], kw["mark_rank"], stop = spec
                self.take(b, stop)  # "... the second apple from the left": the landmark's direction
        attached = kw.pop("attached", "either" if self.landmarks and not self.after_break(a) else "referent")
        self.claims.append(Claim(kind, value, s, negated=negated, start=start, end=end, attached=attached, **kw))  # type: ignore[arg-type]
        if consume:
            self.take(a, b)

    def in_phrase_after_head(self, i: int) -> str:
        """A noun inside a prepositional phrase ('on the bench', 'next to the dog') after a word that may be
        the real head ('the pooch', 'the one', 'the thing'), or fronted ('sitting on the bench, the dog')."""
        words, used = self.words, self.used
        k = i - 1
        while k >= 0 and i - k <= 3 and (words[k] in ("the", "a", "an", "this", "that", "some") or not used[k]):
            if words[k] == "of" and k > 0 and words[k - 1] in ("one", "ones"):
                return ""  # "(the) one of the dogs": a partitive, the dogs are the referent's kind
            if words[k] in PHRASE_PREPS or words[k] in _HOLDING:  # "the skater riding a skateboard": its object
                before = [q for q in range(k) if not used[q]]
                fronted = all(words[q].endswith(("ing", "ed")) or words[q] in PHRASE_PREPS for q in before)
                if any(is_head(words[q]) or words[q] in _HEADS for q in before):
                    return "head"
                return "fronted" if fronted else ""
            k -= 1
        return ""

    def after_break(self, a: int) -> bool:
        """A claim after punctuation that follows the last landmark ('..., at the bottom') is the referent's."""
        text, toks, words = self.text, self.toks, self.words
        breaks = [k for k in range(self.last_mark["end"], a + 1) if scope.boundary_before(text, toks, k, words=False)]
        if breaks and words[breaks[-1]] not in REL:  # ", which is on the right" may be the landmark's
            return True
        # "... not holding an umbrella and not carrying a backpack": a second predicate of the referent
        return any(
            words[k] in ("and", "but")
            and (words[k + 1] in _COORDINATED or words[k + 1].endswith("ing") or _than(words, k + 1))
            for k in range(self.last_mark["end"], min(a, self.n - 1))
        )  # "..., and taller than both of the others": a comparative predicate of the referent

    def landmark_after(
        self, j: int, window: int = 3, wide: bool = False, sides: bool = True
    ) -> tuple[str | None, int, bool]:
        """The category (or image frame noun) starting within ``window`` tokens after ``j``; ``wide``
        also steps over the landmark's own ordinals and size words ('between the second and third person')
        and, with ``sides``, its side words ('right of the leftmost cup'); never over a clause boundary."""
        words, forms, cats, referent = self.words, self.forms, self.cats, self.referent
        for k in range(j, min(j + (7 if wide else window), self.n)):
            if k > j and wide and scope.boundary_before(self.text, self.toks, k, words=False):
                break
            if words[k] in scope.NOBODY or words[k : k + 2] == ["no", "one"] or words[k] in _ANYONE:  # "with nobody"
                return pick(forms.get(("person",), frozenset({"person"})), cats), k + 1 + (words[k] == "no"), False
            if words[k] in FRAME_NOUNS:
                return None, k + 1, True
            m = match(words, k, forms)
            if m is not None:
                return (pick(m[0], cats) if m[0] else None), k + m[1], False
            if words[k] in ("one", "ones", "others") and referent is not None and k > j:
                return referent, k + 1, False  # "between the two big ones"
            two_big = referent is not None and k > j and words[k] in _SIZES and words[k - 1] in ("two", "both")
            if two_big and (k + 1 >= self.n or scope.boundary_before(self.text, self.toks, k + 1, words=False)):
                return referent, k + 1, False  # a learner's "between two big": the two big ones
            other_n = k > j and words[k - 1] == "other" and words[k] in scope.CARDINALS
            if other_n and referent is not None and match(words, k + 1, forms) is None:
                return referent, k + 1, False  # "below the other two": the rest of its kind
            skip = LANDMARK_SKIP | ((WIDE_SKIP if sides else WIDE_NO_SIDES) if wide else frozenset())
            one = (
                k == j and words[k] == "one" and words[k + 1 : k + 2] != ["of"]
            )  # "with one big elephant on each side"
            if words[k] not in skip and not one and not (k > j and describing(words, k, forms)):
                break
        return None, j, False
