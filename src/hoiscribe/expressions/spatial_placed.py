"""Where a thing is said to be from the referent: 'has the plate to its right', 'with a bird above it'.

``spatial_parse`` asks here, after 'has X' / 'with no X', whether the words that follow place X (not that
the referent holds it), which relation of the referent's to X they state, and where 'beside it' ends.
Re-exported by ``spatial_scope``.
"""

from __future__ import annotations

_PLACED = frozenset({"to", "behind", "beside", "next", "near", "left", "right", "above", "below", "under", "between",
                     "around", "over", "by"})  # fmt: skip


def placed_after(words: list[str], k: int) -> bool:
    """'has the plate to its right', 'has a person on each side': the words at ``k`` say where the thing
    is, not that it holds it ('has a banana in it', 'has no helmet on it' are contact)."""
    while k < len(words) and words[k] in _POSED:  # "has the ball just to his left", "right behind it"
        k += 1
    if k >= len(words):
        return False
    if words[k] in _PLACED:
        return True
    return words[k] in ("on", "at", "in") and bool(
        {"left", "right", "side", "sides", "front", "each", "either", "both"} & set(words[k + 1 : k + 4])
    )


PERSONAL = frozenset({"them", "him", "her", "themselves", "himself", "herself", "head", "heads", "feet"})  # a person's
_OBJECT_PRONOUNS = frozenset({"it", "them", "him", "her", "itself", "themselves", "himself", "herself"})
_POSED = frozenset({"right", "just", "directly", "straight", "immediately", "resting", "sitting", "standing", "lying",
                    "flying", "hanging", "perched", "placed", "floating", "hovering", "held", "parked", "looming",
                    "leaning", "stacked", "set", "waiting", "sleeping", "visible", "located",
                    "positioned"})  # fmt: skip
# where a thing held or carried sits on a body: the boxes meet ("at her feet" only comes near)
_BODY_HOLDS = frozenset({"lap", "laps", "hand", "hands", "arms", "arm", "mouth", "feet", "shoulder", "shoulders"})
# where X is, said from the referent ("with X above it"): the referent's relation to X, and whether it is strict
_PLACES: dict[tuple[str, ...], tuple[str, str, bool]] = {
    ("in", "front", "of"): ("behind", "front", False), ("behind",): ("behind", "behind", False),
    ("on", "top", "of"): ("relation", "bottom", True), ("atop",): ("relation", "bottom", True),
    ("above",): ("relation", "bottom", False), ("over",): ("relation", "bottom", False),
    ("below",): ("relation", "top", False), ("under",): ("relation", "top", False),
    ("beneath",): ("relation", "top", False), ("underneath",): ("relation", "top", False),
    ("to", "the", "left", "of"): ("relation", "right", False),
    ("to", "the", "right", "of"): ("relation", "left", False),
    ("left", "of"): ("relation", "right", False), ("right", "of"): ("relation", "left", False),
}  # fmt: skip


def placed_relation(words: list[str], k: int) -> tuple[str, str, bool, int] | None:
    """'with a bird flying above it', 'has the cup on top of it', 'with a dog right in front of them', 'has
    no umbrella over their head': where X is, said of the referent, read at ``k`` (just after X) as the
    referent's own relation to X (below it, under it, in line with it) as (kind, value, strict, end)."""
    while k < len(words) and words[k] in _POSED:
        k += 1
    if words[k : k + 1] == ["overhead"]:  # "with a bird flying overhead": the referent is below it
        return "relation", "bottom", False, k + 1
    if words[k : k + 1] in (["on"], ["to"], ["at"]) and words[k + 1 : k + 2] == ["its"]:
        side = words[k + 2] if k + 2 < len(words) else ""
        if side in ("left", "right"):  # "with nothing on its left": the referent is right of whatever is there
            end = k + 3 + (words[k + 3 : k + 4] == ["side"])
            return "relation", "right" if side == "left" else "left", False, end
    bare = words[k : k + 2] == ["to", "the"] and words[k + 2 : k + 3] in (["left"], ["right"])
    if bare and (k + 3 == len(words) or words[k + 3] in ("and", "but", "which", "that")):  # "no bench to the right"
        return "relation", "right" if words[k + 2] == "left" else "left", False, k + 3
    if words[k : k + 2] == ["in", "front"] and (k + 2 == len(words) or words[k + 2] in ("and", "but", "which", "that")):
        return "behind", "front", False, k + 2  # a learner's "cow which have sheep in front": in front of it
    body = k + 2 < len(words) and words[k + 2] in _BODY_HOLDS  # "with the dog on his lap", "a cup in her hand"
    if body and words[k] in ("on", "in", "at") and words[k + 1] in ("his", "her", "their", "its"):
        return "with", "with", words[k] != "at", k + 3
    for phrase, (kind, value, strict) in _PLACES.items():
        m = k + len(phrase)
        if tuple(words[k:m]) != phrase:
            continue
        if m < len(words) and words[m] in _OBJECT_PRONOUNS:
            return kind, value, strict, m + 1
        body = words[m + 1 : m + 2] in (["head"], ["heads"], ["feet"])  # "over their head", "under his feet"
        if words[m : m + 1] in (["their"], ["his"], ["her"], ["its"]) and body:
            return kind, value, strict, m + 2
    return None


def beside_it(words: list[str], k: int) -> int:
    """The end of 'beside it' / 'next to it' / 'near it' at ``k`` (after 'has X' / 'with no X'; the pronoun may be
    left out at the end: 'not have any person beside'), else 0."""
    while k < len(words) and words[k] in _POSED and words[k + 1 : k + 2] != ["of"]:  # "a dog right next to her"
        k += 1
    two = words[k : k + 2] in (["next", "to"], ["close", "to"])  # "with no person close to it"
    j = k + two + 1 if k < len(words) and words[k] in ("beside", "next", "near", "close", "around") else 0
    if j and j >= len(words) and words[k] in ("beside", "near", "around"):
        return j
    return j + 1 if j and words[j : j + 1] in (["it"], ["him"], ["her"], ["them"]) else 0
