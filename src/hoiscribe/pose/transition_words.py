"""The words of pose-transition prose: body parts, movement verbs, particles and cue words.

Built from closed lists by role, not grown sentence by sentence: each movement verb is listed
once in its base form with what it claims (a ``kind`` of change and, when the verb fixes it, a
``direction``), and every inflection is generated from it by lemminflect, so "lifts",
"lifted" and "lifting" read the same as "lift". Verbs that move a part without saying which
way ("bring", "move", "swing", "relax") take their direction from a particle ("up", "down",
"apart", "forward"). The front end (``pose.transition_parse``) reads text with these tables;
the checker (``pose.checker``) only sees the claims.
"""

from __future__ import annotations

from functools import cache

# word -> (part group, plural?)  groups: arm elbow hand leg knee foot torso head
PARTS: dict[str, tuple[str, bool]] = {
    "arm": ("arm", False), "arms": ("arm", True), "forearm": ("arm", False), "forearms": ("arm", True),
    "elbow": ("elbow", False), "elbows": ("elbow", True),
    "hand": ("hand", False), "hands": ("hand", True), "wrist": ("hand", False), "wrists": ("hand", True),
    "fist": ("hand", False), "fists": ("hand", True), "palm": ("hand", False), "palms": ("hand", True),
    "leg": ("leg", False), "legs": ("leg", True), "thigh": ("leg", False), "thighs": ("leg", True),
    "shin": ("leg", False), "shins": ("leg", True),
    "knee": ("knee", False), "knees": ("knee", True),
    "foot": ("foot", False), "feet": ("foot", True), "ankle": ("foot", False), "ankles": ("foot", True),
    "heel": ("foot", False), "heels": ("foot", True), "stance": ("foot", True),
    "torso": ("torso", False), "trunk": ("torso", False), "chest": ("torso", False), "back": ("torso", False),
    "waist": ("torso", False), "body": ("torso", False), "spine": ("torso", False),
    "head": ("head", False), "face": ("head", False), "chin": ("head", False), "gaze": ("head", False),
}  # fmt: skip
# "the left arm's upper part": the arm (not "the body's weight": its owner, no limb)
PARTS.update({f"{w}'s": v for w, v in list(PARTS.items()) if not v[1] and v[0] not in ("torso", "head")})
# parts no measure covers: a clause about them claims nothing checkable
UNMEASURED = frozenset(
    {"shoulder", "shoulders", "hip", "hips", "finger", "fingers", "thumb", "thumbs", "toe", "toes", "neck", "eyes",
     "pelvis", "weight", "glance", "hair", "mouth", "lips", "eyebrows", "brow", "calf", "calves"}
)  # fmt: skip
MULTI_PARTS = {("upper", "body"): "torso", ("upper", "torso"): "torso", ("lower", "back"): "torso",
               ("lower", "leg"): "leg", ("lower", "legs"): "leg", ("lower", "arm"): "arm", ("lower", "arms"): "arm",
               ("upper", "leg"): "leg", ("upper", "legs"): "leg", ("upper", "arm"): "arm",
               ("upper", "arms"): "arm"}  # fmt: skip

MULTI_PARTS_FIRST = frozenset(a for a, _ in MULTI_PARTS)  # "upper", "lower"

# base verb -> (kind, direction or None); kind: height bend lean turn gap straighten squat move
VERBS: dict[str, tuple[str, str | None]] = {
    "raise": ("height", "up"), "lift": ("height", "up"), "hoist": ("height", "up"), "elevate": ("height", "up"),
    "lower": ("height", "down"), "drop": ("height", "down"), "sink": ("height", "down"), "hang": ("height", "down"),
    "bend": ("bend", "more"), "flex": ("bend", "more"), "fold": ("bend", "more"), "crook": ("bend", "more"),
    "curl": ("bend", "more"), "tuck": ("bend", "more"), "cock": ("bend", "more"),
    "straighten": ("bend", "less"), "extend": ("bend", "less"), "unbend": ("bend", "less"),
    "stretch": ("bend", "less"), "lock": ("bend", "less"), "unfold": ("bend", "less"), "uncurl": ("bend", "less"),
    "lean": ("lean", None), "tilt": ("lean", None), "incline": ("lean", None), "slant": ("lean", None),
    "tip": ("lean", None), "sway": ("lean", None),
    "hunch": ("lean", "forward"), "slouch": ("lean", "forward"), "stoop": ("lean", "forward"),
    "bow": ("lean", "forward"), "arch": ("lean", "back"), "dip": ("height", "down"),
    "turn": ("turn", None), "rotate": ("turn", None), "look": ("turn", None), "glance": ("turn", None),
    "twist": ("turn", None), "face": ("turn", None), "swivel": ("turn", None),
    "spread": ("gap", "apart"), "widen": ("gap", "apart"), "part": ("gap", "apart"), "separate": ("gap", "apart"),
    "open": ("gap", "apart"), "narrow": ("gap", "closer"), "close": ("gap", "closer"), "join": ("gap", "closer"),
    "squat": ("squat", "more"), "crouch": ("squat", "more"),
    "bring": ("move", None), "move": ("move", None), "put": ("move", None), "swing": ("move", None),
    "reach": ("move", None), "shift": ("move", None), "pull": ("move", None), "push": ("move", None),
    "relax": ("move", None), "let": ("move", None), "place": ("move", None), "kick": ("move", None),
    "return": ("move", None), "take": ("move", None), "get": ("move", None), "point": ("move", None),
    "stick": ("move", None), "throw": ("move", None), "fling": ("move", None), "pump": ("move", None),
    "step": ("move", None), "slide": ("move", None), "draw": ("move", None), "sweep": ("move", None),
    "fall": ("height", "down"), "rise": ("height", "up"), "come": ("move", None), "go": ("move", None),
    "release": ("move", None), "shoot": ("move", None), "pop": ("move", None), "sit": ("move", None),
    "stand": ("move", None), "float": ("move", None), "settle": ("move", None), "make": ("move", None),
    "change": ("move", None), "do": ("move", None), "happen": ("move", None), "cross": ("move", None),
    "abduct": ("height", "up"), "adduct": ("height", "down"), "involve": ("move", None), "participate": ("move", None),
}  # fmt: skip
# comparative / state words that carry a direction themselves
STATE_WORDS: dict[str, tuple[str, str]] = {
    "higher": ("height", "up"), "up": ("height", "up"), "upward": ("height", "up"), "upwards": ("height", "up"),
    "overhead": ("height", "up"), "aloft": ("height", "up"), "raised": ("height", "up"), "lifted": ("height", "up"),
    "skyward": ("height", "up"), "skywards": ("height", "up"), "high": ("height", "up"),
    "lower": ("height", "down"), "down": ("height", "down"), "downward": ("height", "down"),
    "downwards": ("height", "down"), "lowered": ("height", "down"),
    "straight": ("bend", "less"), "straighter": ("bend", "less"), "extended": ("bend", "less"),
    "outstretched": ("bend", "less"), "bent": ("bend", "more"), "flexed": ("bend", "more"),
    "apart": ("gap", "apart"), "wider": ("gap", "apart"), "farther": ("gap", "apart"), "further": ("more", "more"),
    "together": ("gap", "closer"), "closer": ("gap", "closer"), "nearer": ("gap", "closer"),
    "narrower": ("gap", "closer"),
    "forward": ("dir", "forward"), "forwards": ("dir", "forward"), "backward": ("dir", "back"),
    "backwards": ("dir", "back"), "upright": ("straighten", "upright"), "erect": ("straighten", "upright"),
    "tall": ("straighten", "upright"), "taller": ("straighten", "upright"),
}  # fmt: skip
DEGREE_LESS = frozenset({"less", "fewer"})
DEGREE_MORE = frozenset({"more", "further", "deeper", "tighter", "sharper"})

# cue words
NEGATORS = frozenset({"not", "never", "don't", "dont", "doesn't", "didn't", "isn't", "aren't", "without", "avoid",
                      "no", "nor", "neither", "none", "instead", "rather", "shouldn't", "mustn't",
                      "can't", "nothing", "refrain", "resist"})  # fmt: skip
KEEP_VERBS = frozenset({"keep", "hold", "stay", "remain", "leave", "maintain", "freeze", "retain", "continue"})
KEEP_WORDS = frozenset({"still", "steady", "stationary", "motionless", "unchanged", "unmoved", "static", "fixed",
                        "stable", "frozen", "unmoving", "immobile", "planted", "grounded", "untouched", "unaltered",
                        "undisturbed", "intact", "identical"})  # fmt: skip
STILL_PHRASES = (("in", "place"), ("where", "it"), ("where", "they"), ("as", "it"), ("as", "they"), ("as", "before"),
                 ("as", "is"), ("at", "rest"), ("stay", "put"))  # fmt: skip
UNCLEAR_SIDE = frozenset({"either", "one", "any", "whichever"})
OTHER_WORDS = frozenset({"other", "opposite"})
BOTH_WORDS = frozenset({"both", "each", "all"})
PRONOUNS = frozenset({"it", "them"})
REFLEXIVES = frozenset({"yourself", "himself", "herself", "themselves", "itself", "oneself", "myself"})
SIDE_PLACES = frozenset({"side", "sides", "thigh", "thighs", "hip", "hips", "waist"})  # "lower it to your side"
# conjunctions and subordinators that start a new clause
CLAUSE_WORDS = frozenset({"and", "then", "while", "whilst", "as", "but", "before", "after", "also", "plus", "so",
                          "meanwhile", "until", "till", "whereas", "although", "though", "yet", "instead"})  # fmt: skip


@cache
def verb_forms() -> dict[str, str]:
    """Every inflected form of every verb in ``VERBS`` and ``KEEP_VERBS`` -> its base form."""
    try:
        from lemminflect import getAllInflections
    except ModuleNotFoundError as exc:  # a core dependency; the message names it if a broken install lacks it
        raise ModuleNotFoundError("the pose checker needs the package 'lemminflect': pip install lemminflect") from exc
    out: dict[str, str] = {}
    for base in (*VERBS, *KEEP_VERBS):
        out.setdefault(base, base)
        for forms in getAllInflections(base, upos="VERB").values():
            for form in forms:
                out.setdefault(form, base)
    out.pop("left", None)  # a side word, never "leave" here
    return out
