"""Reading a referring expression into claims: ``parse_expression``.

The parser turns free text into the referent (the first object noun, through synonyms:
"the guy" names a person, "the mug" a cup), the claims boxes can settle (side, middle, size,
ordinal, relation to another category, nearest to another category), each with its character
span, and the words it could not explain. A claim after "not" is negated ("the cup that is not
on the left"). A claim that follows a second object noun ("the man holding the cup on the
left") may describe either object; it is marked ``attached="either"`` so the checker calls it
false only when it fits neither. Word lists live in ``spatial_words``; the geometry in
``spatial``, which imports this module, never the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from hoiscribe.expressions.spatial_nouns import match, pick, stranded
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
    image_forms,
    ordinal_word,
    plural,
    tokens,
    tokens_at,
)

__all__ = ["Claim", "ParsedExpression", "ordinal_word", "parse_expression", "plural", "tokens"]

ClaimKind = Literal["side", "middle", "size", "ordinal", "relation", "nearest", "next", "between", "behind", "with"]
# prepositions and verbs whose landmark the boxes can weigh: kind they claim
_RELATION_WORDS = {"next": "next", "beside": "next", "alongside": "next", "adjacent": "next", "near": "next",
                   "by": "next", "between": "between", "behind": "behind", "with": "with", "holding": "with",
                   "carrying": "with", "wearing": "with", "has": "with", "have": "with", "having": "with",
                   "holds": "with", "carries": "with", "without": "with", "on": "with", "in": "with",
                   "inside": "with", "at": "with", "against": "with", "onto": "with", "riding": "with"}  # fmt: skip
_TOUCH = frozenset({"on", "in", "inside", "at", "against", "onto"})  # 'on the table': touching it, loosely
_PLAIN_SIDES = frozenset({"left", "right", "top", "bottom", "upper", "lower", "higher"})
_PLAIN_SIZES = frozenset({"big", "large", "small", "little", "tiny"})
_EXTREME = frozenset({"far", "most", "very", "furthest", "farthest", "extreme", "outermost"})
_STRICT = frozenset({"directly", "right", "just", "straight", "immediately", "exactly"})
_LANDMARK_SKIP = frozenset({"the", "a", "an", "of", "to", "that", "this", "any", "other", "two", "three", "four",
                            "and", "both", "no", "another"})  # fmt: skip
_ADVERB_RIGHT = frozenset({"next", "beside", "by", "behind", "above", "below", "under", "in", "on", "there", "here",
                           "at", "near", "against", "between", "now", "away", "over"})  # fmt: skip
_PEOPLE_ADJ_SKIP = frozenset({"little", "small", "young", "tiny"})
_PERSON_WORDS = frozenset(
    {
        "boy",
        "boys",
        "girl",
        "girls",
        "child",
        "children",
        "kid",
        "kids",
        "baby",
        "babies",
        "one",
        "guy",
        "man",
        "woman",
        "person",
        "lady",
        "toddler",
        "dog",
        "puppy",
        "cat",
    }
)


@dataclass(frozen=True, slots=True)
class Claim:
    """One checkable claim read from an expression; ``start``/``end`` are character offsets."""

    kind: ClaimKind
    value: str  # left/right/top/bottom, middle, largest/smallest/tallest/..., nearest/farthest
    span: str  # the words it was read from
    rank: int | None = None  # ordinal: 1-based, -1 for "last", -2 for "second to last"
    landmark: str | None = None  # relation / nearest / next / between / behind / with: the other category
    frame: Literal["group", "image"] = "group"  # side: among same-category objects, or halves of the image
    negated: bool = False
    attached: Literal["referent", "either"] = "referent"
    start: int = 0
    end: int = 0
    strict: bool = False  # "directly above": the boxes must also overlap across
    plain: bool = False  # "on the left", "the big cup" (not "leftmost", "biggest"): graded among three or more
    also: str | None = None  # between: a second landmark category ("between the cup and the laptop")


@dataclass(frozen=True, slots=True)
class ParsedExpression:
    """The referent (None when no object noun is named), the claims, and words left unexplained.

    ``options`` are the categories the referent noun can name (a synonym may fit several)."""

    referent: str | None
    claims: tuple[Claim, ...]
    residual: tuple[str, ...]
    options: frozenset[str] = frozenset()
    referent_span: tuple[int, int] | None = None
    landmarks: tuple[str, ...] = ()
    unchecked: tuple[str, ...] = ()  # relations the boxes cannot settle ("next to the ball", "holding a cup")

    @property
    def purely_spatial(self) -> bool:
        """Only category and checkable spatial words: then boxes decide whether it singles one object out."""
        return not self.residual and not self.unchecked


def parse_expression(text: str, categories: list[str] | tuple[str, ...]) -> ParsedExpression:
    """Claims of an expression; ``categories`` are the categories present in the image."""
    cats = set(categories)
    forms = image_forms(tuple(sorted(cats)))
    toks = tokens_at(text)
    words = [t.low for t in toks]
    n = len(words)
    claims: list[Claim] = []
    used = [False] * n
    referent: str | None = None
    options: frozenset[str] = frozenset()
    ref_span: tuple[int, int] | None = None
    landmarks: list[str] = []
    unchecked: list[str] = []
    negation = {"until": -1}  # a negator scopes over the next claim within a few words

    def take(a: int, b: int) -> None:
        for k in range(a, min(b, n)):
            used[k] = True

    def span(a: int, b: int) -> tuple[str, int, int]:
        b = min(max(b, a + 1), n)
        return text[toks[a].start : toks[b - 1].end], toks[a].start, toks[b - 1].end

    def add(kind: ClaimKind, value: str, a: int, b: int, consume: bool = True, **kw: object) -> None:
        s, start, end = span(a, b)
        negated = a <= negation["until"]
        if negated:
            negation["until"] = -1
            start = min(start, negation["start"])
            s = text[start:end]
        claims.append(
            Claim(
                kind,
                value,
                s,
                negated=negated,
                start=start,
                end=end,
                attached="either" if landmarks else "referent",
                **kw,
            )
        )  # type: ignore[arg-type]
        if consume:
            take(a, b)

    def landmark_after(j: int, window: int = 3, wide: bool = False) -> tuple[str | None, int, bool]:
        """The category (or image frame noun) starting within ``window`` tokens after ``j``; ``wide``
        also steps over the landmark's own ordinals and size words ('between the second and third person')."""
        for k in range(j, min(j + (7 if wide else window), n)):
            if words[k] in FRAME_NOUNS:
                return None, k + 1, True
            m = match(words, k, forms)
            if m is not None:
                return (pick(m[0], cats) if m[0] else None), k + m[1], False
            if words[k] in ("one", "ones", "others") and referent is not None and k > j:
                return referent, k + 1, False  # "between the two big ones"
            skip = _LANDMARK_SKIP | (
                (set(ORDINALS) | set(SIZE_WORDS) | set(SIDE_WORDS) | {"middle"}) if wide else set()
            )
            if words[k] not in skip:
                break
        return None, j, False

    i = 0
    while i < n:
        t = words[i]
        if used[i]:
            i += 1
            continue
        if t in NEGATORS or (t == "no" and referent is not None):
            negation.update(until=i + 5, start=toks[i].start)
            take(i, i + 1)
            i += 1
            continue
        if (
            t in ORDINALS
            or (t == "second" and words[i + 1 : i + 3] in (["to", "last"], ["from", "last"]))
            or (t == "next" and words[i + 1 : i + 3] == ["to", "last"])
        ):
            rank, end_ord = ORDINALS.get(t, 1), i + 1
            if words[i + 1 : i + 3] in (["to", "last"], ["from", "last"]):
                rank, end_ord = -2, i + 3
            direction, explicit, k_end = "left", False, end_ord
            for k in range(end_ord, min(end_ord + 6, n)):
                if words[k] == "from":
                    nxt = k + 2 if words[k + 1 : k + 2] == ["the"] else k + 1
                    if nxt < n and words[nxt] in SIDE_WORDS:
                        direction, explicit = SIDE_WORDS[words[nxt]], True
                        take(k, nxt + 1)
                        k_end = nxt + 1
                    break
                if words[k] in ("on", "at", "to") and k + 1 < n:
                    nxt = k + 2 if words[k + 1] == "the" else k + 1
                    if nxt < n and words[nxt] in SIDE_WORDS and rank in (1, -1):
                        # "the last one on the right" / "the first cup on the left": the extreme on that side
                        direction, explicit, rank = SIDE_WORDS[words[nxt]], True, 1
                        k_end = nxt + 1
                        take(k, nxt + 1)
                    break
            add("ordinal", direction, i, k_end if explicit else end_ord, consume=False, rank=rank)
            take(i, end_ord)
            i = end_ord
            continue
        if t in NEAR_WORDS or t in FAR_WORDS:
            j = i + 1 + (words[i + 1 : i + 2] in (["to"], ["from"]))
            cat, end, is_frame = landmark_after(j)
            if cat is not None:
                add("nearest", "nearest" if t in NEAR_WORDS else "farthest", i, end, landmark=cat)
                landmarks.append(cat)
                i = end
                continue
            i += 1
            continue
        if t in ("left", "right") and i + 1 < n and words[i + 1] == "of":
            cat, end, is_frame = landmark_after(i + 2)
            if cat is not None:
                add("relation", t, i, end, landmark=cat)
                landmarks.append(cat)
                i = end
                continue
            if is_frame:
                add("side", t, i, end, frame="image")
                i = end
                continue
        if t in RELATION_PREPS or (t == "top" and words[i + 1 : i + 2] == ["of"] and i > 0 and words[i - 1] == "on"):
            start_j = i + 2 if t == "top" else i + 1
            cat, end, is_frame = landmark_after(start_j)
            if cat is not None:
                strict = i > 0 and words[i - 1] in _STRICT
                add("relation", RELATION_PREPS.get(t, "top"), i - strict, end, landmark=cat, strict=strict)
                landmarks.append(cat)
                i = end
                continue
        if t in SIDE_WORDS and words[i + 1 : i + 2] in (["side"], ["end"], ["part"]) and words[i + 2 : i + 3] == ["of"]:
            cat, end, _ = landmark_after(i + 3)
            if cat is not None and t in ("left", "right"):  # "on the left side of the table"
                add("relation", t, i, end, landmark=cat)
                landmarks.append(cat)
                i = end
                continue
        if t in _RELATION_WORDS and referent is not None:
            j = i + 1 + (words[i + 1 : i + 2] == ["to"])
            cat, end, _ = landmark_after(j, wide=t not in _TOUCH)
            also = None
            if cat is not None and t == "between" and words[end : end + 1] == ["and"]:
                also, end2, _ = landmark_after(end + 1, wide=True)  # "between the cup and the laptop"
                end = end2 if also is not None else end
            if cat is not None:
                if t == "without" or "no" in words[j:end]:  # "without an umbrella", "who has no umbrella"
                    negation.update(until=i, start=toks[i].start)
                add(_RELATION_WORDS[t], _RELATION_WORDS[t], i, end, landmark=cat, also=also)  # type: ignore[arg-type]
                landmarks.append(cat)
                i = end
                continue
            if _RELATION_WORDS[t] == "next" and landmarks and stranded(words, j):
                # "the bicycle the man is standing next to": the man is next to it, which is symmetric
                start = next((k for k in range(i - 1, -1, -1) if used[k] and words[k] not in ("the", "a")), i)
                add("next", "next", start, j, landmark=landmarks[-1])
                i = j
                continue
        if t in NEUTRAL_PREPS and referent is not None:
            cat, end, _ = landmark_after(i + 1 if t != "next" else i + 2)
            if cat is not None:  # a landmark we cannot place; it is not the referent either
                landmarks.append(cat)
                if t not in ("of", "and", "or"):
                    unchecked.append(" ".join(words[i:end]))
                take(i, end)
                i = end
                continue
        if (
            t == "right"
            and i + 1 < n
            and words[i + 1] in _ADVERB_RIGHT
            and not (i and words[i - 1] in ("the", "on", "to", "far"))
        ):
            take(i, i + 1)  # "right next to": an adverb
            i += 1
            continue
        if t in SIDE_WORDS:
            frame: Literal["group", "image"] = "group"
            j = i + 1
            while j < n and words[j] in ("side", "part", "half", "corner", "edge", "end", "of", "the", "hand"):
                j += 1
            if j < n and words[j] in FRAME_NOUNS and words[j - 1] in ("of", "the"):
                frame = "image"
            plain = t in _PLAIN_SIDES and not (i and words[i - 1] in _EXTREME)
            add("side", SIDE_WORDS[t], i, i + 1, frame=frame, plain=plain)
            i += 1
            continue
        if t in MIDDLE_WORDS:
            add("middle", "middle", i, i + 1)
            i += 1
            continue
        if t in SIZE_WORDS:
            nxt = words[i + 1] if i + 1 < n else ""
            if t in _PEOPLE_ADJ_SKIP and (
                nxt in _PERSON_WORDS or (i and words[i - 1] == "a" and not match(words, i + 1, forms))
            ):
                i += 1  # "a little girl", "a little to the left": not a size
                continue
            add("size", SIZE_WORDS[t], i, i + 1, plain=t in _PLAIN_SIZES)
            i += 1
            continue
        m = match(words, i, forms)
        if m is not None:
            if not m[0]:
                pass  # a modifier ('baseball cap'): names nothing we can check
            elif referent is None:
                options = m[0]
                referent = pick(options, cats)
                ref_span = (toks[i].start, toks[i + m[1] - 1].end)
            else:
                landmarks.append(pick(m[0], cats))
            take(i, i + m[1])
            i += m[1]
            continue
        i += 1
    residual = tuple(w for k, w in enumerate(words) if not used[k] and w not in STOPWORDS and w not in FRAME_NOUNS)
    if any(c.frame == "image" for c in claims if c.kind == "side"):
        claims = [_image_frame(c) if c.kind == "side" else c for c in claims]
    return ParsedExpression(referent, tuple(claims), residual, options, ref_span, tuple(landmarks), tuple(unchecked))


def _image_frame(c: Claim) -> Claim:
    return Claim(
        c.kind,
        c.value,
        c.span,
        c.rank,
        c.landmark,
        "image",
        c.negated,
        c.attached,
        c.start,
        c.end,
        c.strict,
        c.plain,
        c.also,
    )
