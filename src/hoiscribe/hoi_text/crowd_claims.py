"""Claims read again once the people of the whole text are known: placed people, 'nobody else'.

Why apart from :mod:`hoiscribe.hoi_text.claims`: both rules look past the clause a claim came from, at the
people the text names elsewhere ("the friend on the left ... the friend on the right", "her mother and
brother ... nobody else").
"""

from __future__ import annotations

import re
from dataclasses import replace

from hoiscribe.hoi_text.claim_types import AnyClaim, CountClaim
from hoiscribe.hoi_text.subjects import Discourse

_PLACES = (" on the left", " on the right")


def placed_people(claims: list[AnyClaim], low: str) -> list[AnyClaim]:
    """'holds the friend on the left ...; her other hand is around the friend on the right': when the text
    places people on both sides, a claim about a person it places acts on someone the pair may not be."""
    if not all(p in low for p in _PLACES):
        return claims
    out: list[AnyClaim] = []
    for c in claims:
        objects = getattr(c, "objects", None)
        span = (getattr(c, "span", "") or c.text).lower()
        if objects and "person" in objects and any(p in span for p in _PLACES):
            c = replace(c, objects=frozenset())  # type: ignore[arg-type]
        out.append(c)
    return out


_ELSE_RE = re.compile(r"\b(?:else|other)\b")


def besides_named(found: list[AnyClaim], low: str, disc: Discourse) -> list[AnyClaim]:
    """'Nobody else touches the cake' after her mother and brother are named: nobody besides them, not 'alone'."""
    if not disc.others or not _ELSE_RE.search(low):
        return found
    return [c for c in found if not (isinstance(c, CountClaim) and c.n == 1 and not c.at_least and c.at_most is None)]
