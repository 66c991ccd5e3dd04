"""A body part with a bare preposition for a predicate: 'feet on the pegs', 'hands nowhere near the reins'.

Why: VLM prose often drops the verb ("both hands on the grip", "with his foot on a
skateboard", "legs around the horse", "hip in the saddle"). The preposition says contact of
the kind the part's group makes with a thing: a hand on it touches it, a foot on it stands on
it, a hip on or in it sits, legs around it straddle, arms around it hug. The claim is made
only when what follows is a named object or a part of one (not "on the ground").
"""

from __future__ import annotations

from hoiscribe.hoi_text import phrases
from hoiscribe.hoi_text.claim_words import state_words
from hoiscribe.hoi_text.clause_objects import object_after, part_object

CONTACT_PREPS = frozenset({"on", "onto", "upon", "against", "around", "in", "inside", "atop", "astride"})
# group -> preposition -> the HAKE states of that group the contact means
_CONTACT: dict[str, dict[str, frozenset[str]]] = {
    "hand": {**dict.fromkeys(("on", "onto", "upon", "against", "atop"), frozenset({"touch"})),
             "around": frozenset({"hold"})},
    "foot": dict.fromkeys(("on", "onto", "upon", "in", "inside", "atop"), frozenset({"stand on", "tread on"})),
    "hip": dict.fromkeys(("on", "onto", "upon", "in", "inside", "atop", "astride"), frozenset({"sit on", "sit in"})),
    "leg": dict.fromkeys(("around", "astride"), frozenset({"straddle"})),
    "arm": {"around": frozenset({"hug"}), **dict.fromkeys(("on", "against", "upon"), frozenset({"be close to"}))},
}  # fmt: skip
_SKIP = frozenset({"firmly", "still", "both", "all", "now", "lightly", "resting", "placed", "planted", "are", "is",
                   "were", "was", "kept", "set", "up"})  # fmt: skip
_NEGATORS = frozenset({"not", "nowhere", "never", "no"})


def absolute_predicate(group: str, tokens: list[str], i: int) -> bool:
    """After 'with/without <part>': does a predicate follow (so the part is a subject, not an instrument)?"""
    k = i
    while k < len(tokens) and tokens[k] in _SKIP:
        k += 1
    if k >= len(tokens):
        return False
    word = tokens[k]
    if word in ("off", "side") or contact_state(group, tokens[i:]) is not None:
        return True  # "with both feet on the deck", "without his hands on the wheel"; not "with a hand in the kitchen"
    return word in state_words().get(group, {}) or bool(
        [m for m in phrases.find(tokens[k : k + 6], phrases.state_index(group)) if m.start == 0]
    )


def contact_state(group: str, pred: list[str]) -> tuple[frozenset[str], frozenset[str] | None, bool] | None:
    """(states, objects, negated) when ``pred`` opens with a contact preposition; None otherwise.

    'nowhere near X' / 'not near X' deny the contact; a plain 'near X' says nothing of it.
    """
    table = _CONTACT.get(group, {})
    k, negated = 0, False
    while k < min(len(pred), 6):
        if pred[k : k + 3] == ["side", "by", "side"]:  # "feet side by side on the deck"
            k += 3
        elif pred[k] in _SKIP or pred[k] in _NEGATORS or pred[k] == "longer":
            negated = negated or pred[k] in _NEGATORS
            k += 1
        else:
            break
    if k >= len(pred):
        return None
    prep = pred[k]
    if pred[k : k + 2] in (["away", "from"], ["clear", "of"]):  # "..., away from the bottle": not on it
        objects = object_after(pred, k + 2, allow_prep=False)
        return (frozenset({"no_interaction"}), objects, negated) if objects else None
    if prep == "near" and negated:
        prep = "on"
    states = table.get(prep)
    if states is None:
        return None
    objects = object_after(pred, k + 1, allow_prep=False)
    if objects is None and not part_object(pred[k + 1 :]):
        return None  # 'on top', 'on the railing': not a named object
    return states, objects, negated
