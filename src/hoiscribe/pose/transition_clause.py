"""Reading one clause of a pose-transition text: its parts, movement and mode.

The clause reader of ``pose.transition_parse``: which parts a clause moves (with their sides;
parts after a place preposition are landmarks), the movement its verbs, particles and state
words claim (``transition_words``), and whether it is a change, a keep ("keep your leg
straight", "don't move your arms") or a negated change. Kept apart from the segmentation and
carry-over rules, which change for different reasons. The part and side reader is
``transition_parts``; the word cues it reads first (verbs, blanked phrases, reference cues, floor
contact, ellipsis) are ``transition_cues``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from hoiscribe.pose import transition_words as tw
from hoiscribe.pose.transition_cues import (
    _FLOOR,
    _OBJECT_START,
    _REFERENCE_CUES,
    _above_head,
    _as_as,
    _as_before,
    _at_first,
    _copula_before,
    _do_ellipsis,
    _does_the_same,
    _frame_direction,
    _ground,
    _is_verb,
    _negated_keep,
    _only_still_moves,
    _other_parts,
    _participle,
    _participle_form,
    _pointing_level,
    _same_is_still,
    _without_exception,
    _without_origin,
    _without_simile,
    _without_than_before,
)
from hoiscribe.pose.transition_movement import LIMBS, keep_state, level_of, movement
from hoiscribe.pose.transition_parts import _LANDMARK_PREPS, PartRef, _part_words, _parts

_SOFT = frozenset({"slightly", "bit", "little", "somewhat", "gently", "tad", "touch", "barely", "lightly"})
_REST = frozenset({"else", "rest", "everything", "remainder", "limbs", "nothing"})
_POSE_NOUNS = frozenset({"image", "pose", "picture", "photo", "frame", "position", "panel"})
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
# "-ing" after a keep, or these verbs alone: a state ("let your arms hang": 'let' only lends them)
_STATIVE = frozenset({"hang", "rest", "relax", "stand", "sit", "float", "settle", "do", "let"})


class Token(NamedTuple):
    """One lower-cased word or mark and its character span (a tuple: texts have many, made fast)."""

    low: str
    start: int
    end: int


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
        sided = [p for p in landmarks if p.group == "side" and p.side in ("left", "right")]
        if "limbs" in ws and len(sided) == 1:
            parts = sided  # "the limbs on the right side don't move": that side's limbs
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
    if attendant and level is not None and parts and not level_than and not ws & tw.NEGATORS - {"not"}:
        # "with the right hand above the head", "with each hand ending at shoulder height": where it ends
        r.kind, r.direction, r.level, r.level_only, r.spent_negation = "height", "up", level, True, level_negated
        return r
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
    keep_ing = (
        keep_verb
        and any(  # "keep raising it", "continue to raise it" go on moving; "stays hanging" is a state
            b in tw.KEEP_VERBS
            and (nxt := words[i + 2] if words[i + 1 : i + 2] == ["to"] else words[i + 1] if i + 1 < n else "")
            and (nxt.endswith("ing") or words[i + 1 : i + 2] == ["to"])
            and tw.verb_forms().get(nxt, "hang") not in _STATIVE
            for i, b in verbs
            if i + 1 < n
        )
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
    side_place = (
        not ws.isdisjoint(("side", "sides"))
        and ("out" not in ws)
        and not all(_side_specifier(words, j) for j, w in enumerate(words) if w in ("side", "sides"))
    )
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
        elif (
            groups == {"torso"}
            and "body" in ws
            and ws.isdisjoint(_TORSO_WORDS)
            and not r.direction
            and ("straighten", "upright") not in states  # "hold your body upright": the torso's lean
            and ws.isdisjoint(("straight", "vertical"))
        ):
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
    if kind == "height" and direction in ("up", "down") and not ws.isdisjoint(_SEGMENTS) and not negated:
        kind, direction = "bend", "more" if direction == "up" else "less"  # "the forearm comes up": the elbow bends
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


def _side_specifier(words: list[str], j: int) -> bool:
    """'(the arm) on the left side', 'of the right side': which side, not a place beside the body."""
    return j > 1 and words[j - 1] in ("left", "right") and not {"on", "of"}.isdisjoint(words[max(0, j - 4) : j - 1])


_SEGMENTS = frozenset({"forearm", "forearms", "shin", "shins"})  # the segment below the joint: its rise is the bend
_OPPOSITE = {"up": "down", "down": "up", "more": "less", "less": "more", "closer": "apart", "apart": "closer"}


# carried along by another part ("the arms follow", "they travel / ride with the torso"): no claim
_FOLLOW = frozenset({"follow", "follows", "followed", "following", "travel", "travels", "traveled", "travelled",
                     "traveling", "travelling", "ride", "rides", "riding", "rode", "accompany", "accompanies",
                     "accompanied", "accompanying", "carry", "carries", "carried", "carrying"})  # fmt: skip
_UP_LEVELS = frozenset({"shoulder", "above_shoulder", "above_head", "head"})
_DOWN_WORDS = frozenset({"down", "downward", "downwards", "lower", "lowered", "back"})
