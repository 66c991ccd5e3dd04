"""Reading one clause of a pose-transition text: its parts, movement and mode.

The clause reader of ``pose.transition_parse``: which parts a clause moves (with their sides;
parts after a place preposition are landmarks), the movement its verbs, particles and state
words claim (``transition_words``), and whether it is a change, a keep ("keep your leg
straight", "don't move your arms") or a negated change. Kept apart from the segmentation and
carry-over rules, which change for different reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from hoiscribe.pose import transition_words as tw
from hoiscribe.pose.transition_movement import LIMBS, keep_state, level_of, movement

_SOFT = frozenset({"slightly", "bit", "little", "somewhat", "gently", "tad", "touch", "barely", "lightly"})
_ABBREVIATED = {"l": "left", "r": "right", "lt": "left", "rt": "right"}  # terse notes: "L arm up"
FAMILY = {"arm": "arm", "elbow": "arm", "hand": "arm", "leg": "leg", "knee": "leg", "foot": "leg"}
_REST = frozenset({"else", "rest", "everything", "remainder", "limbs", "nothing"})
POSSESSIVE = frozenset({"your", "his", "her", "their", "its", "the", "my", "our", "own"})
_LANDMARK_PREPS = frozenset({"to", "toward", "towards", "on", "onto", "against", "over", "above", "behind", "beside",
                             "near", "by", "across", "into", "past", "around", "under", "below", "beneath", "from",
                             "off", "at", "along", "alongside", "through", "front", "touching", "touch",
                             "reaching"})  # fmt: skip
_VERB_NEEDS_OBJECT = frozenset({"lower", "face", "part", "close", "open", "point", "stand", "sit", "drop"})
_OBJECT_START = frozenset({"your", "the", "both", "his", "her", "their", "it", "them", "each", "one", "left", "right",
                           "my", "either", "neither", "all"})  # fmt: skip
_REFERENCE_CUES = frozenset({"initially", "originally", "previously", "formerly", "reference", "starting", "was",
                             "were", "earlier", "beforehand"})  # fmt: skip
_POSE_NOUNS = frozenset({"image", "pose", "picture", "photo", "frame", "position", "panel"})
_IMAGE_FRAME = frozenset({"image", "picture", "photo", "viewer", "viewer's", "camera", "screen", "frame"})
# "lifted only partway": a degree, not "only this part"
_DEGREE_AFTER_ONLY = (["partway"], ["halfway"], ["part"], ["half"], ["a"], ["slightly"], ["little"], ["somewhat"],
                      ["just"], ["barely"], ["to"], ["up"])  # fmt: skip
_PLACE_WORDS = _LANDMARK_PREPS | frozenset(tw.STATE_WORDS) | {"out", "in", "back", "side", "sides", "sideways",
                                                              "where", "position"}  # fmt: skip
_CHANGE_CUES = frozenset({"more", "less", "further", "now", "higher", "lower", "straighter", "wider", "closer",
                          "farther", "nearer", "narrower", "back", "again", "fully"})  # fmt: skip
_CHANGE_NOUNS = frozenset({"change", "changes", "movement", "movements", "motion", "difference"})
PART_WAY = frozenset({"slightly", "little", "bit", "partway", "halfway", "partially", "somewhat", "tad"})
_JOINTED = frozenset({"arm", "elbow", "leg", "knee"})
_TORSO_WORDS = frozenset({"upper", "torso", "trunk", "chest", "back", "waist", "spine"})  # not the whole body
_STILL_FIRST = frozenset(a for a, _ in tw.STILL_PHRASES)
_STILL_MOVE = frozenset({"move", "shift", "change", "do", "happen"})
# "-ing" after a keep, or these verbs alone: a state ("let your arms hang": 'let' only lends them)
_STATIVE = frozenset({"hang", "rest", "relax", "stand", "sit", "float", "settle", "do", "let"})


class Token(NamedTuple):
    """One lower-cased word or mark and its character span (a tuple: texts have many, made fast)."""

    low: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class PartRef:
    """A named part: ``side`` is left, right, both, any (either / no side) or other (resolved later)."""

    side: str
    group: str


@dataclass
class Reading:
    """What one clause says before carry-over: parts, movement, cues."""

    toks: list[Token]
    parts: list[PartRef]
    pronoun: bool
    has_verb: bool
    kind: str | None
    direction: str | None
    mode: str
    frame: str | None = None
    above_head: bool = False
    only: bool = False
    skip: bool = False  # about the reference pose, or a place with nothing moved
    mentions: list[PartRef] = field(default_factory=list)
    soft: bool = False  # "slightly", "a bit": a move under the still threshold is not a wrong part
    excepted: bool = False  # "but the right arm" after "nothing moves": left out of that keep
    landmarks: list[PartRef] = field(default_factory=list)  # parts named as places ("onto your right leg")
    own_state: bool = False  # a state word of its own ("left leg straight"): it inherits no other movement
    yet: bool = False  # a keep read only from "still" ("still short of the shoulder"): 'yet', not 'unmoving'
    level: str | None = None  # where the hand ends: above_head, below_head, above_shoulder, below_shoulder, shoulder
    spent_negation: bool = False  # the clause's negator belongs to its level ("not above your head")
    level_only: bool = False  # a keep read from 'still' ("still below the shoulder") that only places the hand
    stative: bool = False  # verbless, no comparative ("left arm down", "knees straight"): a state of the target


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
    if base == "face" and prev in POSSESSIVE:
        return None
    if base in ("rise", "fall") and prev in POSSESSIVE:
        return None
    return base


def read_clause(
    toks: list[Token], last_parts: list[PartRef], force_keep: bool = False, subject: list[PartRef] | None = None
) -> Reading:
    words = _without_simile(_without_origin([t.low for t in toks]))
    words, excepted = _without_exception(_without_than_before(words), last_parts)
    n = len(words)
    verbs: list[tuple[int, str]] = []
    forms = tw.verb_forms()
    for i in range(n):
        if words[i] not in forms:
            continue
        base = _is_verb(words, i)
        if base is None:
            continue
        if base == "leave" and _FLOOR & set(words[i + 1 : i + 3]):
            base = "rise"  # "the foot leaves the ground" rises; "leave the rest" has no floor after it
        if words[i] in ("held", "kept") and _copula_before(words, i):
            continue  # "the leg is held out to the side": where it is, not that it stays
        verbs.append((i, base))
    landmarks: list[PartRef] = []
    parts, pronoun = _parts(words, verbs, subject or last_parts, landmarks)  # "Hands: the right one goes up"
    ws = set(words)
    if (ws & _REST or excepted or _other_parts(words)) and not parts:
        parts, pronoun = [PartRef("any", "rest")], False  # "nothing else changes", "leave the rest as it is"
    if not parts and subject:
        parts = list(subject)
    elif not parts and pronoun:
        parts = list(last_parts)
    imperative = [(i, b) for i, b in verbs if not _participle(words, i, b)]
    r = Reading(toks, parts, pronoun, bool(imperative), None, None, "change")
    r.landmarks = landmarks
    if words[0] == "but" and parts and not verbs and not ws & tw.NEGATORS:
        r.excepted = True  # "... but the right arm": excepted from a keep before it, if there is one
    first_pose = not ws.isdisjoint(("first", "left", "original")) and any(
        w in ("first", "left", "original") and words[i + 1 : i + 2] and words[i + 1] in _POSE_NOUNS
        for i, w in enumerate(words)
    )
    lead = 1 if words[0] in ("just", "only", "but", "now", "simply") else 0  # "just with one arm lifted"
    attendant = words[lead : lead + 1] == ["with"] and not (ws & tw.KEEP_WORDS or ws & tw.KEEP_VERBS)
    as_before = _as_before(words)  # "as they were", "like in the first picture": a keep, not the reference pose
    hand = not parts or any(p.group in ("arm", "hand") for p in parts)
    level, level_negated, level_than = level_of(words) if hand else (None, False, False)
    if (
        ((ws & _REFERENCE_CUES or first_pose or _at_first(words)) and not ({"now", "finally"} & ws) and not as_before)
        or ("than" in ws and not level_than)  # "higher than your shoulder" is where the hand ends
        or (level is None and _as_as(words))  # "not as high as the right": one hand against the other
        or attendant
        or (not ws.isdisjoint(_FOLLOW) and not [b for _, b in verbs if b not in tw.KEEP_VERBS])  # "arms follow"
        or (words[0] == "before" and not verbs)  # "bent now, before straight": the reference state
        or (words[-1] == "before" and n > 1 and words[-2] not in ("as", "like", "than", "from") and "now" not in ws)
    ):
        # about the reference pose, or a comparison inside one pose ("higher than the right hand")
        r.skip = True
        return r
    negated = bool(ws & tw.NEGATORS) and not (level_negated and sum(w in tw.NEGATORS for w in words) == 1)
    r.level, r.spent_negation = level, level_negated  # "not above your head": the negation is the level's
    no_longer = "longer" in ws and any(words[i] == "no" and words[i + 1] == "longer" for i in range(n - 1))
    keep_verb = any(b in tw.KEEP_VERBS for _, b in verbs)
    keep_ing = any(  # "keep raising it", "continue to raise it" go on moving; "stays hanging" is a state
        b in tw.KEEP_VERBS
        and (nxt := words[i + 2] if words[i + 1 : i + 2] == ["to"] else words[i + 1] if i + 1 < n else "")
        and (nxt.endswith("ing") or words[i + 1 : i + 2] == ["to"])
        and tw.verb_forms().get(nxt, "hang") not in _STATIVE
        for i, b in verbs
        if i + 1 < n
    )
    still = (
        bool(ws & tw.KEEP_WORDS)
        or as_before
        or (not ws.isdisjoint(_STILL_FIRST) and any(tuple(words[i : i + 2]) in tw.STILL_PHRASES for i in range(n - 1)))
        or ("same" in ws and _same_is_still(words))  # "right arm same", "legs same same"
    )
    if "still" in ws and keep_ing:
        still = False
    actions = [(i, b) for i, b in verbs if b not in tw.KEEP_VERBS]
    groups = {p.group for p in parts}
    limbs = groups & LIMBS
    r.only = not ws.isdisjoint(("only", "just")) and any(
        (w == "only" and words[i + 1 : i + 2] not in _DEGREE_AFTER_ONLY)
        or (w == "just" and words[i + 1 : i + 2] and words[i + 1] in _OBJECT_START)  # "just the right elbow"
        for i, w in enumerate(words)
    )
    r.soft = bool(ws & _SOFT)
    r.above_head = _above_head(words) or level == "above_head"
    frame, side_dir = _frame_direction(words)
    states = [
        tw.STATE_WORDS[w]
        for i, w in enumerate(words)
        if w in tw.STATE_WORDS
        and (w not in forms or not _is_verb(words, i))
        and tuple(words[i : i + 2]) not in tw.MULTI_PARTS
    ]  # "lower" in "the lower leg" names the part, not a height
    if "back" in ws and not any(p == "back" for p in _part_words(words)):
        states.append(("dir", "back"))
    if r.above_head:
        states.append(("height", "up"))
    r.own_state = bool(states)
    ground_dir, ground_negated = _ground(words, verbs)
    if ground_dir is not None and (limbs or not parts):
        states.append(("height", ground_dir))  # "back on the floor", "off the ground", "not touching the floor"
        if ground_negated:
            negated = no_longer = False  # the negation was the contact's: a state, not a negated move
    side_place = not ws.isdisjoint(("side", "sides")) and ("out" not in ws)
    r.own_state = r.own_state or side_place  # "left arm at the side": a place of its own, nothing inherited
    kind, direction = movement(words, actions, states, limbs, groups, frame, side_dir, side_place, ws)
    if (
        kind == "height"
        and direction == "down"
        and level in _UP_LEVELS
        and ws.isdisjoint(_DOWN_WORDS)
        and not any(tw.VERBS.get(b, ("", None))[1] == "down" for _, b in actions)
    ):
        direction = "up"  # "arm go to side until shoulder height": it ends up at the shoulder, so it rose
    if parts and _do_ellipsis(words, verbs) and ws.isdisjoint(_REST):
        r.kind = "ellipsis"  # "so do your arms", "the left leg does too": the parser copies the predicate before
        return r
    if parts and not negated and not ws.isdisjoint(("same", "likewise")) and _does_the_same(words):
        r.kind = "copy"  # the parser copies the movement of the clause before
        return r
    pointing = _pointing_level(words, actions, groups) if any(b == "point" for _, b in actions) else None
    if pointing is not None:  # "it points down and out at an angle": where the arm ends, not a move
        r.kind, r.mode, r.level, r.level_only = "keep", "keep", pointing, True
        return r
    if kind == "keep_head":  # "look straight ahead": the head keeps its turn; "no longer faces forward": it turns
        r.parts, r.kind, r.mode, r.direction = [PartRef("any", "head")], "keep", "keep", None
        if negated or no_longer:
            r.kind, r.mode = "move", "change"
        return r
    if kind in ("lean", "turn") and direction in ("left", "right"):
        r.frame = frame
    if kind == "gap" and direction == "apart" and len(parts) == 1 and parts[0].side in ("left", "right", "other"):
        kind, direction = "height", "up"  # "open the left leg to the side": one limb out is that limb raised
    if r.only and kind is None and parts and _only_still_moves(actions):
        r.kind, r.mode, r.direction = "keep", "keep", None  # "only the left arm moves": the rest stays
        r.mentions, r.parts = list(parts), [PartRef("any", "rest")]
        return r
    verb_kinds = {tw.VERBS.get(b, ("",))[0] for _, b in actions}
    if negated and kind in (None, "move") and verb_kinds & {"lean", "turn"} and not groups - {"torso", "head"}:
        # "don't lean to either side", "your head does not turn": that part keeps its lean / turn
        if "lean" not in verb_kinds and groups == {"torso"}:
            return r  # "the body does not turn": a rotation no measure covers, not the head
        r.parts = [PartRef("any", "torso" if "lean" in verb_kinds else "head")]
        r.kind, r.mode, r.direction = "keep", "keep", None
        return r
    no_change = "no" in ws and any(w == "no" and set(words[i + 1 : i + 3]) & _CHANGE_NOUNS for i, w in enumerate(words))
    relax = bool(actions) and all(b == "relax" for _, b in actions) and bool(limbs) and limbs <= {"arm", "hand"}
    if (
        negated
        and (limbs or groups & {"torso", "head"})  # "he does not keep his back vertical anymore": it leans
        and all(b == "do" for _, b in actions)
        and not no_change
        and _negated_keep(words, verbs)
    ):
        # "the right arm does not stay down": it moves, the other way from the state when one is named
        state = keep_state(states, side_place, limbs, False)
        kind_, _, d = (state or "move:").partition(":")
        r.kind, r.direction = (kind_, _OPPOSITE.get(d)) if kind_ in ("height", "bend") else ("move", None)
        return r
    if keep_verb and not force_keep and not still and not ws.isdisjoint(("higher", "lower")) and parts:
        # "the left stays a bit lower": lower than the other hand, a comparison inside the target pose
        r.kind, r.mode, r.level_only = ("keep", "keep", True) if level else (None, "change", False)
        return r
    if (
        force_keep
        or relax  # "relax your arm (at your side)": it ends down, however it got there
        or (keep_verb and not keep_ing)
        or (still and (not actions or all(b in _STATIVE for _, b in actions)))  # "the arms still hang down"
        or (negated and _only_still_moves(actions))
        or no_change
    ):
        r.kind, r.mode = "keep", "keep"
        r.yet = "still" in ws and not keep_verb and not negated and len(ws & tw.KEEP_WORDS) == 1
        r.mentions = excepted  # "everything except the right arm stays": the rest leaves it out
        r.level_only = level is not None and not keep_verb and not force_keep and not as_before
        if not r.parts and not limbs and (("straighten", "upright") in states or ws & {"straight", "vertical"}):
            r.parts = [PartRef("any", "torso")]  # "stay upright", "keep standing straight"
        elif groups == {"torso"} and "body" in ws and ws.isdisjoint(_TORSO_WORDS) and not r.direction:
            r.parts = [PartRef("any", "rest")]  # "without moving your body": all of it the text does not name
        ground = any(words[i : i + 3] in (["on", "the", "ground"], ["on", "the", "floor"]) for i in range(n))
        r.direction = keep_state(states, side_place or relax, limbs, ground, "same" in ws)
        return r
    if not parts and ws & tw.REFLEXIVES:
        return r  # "lower yourself", "lowering himself a little": the whole body, no one part
    if kind is None and level is not None and not parts:
        kind, direction = "height", "up"  # ", over the head", "level with the shoulder": the hand named around it
    if kind is None and level is not None and not verbs and limbs & {"arm", "hand"} and not negated:
        kind, direction = "height", "up"  # "Right arm to shoulder height": where the hand ends is the claim
        r.level_only = True
    if kind is None and not verbs and side_place and limbs and limbs <= {"arm", "hand"}:
        kind, direction = "height", "down"  # "left arm at the side": a state, checked against a raise
    if (
        kind is None
        and not verbs
        and limbs & _JOINTED
        and ("bend", "less") in states
        and ws & {"straight", "outstretched"}
    ):
        kind, direction = "bend", "less"  # "both elbow is straight": a state, checked against a bend that happened
    if kind is None and limbs and not negated and _only_still_moves(actions) and not ws & _PLACE_WORDS:
        kind = "move"  # "the other arm moves too": some measure of it changes, which way unsaid
    if kind is None:
        return r
    r.kind, r.direction = kind, direction
    if kind == "height" and direction == "up" and r.level is None and hand and ws & PART_WAY:
        r.level = "below_head"  # "raise it a little", "partway": a hand that ends over the head went further
    r.stative = (
        not verbs
        or all(b in _STATIVE for _, b in verbs)
        or (
            (not imperative or (subject is not None and all(_participle_form(words[i], b) for i, b in verbs)))
            and all(tw.VERBS.get(b, ("",))[0] == "bend" for _, b in verbs)
        )  # "left knee extended", "Left knee: extended": a state
    ) and ws.isdisjoint(_CHANGE_CUES)  # "arm down", "knees straight": a state of the target
    if no_longer and kind == "straighten":
        r.kind = None  # "no longer upright": it leans, which way said elsewhere
        return r
    if no_longer:
        r.direction = _OPPOSITE.get(direction or "")
    elif negated:
        r.mode = "negated"
    if kind in ("lean", "turn", "straighten"):
        r.parts = [PartRef("any", "head" if kind == "turn" else "torso")]
    elif kind == "squat":
        r.kind, r.direction, r.parts = "bend", "more", [PartRef("both", "knee")]
    return r


_OPPOSITE = {"up": "down", "down": "up", "more": "less", "less": "more", "closer": "apart", "apart": "closer"}


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
    """'same' that says a part keeps its state, not 'at the same time', 'the same side', 'does the same'."""
    return not _does_the_same(words) and any(
        w == "same" and words[i + 1 : i + 2] not in ([x] for x in _SAME_NOT_STILL) for i, w in enumerate(words)
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
    """'as high as', 'as far as': a comparison inside one pose."""
    return any(w == "as" and words[i + 2 : i + 3] == ["as"] for i, w in enumerate(words)) if "as" in words else False


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


_FOLLOW = frozenset({"follow", "follows", "followed", "following"})  # carried along by another part: no claim
_UP_LEVELS = frozenset({"shoulder", "above_shoulder", "above_head", "head"})
_DOWN_WORDS = frozenset({"down", "downward", "downwards", "lower", "lowered", "back"})
_SIMILE_NEXT = frozenset({"a", "an", "someone", "somebody", "when", "if"})
_SIMILE_CUES = frozenset({"like", "if", "though"})
_FIRST_CUES = frozenset({"first", "begin", "beginning", "start"})


def _without_simile(words: list[str]) -> list[str]:
    """Blank a simile tail ('like stretching the waist', 'as if waving', 'like a jumping jack'): it says how
    the move looks, not what moves ('like before' is no simile)."""
    if _SIMILE_CUES.isdisjoint(words):
        return words
    for i, w in enumerate(words[:-1]):
        nxt = words[i + 1]
        if (w == "like" and (nxt in _SIMILE_NEXT or (nxt.endswith("ing") and len(nxt) > 4))) or (
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
        elif w in tw.PARTS and not (i and (words[i - 1], w) in tw.MULTI_PARTS):
            if w in ("back", "face", "body") and not (i and words[i - 1] in POSSESSIVE) and (w, i) != ("body", 0):
                continue  # "Body go to right side": the torso, as a subject
            if w == "body" and i and (words[i - 1] in ("whole", "entire") or words[max(0, i - 2) : i] == ["of", "the"]):
                continue  # "the whole body", "no part of the body": everything, not the torso
            group, plural = tw.PARTS[w]
        elif w == "one" and i and words[i - 1] in ("left", "right", "other", "opposite") and last_parts:
            group = last_parts[-1].group
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
        if _after_landmark(words, i, verb_at):
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
        out.append(PartRef(own or _side(words, i, plural), group))
    return out, pronoun


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
            return "both"
        if w in tw.OTHER_WORDS:
            return "other"
        if w in tw.UNCLEAR_SIDE:
            return "any"
        if w not in POSSESSIVE and w not in ("-", "of", "upper", "lower", "a", "an", "side"):  # "left side arm"
            break
    if window[-1:] and window[-1] in _ROLE_WORDS and not plural:
        return "other"  # "the standing leg", "the supporting foot": not the one that moves
    if "neither" in window:
        return "both"
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


def _above_head(words: list[str]) -> bool:
    for i, w in enumerate(words):
        if w == "overhead":
            return True
        if w in ("above", "over") and "head" in words[i + 1 : i + 3]:
            return True
    return False


_DIRECTION_SIDES = {"left": "left", "right": "right", "leftward": "left", "rightward": "right", "leftwards": "left",
                    "rightwards": "right"}  # fmt: skip


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
