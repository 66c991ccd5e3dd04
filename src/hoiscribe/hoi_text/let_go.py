"""'letting the kite go', 'lets it go': the hands release the object, so they no longer hold it.

Why its own module: the phrase matcher reads 'let go (of)' only with fillers between its words, and
the object noun stands between 'let' and 'go' here; the hand's idle state needs the object in between.
"""

from __future__ import annotations

from hoiscribe.hoi_text import phrases
from hoiscribe.hoi_text.claim_types import PartRef, StateClaim
from hoiscribe.hoi_text.clause_objects import object_after

_LET = frozenset({"let", "lets", "letting"})
_HANDS = PartRef("hand", (None,), "either", "hand", "subject", 0, 0)


def let_object_go(sentence: str, tokens: list[str]) -> list[StateClaim]:
    """'is letting the kite go', 'lets it go': no hand holds the object (a claim about the pair's object only
    when it is the one named, or 'it'). Not 'lets the dog go out' nor 'won't let it go' (denied)."""
    for i, tok in enumerate(tokens):
        if tok not in _LET:
            continue
        for end in (i + 2, i + 3, i + 4):
            if end < len(tokens) and tokens[end] == "go":
                break
        else:
            continue
        if tokens[end + 1 : end + 2] and tokens[end + 1] in ("out", "in", "on", "off", "ahead", "to", "into", "by"):
            continue  # "lets the dog go out": lets it move, not releases it
        if phrases.negated_at(tokens, i):
            continue
        between = tokens[i + 1 : end]
        if between in (["it"], ["them"]):
            return [StateClaim(sentence, _HANDS, frozenset({"no_interaction"}), None)]
        objects = object_after(between, 0, allow_prep=False)
        if objects and "person" not in objects:
            return [StateClaim(sentence, _HANDS, frozenset({"no_interaction"}), objects)]
    return []
