"""Word cues of one clause of a pose-transition text, read before its movement.

For ``pose.transition_clause``: which words are verbs (not nouns: "the lower leg"), the phrases
blanked as no claim (similes, start states, exceptions, "than before"), cues of the reference pose
("at first", "as before"), the foot's contact with the floor, auxiliary ellipsis ("so do your
arms"), "does the same", a pointing arm's level, and a left/right that is a direction.
"""

from __future__ import annotations

from hoiscribe.pose import transition_words as tw
from hoiscribe.pose.transition_parts import _AS_WORDS, POSSESSIVE, PartRef, _parts

_VERB_NEEDS_OBJECT = frozenset({"lower", "face", "part", "close", "open", "point", "stand", "sit", "drop"})
_OBJECT_START = frozenset({"your", "the", "both", "his", "her", "their", "it", "them", "each", "one", "left", "right",
                           "my", "either", "neither", "all"})  # fmt: skip
_REFERENCE_CUES = frozenset({"initially", "originally", "previously", "formerly", "reference", "starting", "was",
                             "were", "earlier", "beforehand"})  # fmt: skip
_IMAGE_FRAME = frozenset({"image", "picture", "photo", "viewer", "viewer's", "camera", "screen", "frame"})
_STILL_MOVE = frozenset({"move", "shift", "change", "do", "happen", "involve", "participate"})  # "are not involved"


def _is_verb(words: list[str], i: int) -> str | None:
    """Base form of the movement or keep verb at ``i``, or None (a noun, comparative or side word)."""
    base = tw.verb_forms().get(words[i])
    if base is None:
        return None
    prev = words[i - 1] if i else ""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    noun_like = prev in POSSESSIVE or prev in ("upper", "lower") or (base == "lower" and nxt not in _OBJECT_START)
    if (
        base in _VERB_NEEDS_OBJECT
        and words[i] in ("lower", "face", "part", "close", "open", "point", "drop")
        and (noun_like)
    ):
        return None
    if prev in ("in", "at", "into", "a", "an"):
        return None  # "held in place", "at rest", "a bend": a noun after a preposition or article
    if base == "part" and nxt not in _OBJECT_START:
        return None  # "the only part that moves": a noun
    if base == "close" and nxt in ("to", "by", "beside", "together"):
        return None  # "stops close to shoulder level", "feet close together": near, not closing a gap
    if base == "face" and prev in POSSESSIVE:
        return None
    if base in ("rise", "fall") and prev in POSSESSIVE:
        return None
    return base


_EXCEPT_ONE = frozenset({"except", "excepting", "excluding", "besides", "save"})
_EXCEPT_TWO = frozenset({("apart", "from"), ("aside", "from"), ("other", "than"), ("except", "for"), ("but", "for")})
_EXCEPT_CUES = _EXCEPT_ONE | {w for w, _ in _EXCEPT_TWO}


def _without_exception(words: list[str], last_parts: list[PartRef]) -> tuple[list[str], list[PartRef]]:
    """Blank 'except (for) X', 'apart from X', 'other than X': X is left out of the rest, no claim here.

    Mid-clause ("everything except the left arm stays still") the excepted parts come back as mentions; at
    the clause start ("apart from the right arm going up, ...") only the marker goes: what follows is a claim."""
    if _EXCEPT_CUES.isdisjoint(words):
        return words, []
    for i, w in enumerate(words):
        size = 2 if tuple(words[i : i + 2]) in _EXCEPT_TWO else 1 if w in _EXCEPT_ONE else 0
        if not size:
            continue
        if i == 0:
            return [""] * size + words[size:], []
        end = next((k for k in range(i + size, len(words)) if _is_verb(words, k)), len(words))
        np_words = words[i + size : end]
        parts, _ = _parts(np_words, [], last_parts)
        if not parts:
            return words, []
        return words[:i] + [""] * (end - i) + words[end:], parts
    return words, []


_BEFORE_CUES = _REFERENCE_CUES | {"first", "original", "start", "beginning", "before", "initial", "did"}


_FLOOR = frozenset({"floor", "ground", "mat"})
_SKY = frozenset({"ceiling", "sky", "roof", "heavens"})  # "reach toward the ceiling": up
_FLOOR_OR_SKY = _FLOOR | _SKY
_ON_FLOOR = frozenset({"on", "onto", "to", "toward", "towards", "touch", "touches", "touching", "touched", "against"})
_OFF_FLOOR = frozenset({"off", "above", "from", "leave", "leaves", "leaving", "left", "of"})  # "clear of the ground"


def _ground(words: list[str], verbs: list[tuple[int, str]]) -> tuple[str | None, bool]:
    """The foot's contact with the floor: 'on / back to / touching the floor' -> down, 'off / clear of it' -> up
    ('toward the ceiling' -> up).

    A negator before the phrase with no movement verb between ("the foot not touch the floor anymore",
    "no longer on the ground") flips it, and the second value says the negation was spent on it; "does not
    leave the floor" stays a negated rise."""
    if _FLOOR_OR_SKY.isdisjoint(words):
        return None, False
    moves = {i for i, b in verbs if b not in tw.KEEP_VERBS and b != "leave"}
    for i, w in enumerate(words):
        if w in _SKY and i > 1 and words[i - 1] == "the" and words[i - 2] in ("to", "toward", "towards", "at"):
            return "up", False
        if w not in _FLOOR:
            continue
        k = i - 1 if i and words[i - 1] in ("the", "a") else i
        prep = words[k - 1] if k else ""
        if prep == "to" and words[k - 2 : k - 1] in (["parallel"], ["perpendicular"]):
            continue  # "parallel to the floor": an orientation, not a contact
        if prep in _ON_FLOOR or (prep == "with" and words[k - 2 : k - 1] == ["contact"]):
            direction = "down"  # "on the floor", "in contact with the ground"
        elif prep in _OFF_FLOOR and (prep != "of" or words[k - 2 : k - 1] == ["clear"]):
            direction = "up"
        else:
            continue
        neg = next((j for j in range(k - 2, -1, -1) if words[j] in tw.NEGATORS), None)
        if neg is not None and not any(neg < v < k for v in moves) and not prep.startswith("leav"):
            return ("up" if direction == "down" else "down"), True
        return direction, False
    return None, False


_SAME_NOT_STILL = frozenset({"time", "side", "way", "moment", "direction", "pace", "speed", "rate", "-"})


def _same_is_still(words: list[str]) -> bool:
    """'same' that says a part keeps its state, not 'at the same time', 'the same side', 'does the same', nor one
    part against another ('to / at the same height', 'not the same')."""
    return not _does_the_same(words) and any(
        w == "same"
        and words[i + 1 : i + 2] not in ([x] for x in _SAME_NOT_STILL)
        and not (words[max(0, i - 2) : i] in (["to", "the"], ["at", "the"], ["not", "the"]) and "as" not in words[i:])
        for i, w in enumerate(words)
    )


def _does_the_same(words: list[str]) -> bool:
    """'the left arm does the same', 'likewise': the movement of the clause before, on these parts."""
    if "likewise" in words:
        return True
    return any(w == "same" and i > 1 and words[i - 2] in ("do", "does", "did", "doing") for i, w in enumerate(words))


DO_AUX = frozenset({"do", "does", "did"})
_ELLIPSIS_LEAD = frozenset({"so", "as", "nor", "neither"})
_ELLIPSIS_TAIL = frozenset({"too", "either", "also", "as", "well", "so", "not", "no", "longer", "anymore", ":", ""})


def _do_ellipsis(words: list[str], verbs: list[tuple[int, str]]) -> bool:
    """Only an auxiliary 'do' that stands for the predicate before: 'so / as / nor do X', 'X does too',
    'X does not', 'X no longer does' (not 'do the same', not 'do not move')."""
    if not verbs or any(b != "do" for _, b in verbs) or DO_AUX.isdisjoint(words):
        return False
    for i, _ in verbs:
        if words[i] not in DO_AUX:
            return False
        if i and words[i - 1] in _ELLIPSIS_LEAD:
            continue
        if not i or not set(words[i + 1 :]) <= _ELLIPSIS_TAIL:
            return False
    return True


def _copula_before(words: list[str], i: int) -> bool:
    """'is held', 'is now held', 'are then kept': a position of the part, not that it stays."""
    k = i - 1
    while k > 0 and words[k] in ("now", "then", "also", "clearly", "simply"):
        k -= 1
    return k >= 0 and words[k] in ("is", "are", "being", "gets", "get")


def _pointing_level(words: list[str], actions: list[tuple[int, str]], groups: set[str]) -> str | None:
    """An arm that 'points' up / down / out: the level its hand ends at (the orientation, not a change)."""
    if not actions or any(b != "point" for _, b in actions) or not groups & {"arm", "hand"} or groups - {"arm", "hand"}:
        return None
    if (
        "forearm" in words
        or "forearms" in words
        or any(words[i : i + 2] == ["lower", "arm"] for i in range(len(words)))
    ):
        return None  # "the forearm points up": the segment's direction, not where the hand is
    ws = set(words)
    if ("straight" in ws and "up" in ws) or ws & {"skyward", "skywards", "overhead"}:
        return "above_head"
    if ws & {"up", "upward", "upwards"}:
        return "above_shoulder"
    if ws & {"down", "downward", "downwards"}:
        return "below_shoulder"
    if ws & {"out", "sideways", "outward", "outwards", "horizontal", "horizontally"}:
        return "shoulder"
    return None


def _negated_keep(words: list[str], verbs: list[tuple[int, str]]) -> bool:
    """A keep verb right after its negator: 'does not stay', 'don't keep ... down', 'no longer remains'."""
    return any(
        b in tw.KEEP_VERBS
        and any(w in tw.NEGATORS for w in words[max(0, i - 2) : i])
        and words[i - 1 : i] != ["nothing"]
        for i, b in verbs
    )


def _other_parts(words: list[str]) -> bool:
    """'other parts', 'all other limbs', 'the other things': the rest of the body."""
    return "other" in words and any(
        w == "other" and words[i + 1 : i + 2] in (["parts"], ["limbs"], ["things"], ["body"], ["thing"])
        for i, w in enumerate(words)
    )


def _as_as(words: list[str]) -> bool:
    """'as high as', 'as far as': a comparison inside one pose (not a degree: 'as far as is comfortable',
    'as high as you can')."""
    if "as" not in words:
        return False
    return any(
        w == "as" and words[i + 2 : i + 3] == ["as"] and words[i + 3 : i + 4] not in _DEGREE_TAILS
        for i, w in enumerate(words)
    )


_DEGREE_TAILS = [[w] for w in ("possible", "you", "he", "she", "they", "is", "it", "comfortable", "can", "feasible",
                               "we", "i")]  # fmt: skip


def _as_before(words: list[str]) -> bool:
    """'as they were', 'like before', 'where it was': the part keeps its reference state."""
    if _AS_WORDS.isdisjoint(words):
        return False
    return any(w in _AS_WORDS and set(words[i + 1 : i + 5]) & _BEFORE_CUES for i, w in enumerate(words))


_THAN_CUES = frozenset({"before", "earlier", "previously", "first", "initially", "originally", "reference", "start",
                        "starting", "beginning", "original"})  # fmt: skip


def _without_than_before(words: list[str]) -> list[str]:
    """Blank 'than before' / 'than in the first image': the comparative is then a change, not one pose's."""
    if "than" not in words:
        return words
    for i, w in enumerate(words):
        if w == "than":
            end = next((k for k in range(i + 1, min(len(words), i + 5)) if words[k] in _THAN_CUES), None)
            if end is not None:
                tail = end + 1 + (words[end + 1 : end + 2] in (["image"], ["pose"], ["picture"], ["one"], ["photo"]))
                return words[:i] + [""] * (tail - i) + words[tail:]
    return words


_SIMILE_NEXT = frozenset({"a", "an", "someone", "somebody", "when", "if"})
_SIMILE_CUES = frozenset({"like", "if", "though"})
_FIRST_CUES = frozenset({"first", "begin", "beginning", "start"})
_NOT_SIMILE = frozenset({"left", "right", "other", "same", "one", "image", "picture", "photo", "pose", "frame",
                         "position"}) | _BEFORE_CUES  # fmt: skip


def _like_the(words: list[str], i: int) -> bool:
    """'like the motion of someone lifting a leg', 'like this': a simile, not 'like the right arm' (a part) nor
    'like the first image' (as before)."""
    if words[i + 1 : i + 2] not in (["the"], ["this"], ["that"]):
        return False
    after = words[i + 2 : i + 4]
    return not after or not any(w in tw.PARTS or w in _NOT_SIMILE for w in after)


def _without_simile(words: list[str]) -> list[str]:
    """Blank a simile tail ('like stretching the waist', 'as if waving', 'like a jumping jack'): it says how
    the move looks, not what moves ('like before' is no simile)."""
    if _SIMILE_CUES.isdisjoint(words):
        return words
    for i, w in enumerate(words[:-1]):
        nxt = words[i + 1]
        if (w == "like" and (nxt in _SIMILE_NEXT or (nxt.endswith("ing") and len(nxt) > 4) or _like_the(words, i))) or (
            w == "as" and nxt in ("if", "though")
        ):
            return words[:i] + [""] * (len(words) - i)
    return words


_FIRST_POSE_PHRASES = (("at", "first"), ("to", "begin", "with"), ("in", "the", "beginning"), ("at", "the", "start"),
                       ("at", "the", "beginning"))  # fmt: skip


def _at_first(words: list[str]) -> bool:
    """'at first', 'to begin with', 'at the start': the clause is about the reference pose."""
    if _FIRST_CUES.isdisjoint(words):
        return False
    return any(tuple(words[i : i + len(p)]) == p for p in _FIRST_POSE_PHRASES for i in range(len(words)))


def _without_origin(words: list[str]) -> list[str]:
    """Blank 'from hanging down' in 'goes from hanging down to raised': the start state is no claim."""
    if "from" not in words:
        return words
    f = words.index("from")
    end = next((k for k in range(f + 1, len(words)) if words[k] in ("to", "into", "until", "till")), None)
    if end is None:
        return words
    return words[:f] + [""] * (end - f) + words[end:]


def _participle_form(w: str, base: str) -> bool:
    return w != base and (w.endswith("ed") or w in ("bent", "held", "kept", "hung", "spread", "put", "let"))


def _participle(words: list[str], i: int, base: str) -> bool:
    """'relaxed' / 'bent' after a part ('your left arm relaxed by your side'): a state, not an instruction."""
    if not _participle_form(words[i], base):
        return False
    return any(x in tw.PARTS for x in words[:i]) and not any(
        x in ("is", "are", "gets", "get", "was") for x in words[:i]
    )


def _only_still_moves(actions: list[tuple[int, str]]) -> bool:
    return bool(actions) and all(b in _STILL_MOVE for _, b in actions)


def _above_head(words: list[str]) -> bool:
    for i, w in enumerate(words):
        if w == "overhead":
            return True
        if w in ("above", "over") and "head" in words[i + 1 : i + 3]:
            return True
    return False


# "l" / "r": terse notes ("leans R ~30°", "Head L")
_DIRECTION_SIDES = {"left": "left", "right": "right", "leftward": "left", "rightward": "right", "leftwards": "left",
                    "rightwards": "right", "l": "left", "r": "right"}  # fmt: skip


def _frame_direction(words: list[str]) -> tuple[str | None, str | None]:
    """A left/right that is a direction, not a part's side: with its frame (your, image, unclear)."""
    if _DIRECTION_SIDES.keys().isdisjoint(words):
        return None, None
    for i, w in enumerate(words):
        side = _DIRECTION_SIDES.get(w)
        if side is None:
            continue
        nxt = words[i + 1 : i + 3]
        if nxt[:1] == ["shoulder"] and {"over", "toward", "towards", "to"} & set(words[max(0, i - 3) : i]):
            return "your", side  # "look over your left shoulder", "chin toward the right shoulder": a turn
        if nxt and (nxt[0] in tw.PARTS or nxt[0] in tw.UNMEASURED or (nxt[0] in ("-", "and", "one")
                    and (len(nxt) < 2 or nxt[1] in tw.PARTS or nxt[1] in tw.UNMEASURED))):  # fmt: skip
            continue
        if nxt[:1] == ["side"] and (nxt[1:] == ["of"] or (nxt[1:] and nxt[1] in tw.PARTS)):
            continue  # "the left side of your body" is a part, "to the left side" a direction
        if w.endswith(("ward", "wards")):
            return "your", side
        before = words[max(0, i - 3) : i]
        after = words[i + 1 : i + 4]
        if set(before + after) & _IMAGE_FRAME:
            return "image", side
        # the person's own side unless the viewer is named: pose captions (AutoComPose, the corpus)
        # state every left/right in the person's frame, "turn the head to the left" included
        return "your", side
    return None, None
