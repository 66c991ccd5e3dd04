"""Reading one clause of a pose-transition text: its parts, movement and mode.

The clause reader of ``pose.transition_parse``: which parts a clause moves (with their sides;
parts after a place preposition are landmarks), the movement its verbs, particles and state
words claim (``transition_words``), and whether it is a change, a keep ("keep your leg
straight", "don't move your arms") or a negated change. Kept apart from the segmentation and
carry-over rules, which change for different reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hoiscribe.pose import transition_words as tw
from hoiscribe.pose.transition_movement import LIMBS, keep_state, movement

_SOFT = frozenset({"slightly", "bit", "little", "somewhat", "gently", "tad", "touch", "barely", "lightly"})
_ABBREVIATED = {"l": "left", "r": "right", "lt": "left", "rt": "right"}  # terse notes: "L arm up"
FAMILY = {"arm": "arm", "elbow": "arm", "hand": "arm", "leg": "leg", "knee": "leg", "foot": "leg"}
_REST = frozenset({"else", "rest", "everything", "remainder"})
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
_STILL_MOVE = frozenset({"move", "shift", "change"})
_STATIVE = frozenset({"hang", "rest", "relax", "stand", "sit", "float", "settle"})  # "-ing" after a keep: a state


@dataclass(frozen=True, slots=True)
class Token:
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
    if base == "face" and prev in POSSESSIVE:
        return None
    if base in ("rise", "fall") and prev in POSSESSIVE:
        return None
    return base


def read_clause(
    toks: list[Token], last_parts: list[PartRef], force_keep: bool = False, subject: list[PartRef] | None = None
) -> Reading:
    words = _without_origin([t.low for t in toks])
    n = len(words)
    verbs: list[tuple[int, str]] = []
    for i in range(n):
        base = _is_verb(words, i)
        if base is not None:
            verbs.append((i, base))
    parts, pronoun = _parts(words, verbs, subject or last_parts)  # "Hands: the right one goes up"
    if set(words) & _REST and not parts:
        parts, pronoun = [PartRef("any", "rest")], False  # "nothing else changes", "leave the rest as it is"
    if not parts and subject:
        parts = list(subject)
    elif not parts and pronoun:
        parts = list(last_parts)
    imperative = [(i, b) for i, b in verbs if not _participle(words, i, b)]
    r = Reading(toks, parts, pronoun, bool(imperative), None, None, "change")
    ws = set(words)
    first_pose = any(w in ("first", "left", "original") and words[i + 1 : i + 2] and words[i + 1] in _POSE_NOUNS
                     for i, w in enumerate(words))  # fmt: skip
    attendant = words[0] == "with" and not (ws & tw.KEEP_WORDS or ws & tw.KEEP_VERBS)  # "with your arms raised"
    if ((ws & _REFERENCE_CUES or first_pose) and not ({"now", "finally"} & ws)) or "than" in ws or attendant:
        # about the reference pose, or a comparison inside one pose ("higher than the right hand")
        r.skip = True
        return r
    negated = bool(ws & tw.NEGATORS)
    no_longer = any(words[i] == "no" and words[i + 1] == "longer" for i in range(n - 1))
    keep_verb = any(b in tw.KEEP_VERBS for _, b in verbs)
    keep_ing = any(  # "keep raising it" goes on moving; "stays hanging", "keep it resting" are states
        b in tw.KEEP_VERBS
        and i + 1 < n
        and words[i + 1].endswith("ing")
        and tw.verb_forms().get(words[i + 1], "hang") not in _STATIVE
        for i, b in verbs
    )
    still = bool(ws & tw.KEEP_WORDS) or any(tuple(words[i : i + 2]) in tw.STILL_PHRASES for i in range(n - 1))
    if "still" in ws and keep_ing:
        still = False
    actions = [(i, b) for i, b in verbs if b not in tw.KEEP_VERBS]
    groups = {p.group for p in parts}
    limbs = groups & LIMBS
    r.only = "only" in ws
    r.soft = bool(ws & _SOFT)
    r.above_head = _above_head(words)
    frame, side_dir = _frame_direction(words)
    states = [
        tw.STATE_WORDS[w]
        for i, w in enumerate(words)
        if w in tw.STATE_WORDS and not _is_verb(words, i) and tuple(words[i : i + 2]) not in tw.MULTI_PARTS
    ]  # "lower" in "the lower leg" names the part, not a height
    if "back" in ws and not any(p == "back" for p in _part_words(words)):
        states.append(("dir", "back"))
    if r.above_head:
        states.append(("height", "up"))
    if any(words[i] in ("to", "toward", "towards") and words[i + 1 : i + 3] in (["the", "floor"], ["the", "ground"])
           for i in range(n - 1)):  # fmt: skip
        states.append(("height", "down"))
    side_place = any(w in ("side", "sides") for w in words) and ("out" not in ws)
    kind, direction = movement(words, actions, states, limbs, groups, frame, side_dir, side_place, ws)
    if kind in ("lean", "turn") and direction in ("left", "right"):
        r.frame = frame
    if r.only and kind is None and parts and _only_still_moves(actions):
        r.kind, r.mode, r.direction = "keep", "keep", None  # "only the left arm moves": the rest stays
        r.mentions, r.parts = list(parts), [PartRef("any", "rest")]
        return r
    verb_kinds = {tw.VERBS.get(b, ("",))[0] for _, b in actions}
    if negated and kind is None and verb_kinds & {"lean", "turn"} and not groups - {"torso", "head"}:
        # "don't lean to either side", "your head does not turn": that part keeps its lean / turn
        r.parts = [PartRef("any", "torso" if "lean" in verb_kinds else "head")]
        r.kind, r.mode, r.direction = "keep", "keep", None
        return r
    no_change = any(words[i] == "no" and words[i + 1] in ("change", "changes", "movement") for i in range(n - 1))
    relax = bool(actions) and all(b == "relax" for _, b in actions) and bool(limbs) and limbs <= {"arm", "hand"}
    if (
        force_keep
        or relax  # "relax your arm (at your side)": it ends down, however it got there
        or (keep_verb and not keep_ing)
        or (still and not actions)
        or (negated and _only_still_moves(actions))
        or no_change
    ):
        r.kind, r.mode = "keep", "keep"
        ground = any(words[i : i + 3] in (["on", "the", "ground"], ["on", "the", "floor"]) for i in range(n))
        r.direction = keep_state(states, side_place or relax, limbs, ground, "same" in ws)
        return r
    if kind is None:
        return r
    r.kind, r.direction = kind, direction
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


def _without_origin(words: list[str]) -> list[str]:
    """Blank 'from hanging down' in 'goes from hanging down to raised': the start state is no claim."""
    if "from" not in words:
        return words
    f = words.index("from")
    end = next((k for k in range(f + 1, len(words)) if words[k] in ("to", "into", "until", "till")), None)
    if end is None:
        return words
    return words[:f] + [""] * (end - f) + words[end:]


def _participle(words: list[str], i: int, base: str) -> bool:
    """'relaxed' / 'bent' after a part ('your left arm relaxed by your side'): a state, not an instruction."""
    w = words[i]
    if w == base or not (w.endswith("ed") or w in ("bent", "held", "kept", "hung", "spread", "put", "let")):
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
        if w in tw.PARTS and (w not in ("back", "face", "body") or (i and words[i - 1] in POSSESSIVE | {"upper"})):
            out.append(w)
    return out


def _parts(words: list[str], verbs: list[tuple[int, str]], last_parts: list[PartRef]) -> tuple[list[PartRef], bool]:
    """Parts a clause moves (not landmarks) with their sides; and whether it says 'it'/'them'."""
    verb_at = {i for i, _ in verbs}
    out: list[PartRef] = []
    pronoun = False
    n = len(words)
    for i, w in enumerate(words):
        if w in tw.PRONOUNS and not _after_landmark(words, i, verb_at):
            pronoun = True
            continue
        group: str | None = None
        plural = False
        if i + 1 < n and (w, words[i + 1]) in tw.MULTI_PARTS:
            group = tw.MULTI_PARTS[(w, words[i + 1])]
        elif w in tw.PARTS and not (i and (words[i - 1], w) in tw.MULTI_PARTS):
            if w in ("back", "face", "body") and not (i and words[i - 1] in POSSESSIVE):
                continue
            group, plural = tw.PARTS[w]
        elif w == "one" and i and words[i - 1] in ("left", "right", "other", "opposite") and last_parts:
            group = last_parts[-1].group
        elif w == "side" and i and words[i - 1] in ("left", "right") and words[i + 1 : i + 2] == ["of"]:
            group = "side"  # "the right side of your body"
        if group is None:
            continue
        if _after_landmark(words, i, verb_at):
            continue
        if (
            w in ("head",)
            and i
            and words[i - 1] in ("your", "the", "his", "her", "their")
            and i > 1
            and (words[i - 2] in ("above", "over", "behind", "to", "toward", "towards", "on"))
        ):
            continue
        out.append(PartRef(_side(words, i, plural), group))
    return out, pronoun


def _after_landmark(words: list[str], i: int, verb_at: set[int]) -> bool:
    """A part after a place preposition ('on your hips', 'to your chest', 'at the knee') is a landmark."""
    for k in range(i - 1, max(-1, i - 5), -1):
        if k in verb_at:
            return False
        w = words[k]
        if w in _LANDMARK_PREPS:
            return True
        if w not in POSSESSIVE and w not in ("left", "right", "-", "both", "other", "opposite", "of", "each",
                                              "upper", "lower", "one", "a", "an", "little"):  # fmt: skip
            return False
    return False


def _side(words: list[str], i: int, plural: bool) -> str:
    window = words[max(0, i - 4) : i]
    if "left" in window and "right" in window and "and" in window:
        return "both"  # "the left and right arms"
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
        if w not in POSSESSIVE and w not in ("-", "of", "upper", "lower", "a", "an"):
            break
    if "neither" in window:
        return "both"
    return "both" if plural else "any"


def _above_head(words: list[str]) -> bool:
    for i, w in enumerate(words):
        if w == "overhead":
            return True
        if w in ("above", "over") and "head" in words[i + 1 : i + 3]:
            return True
    return False


def _frame_direction(words: list[str]) -> tuple[str | None, str | None]:
    """A left/right that is a direction, not a part's side: with its frame (your, image, unclear)."""
    for i, w in enumerate(words):
        side = {"left": "left", "right": "right", "leftward": "left", "rightward": "right", "leftwards": "left",
                "rightwards": "right"}.get(w)  # fmt: skip
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
