"""The person placed on the seat of an object with no sitting verb: 'the boy is on the saddle', 'back in the
saddle', 'already in the driver's seat'.

Why: writers place a rider by the seat ("is up on the saddle of the bike") as often as by a verb; a person
on a saddle or a seat sits on what it belongs to. Apart from :mod:`hoiscribe.hoi_text.body_claims`, which
reads the verbs of standing, sitting and kneeling.
"""

from __future__ import annotations

import re

from hoiscribe.hoi_text.body_claims import said_of_person
from hoiscribe.hoi_text.claim_types import AnyClaim, PartRef, StateClaim
from hoiscribe.hoi_text.claim_words import TOKEN
from hoiscribe.hoi_text.clause_objects import object_after

_ON_SEAT = re.compile(
    r"\b(?:is|are|was|were|remains?|stays?|back|up|already|still|firmly|comfortably)\s+"
    r"(?P<neg>not |no longer |never )?(?:(?:up|back|still|already|firmly|high|comfortably|right) )?"
    r"(?:on|in|upon|atop) (?P<seat>(?:the|his|her|their|its|a) (?:\w+ )?(?:saddle|seat)\b.*)"
)
_HIP = PartRef("hip", (None,), "single", "hip", "subject", 0, 0)
_SITTING = frozenset({"sit on", "sit in"})


def on_seat(sentence: str, text: str) -> list[AnyClaim]:
    """'the boy is on the saddle of the bike', 'she is not in the saddle': the hip sits on (or not) its owner."""
    m = _ON_SEAT.search(text) if "saddle" in text or "seat" in text else None
    if m is None or not said_of_person(TOKEN.findall(text[: m.start()])):
        return []
    objects = object_after(TOKEN.findall(m.group("seat")), 0, allow_prep=False)
    if not objects:
        return []  # "in the back seat" of a thing that is none of the objects
    return [StateClaim(sentence, _HIP, _SITTING, objects, bool(m.group("neg")))]
