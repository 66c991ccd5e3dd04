"""Person-level claims said of the body without naming a part: beside, on the shoulder, standing.

Why: prose says "stands beside his motorcycle" (feet and hip are not on it), "a bag over her
right shoulder" (that arm carries it), "over just one shoulder", "not on his shoulders" and
"standing in the aisle" (the hip sits on nothing) without a part as the subject.
"""

from __future__ import annotations

import re

from hoiscribe.hoi_text.claim_types import AnyClaim, PartRef, StateClaim
from hoiscribe.hoi_text.claim_words import DETERMINERS, object_re
from hoiscribe.hoi_text.clause_objects import object_after, other_subject, person_subject

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+")
_OTHER_SIDE = {"left": "right", "right": "left"}
_BESIDE = re.compile(
    r"\b(?:stand|stands|standing|stood|wait|waits|waiting)\s+"
    r"(?:on the (?:ground|floor|pavement|sidewalk|road|street|platform|grass|sand) )?(?:right |just )?"
    r"(?:beside|next to|alongside|behind|in front of|at)\s+(.*)"
)
_SHOULDER = re.compile(
    r"\b(?P<neg>not |never |no longer )?(?:on|over|across|against) (?P<only>only |just )?(?:his|her|their|the|one|a) ?"
    r"(?P<side>left |right |one )?shoulder(?P<plural>s)?\b"
)
_IT = re.compile(r"\b(it|them)\b")
_STANDING = frozenset({"stand", "stands", "standing", "stood"})
_SITTING_STATES = frozenset({"sit on", "sit in", "sit beside"})


def beside_and_shoulder(sentence: str, text: str, has_verb: bool, out: list[AnyClaim]) -> None:
    """'stands beside his motorcycle': feet and hip are not on it; 'carries it on his left shoulder': that arm."""
    m = _BESIDE.search(text)
    if m and not other_subject(_TOKEN.findall(text[: m.start()])):
        objects = object_after(_TOKEN.findall(m.group(1)), 0, allow_prep=False)
        if objects:
            for ref in (PartRef("foot", ("left", "right"), "both", "feet", "subject", 0, 0),
                        PartRef("hip", (None,), "single", "hip", "subject", 0, 0)):  # fmt: skip
                out.append(StateClaim(sentence, ref, frozenset({"no_interaction"}), objects))
    s = _SHOULDER.search(text)
    before = text[: s.start()] if s else ""
    negated = bool(s and s.group("neg"))
    if s is None or not (has_verb or negated or object_re().search(before) or _IT.search(before)):
        return  # "a bag over her right shoulder", "resting it on his right shoulder", "not on his shoulders"
    side = (s.group("side") or "").strip()
    carry = frozenset({"shoulder carry"})
    if s.group("plural"):
        out.append(StateClaim(sentence, PartRef("arm", ("left", "right"), "both", "arm", "subject", 0, 0), carry,
                              None, negated))  # fmt: skip
    elif side == "one" or (not side and s.group("only")):
        out.append(StateClaim(sentence, PartRef("arm", (None,), "either", "arm", "subject", 0, 0, True), carry, None,
                              negated))  # fmt: skip
    elif side:
        out.append(
            StateClaim(sentence, PartRef("arm", (side,), "single", "arm", "subject", 0, 0), carry, None, negated)
        )
        if s.group("only") or text[s.end() :].lstrip().startswith("only"):  # the other arm carries nothing
            other = PartRef("arm", (_OTHER_SIDE[side],), "single", "arm", "subject", 0, 0)
            out.append(StateClaim(sentence, other, frozenset({"no_interaction"}), None))


def posture_claims(sentence: str, tokens: list[str]) -> list[AnyClaim]:
    """'standing in the aisle', 'on foot': the person stands, so the hip sits on nothing.

    A claim that the hip is not in a sitting state; it contradicts only a hip HAKE has sit.
    """
    for i, tok in enumerate(tokens):
        on_foot = tok == "foot" and i > 0 and tokens[i - 1] == "on"
        if not (tok in _STANDING or on_foot):
            continue
        if i > 0 and (tokens[i - 1] in DETERMINERS or tokens[i - 1] == "to"):
            continue  # "the stands", "a fruit stand", "ready to stand"
        if not person_subject(tokens[: i - 1] if on_foot else tokens[:i]):
            continue  # "a lamp stands on the table", "one man stands near the door"
        hip = PartRef("hip", (None,), "single", "hip", "subject", 0, 0)
        return [StateClaim(sentence, hip, _SITTING_STATES, None, True)]
    return []


_NOT_OVER_HEAD = re.compile(r"\b(?:not|never|no longer)\s+(?:\w+\s+)?(?:over|above)\s+(?:his|her|their|the)\s+head\b")


def over_head_denial(sentence: str, text: str) -> list[AnyClaim]:
    """'the umbrella is not over her head': denies the head state HAKE calls 'put something over head'.

    Only the denial is read: a positive "over her head" may be a raised hand or a thrown ball.
    """
    if not _NOT_OVER_HEAD.search(text):
        return []
    head = PartRef("head", (None,), "single", "head", "subject", 0, 0)
    return [StateClaim(sentence, head, frozenset({"put something over head"}), None, True)]
