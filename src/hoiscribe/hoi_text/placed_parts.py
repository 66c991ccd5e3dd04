"""A thing placed on a body part: 'propped the book on his knees', 'a bird perched on his shoulder'.

Why its own module: the clause reader (:mod:`hoiscribe.hoi_text.claims`) cuts a clause at each part
it names as a subject, and the knee and shoulder are no HAKE part words at all, so neither the
person's verbs nor the parts' predicates see that the object rests on the part. This reads the
whole clause: a placing verb, the pair's object (or 'it') before or after it, then 'on (top of)
his/her [left|right] <part>'. The claim is that some part of the group touches the object, in any
state HAKE has for the group: it is false only where HAKE has that part do nothing with it.
"""

from __future__ import annotations

from functools import cache

from hoiscribe.hoi_text import phrases
from hoiscribe.hoi_text.claim_types import PartRef, StateClaim
from hoiscribe.hoi_text.claim_words import object_surfaces
from hoiscribe.hoi_text.clause_objects import object_after, part_object

# body words -> the HAKE group they belong to ("on his knees": the legs; "on her shoulder": the arm)
_PART_WORDS = {"foot": "foot", "feet": "foot", "knee": "leg", "knees": "leg", "thigh": "leg", "thighs": "leg",
               "leg": "leg", "legs": "leg", "shoulder": "arm", "shoulders": "arm"}  # fmt: skip
_PLURAL = frozenset({"feet", "knees", "thighs", "legs", "shoulders"})
# parts that do something to an object after 'with': "pinning it down with his knee", "nudging it with her hip"
_TOOL_PARTS = {"knee": "leg", "knees": "leg", "foot": "foot", "feet": "foot", "hip": "hip", "hips": "hip",
               "shoulder": "arm"}  # fmt: skip
_CLAUSE_END = frozenset({"while", "and", "as", "to", "so", "but", "because", "when", "until", "then"})
_PLACING = frozenset({"prop", "props", "propped", "propping", "balance", "balances", "balanced", "balancing",
                      "rest", "rests", "rested", "resting", "perch", "perches", "perched", "perching", "lay",
                      "lays", "laid", "laying", "set", "sets", "setting", "place", "places", "placed", "placing",
                      "lie", "lies", "lying", "sit", "sits", "sitting", "sat"})  # fmt: skip
_OWNERS = frozenset({"his", "her", "their"})
_SIDED = (["left"], ["right"])
_PRONOUNS = frozenset({"it", "them"})


@cache
def any_contact(group: str) -> frozenset[str]:
    """Every HAKE state of the group but no_interaction: the claim is contact of any kind."""
    keys = phrases.state_table()["states"]
    return frozenset(k.split(":", 1)[1] for k in keys if k.startswith(group + ":")) - {"no_interaction"}


def _part_after_on(tokens: list[str], i: int, words: dict[str, str] = _PART_WORDS) -> tuple[PartRef, int] | None:
    """'on (top of) his [left] knee' from ``tokens[i] == 'on'``: the part and the index after it."""
    j = i + 1
    if tokens[j : j + 2] == ["top", "of"] and words is _PART_WORDS:
        j += 2
    if tokens[j : j + 1] == [] or not (
        tokens[j] in _OWNERS or (tokens[j] == "the" and tokens[j + 1 : j + 2] in _SIDED)
    ):
        return None  # "on his knee", "on top of the right foot"
    j += 1
    side = tokens[j] if tokens[j : j + 1] and tokens[j] in ("left", "right") else None
    j += side is not None
    word = tokens[j] if j < len(tokens) else ""
    group = words.get(word)
    if group is None:
        return None
    if group == "hip":
        return PartRef(group, (None,), "single", word, "subject", i, j + 1), j + 1
    return _ref(group, word, side, i, j + 1), j + 1


def _ref(group: str, word: str, side: str | None, start: int, end: int) -> PartRef:
    """The part a body word names: its one side, both sides for a plural ('knees'), else either side."""
    if side is not None:
        return PartRef(group, (side,), "single", word, "subject", start, end)
    if word in _PLURAL:
        return PartRef(group, ("left", "right"), "both", word, "subject", start, end)
    return PartRef(group, (None,), "either", word, "subject", start, end)


def _placed_thing(tokens: list[str], p: int, on: int) -> tuple[bool, frozenset[str] | None]:
    """(found, objects) of what the placing verb at ``p`` puts on the part: named after the verb ('propped
    the book on'), or before it ('a bird perched on'); objects None for 'it' / 'them' (the pair's object)."""
    between = tokens[p + 1 : on]
    if between:
        if between[0] in _PRONOUNS and len(between) == 1:
            return True, None
        found = object_after(between, 0, allow_prep=False)
        return (True, found) if found else (False, None)
    if p > 0 and tokens[p - 1] in _PRONOUNS:
        return True, None
    if p > 0 and tokens[p - 1] in object_surfaces():
        found = object_after(tokens[max(0, p - 3) : p], 0, allow_prep=False)
        return (True, found) if found else (False, None)
    return False, None


def placed_on_part(sentence: str, tokens: list[str]) -> list[StateClaim]:
    """'he has propped the book on his knees', 'balancing it on top of his right foot': the object touches
    the part. Not 'rests his hand on his knee' (no object) nor a denied placing."""
    out: list[StateClaim] = []
    for i, tok in enumerate(tokens):
        if tok != "on" or i == 0:
            continue
        part = _part_after_on(tokens, i)
        if part is None or (part[0].group == "arm" and part[0].mode != "either"):
            continue  # "props the bat on his right shoulder", "on his shoulders": the shoulder rule's (body_claims)
        p = next((k for k in range(i - 1, max(-1, i - 7), -1) if tokens[k] in _PLACING), None)
        if p is None or phrases.negated_at(tokens, p):
            continue
        if part[0].group == "leg" and p + 1 == i:
            continue  # "the book balanced on his knees": the lap rule's (body_claims.object_on_lap)
        found, objects = _placed_thing(tokens, p, i)
        if found and (objects is None or "person" not in objects):
            out.append(StateClaim(sentence, part[0], any_contact(part[0].group), objects))
    return out


def acted_with_part(sentence: str, tokens: list[str]) -> list[StateClaim]:
    """'pinning it down with his knee', 'nudges the fridge door open with her hip': a verb acts on the object
    (named right after it, or 'it') with a knee, foot, hip or shoulder, which so touches it."""
    out: list[StateClaim] = []
    for i, tok in enumerate(tokens):
        if tok != "with" or i < 2:
            continue
        part = _part_after_on(tokens, i, _TOOL_PARTS)
        if part is None or (part[1] < len(tokens) and tokens[part[1]] not in _CLAUSE_END):
            continue  # "with his knee brace": the part word modifies a noun
        v = next((k for k in range(i - 2, max(-1, i - 8), -1) if _verb_word(tokens[k])), None)
        if v is None or phrases.negated_at(tokens, v):
            continue
        between = tokens[v + 1 : i]
        while between and between[-1] in _PARTICLES:
            between = between[:-1]  # "pinning it down", "nudging the door open"
        if between == ["it"] or between == ["them"]:
            out.append(StateClaim(sentence, part[0], any_contact(part[0].group), None))
        elif between and (objects := object_after(between, 0, allow_prep=False)) and "person" not in objects:
            out.append(StateClaim(sentence, part[0], any_contact(part[0].group), objects))
    return out


_PARTICLES = frozenset({"down", "up", "open", "shut", "closed", "back", "away", "in", "out", "off", "still",
                        "steady", "flat", "tight", "along", "forward", "aside", "over"})  # fmt: skip


def _verb_word(word: str) -> bool:
    """A word that opens a HICO verb phrase or a hand or foot state phrase ('pinning', 'nudges', 'kicks')."""
    return (
        word in phrases.verb_index() or word in phrases.state_index("hand") or word in phrases.state_index("foot")
    ) and word not in object_surfaces()


_PRESSING = frozenset({"pushed", "pressed", "braced", "propped", "jammed", "wedged", "resting", "rests", "rest",
                       "leaning", "leans", "lean", "planted", "pressing", "pushing", "presses", "pushes"})  # fmt: skip
_PRESS_FILLERS = frozenset({"is", "are", "firmly", "hard", "up", "lightly", "gently"})


def part_pressed_against(sentence: str, tokens: list[str]) -> list[StateClaim]:
    """'he has his right knee pushed against the lower door', 'her shoulder leaning on the bike': a knee,
    thigh or shoulder (no HAKE part word) pressed against the object touches it."""
    out: list[StateClaim] = []
    for i, tok in enumerate(tokens):
        group = _PART_WORDS.get(tok)
        if group in (None, "foot") or i == 0:
            continue
        side = tokens[i - 1] if tokens[i - 1] in ("left", "right") else None
        owner = i - 1 - (side is not None)
        if owner < 0 or tokens[owner] not in _OWNERS or phrases.negated_at(tokens, owner):
            continue
        j, pressed = i + 1, False
        while j < len(tokens) and j < i + 4 and (tokens[j] in _PRESSING or tokens[j] in _PRESS_FILLERS):
            pressed = pressed or tokens[j] in _PRESSING
            j += 1
        if not pressed or j >= len(tokens) or tokens[j] not in ("against", "on", "into"):
            continue
        after = tokens[j + 1 :]
        objects = object_after(after, 0, allow_prep=False)
        if objects is None and not (part_object(after) or _part_word_next(after)):
            continue
        if objects is not None and (not objects or "person" in objects):
            continue
        out.append(StateClaim(sentence, _ref(group, tok, side, owner, i + 1), any_contact(group), objects))
    return out


_PART_PLACES = frozenset({"lower", "upper", "front", "back", "rear", "left", "right", "top", "bottom", "open"})


def _part_word_next(after: list[str]) -> bool:
    """'the lower door', 'its front wheel': a part of the object after one word of place."""
    words = [w for w in after[:3] if w not in ("the", "its")]
    return len(words) > 1 and words[0] in _PART_PLACES and words[1] in phrases.OBJECT_PARTS


def tucked_into(pred: list[str], end: int) -> frozenset[str] | None:
    """'hand tucked into the glove': an idle phrase (tucked, slipped) followed by 'into' / 'inside' an object
    puts the part in that object; None for 'tucked into his pocket' (no object) and anything else."""
    if pred[end : end + 1] not in (["into"], ["inside"]):
        return None
    inside = object_after(pred, end + 1, allow_prep=False)
    return inside if inside and "person" not in inside else None


_MOVING = frozenset({"switch", "switches", "switched", "switching", "pass", "passes", "passed", "passing", "move",
                     "moves", "moved", "moving", "shift", "shifts", "shifted", "shifting", "transfer", "transfers",
                     "transferred", "transferring", "swap", "swaps", "swapped", "swapping"})  # fmt: skip


def moved_to_hand(sentence: str, tokens: list[str]) -> list[StateClaim]:
    """'switches the umbrella to his left hand', 'has moved it into her right hand': that hand now holds it."""
    out: list[StateClaim] = []
    for v, tok in enumerate(tokens):
        if tok not in _MOVING or phrases.negated_at(tokens, v):
            continue
        k = next((k for k in range(v + 1, min(len(tokens), v + 7)) if tokens[k] in ("to", "into")), None)
        if k is None or tokens[k + 1 : k + 2] not in (["his"], ["her"], ["their"]):
            continue
        side = tokens[k + 2] if tokens[k + 2 : k + 3] in (["left"], ["right"]) else None
        if side is None or tokens[k + 3 : k + 4] != ["hand"]:
            continue
        between = tokens[v + 1 : k]
        objects = None if between in (["it"], ["them"]) else object_after(between, 0, allow_prep=False)
        if objects is None and between not in (["it"], ["them"]):
            continue
        if objects is None or (objects and "person" not in objects):
            out.append(StateClaim(sentence, _ref("hand", "hand", side, k, k + 4), frozenset({"hold"}), objects))
    return out
