"""Reading a referring expression into claims: the spatial word lists and ``parse_expression``.

The parser turns free text into the referent category, the claims boxes can settle (side,
middle, size, ordinal, relation) and the words it could not explain. It is kept apart from
``hoiscribe.expressions.spatial``, which evaluates those claims on the boxes, because the
words and the geometry change for different reasons; the checker imports this module, never
the reverse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

ClaimKind = Literal["side", "middle", "size", "ordinal", "relation"]

SIDE_WORDS: dict[str, str] = {
    "left": "left", "leftmost": "left", "right": "right", "rightmost": "right",
    "top": "top", "topmost": "top", "upper": "top", "uppermost": "top", "highest": "top", "higher": "top",
    "bottom": "bottom", "bottommost": "bottom", "lower": "bottom", "lowest": "bottom",
}  # fmt: skip
MIDDLE_WORDS = frozenset({"middle", "center", "centre", "central"})
SIZE_WORDS: dict[str, str] = {
    "largest": "largest", "biggest": "largest", "large": "largest", "big": "largest", "larger": "largest",
    "bigger": "largest", "smallest": "smallest", "small": "smallest", "little": "smallest", "tiny": "smallest",
    "smaller": "smallest",
}  # fmt: skip
ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8,
    "9th": 9, "10th": 10, "last": -1,
}  # fmt: skip
RELATION_PREPS: dict[str, str] = {"above": "top", "over": "top", "below": "bottom", "under": "bottom",
                                  "beneath": "bottom", "underneath": "bottom"}  # fmt: skip
NEUTRAL_PREPS = frozenset({"near", "beside", "next", "by", "behind", "with", "between", "among", "against"})
FRAME_NOUNS = frozenset({"image", "picture", "photo", "photograph", "frame", "scene", "view"})
STOPWORDS = frozenset(
    {"a", "an", "the", "on", "in", "at", "of", "to", "from", "side", "part", "corner", "area", "edge", "is", "are",
     "that", "which", "one", "ones", "most", "far", "very", "located", "positioned", "placed", "sitting", "and",
     "only", "single", "it", "its", "this", "there", "all", "two", "three", "four", "five", "six", "seven", "eight",
     "nine", "ten", "both", "other", "than", "others", "rest", "group", "row", "set", "object", "item", "thing",
     "furthest", "farthest", "toward", "towards", "shown", "seen", "visible", "half", "end", "position", "counting",
     "when", "starting", "s", "out", "among", "between", "next", "near", "beside", "by", "with", "up"}
)  # fmt: skip
_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Claim:
    """One checkable claim read from an expression."""

    kind: ClaimKind
    value: str  # left/right/top/bottom, middle, largest/smallest
    span: str  # the words it was read from
    rank: int | None = None  # ordinal: 1-based, -1 for "last"
    landmark: str | None = None  # relation: the other category
    frame: Literal["group", "image"] = "group"  # side: among same-category objects, or halves of the image


@dataclass(frozen=True, slots=True)
class ParsedExpression:
    """The referent category (None when none is named), the claims, and words left unexplained."""

    referent: str | None
    claims: tuple[Claim, ...]
    residual: tuple[str, ...]

    @property
    def purely_spatial(self) -> bool:
        """Only category and spatial words: then boxes decide whether it singles one object out."""
        return not self.residual


# ---- words ---------------------------------------------------------------------------------


def plural(noun: str) -> str:
    """English plural of a category name's last word ('sports ball' -> 'sports balls')."""
    head, _, last = noun.rpartition(" ")
    if re.search(r"(s|x|z|ch|sh)$", last):
        last += "es"
    elif re.search(r"[^aeiou]y$", last):
        last = last[:-1] + "ies"
    else:
        last += "s"
    return f"{head} {last}".strip()


def ordinal_word(rank: int) -> str:
    words = {v: k for k, v in ORDINALS.items() if k.isalpha() and v > 0}
    return words.get(rank, f"{rank}th")


def tokens(text: str) -> list[str]:
    """Lower-case word tokens; hyphens and slashes split ('top-left' -> 'top', 'left')."""
    return _TOKEN.findall(text.lower().replace("left-most", "leftmost").replace("right-most", "rightmost"))


@cache
def _category_forms(categories: tuple[str, ...]) -> dict[tuple[str, ...], str]:
    """Token sequences naming each category: full name, plural, and a head noun no other category shares."""
    forms: dict[tuple[str, ...], str] = {}
    heads: dict[str, set[str]] = {}
    for cat in categories:
        toks = tuple(tokens(cat))
        if not toks:
            continue
        forms[toks] = cat
        forms[tuple(tokens(plural(cat)))] = cat
        heads.setdefault(toks[-1], set()).add(cat)
    for head, cats in heads.items():
        if len(cats) == 1:
            (cat,) = cats
            forms.setdefault((head,), cat)
            forms.setdefault(tuple(tokens(plural(head))), cat)
    return forms


def _match_category(toks: list[str], i: int, forms: dict[tuple[str, ...], str]) -> tuple[str, int] | None:
    """The category named at token ``i`` (longest form first) and how many tokens it spans."""
    for n in (4, 3, 2, 1):
        key = tuple(toks[i : i + n])
        if len(key) == n and key in forms:
            return forms[key], n
    return None


def parse_expression(text: str, categories: list[str] | tuple[str, ...]) -> ParsedExpression:
    """Claims of an expression; ``categories`` are the categories present in the image."""
    forms = _category_forms(tuple(sorted(set(categories))))
    toks = tokens(text)
    claims: list[Claim] = []
    residual: list[str] = []
    referent: str | None = None
    used = [False] * len(toks)

    def take(a: int, b: int) -> None:
        for k in range(a, min(b, len(toks))):
            used[k] = True

    def landmark_after(j: int, window: int = 3) -> tuple[str | None, int, bool]:
        """The category (or image frame noun) starting within ``window`` tokens after ``j``."""
        for k in range(j, min(j + window, len(toks))):
            if toks[k] in FRAME_NOUNS:
                return None, k + 1, True
            m = _match_category(toks, k, forms)
            if m is not None:
                return m[0], k + m[1], False
            if toks[k] not in ("the", "a", "an", "of", "to", "that", "this"):
                break
        return None, j, False

    i = 0
    while i < len(toks):
        t = toks[i]
        if used[i]:
            i += 1
            continue
        if t in ORDINALS:
            direction = "left"
            for k in range(i + 1, min(i + 7, len(toks))):
                if toks[k] != "from":
                    continue
                nxt = k + 2 if toks[k + 1 : k + 2] == ["the"] else k + 1
                if nxt < len(toks) and toks[nxt] in SIDE_WORDS:
                    direction = SIDE_WORDS[toks[nxt]]
                    take(k, nxt + 1)
                break
            claims.append(Claim("ordinal", direction, t, rank=ORDINALS[t]))
            take(i, i + 1)
            i += 1
            continue
        if t in ("left", "right") and i + 1 < len(toks) and toks[i + 1] == "of":
            cat, end, is_frame = landmark_after(i + 2)
            if cat is not None:
                claims.append(Claim("relation", t, " ".join(toks[i:end]), landmark=cat))
                take(i, end)
                i = end
                continue
            if is_frame:
                claims.append(Claim("side", t, " ".join(toks[i:end]), frame="image"))
                take(i, end)
                i = end
                continue
        if t in RELATION_PREPS or (t == "top" and toks[i + 1 : i + 2] == ["of"] and i > 0 and toks[i - 1] == "on"):
            start = i + 2 if t == "top" else i + 1
            cat, end, is_frame = landmark_after(start)
            if cat is not None:
                claims.append(Claim("relation", RELATION_PREPS.get(t, "top"), " ".join(toks[i:end]), landmark=cat))
                take(i, end)
                i = end
                continue
        if t in NEUTRAL_PREPS:
            cat, end, _ = landmark_after(i + 1 if t != "next" else i + 2)
            if cat is not None:  # a landmark we cannot check; it is not the referent either
                take(i, end)
                i = end
                continue
        if t in SIDE_WORDS:
            frame: Literal["group", "image"] = "group"
            j = i + 1
            while j < len(toks) and toks[j] in ("side", "part", "half", "corner", "edge", "end", "of", "the"):
                j += 1
            if j < len(toks) and toks[j] in FRAME_NOUNS and toks[j - 1] in ("of", "the"):
                frame = "image"
            claims.append(Claim("side", SIDE_WORDS[t], t, frame=frame))
            take(i, i + 1)
            i += 1
            continue
        if t in MIDDLE_WORDS:
            claims.append(Claim("middle", "middle", t))
            take(i, i + 1)
            i += 1
            continue
        if t in SIZE_WORDS:
            claims.append(Claim("size", SIZE_WORDS[t], t))
            take(i, i + 1)
            i += 1
            continue
        m = _match_category(toks, i, forms)
        if m is not None:
            if referent is None:
                referent = m[0]
            take(i, i + m[1])
            i += m[1]
            continue
        i += 1
    for k, t in enumerate(toks):
        if not used[k] and t not in STOPWORDS and t not in FRAME_NOUNS:
            residual.append(t)
    if any(c.frame == "image" for c in claims if c.kind == "side"):
        claims = [c if c.kind != "side" else Claim(c.kind, c.value, c.span, frame="image") for c in claims]
    return ParsedExpression(referent, tuple(claims), tuple(residual))
