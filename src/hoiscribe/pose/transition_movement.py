"""What movement a clause claims, from its verbs first, then particles and state words.

``movement`` resolves the kind of change (height, bend, lean, turn, gap, straighten, squat) and
its direction from the words ``transition_clause`` found; ``keep_state`` says what a keep holds
("straight" -> the bend stays less). Separate from reading parts and cues, so the rules that
map words to measures live in one place.
"""

from __future__ import annotations

from hoiscribe.pose import transition_words as tw

_NOT_A_TURN = frozenset({"up", "down", "back", "backward", "backwards", "upward", "downward", "around", "round"})
LIMBS = frozenset({"arm", "elbow", "hand", "leg", "knee", "foot"})
_OUTWARD = frozenset({"out", "outward", "outwards", "forward", "forwards", "front", "sideways", "side", "sides"})


def movement(
    words: list[str],
    actions: list[tuple[int, str]],
    states: list[tuple[str, str]],
    limbs: set[str],
    groups: set[str],
    frame: str | None,
    side_dir: str | None,
    side_place: bool,
    ws: set[str],
) -> tuple[str | None, str | None]:
    """(kind, direction) a clause claims, from its verbs first, then particles and state words."""
    kinds = [tw.VERBS[b] for _, b in actions if b in tw.VERBS]
    verb_kinds = {k for k, _ in kinds}
    state_dirs = {k: d for k, d in reversed(states)}
    fb = state_dirs.get("dir")
    upright = "straighten" in state_dirs
    if verb_kinds <= {"move"} and side_dir and len(groups) == 1 and groups <= {"head", "torso"}:
        return ("turn" if "head" in groups else "lean"), side_dir  # terse: "head left", "torso to right side"
    if "turn" in verb_kinds:
        if groups - {"head"}:
            return None, None
        if not side_dir and ws & {"ahead", "forward", "front", "forwards", "straight"}:
            return "keep_head", None  # "look straight ahead", "face forward": no turn
        if (
            not side_dir
            and "head" in groups
            and ws.isdisjoint(_NOT_A_TURN)
            and any(b in ("turn", "rotate", "twist", "swivel") for _, b in actions)
        ):
            return "move", None  # "turn your head": some turn, which way unsaid
        return ("turn", side_dir) if side_dir else (None, None)
    torso_only = not limbs and ("torso" in groups or not groups)
    if "lean" in verb_kinds:
        if "head" in groups and "torso" not in groups:  # "tilt your head to the right": the head's turn measure
            return ("turn", side_dir) if side_dir and not groups - {"head"} else (None, None)
        if upright:
            return "straighten", "upright"
        if side_dir or fb:
            return "lean", side_dir or fb
        return ("move", None) if groups <= {"torso"} and ws.isdisjoint(_NOT_A_TURN) else (None, None)  # "also leans"
    if "bend" in verb_kinds and torso_only:
        verb_dir = next(d for k, d in kinds if k == "bend")
        if all(b in ("stretch", "extend") for _, b in actions if tw.VERBS.get(b, ("",))[0] == "bend"):
            if side_dir or fb:  # "stretch your upper body to the right": a side stretch is a lean
                return "lean", side_dir or fb
            if not ("up" in ws or upright):
                return None, None  # "stretching the waist": no straightening claimed
        if verb_dir == "less" and ("torso" in groups or "up" in ws or upright):
            return "straighten", "upright"
        if verb_dir == "more" and (side_dir or fb or "over" in ws or "waist" in ws or "hips" in ws):
            return "lean", side_dir or fb or "forward"
        return None, None
    if (
        torso_only
        and (upright or ws & {"straight", "straighter"})
        and (not verb_kinds or verb_kinds <= {"move", "height"})
    ):
        return "straighten", "upright"
    if "torso" in groups and not limbs and "move" in verb_kinds and (side_dir or fb):
        return "lean", side_dir or fb  # "shift your upper body over to your left"
    if "squat" in verb_kinds:
        return "squat", "more"
    if "angle" in ws and limbs & {"elbow", "knee", "arm", "leg"} and (angle := _angle_change(ws)) is not None:
        return "bend", angle  # "the angle at the right elbow gets smaller": it bends more
    joints = limbs & {"elbow", "knee"}
    if joints and not limbs - joints and any(b in ("open", "close") for _, b in actions):
        return "bend", "less" if any(b == "open" for _, b in actions) else "more"  # "open the elbow": unbend it
    relative = _relative_gap(words, groups) if verb_kinds <= {"move"} else None
    if relative is not None:
        return "gap", relative  # "move the left foot toward the right one", "the hands move away from each other"
    if "gap" in verb_kinds or "gap" in state_dirs:
        d = next((d for k, d in kinds if k == "gap"), None) or state_dirs.get("gap")
        c = words.index("closer") if "closer" in ws else -1
        if c >= 0 and words[c + 1 : c + 2] == ["to"] and not {"each", "one"} & set(words[c + 2 : c + 4]):
            d = None  # "closer to your chest": not closer to each other
        if d is not None and (groups & {"arm", "hand", "leg", "foot"}):
            return "gap", d
        if "gap" in verb_kinds:
            return None, None
    if not limbs:
        return None, None
    if "bend" in verb_kinds:
        verb_dir = next(d for k, d in kinds if k == "bend")
        if limbs & {"leg"} and any(words[i : i + 2] == ["at", "the"] and words[i + 2 : i + 3] in (["hip"], ["hips"])
                                   for i in range(len(words))):  # fmt: skip
            return None, None  # "the leg bends at the hip": not the knee
        stretch = any(b in ("stretch", "extend") for _, b in actions)
        if stretch and ("height" in state_dirs or ws & _OUTWARD):
            h = state_dirs.get("height")
            return ("height", h) if h == "up" else (None, None)
        if verb_dir == "more" and "less" in ws:
            verb_dir = "less"
        if any(b == "tuck" for _, b in actions) and not limbs & {"leg", "knee"}:
            return None, None
        return "bend", verb_dir
    if "height" in verb_kinds:
        return "height", next(d for k, d in kinds if k == "height")
    if "height" in state_dirs:
        ups = {d for k, d in states if k == "height"}
        return ("height", ups.pop()) if len(ups) == 1 else (None, None)
    if verb_kinds <= {"move"} and (outward := out_or_in(words, limbs)) is not None:
        return "height", outward  # "swing your leg out", "the right leg comes back in"
    if "bend" in state_dirs and (verb_kinds or ws & {"more", "less", "now", "straighter"}):  # "knee straighter"
        return "bend", state_dirs["bend"]
    if "move" in verb_kinds and side_place and limbs & {"arm", "hand"}:
        return "height", "down"
    if any(b == "kick" for _, b in actions):
        return "height", "up"
    return None, None


_OUT = frozenset({"out", "outward", "outwards", "sideways", "sidewards", "wide", "outside"})
_IN = frozenset({"inward", "inwards", "inside"})
_IN_AFTER = frozenset({"", "toward", "towards", "to", "again", "close", "closer", "next", "against", "beside", "under"})


def _angle_change(ws: set[str]) -> str | None:
    """A joint's angle growing (less bent) or shrinking (more bent)."""
    if ws & {"bigger", "larger", "greater", "wider", "opens", "increases", "grows"}:
        return "less"
    if ws & {"smaller", "tighter", "narrower", "sharper", "closes", "decreases", "shrinks", "narrows"}:
        return "more"
    return None


def out_or_in(words: list[str], limbs: set[str]) -> str | None:
    """'out' / 'sideways' (away from the body: the limb rises in a front view) -> up; 'in' / 'inward' -> down.

    A leg moved 'to the side' goes out too; an arm brought 'to your side' comes down (``side_place``).
    'in front of', 'out of' and 'in the target pose' are places, not directions."""
    if not limbs & {"arm", "hand", "leg", "foot"}:
        return None
    n = len(words)
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < n else ""
        if w in _OUT and nxt != "of":
            return "up"
        if (w in _IN or (w == "in" and nxt in _IN_AFTER)) and (limbs & {"leg", "foot"} or words[i - 1 : i] == ["back"]):
            return "down"  # a leg comes in; an arm only "back in" (a hand "in toward the chest" may rise)
        if w in ("side", "sides") and words[max(0, i - 2) : i] == ["to", "the"] and limbs & {"leg", "foot"}:
            return "up"
        if (
            w in ("midline", "middle", "center", "centre")
            and (limbs & {"leg", "foot"} or "back" in words[:i])
            and words[max(0, i - 2) : i - 1]
            in (
                ["toward"],
                ["towards"],
                ["to"],
                ["across"],
            )
        ):
            return "down"  # "toward the midline": back in
    return None


_PAIRED = {"hand": "hand", "arm": "hand", "foot": "foot", "leg": "foot"}


def _relative_gap(words: list[str], groups: set[str]) -> str | None:
    """'toward(s)' / 'away from' the other hand or foot, or each other: the gap closes / opens."""
    mine = {_PAIRED[g] for g in groups if g in _PAIRED}
    if len(mine) != 1:
        return None
    for i, w in enumerate(words):
        if w in ("toward", "towards"):
            d, k = "closer", i + 1
        elif w == "away" and words[i + 1 : i + 2] == ["from"]:
            d, k = "apart", i + 2
        else:
            continue
        after = words[k : k + 4]
        if after[:2] in (["each", "other"], ["one", "another"]) or "other" in after:
            return d
        if set(after) & {"left", "right"} and any(_PAIRED.get(tw.PARTS.get(x, ("",))[0]) in mine for x in after):
            return d  # "toward the right one / hand"; "toward the upper arm" is the same limb
    return None


def keep_state(
    states: list[tuple[str, str]], side_place: bool, limbs: set[str], ground: bool, same: bool = False
) -> str | None:
    """What a keep clause holds: a state word's direction ('straight' -> less), or None: no change at all."""
    for k, d in states:
        if k == "gap" and same:
            return "gap:same"  # "the feet stay the same distance apart"
        if k in ("height", "bend", "gap") or k == "straighten":
            return f"{k}:{d}"
    if side_place and limbs & {"arm", "hand"}:
        return "height:down"
    if ground and limbs & {"leg", "foot"}:
        return "height:down"
    return None


# where a raised hand ends (magnitude): above the head, above / at / below the shoulder, below the head
_LEVEL_FLIP = {"above_head": "below_head", "below_head": "above_head", "above_shoulder": "below_shoulder",
               "below_shoulder": "above_shoulder", "shoulder": "below_shoulder", "head": "below_head"}  # fmt: skip
_ABOVE = frozenset({"above", "over", "past", "beyond", "higher"})
_BELOW = frozenset({"below", "under", "beneath", "underneath", "lower", "short"})
_AT = frozenset({"to", "at", "until", "reach", "reaches", "reaching", "reached", "near", "around", "about", "level"})
_FILLER = frozenset({"the", "your", "his", "her", "their", "its", "my", "than", "of", "with", "left", "right", "own",
                     "top"})  # "on top of your head"  # fmt: skip


def level_of(words: list[str]) -> tuple[str | None, bool, bool]:
    """Where a clause puts the hand: ``above_head``, ``below_head``, ``above_shoulder``, ``below_shoulder`` or
    ``shoulder`` (at shoulder height, horizontal); whether a negator before it was spent on it ("not above
    your head" is below it); whether its 'than' is this landmark's ("higher than your shoulder").

    A level after 'from' is where the hand starts, not a claim about the target."""
    if _LEVEL_WORDS.isdisjoint(words):
        return None, False, False
    for i in range(len(words)):
        found = _landmark_level(words, i)
        if found is None:
            continue
        level, k = found
        if k > 0 and words[k - 1] == "from":
            continue  # "lower it from overhead": the start
        neg = any(words[j] in _NEGATORS for j in range(max(0, k - 3), k))
        if not neg and level in _NEARLY_REACHED and _NEARLY.intersection(words[max(0, k - 2) : k]):
            level = _NEARLY_REACHED[level]  # "almost above the head", "nearly overhead": close to it, not past it
        return (_LEVEL_FLIP[level] if neg else level), neg, "than" in words[k:i]
    if any(words[j : j + 4] == ["all", "the", "way", "up"] for j in range(len(words))):
        return "above_head", False, False  # "all the way up": the arm points up past the head
    return None, False, False


def _landmark_level(words: list[str], i: int) -> tuple[str, int] | None:
    """The level named at word ``i`` and where its phrase starts, or None."""
    w = words[i]
    if w == "overhead":
        return "above_head", i
    if w in ("horizontal", "horizontally") or (w == "parallel" and {"floor", "ground"} & set(words[i + 1 : i + 4])):
        return "shoulder", i  # "parallel to the floor": a level arm
    if w not in ("shoulder", "shoulders", "head"):
        return None
    k = i - 1
    while k >= 0 and words[k] in _FILLER:
        k -= 1
    prep = words[k] if k >= 0 else ""
    landmark = "head" if w == "head" else "shoulder"
    measure_word = words[i + 1 : i + 2] in (["height"], ["level"], ["high"])
    if prep in _ABOVE and (prep != "over" or landmark == "head" or measure_word):  # not "over your shoulder"
        return f"above_{landmark}", k
    if landmark == "head" and prep in ("on", "onto"):
        return "above_head", k  # a hand on (top of) the head: the wrist is above the eyes
    if prep in _BELOW:
        return f"below_{landmark}", k
    if landmark == "shoulder" and prep == "at" and not measure_word and k and words[k - 1] in tw.verb_forms():
        return None  # "not raised at the shoulder": the joint it moves at, not a height
    if landmark == "shoulder" and (prep in _AT or measure_word):
        return "shoulder", k
    if landmark == "head" and measure_word and prep in _AT | {""}:
        return "head", k  # "to head height", "about head level": up past the shoulder
    return None


_NEARLY = frozenset({"almost", "nearly"})
_NEARLY_REACHED = {"above_head": "head", "above_shoulder": "shoulder"}
_LEVEL_WORDS = frozenset({"overhead", "horizontal", "horizontally", "shoulder", "shoulders", "head", "all", "parallel"})
_NEGATORS = frozenset({"not", "never", "don't", "doesn't", "isn't", "aren't", "no", "without", "nor"})
