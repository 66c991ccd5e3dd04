"""Which body parts a clause of a pose-transition text names, and their sides.

The part reader of ``pose.transition_clause``: part words and multi-word parts, the side of each
(left, right, both, "the other", "either", a side after its part in non-native order), elliptical
"the left (one)", bare sides in terse notes ("R above head"), and landmarks: parts after a place
preposition ("on your hips") are places, not claims.
"""

from __future__ import annotations

from dataclasses import dataclass

from hoiscribe.pose import transition_words as tw
from hoiscribe.pose.transition_movement import LIMBS

_ABBREVIATED = {"l": "left", "r": "right", "lt": "left", "rt": "right"}  # terse notes: "L arm up"
FAMILY = {"arm": "arm", "elbow": "arm", "hand": "arm", "leg": "leg", "knee": "leg", "foot": "leg"}
POSSESSIVE = frozenset({"your", "his", "her", "their", "its", "the", "my", "our", "own"})
_LANDMARK_PREPS = frozenset({"to", "toward", "towards", "on", "onto", "against", "over", "above", "behind", "beside",
                             "near", "by", "across", "into", "past", "around", "under", "below", "beneath", "from",
                             "off", "at", "along", "alongside", "through", "front", "touching", "touch",
                             "reaching"})  # fmt: skip


@dataclass(frozen=True, slots=True)
class PartRef:
    """A named part: ``side`` is left, right, both, any (either / no side) or other (resolved later)."""

    side: str
    group: str


def _part_words(words: list[str]) -> list[str]:
    """Words naming parts: 'back' only after a possessive ('your back', not 'lean back')."""
    out = []
    for i, w in enumerate(words):
        if w in tw.PARTS and (
            w not in ("back", "face", "body") or (i and words[i - 1] in POSSESSIVE | {"upper"}) or (w, i) == ("body", 0)
        ):
            out.append(w)
    return out


def _parts(
    words: list[str], verbs: list[tuple[int, str]], last_parts: list[PartRef], landmarks: list[PartRef] | None = None
) -> tuple[list[PartRef], bool]:
    """Parts a clause moves (not landmarks) with their sides; and whether it says 'it'/'them'. Landmark parts
    ("onto your right leg") go to ``landmarks`` when given: a later "the left one" may mean them."""
    verb_at = {i for i, _ in verbs}
    out: list[PartRef] = []
    pronoun = False
    n = len(words)
    for i, w in enumerate(words):
        if w in tw.PRONOUNS and not _after_landmark(words, i, verb_at) and not (i and words[i - 1] in _AS_WORDS):
            pronoun = True
            continue
        group: str | None = None
        plural = False
        own: str | None = None  # the side an elliptical "the left" names itself
        if i + 1 < n and (w, words[i + 1]) in tw.MULTI_PARTS:
            group = tw.MULTI_PARTS[(w, words[i + 1])]
        elif (
            w in tw.PARTS
            and not (i and (words[i - 1], w) in tw.MULTI_PARTS)
            and not ("'" in w and _measure_noun(words, i))  # "a hand's width"
        ):
            if w in ("back", "face", "body") and not (i and words[i - 1] in POSSESSIVE) and (w, i) != ("body", 0):
                continue  # "Body go to right side": the torso, as a subject
            if w == "body" and i and (words[i - 1] in ("whole", "entire") or words[max(0, i - 2) : i] == ["of", "the"]):
                continue  # "the whole body", "no part of the body": everything, not the torso
            group, plural = tw.PARTS[w]
        elif w == "one" and i and words[i - 1] in ("left", "right", "other", "opposite") and (out or last_parts):
            group = (out or last_parts)[-1].group  # "the left hand goes higher than the right one": this clause's
        elif w in ("left", "right", "other") and _elliptical(words, i) and last_parts:
            group = last_parts[-1].group  # "the right leg lifts, the left stays on the floor"
            own = w
        elif not i and last_parts and _bare_side(words, i) and last_parts[-1].group in LIMBS:
            group = last_parts[-1].group  # "Arms: both up (R above head, L just above shoulder)"
            own = _ABBREVIATED.get(w, w)
        elif w == "side" and i and words[i - 1] in ("left", "right") and _side_subject(words, i):
            group = "side"  # "the right side of your body", "the right side stays as it was"
        if group is None:
            continue
        if i + 1 < n and words[i + 1] in ("height", "level") and w not in tw.MULTI_PARTS_FIRST:
            continue  # "to about head level", "at chest height": a level, not a part
        if _after_landmark(words, i, verb_at) or (group == "torso" and _carried_torso(words, i, out)):
            if landmarks is not None:
                landmarks.append(PartRef(own or _side(words, i, plural), group))
            continue
        if (
            w in ("head",)
            and i
            and words[i - 1] in ("your", "the", "his", "her", "their")
            and i > 1
            and (words[i - 2] in ("above", "over", "behind", "to", "toward", "towards", "on"))
        ):
            continue
        if i and words[i - 1] in _ROLE_WORDS and _predicate_of(words, i, group, out):
            continue  # "the right leg is still the standing leg": the same leg, named by its role
        out.append(PartRef(own or _side(words, i, plural), group))
    return out, pronoun


_COPULAS = frozenset({"is", "are", "remains", "remain", "stays", "stay", "becomes", "as", "acts", "serves"})


def _predicate_of(words: list[str], i: int, group: str, named: list[PartRef]) -> bool:
    """A role-named part ('the standing leg') after a copula whose subject is a sided part of the same group."""
    return any(p.group == group and p.side in ("left", "right") for p in named) and not _COPULAS.isdisjoint(
        words[max(0, i - 5) : i]
    )


def _both_and(words: list[str], i: int) -> bool:
    """'both the arm and the leg': 'both' coordinates two parts, it names no two sides of this one."""
    after = words[i + 1 : i + 5]
    if "and" not in after:
        return False
    k = after.index("and")
    return any(w in tw.PARTS and tw.PARTS[w][0] != tw.PARTS.get(words[i], ("",))[0] for w in after[k + 1 :])


def _measure_noun(words: list[str], i: int) -> bool:
    """'a hand's width', 'a foot's length': a unit, not a part."""
    return words[i].endswith("'s") and i > 0 and words[i - 1] in ("a", "an")


def _carried_torso(words: list[str], i: int, named: list[PartRef]) -> bool:
    """'(moving / in line) with the torso' inside a clause: what carries the part, not a part that moves; 'the
    left leg holds (up) the body': the object a limb holds up."""
    k = i - 1
    while k > 0 and words[k] in POSSESSIVE | {"upper", "up"}:
        k -= 1
    if k <= 0:
        return False
    return words[k] == "with" or (words[k] in _HOLD_FORMS and any(p.group in ("leg", "foot") for p in named))


_HOLD_FORMS = frozenset({"hold", "holds", "holding", "held"})


_AS_WORDS = frozenset({"as", "where", "like"})  # "as it was": no reference to a part
_ABOUT_NOUNS = frozenset({"angle", "angles", "bend", "flexion", "change", "changes", "movement", "difference",
                          "motion"})  # a part after these and a preposition is what they are about  # fmt: skip


def _side_subject(words: list[str], i: int) -> bool:
    """'the right side of your body', 'the right side' or a bare 'Left side ...' named as a part, not 'the right
    side arm'."""
    if words[i + 1 : i + 2] == ["of"]:
        return True
    lead = i == 1 or words[i - 2] in POSSESSIVE | {"whole", "entire"}
    return lead and not (words[i + 1 : i + 2] and words[i + 1] in tw.PARTS)


def _elliptical(words: list[str], i: int) -> bool:
    """'the left' / 'the other' standing for a part named before (no noun, not a direction)."""
    if not (i and words[i - 1] == "the"):
        return False
    nxt = words[i + 1] if i + 1 < len(words) else ""
    return nxt not in tw.PARTS and nxt not in ("one", "ones", "side", "sides", "-", "and", "hand", "of")


_BARE_SIDE_NEXT = frozenset({"above", "below", "up", "down", "just", "higher", "lower", "at", "to", "bent", "straight",
                             "raised", "lowered", "over", "under", "out", "still", "same", "unchanged"})  # fmt: skip


def _bare_side(words: list[str], i: int) -> bool:
    """A side with its part left out at the clause start: 'R above head', 'L just above shoulder', 'left still'."""
    w = words[i]
    if i or (w not in _ABBREVIATED and w not in ("left", "right")):
        return False
    nxt = words[1] if len(words) > 1 else ""
    return nxt in _BARE_SIDE_NEXT and (w in _ABBREVIATED or nxt not in ("up", "down", "out", "to", "at"))


def _after_landmark(words: list[str], i: int, verb_at: set[int]) -> bool:
    """A part after a place preposition ('on your hips', 'to your chest', 'at the knee') is a landmark."""
    for k in range(i - 1, max(-1, i - 5), -1):
        if k in verb_at:
            return False
        w = words[k]
        if w in _LANDMARK_PREPS:
            return not (k and words[k - 1] in _ABOUT_NOUNS)  # "the angle at the elbow", "no change to the legs"
        if w in _OBJECT_VERBS and k < i - 1:
            return True  # "keeps supporting the body", "bears the upper body": its object (not "the supporting leg")
        if w not in POSSESSIVE and w not in ("left", "right", "-", "both", "other", "opposite", "of", "each",
                                              "upper", "lower", "one", "a", "an", "little"):  # fmt: skip
            return False
    return False


def _side(words: list[str], i: int, plural: bool) -> str:
    window = words[max(0, i - 4) : i]
    after = words[i + 1 : i + 5] if words[i + 1 : i + 2] == ["on"] else []
    if after and "side" in after:  # "the arm on the same / other side"
        for w in after[1:3]:
            if w == "same":
                return "same"
            if w in tw.OTHER_WORDS:
                return "other"
    if window[-3:-1] == ["same", "-"] or window[-2:] == ["same", "side"] or window[-1:] == ["its"]:
        return "same"  # "the same-side arm"; "the right arm rises, its hand ..."
    if "and" in window and any(
        window[k : k + 3] in (["left", "and", "right"], ["right", "and", "left"]) for k in range(len(window) - 2)
    ):
        return "both"  # "the left and right arms" (not "the left arm and right leg")
    for w in reversed(window):
        if w in ("left", "right"):
            return w
        if w in _ABBREVIATED:
            return _ABBREVIATED[w]
        if w in tw.BOTH_WORDS:
            return "bare" if w == "both" and not plural and _both_and(words, i) else "both"
        if w in tw.OTHER_WORDS:
            return "other"
        if w in tw.UNCLEAR_SIDE:
            return "any"
        if w not in POSSESSIVE and w not in ("-", "of", "upper", "lower", "a", "an", "side"):  # "left side arm"
            break
    if window[-1:] and window[-1] in _ROLE_WORDS and not plural:
        return "other"  # "the standing leg", "the supporting foot": not the one that moves
    if window[-1:] == ["neither"]:
        return "both"  # "neither arm"; "neither the arm nor the leg" names one of each
    post = _post_side(words, i)
    if post is not None:
        return post  # non-native order: "arm left stay down", "knee right", "the leg of the right side"
    if not plural and i > 1 and words[i - 1] == "and" and words[i - 2] in tw.PARTS:
        shared = _side(words, i - 2, False)  # "the right arm and leg": the side is shared
        if shared in ("left", "right"):
            return shared
    if plural:
        return "both"
    return "bare" if window[-1:] == ["the"] else "any"  # "the arm": resolved against a side subject


# verbs no table lists whose object is a part they hold up, not a part that moves
_OBJECT_VERBS = frozenset({"support", "supports", "supported", "supporting", "bear", "bears", "bore", "bearing",
                           "carry", "carries", "carried", "carrying"})  # fmt: skip
_ROLE_WORDS = frozenset({"standing", "supporting", "support", "planted", "stance", "base", "grounded"})


def _post_side(words: list[str], i: int) -> str | None:
    """A side after its part: 'arm left', 'knee right is bending', 'leg of (the) right side'."""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if nxt in ("left", "right"):
        after = words[i + 2] if i + 2 < len(words) else ""
        return nxt if after not in tw.PARTS and after != "-" else None
    if nxt in ("of", "on"):
        rest = words[i + 2 : i + 5]
        rest = rest[1:] if rest[:1] == ["the"] else rest
        if rest[:1] in (["left"], ["right"]) and rest[1:2] == ["side"]:
            return rest[0]
    return None
