"""What movement a clause claims, from its verbs first, then particles and state words.

``movement`` resolves the kind of change (height, bend, lean, turn, gap, straighten, squat) and
its direction from the words ``transition_clause`` found; ``keep_state`` says what a keep holds
("straight" -> the bend stays less). Separate from reading parts and cues, so the rules that
map words to measures live in one place.
"""

from __future__ import annotations

from hoiscribe.pose import transition_words as tw

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
    if not verb_kinds and side_dir and len(groups) == 1 and groups <= {"head", "torso"}:
        return ("turn" if "head" in groups else "lean"), side_dir  # terse: "head left", "torso to right side"
    if "turn" in verb_kinds:
        if groups - {"head"}:
            return None, None
        return ("turn", side_dir) if side_dir else (None, None)
    torso_only = not limbs and ("torso" in groups or not groups)
    if "lean" in verb_kinds:
        if "head" in groups and "torso" not in groups:
            return None, None
        if upright:
            return "straighten", "upright"
        return ("lean", side_dir or fb) if (side_dir or fb) else (None, None)
    if "bend" in verb_kinds and torso_only:
        verb_dir = next(d for k, d in kinds if k == "bend")
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
    if "bend" in state_dirs and (verb_kinds or ws & {"more", "less", "now", "straighter"}):  # "knee straighter"
        return "bend", state_dirs["bend"]
    if "move" in verb_kinds and side_place and limbs & {"arm", "hand"}:
        return "height", "down"
    if any(b == "kick" for _, b in actions):
        return "height", "up"
    return None, None


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
        if any(_PAIRED.get(tw.PARTS.get(x, ("",))[0]) in mine for x in after):
            return d
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
