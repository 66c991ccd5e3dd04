"""Person-level claims of an object held at a body place without a part as the subject: 'not over her head',
'under his arm', 'a mitt on his right hand', 'away from his ear'.

Why apart from :mod:`hoiscribe.hoi_text.body_claims`: these read where the object is against the body (the
arm, the hand, the head); that module reads where the person stands, sits or kneels.
"""

from __future__ import annotations

import re

from hoiscribe.hoi_text.claim_types import AnyClaim, PartRef, StateClaim
from hoiscribe.hoi_text.claim_words import IT_PRONOUN, TOKEN, object_re, object_surfaces
from hoiscribe.hoi_text.clause_objects import other_subject

_NOT_OVER_HEAD = re.compile(r"\b(?:not|never|no longer)\s+(?:\w+\s+)?(?:over|above)\s+(?:his|her|their|the)\s+head\b")


def over_head_denial(sentence: str, text: str) -> list[AnyClaim]:
    """'the umbrella is not over her head': denies the head state HAKE calls 'put something over head'.

    Only the denial is read: a positive "over her head" may be a raised hand or a thrown ball.
    """
    if "head" not in text or not _NOT_OVER_HEAD.search(text):
        return []
    head = PartRef("head", (None,), "single", "head", "subject", 0, 0)
    return [StateClaim(sentence, head, frozenset({"put something over head"}), None, True)]


_UNDER_ARM = re.compile(
    r"\b(?:under|beneath|underneath) (?:his|her|their|one|the|an) (?P<side>left |right )?arm(?P<pl>s)?\b"
)


def under_arm(sentence: str, text: str) -> list[AnyClaim]:
    """'holding his skateboard under his arm', 'the board tucked under her left arm': that arm is close to it.

    Only with the object (or 'it') named before and the person as the subject, not "a bag under a stranger's arm".
    """
    m = _UNDER_ARM.search(text) if "arm" in text and ("under" in text or "beneath" in text) else None
    if m is None:
        return []
    before = text[: m.start()]
    things = list(object_re().finditer(before))
    tokens = TOKEN.findall(before)
    if not (things or IT_PRONOUN.search(before)) or other_subject(tokens):
        return []
    what = object_surfaces()[things[-1].group(1)] if things else None
    side = (m.group("side") or "").strip()
    ref = (PartRef("arm", (side,), "single", "arm", "subject", 0, 0) if side
           else PartRef("arm", (None,), "either", "arm", "subject", 0, 0))  # fmt: skip
    return [StateClaim(sentence, ref, frozenset({"be close to"}), what)]


_ON_HAND = re.compile(
    r"\bon (?P<q>both(?: of)? |one )?(?:(?:his|her|their|the) )?(?P<side>left |right )?(?P<part>hand|hands)\b"
)
_HAND_WORN = frozenset({"baseball glove"})  # the objects of the 80 worn on a hand
_WEAR = re.compile(r"\b(?:wear|wears|wearing|wore|worn|has|have|having|with)\b")


def _things_before(text: str, m: re.Match[str] | None) -> tuple[list[re.Match[str]], str]:
    """The objects named before a match, and the text before it; none where there is no match or the text
    before it is about someone else."""
    if m is None:
        return [], ""
    before = text[: m.start()]
    if other_subject(TOKEN.findall(before)):
        return [], before
    return list(object_re().finditer(before)), before


def worn_on_hand(sentence: str, text: str) -> list[AnyClaim]:
    """'wearing a mitt on his right hand', 'the glove on both of hand': that hand wears it."""
    m = _ON_HAND.search(text) if "hand" in text else None
    things, before = _things_before(text, m)
    if not things:
        return []
    what = object_surfaces()[things[-1].group(1)]
    if not what & _HAND_WORN and not _WEAR.search(before):
        return []
    side = (m.group("side") or "").strip()
    if side:
        ref = PartRef("hand", (side,), "single", "hand", "subject", 0, 0)
    elif (m.group("q") or "").startswith("both") or m.group("part") == "hands":
        ref = PartRef("hand", ("left", "right"), "both", "hands", "subject", 0, 0)
    else:
        ref = PartRef("hand", (None,), "either", "hand", "subject", 0, 0, m.group("q") == "one ")
    return [StateClaim(sentence, ref, frozenset({"wear"}), what)]


_AWAY_FROM_HEAD = re.compile(r"\baway from (?:his|her|their|the) (?:ear|ears|face|mouth|head|eyes|nose|lips)\b")


def away_from_head(sentence: str, text: str) -> list[AnyClaim]:
    """'holds the phone away from his ear', 'the cup well away from her face': the head is not at it."""
    m = _AWAY_FROM_HEAD.search(text) if "away from " in text else None
    things, before = _things_before(text, m)
    if m is not None and not (things or IT_PRONOUN.search(before)) and not TOKEN.findall(before)[1:]:
        low = sentence.lower()  # "..., holding it down at her waist, well away from her face": the thing before
        head = low[: max(0, low.find(text[m.start() :]))] if text[m.start() :] in low else ""
        things, before = list(object_re().finditer(head)), head
    if m is None or not (things or IT_PRONOUN.search(before)) or other_subject(TOKEN.findall(before)):
        return []
    what = object_surfaces()[things[-1].group(1)] if things else None
    return [StateClaim(sentence, PartRef("head", (None,), "single", "head", "subject", 0, 0),
                       frozenset({"no_interaction"}), what)]  # fmt: skip


_AT_EAR = re.compile(r"\b(?:to|against|at|by) (?:his|her|their|the) (?P<side>left|right) ear\b")
_EAR_HELD = frozenset({"cell phone"})  # the objects of the 80 a hand holds to an ear


def held_to_ear(sentence: str, text: str) -> list[AnyClaim]:
    """'the phone pressed to her left ear', 'holding the phone to his right ear': the hand of that side holds it.

    Only when the sentence names no hand ('holds the phone to her left ear with her right hand' says which).
    """
    m = _AT_EAR.search(text) if " ear" in text else None
    things, _ = _things_before(text, m)
    if m is None or "hand" in sentence.lower():
        return []
    if not things:  # "Woman on the phone, pressed to her left ear": the phone of the sentence before the clause
        low = sentence.lower()
        things = list(object_re().finditer(low[: max(0, low.find(text[m.start() :]))])) if text in low else []
    what = object_surfaces()[things[-1].group(1)] if things else None
    if what is None or not what & _EAR_HELD:
        return []
    ref = PartRef("hand", (m.group("side"),), "single", "hand", "subject", 0, 0)
    return [StateClaim(sentence, ref, frozenset({"hold"}), what)]
