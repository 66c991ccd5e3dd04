"""A body part with a bare preposition for a predicate: 'feet on the pegs', 'hands nowhere near the reins'.

Why: VLM prose often drops the verb ("both hands on the grip", "with his foot on a
skateboard", "legs around the horse", "hip in the saddle"). The preposition says contact of
the kind the part's group makes with a thing: a hand on it touches it, a foot on it stands on
it, a hip on or in it sits, legs around it straddle, arms around it hug. The claim is made
only when what follows is a named object or a part of one (not "on the ground").
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from hoiscribe.hoi_text import phrases
from hoiscribe.hoi_text.claim_rules import cluster
from hoiscribe.hoi_text.claim_types import StateClaim
from hoiscribe.hoi_text.claim_words import object_re, state_words
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
                   "were", "was", "kept", "set", "up", "also", "too", "likewise", "again", "gently", "flat", "rest",
                   "rests", "remain", "remains", "stay", "stays", "squarely", "solidly"})  # fmt: skip
_NEGATORS = frozenset({"not", "nowhere", "never", "no"})
_HEDGED_BE = frozenset({"do", "does", "did", "seem", "seems", "seemed", "appear", "appears", "appeared", "to", "be"})


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


def contact_state(
    group: str, pred: list[str], word: str = ""
) -> tuple[frozenset[str], frozenset[str] | None, bool] | None:
    """(states, objects, negated) when ``pred`` opens with a contact preposition; None otherwise.

    'nowhere near X' / 'not near X' deny the contact; a plain 'near X' says nothing of it.
    """
    table = _CONTACT.get(group, {})
    k, negated = 0, False
    while k < min(len(pred), 6):
        if pred[k : k + 3] == ["side", "by", "side"]:  # "feet side by side on the deck"
            k += 3
        elif (
            pred[k] in _SKIP or pred[k] in _NEGATORS or pred[k] == "longer" or pred[k].endswith("n't")
            or pred[k] in _HEDGED_BE
        ):  # fmt: skip  # "her feet don't seem to be in the stirrups"
            negated = negated or pred[k] in _NEGATORS or pred[k].endswith("n't")  # "feet aren't on the pedals"
            k += 1
        else:
            break
    if k >= len(pred):
        return None
    prep = pred[k]
    if group == "leg" and _one_side(pred[k : k + 5]):  # "both legs on one side": not astride it
        return frozenset({"straddle"}), None, not negated
    for j in range(k, min(k + 3, len(pred) - 1)):  # "..., away from the bottle", "gaze drifts away from it"
        if pred[j : j + 2] in (["away", "from"], ["clear", "of"]) and not _NEGATORS.intersection(pred[k:j]):
            objects = object_after(pred, j + 2, allow_prep=False)
            return (frozenset({"no_interaction"}), objects, negated) if objects else None
    if word in _EYES:
        return _eyes_on(pred, k, negated)
    if group in ("hand", "arm") and prep in ("on", "in", "inside", "upon") and _own_body(pred[k + 1 : k + 4]):
        return frozenset({"no_interaction"}), None, negated  # "hands in his pockets", "on her hips": idle
    if group in ("hand", "arm") and prep == "behind" and pred[k + 1 : k + 3] in _BEHIND_BODY:
        return frozenset({"no_interaction"}), None, negated  # "hands clasped behind his back": idle
    if group == "foot" and prep in ("on", "upon") and _ground(pred[k + 1 : k + 4]):
        return _SUPPORT, None, not negated  # "feet on the ground": not on the object it stands on
    if prep == "near" and negated:
        prep = "on"
    states = table.get(prep)
    if states is None:
        return None
    objects = object_after(pred, k + 1, allow_prep=False)
    if objects is None and not part_object(pred[k + 1 :]):
        return None  # 'on top', 'on the railing': not a named object
    return states, objects, negated


def _one_side(words: list[str]) -> bool:
    """'on one side', 'to the same side', 'over one side of the saddle': legs not astride ('one leg on each
    side' is astride). The phrase matcher cannot say it: 'one' and 'the' are its fillers."""
    return (
        len(words) >= 3
        and words[0] in ("on", "to", "over", "off")
        and (words[1:3] == ["one", "side"] or words[1:4] == ["the", "same", "side"])
    )


# the person's own body, where a resting hand or arm does nothing with any object
_OWN_BODY = frozenset({"hip", "hips", "knee", "knees", "lap", "pocket", "pockets", "waist", "thigh", "thighs",
                       "chest", "belly", "stomach", "sides"})  # fmt: skip


_EYES = frozenset({"eyes", "gaze"})
_BEHIND_BODY = [[owner, part] for owner in ("his", "her", "their") for part in ("back", "head", "neck")]
_EYE_SKIP = frozenset({"fixed", "locked", "glued", "trained", "focused", "intently", "firmly", "turned", "set",
                       "kept", "straight", "squarely", "directly"})  # fmt: skip


def _eyes_on(pred: list[str], k: int, negated: bool) -> tuple[frozenset[str], frozenset[str] | None, bool] | None:
    """'his eyes on the ball', 'her gaze fixed on the screen': the head looks at what follows."""
    while k < len(pred) and pred[k] in _EYE_SKIP:
        k += 1
    if k >= len(pred) or pred[k] not in ("on", "to", "at", "toward", "towards", "upon"):
        return None
    objects = object_after(pred, k + 1, allow_prep=False)
    if objects is None and not part_object(pred[k + 1 :]):
        objects = frozenset()  # "eyes on the window": somewhere else
    return frozenset({"inspect"}), objects, negated


def beside_thing(pred: list[str]) -> frozenset[str] | None:
    """'(rests flat on the table) beside the bottle', 'next to the laptop': the object the part is placed by.

    Read after a contact with something else: the part is by that object, not on it.
    """
    for i in range(1, min(len(pred) - 1, 8)):
        w = pred[i]
        k = i + 2 if w == "next" and pred[i + 1] == "to" else i + 1 if w in _BY else 0
        if k:
            objects = object_after(pred, k, allow_prep=False)
            return objects or None
    return None


_BY = frozenset({"beside", "alongside", "near"})


def rather_than(pred: list[str]) -> frozenset[str] | None:
    """'... rather than on the page', 'instead of the ball': the object the same predicate is denied of."""
    for i in range(len(pred) - 2):
        if pred[i : i + 2] in (["rather", "than"], ["instead", "of"]):
            k = i + 2
            while k < len(pred) and (pred[k] in CONTACT_PREPS or pred[k] in ("at", "to", "toward", "towards")):
                k += 1
            objects = object_after(pred, k, allow_prep=False)
            if objects or part_object(pred[k:]):
                return objects or None
    return None


_SUPPORT = frozenset({"stand on", "tread on"})
# after a support verb, the ground by any of these: "rests on the ground", "pushes against / along the road"
_GROUND_PREPS = frozenset({"on", "upon", "against", "along", "into"})
GROUND = frozenset({"ground", "pavement", "sidewalk", "road", "street", "tarmac", "asphalt", "grass",
                     "dirt", "gravel", "concrete", "pier", "dock", "curb", "kerb", "floorboards"})  # fmt: skip


def on_ground(claim: StateClaim, pred: list[str], end: int | None) -> StateClaim:
    """'feet resting on the ground': a foot that stands on the ground does not stand on the object."""
    if claim.part.group != "foot" or claim.objects != frozenset() or not claim.states <= _SUPPORT:
        return claim
    if end is None:  # a contact read from its preposition ("feet on the floor"; the ground is contact_state's)
        k = 0
        while k < len(pred) and pred[k] in _SKIP:
            k += 1
        return _on_floor(claim, pred, k)
    k = end - 1 if end > 0 and pred[end - 1] in ("on", "upon") else end
    while k < len(pred) and pred[k] in _SKIP:
        k += 1
    direct = k == end and k > 0 and pred[k - 1] not in ("on", "upon") and _ground(pred[k : k + 3])
    if direct or (k < len(pred) and pred[k] in _GROUND_PREPS and _ground(pred[k + 1 : k + 4])):
        return replace(claim, states=_SUPPORT, objects=None, negated=not claim.negated)  # "touches the ground"
    return _on_floor(claim, pred, k)


def _on_floor(claim: StateClaim, pred: list[str], k: int) -> StateClaim:
    """'feet on the floor': not on the couch; a vehicle's floor may be the object's own (``implicit``)."""
    if k < len(pred) and pred[k] in ("on", "upon") and _floor(pred[k + 1 : k + 4]):
        return replace(claim, states=_SUPPORT, objects=None, negated=not claim.negated, implicit=_floorless())
    return claim


def ground_seat(after: list[str]) -> frozenset[str] | None:
    """'(sits) on the floor', 'on the grass': the kinds of object the person is then not on (None: no ground).

    The ground is none of the objects; a room's floor is none but a vehicle's own (one sits on a bus floor).
    """
    k = 1 if after[:1] in (["on"], ["upon"], ["in"]) else 0  # the verb's phrase may hold the preposition
    if _ground(after[k : k + 3]):
        return frozenset(phrases.supercategory_table())
    return _floorless() if _floor(after[k : k + 3]) else None


def _floor(words: list[str]) -> bool:
    """'the floor', 'the wooden floor' (not 'the floor of the bus'): the room's floor."""
    k = 1 if words[:1] in (["the"], ["a"]) else 0
    k += 1 if words[k : k + 1] in (["wooden"], ["tiled"], ["kitchen"], ["bare"], ["carpeted"]) else 0
    return words[k : k + 1] == ["floor"] and words[k + 1 : k + 2] != ["of"]


@cache
def _floorless() -> frozenset[str]:
    """The objects one does not stand inside: of these, feet on the floor are not on the object."""
    return frozenset(c for c, kind in phrases.supercategory_table().items() if kind != "vehicle")


def _ground(words: list[str]) -> bool:
    """'the ground', 'the wet pavement': the surface the person stands on when not on the object."""
    words = [w for w in words if w not in ("the", "a", "wet", "dry", "bare", "solid", "firm")]
    return bool(words) and words[0] in GROUND


def _own_body(words: list[str]) -> bool:
    """'his hips', 'her lap': a possessive (or none) and a body noun of the person's own."""
    if words[:1] and words[0] in ("his", "her", "their"):
        words = words[1:]
        if words[1:2] in (["pocket"], ["pockets"]) and words[0] in _GARMENTS:
            words = words[1:]  # "in his jacket pockets", "her coat pocket"
    return bool(words) and words[0] in _OWN_BODY and words[1:2] not in (["height"], ["level"])


_GARMENTS = frozenset({"jacket", "coat", "trouser", "pants", "jeans", "hoodie", "apron", "shorts", "back", "front",
                       "side", "vest", "sweater", "hip", "chest"})  # fmt: skip


def aimed_gesture(group: str, verb: str, pred: list[str]) -> list[str] | None:
    """A verb right before the hands it moves, with its target after them: the words that say so.

    A gesture verb ('waves both hands at the screen') keeps its own word; a verb that lifts or points the
    hands at a target ('raises both hands toward the screen', 'points both hands at it', 'holds both hands
    up toward the TV') gestures to it. None when no target follows.
    """
    if group != "hand":
        return None
    states = state_words()["hand"].get(verb)
    if states and all(cluster("hand", s) == "gesture" for s in states) and pred[:1] in _AT:
        return [verb]
    k = 1 if pred[:1] in (["up"], ["out"], ["forward"]) else 0
    return ["gestures"] if verb in AIMING and pred[k : k + 1] in _AT else None


_AT = (["at"], ["to"], ["toward"], ["towards"])
# verbs that move the hands toward a target without naming a gesture
AIMING = frozenset({"raise", "raises", "raised", "raising", "lift", "lifts", "lifted", "lifting", "extend",
                     "extends", "extended", "extending", "stretch", "stretches", "stretched", "stretching", "point",
                     "points", "pointed", "pointing", "hold", "holds", "held", "holding", "thrust", "thrusts",
                     "thrusting", "put", "puts", "putting", "throw", "throws", "threw", "throwing", "stick",
                     "sticks", "sticking", "stuck", "reach", "reaches", "reached", "reaching"})  # fmt: skip


def bare_object(group: str, pred: list[str]) -> frozenset[str] | None:
    """'Left hand: the phone', 'Feet: the pedals': a hand or foot followed by nothing but an object's noun phrase."""
    if group not in ("hand", "foot") or not 0 < len(pred) <= 4 or phrases.find(pred, phrases.verb_index()):
        return None
    k = 0
    while k < len(pred) and pred[k] in _BARE_SKIP:
        k += 1
    rest = " ".join(pred[k:])  # nothing but the name after determiners and a colour ("Left hand: her phone")
    if not rest or (object_re().fullmatch(rest) is None and rest not in phrases.OBJECT_PARTS):
        return None
    return object_after(pred, 0, allow_prep=False) or None


_BARE_SKIP = frozenset({"the", "a", "an", "his", "her", "their", "its", "small", "big", "red", "black", "white"})
