"""Object counts: "a single kite", "the only plane", "no other bikes", read and judged against annotated instances.

Why its own module: object counts follow the person-count rule. Annotated instances are a lower
bound (HICO-DET annotates some objects, not all), so "two kites" is never false; only a claim
of FEWER than the annotation shows can be. ``add_object_counts`` writes, per pair, the number of
distinct annotated boxes of each category among the person's labels (``object_counts``) and in
the image (``image_object_counts``). HICO draws one object again for each verb, with boxes that
differ (IoU 0.5-0.7 between "ride" and "straddle" of one bike is common), so two boxes are one
instance unless they overlap by less than half of the smaller one: a count errs low, never high.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from hoiscribe.core.verdicts import CONTRADICTED, SUPPORTED, UNVERIFIABLE, Claim
from hoiscribe.hoi_text.claim_types import ObjectCountClaim
from hoiscribe.hoi_text.claim_words import DETERMINERS, PREPOSITIONS, object_re, object_surfaces
from hoiscribe.vocab.lexicon import object_text

SAME_THING = 0.5  # intersection over the smaller box at or above which two boxes of a category are one object

_PERSON_Q = r"(?:(?:only|just) (?:a single|one|one single)|a single|one single|a lone|one lone|a solitary)"
_IMAGE_Q = r"(?:the only|the sole|the one and only|no other|not another)"
_CUE = re.compile(r"single|only|lone|solitary|sole|no other|another")  # a fast test before the full pattern
_QUANT = re.compile(rf"(?<![a-z'])(?:(?P<person>{_PERSON_Q})|(?P<image>{_IMAGE_Q}))\s+(?P<rest>.*)")
# after the object noun: what may follow a whole noun phrase (not "a single bike lane", "the only kite string")
_AFTER_OK = frozenset({"is", "are", "was", "were", "'s", "can", "could", "and", "or", "but", "while", "as", "in",
                       "on", "at", "with", "to", "into", "onto", "from", "over", "under", "above", "near",
                       "beside", "by", "visible", "here", "there", "nearby", "around", "overhead", "aloft",
                       "present", "anywhere", "appears", "seems", "sits", "stands", "lies", "rests",
                       "floats", "flies", "hangs", "leans", "remains"})  # fmt: skip
_RESTRICTIVE = frozenset({"that", "which", "who", "he", "she", "they", "his", "her", "not", "left", "still", "of",
                          "among", "without", "than", "besides", "apart", "except", "yet"})  # fmt: skip
_ING_NOUNS = frozenset({"string", "ring", "wing", "thing", "king", "building", "railing", "ceiling", "painting",
                        "clothing", "awning", "wedding", "bedding", "padding", "sling", "spring", "swing", "shed",
                        "bed", "sled", "sing", "ling"})  # fmt: skip  # "a single kite string": nouns, not verbs
_SCENE = re.compile(
    r"^(?:is |are |can be seen |)(?:visible|in sight|in view|present|nearby|around|anywhere|in (?:the|this) "
    r"(?:scene|image|picture|photo|photograph|frame|shot|view|sky|water|field|room|area))\b"
)  # "only one kite is visible", "a single boat in the picture": said of the whole image


def object_count_claims(sentence: str, clause: str, person_clause: bool) -> list[ObjectCountClaim]:
    """Object counts of one clause (lower-cased ``clause``): "a single kite" (the person's, unless
    said of the image) only in a clause about the person or a thing; "the only / no other kite" always."""
    out: list[ObjectCountClaim] = []
    if not _CUE.search(clause):
        return out
    for m in _QUANT.finditer(clause):
        before = clause[: m.start()].split()[-1:]
        if before and before[0] in ("not", "without", "nor", "never"):
            continue  # "not a single kite": a denial of any, not a count of one
        found = _object(m.group("rest"))
        if found is None:
            continue
        category, tail = found
        scene = bool(_SCENE.match(tail)) or m.group("image") is not None
        if m.group("image") and m.group("image") != "no other" and tail.split()[:1] in (["in"], ["on"], ["at"]):
            scene = bool(_SCENE.match(tail))  # "the only bike on the rack": the rack's, not the image's
            if not scene:
                continue
        if scene:
            out.append(ObjectCountClaim(sentence, category, 1, "image"))
        elif person_clause:
            out.append(ObjectCountClaim(sentence, category, 1, "person"))
    return out


def _object(rest: str) -> tuple[str, str] | None:
    """The one category named right after the quantifier (up to two modifiers) and what follows it."""
    words = rest.split()
    for k in range(min(3, len(words))):
        if words[k] in DETERMINERS or (words[k] in PREPOSITIONS and words[k] != "of"):
            return None
        tail = " ".join(words[k:])
        m = object_re().match(tail)
        if m is None:
            continue
        after = tail[m.end() :].strip(" ,.;:!?)")
        m2 = object_re().match(after)
        if m2 is not None:  # "a single tennis racket": the head noun is the last name
            after = after[m2.end() :].strip(" ,.;:!?)")
            m = m2
        cats = object_surfaces()[m.group(1)]
        nxt = after.split()[:1]
        if len(cats) != 1 or "person" in cats or (nxt and nxt[0] in _RESTRICTIVE):
            return None  # "bike" may be two things; people have their own counts; "the only kite that ..."
        word = nxt[0].strip(",.;:!?") if nxt else ""
        verb_like = word.endswith(("ing", "ed")) and word.rstrip("s") not in _ING_NOUNS
        if word and word not in _AFTER_OK and not verb_like:
            return None  # "a single bike lane": the object noun modifies another
        return next(iter(cats)), after
    return None


def judge_object_count(claim: ObjectCountClaim, facts: dict[str, Any]) -> Claim:
    """At most ``claim.at_most`` objects of a category: false only when more are annotated."""
    key = "image_object_counts" if claim.scope == "image" else "object_counts"
    known = (facts.get(key) or {}).get(claim.category)
    if known is None:
        return Claim(claim.text, "count", UNVERIFIABLE, f"no annotated {object_text(claim.category)}")
    if known > claim.at_most:
        where = "in the image" if claim.scope == "image" else "with this person"
        why = f"{known} distinct {object_text(claim.category)} boxes annotated {where}, text says one"
        return Claim(claim.text, "count", CONTRADICTED, why, "object_count")
    return Claim(claim.text, "count", SUPPORTED)


def distinct_objects(boxes: list[tuple[float, ...]]) -> int:
    """Objects among boxes of one category: kept greedily unless half of one lies inside a kept one."""
    kept: list[tuple[float, ...]] = []
    for box in dict.fromkeys(boxes):
        if all(_over_smaller(box, k) < SAME_THING for k in kept):
            kept.append(box)
    return len(kept)


def _over_smaller(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    iw, ih = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
    if iw <= 0 or ih <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return iw * ih / smaller if smaller > 0 else 1.0


def object_counts(pairs: list[dict[str, Any]]) -> dict[str, int]:
    """Category -> distinct annotated objects among these pairs' objects (people excluded)."""
    boxes: dict[str, list[tuple[float, ...]]] = defaultdict(list)
    for f in pairs:
        obj = f.get("object") or {}
        if obj.get("category") not in (None, "person") and obj.get("box") is not None:
            boxes[obj["category"]].append(tuple(float(v) for v in obj["box"]))
    return {cat: distinct_objects(bs) for cat, bs in sorted(boxes.items())}
