"""The object at a place of the body: 'hanging around his neck', 'hooked over her arm', 'between his knees'.

Why its own module: the clause reader cuts a clause at each part word it names as a subject, and most of
these places (neck, chin, mouth, back, elbow, the crook of the arm) are no HAKE part words, or are named as
the place of a thing, not as a subject. This reads the whole clause: the pair's object (or 'it') named
before a preposition of place, then 'his/her/their [left|right] <body word>'. The claim is that a part of
the group the place belongs to touches the object, in any state HAKE has for the group: it is false only
where HAKE has that part do nothing with it (no label of the person lists it).
"""

from __future__ import annotations

from hoiscribe.hoi_text import phrases
from hoiscribe.hoi_text.claim_types import PartRef, StateClaim
from hoiscribe.hoi_text.claim_words import PART_WORDS, object_surfaces
from hoiscribe.hoi_text.placed_parts import any_contact

# body word -> (HAKE group, plural, the prepositions that put a thing there)
_PLACES: dict[str, tuple[str, bool, frozenset[str]]] = {
    "neck": ("head", False, frozenset({"around", "round", "from", "on"})),
    "chin": ("head", False, frozenset({"under", "against", "beneath"})),
    "mouth": ("head", False, frozenset({"in", "between", "to"})),
    "ear": ("head", False, frozenset({"to", "against", "at"})),
    "head": ("head", False, frozenset({"on", "atop"})),
    "chest": ("arm", False, frozenset({"across"})),  # a strap across the chest: over one shoulder
    "waist": ("hip", False, frozenset({"around", "round"})),
    "wrist": ("hand", False, frozenset({"from", "around", "on", "over"})),
    "cheek": ("head", False, frozenset({"to", "against"})),
    "face": ("head", False, frozenset({"to", "against"})),
    "lips": ("head", False, frozenset({"to", "between"})),
    "teeth": ("head", False, frozenset({"in", "between"})),
    "forearm": ("arm", False, frozenset({"over", "on", "across", "from", "around"})),
    "forearms": ("arm", True, frozenset({"over", "on", "across"})),
    "elbow": ("arm", False, frozenset({"over", "on", "from", "in", "against"})),
    "arm": ("arm", False, frozenset({"over", "on", "across", "from", "around"})),
    "arms": ("arm", True, frozenset({"in", "across", "over"})),
    "back": ("arm", True, frozenset({"on", "across"})),
    "hip": ("hip", False, frozenset({"on", "against"})),
    "knees": ("leg", True, frozenset({"between", "across"})),
    "thighs": ("leg", True, frozenset({"between", "across"})),
    "legs": ("leg", True, frozenset({"between"})),
    "feet": ("foot", True, frozenset({"between"})),
    "hands": ("hand", True, frozenset({"between"})),
}
_PREPS = frozenset(p for _, _, preps in _PLACES.values() for p in preps)
_WORDS = frozenset(_PLACES)
_OWNERS = frozenset({"his", "her", "their"})
_POSTURES = frozenset({"sit", "sits", "sat", "sitting", "kneel", "kneels", "kneeling", "knelt", "lie", "lies",
                       "lying", "lay", "stand", "stands", "standing", "stood", "squat", "squats", "squatting",
                       "crouch", "crouches", "crouching", "rest", "rests", "resting", "leans", "leaning",
                       "lean"})  # fmt: skip
_OF_PLACE = (["crook", "of"], ["small", "of"])  # "in the crook of his arm", "on the small of her back"


def object_at_body(sentence: str, tokens: list[str]) -> list[StateClaim]:
    """'the umbrella hooked over his arm', 'a keyboard hanging from a strap around his neck', 'between his knees'."""
    if _WORDS.isdisjoint(tokens) or _OWNERS.isdisjoint(tokens):
        return []  # no body place named (the common case)
    out: list[StateClaim] = []
    for i, tok in enumerate(tokens):
        if tok not in _PREPS:
            continue
        place = _place_after(tokens, i + 1)
        if place is None:
            continue
        word, side = place
        group, plural, preps = _PLACES[word]
        if tok not in preps:
            continue
        found = _thing_before(tokens, i)
        if found is None:
            continue
        objects, at = found
        negated = phrases.negated_at(tokens, i) or any(t in ("not", "no", "never") for t in tokens[at:i])
        out.append(StateClaim(sentence, _ref(group, word, side, plural), any_contact(group), objects, negated))
    return out


def _place_after(tokens: list[str], j: int) -> tuple[str, str | None] | None:
    """'his left forearm', 'the crook of her arm' from ``tokens[j]``: (body word, side)."""
    if tokens[j : j + 1] == ["the"] and tokens[j + 1 : j + 3] in _OF_PLACE:
        j += 3
    if tokens[j : j + 1] == [] or tokens[j] not in _OWNERS:
        return None
    j += 1
    side = tokens[j] if tokens[j : j + 1] in (["left"], ["right"]) else None
    j += side is not None
    word = tokens[j] if j < len(tokens) else ""
    if word not in _PLACES or tokens[j + 1 : j + 2] in (["pocket"], ["pockets"], ["bag"], ["brace"]):
        return None  # "her back pocket", "his arm brace": a thing at the place, not the place
    return word, side


def _thing_before(tokens: list[str], i: int) -> tuple[frozenset[str] | None, int] | None:
    """The pair's object named (or 'it') before the preposition at ``i``, as the thing put there: (objects,
    index after it); None when a part word or a posture verb comes between ('his hands in his lap', 'he
    sits on her lap') or no thing is named."""
    surfaces = object_surfaces()
    for k in range(i - 1, max(-1, i - 9), -1):
        w = tokens[k]
        if w in PART_WORDS or w in _POSTURES or w in ("he", "she", "they", "who"):
            return None
        if w in ("it", "them"):
            return None, k + 1
        if w in surfaces:
            cats = surfaces[w]
            if "person" in cats:
                return None  # "a baby on her hip": a person is no object here
            return frozenset(cats), k + 1  # the last name read back is the head noun ("the baseball bat")
    return None


def _ref(group: str, word: str, side: str | None, plural: bool) -> PartRef:
    """The part a place names: one side, both sides for a plural place ('between his knees'), else either."""
    if group in ("head", "hip"):
        return PartRef(group, (None,), "single", word, "subject", 0, 0)
    if side is not None:
        return PartRef(group, (side,), "single", word, "subject", 0, 0)
    if plural:
        return PartRef(group, ("left", "right"), "both", word, "subject", 0, 0)
    return PartRef(group, (None,), "either", word, "subject", 0, 0)
