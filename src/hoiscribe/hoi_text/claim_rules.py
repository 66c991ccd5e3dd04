"""What counts as agreeing with the facts: state compatibility, pose tolerance, implied verbs.

HAKE part states are multi-label and phrased loosely in free text ("holding" for a hand
HAKE marks as ``carry``), so a claimed state contradicts an annotated one only when the
two cannot hold together (a hand "pointing to" what HAKE says it holds). Pose words get
one step of tolerance ("bent" for a slightly bent arm is fine; "straight" for a sharply
bent one is not). The corruption benchmark judges its labels with these same rules.
"""

from __future__ import annotations

from typing import Any

from hoiscribe.hoi_text.claim_words import state_words

# HAKE state -> cluster, per group; states of one cluster (or of compatible clusters) can co-occur.
_CLUSTERS: dict[str, dict[str, tuple[str, ...]]] = {
    "hand": {
        "grasp": ("hold", "carry", "lift", "raise(over head)", "hold in both hands", "squeeze", "pinch", "twist",
                  "pull", "pull with something", "push", "throw", "throw out", "cut with something",
                  "wash with something", "catch with something", "pour into", "use something to point to",
                  "point with", "feed", "write on"),
        "contact": ("touch", "press", "scratch", "wash", "put on", "wear"),
        "gesture": ("point to", "gesture to", "reach for"),
    },
    "arm": {"hug": ("hug",), "carry": ("shoulder carry",), "swing": ("swing",), "close": ("be close to",)},
    "hip": {"sit": ("sit on", "sit in"), "beside": ("sit beside",), "close": ("be close with",)},
    "foot": {
        "support": ("stand on", "tread on"),
        "move": ("walk with", "walk to", "run with", "run to", "walk away"),
        "jump": ("jump with", "jump down"),
        "ball": ("dribble", "kick"),
    },
    "leg": {
        "move": ("walk with", "walk to", "run with", "run to", "walk away"),
        "jump": ("jump with", "jump down"),
        "straddle": ("straddle",),
        "close": ("is close with",),
    },
    "head": {
        "eat": ("eat", "lick", "drink with", "blow", "kiss"),
        "look": ("inspect", "smell"),
        "talk": ("talk with something", "talk to"),
        "wear": ("wear", "put something over head"),
        "close": ("be close with",),
    },
}  # fmt: skip
# cluster pairs that can hold together; a weak claim ("close to", "looking at") goes with any state
_COMPATIBLE = {("hand", "grasp", "contact"), ("foot", "move", "ball"), ("foot", "jump", "move"),
               ("leg", "jump", "move"), ("foot", "jump", "ball"), ("foot", "jump", "support"),
               ("foot", "ball", "support"), ("hand", "gesture", "contact")}  # fmt: skip
# (a foot jumps with the board it stands on: "his feet stay on the deck" of an ollie; walking or running is off it)
_WEAK = {"close", "look"}
# hand states that say only that the hand has the object: each backs a verb that says another of them
_GENERIC_GRASP = frozenset({"hold", "carry", "lift", "raise(over head)", "hold in both hands"})
WEAK_CLUSTERS = frozenset(_WEAK)
# hand states that cannot be done without holding the object: each makes "holding it" true
_HOLDING = _GENERIC_GRASP | {"pull", "pull with something", "squeeze", "pinch", "twist", "cut with something",
                             "wash with something", "pour into", "use something to point to", "point with"}  # fmt: skip

BEND_SCALE = {"straight": 0, "slightly bent": 1, "bent": 2, "sharply bent": 3}
HEIGHT_SCALE = {"not raised": 0, "above shoulder": 1, "above head": 2}
SPREAD_SCALE = {
    "hands": {"close together": 0, "between": 1, "far apart": 2},
    "feet": {"close together": 0, "between": 1, "wide apart": 2},
}
TORSO_CLASH = {
    ("upright", "horizontal"),
    ("horizontal", "upright"),
    ("leaning image-left", "leaning image-right"),
    ("leaning image-right", "leaning image-left"),
}
POSE_TOLERANCE = 1  # scale steps a pose word may be off by and still count as agreeing

# HICO verbs a label makes true as well (riding a bicycle is sitting on and holding it).
_GRASP_VERBS = (
    "carry", "swing", "wield", "cut_with", "brush_with", "drink_with", "sip", "read", "text_on", "talk_on", "fly",
    "lift", "pick_up", "stir", "pour", "squeeze", "stab", "toast", "peel", "throw", "catch", "hose", "eat",
    "hold", "sign", "flip", "dry", "wash", "open", "light", "blow",
)  # fmt: skip
IMPLIED_VERBS: dict[str, frozenset[str]] = {v: frozenset({"hold"}) for v in _GRASP_VERBS}
IMPLIED_VERBS.update(
    {
        "ride": frozenset({"sit_on", "straddle", "hold", "stand_on"}),
        "race": frozenset({"ride", "sit_on", "straddle", "hold", "stand_on"}),
        "straddle": frozenset({"sit_on"}),  # straddling a parked bike is not riding it
        "hop_on": frozenset({"ride", "sit_on", "straddle", "stand_on"}),
        "hug": frozenset({"hold"}),
        "drink_with": frozenset({"hold", "sip"}),
        "sip": frozenset({"hold", "drink_with"}),
        "eat": frozenset({"hold", "lick"}),
        "lick": frozenset({"eat", "hold"}),
        "jump": frozenset({"ride", "stand_on"}),
        "board": frozenset({"ride"}),
        "drive": frozenset({"ride", "sit_on", "hold"}),
        "walk": frozenset({"hold", "pull", "lead"}),
        "pet": frozenset({"touch"}),
    }
)


def cluster(group: str, state: str) -> str:
    for name, states in _CLUSTERS.get(group, {}).items():
        if state in states:
            return name
    return state


def states_compatible(group: str, claimed: frozenset[str] | set[str], annotated: str) -> bool:
    """True when one of the ``claimed`` states can hold together with the ``annotated`` one."""
    a = cluster(group, annotated)
    for state in claimed:
        c = cluster(group, state)
        if c == a or c in _WEAK or (group, c, a) in _COMPATIBLE or (group, a, c) in _COMPATIBLE:
            return True
    return False


def side_states(facts: dict[str, Any], group: str, side: str | None) -> list[str]:
    return [ps["state"] for ps in facts.get("part_states", ()) if ps["group"] == group and ps["side"] == side]


def part_name(group: str, side: str | None) -> str:
    return f"{side} {group}" if side else group


def same_cluster(facts: dict[str, Any], group: str, side: str | None, claimed: frozenset[str]) -> bool:
    """A state of the very cluster claimed on this side (not merely a compatible one: touch is not hold)."""
    annotated = {cluster(group, s) for s in side_states(facts, group, side)}
    if group == "hand" and any(ps["state"] == "hold in both hands" for ps in facts.get("part_states", ())):
        annotated.add("grasp")
    return any(cluster(group, c) in annotated for c in claimed)


def side_agrees(facts: dict[str, Any], group: str, side: str | None, claimed: frozenset[str]) -> bool:
    """Does this part carry an annotated state that agrees with the claim?"""
    if any(states_compatible(group, claimed, s) for s in side_states(facts, group, side)):
        return True
    # HAKE puts "hold in both hands" on one hand; it still says both hands hold
    if group == "hand" and claimed & set(_CLUSTERS["hand"]["grasp"]):
        return any(ps["state"] == "hold in both hands" for ps in facts.get("part_states", ()))
    return False


def verb_backed(verb: str, facts: dict[str, Any]) -> bool:
    """A HICO verb not in the label that some annotated part state says anyway ('holding' when a hand holds).

    Also a verb whose defining part state (the first the lexicon says it implies) is annotated:
    'watching' the bird when HAKE says the head inspects it.
    """
    from hoiscribe.hoi_text.phrases import verb_table

    implied = verb_table().get(verb, {}).get("implies") or []
    if implied:
        group, _, state = implied[0].partition(":")
        for ps in facts.get("part_states", ()):
            if ps["group"] == group and (
                ps["state"] == state or {ps["state"], state} == {"hold", "hold in both hands"}
            ):
                return True
    if verb == "hold" and holds(facts):
        return True  # "holding the kite lines" while the hands pull with them
    head = verb.split("_")[0]
    for ps in facts.get("part_states", ()):
        claimed = state_words().get(ps["group"], {}).get(head)
        if claimed is None:
            continue
        if ps["state"] in claimed or (claimed & _GENERIC_GRASP and ps["state"] in _GENERIC_GRASP):
            return True  # 'lifting the glass' when HAKE says the hand holds it; not 'catching' or 'throwing'
    return False


def holds(facts: dict[str, Any]) -> bool:
    """HAKE gives a hand a state that cannot be done without holding the object."""
    return any(ps["group"] == "hand" and ps["state"] in _HOLDING for ps in facts.get("part_states", ()))


def verb_agrees(verb: str, facts: dict[str, Any]) -> bool:
    """Is a HICO verb claimed about the pair's object true of the pair?"""
    it = facts.get("interaction") or {}
    label = it.get("verb")
    if verb == label or verb in facts.get("pair_verbs", ()) or verb in facts.get("person_verbs", ()):
        return True  # person_verbs: another label of this person with an object of the same category
    if label and verb in IMPLIED_VERBS.get(label, ()):
        return True
    if any(verb in IMPLIED_VERBS.get(v, ()) for v in facts.get("pair_verbs", ())) or verb_backed(verb, facts):
        return True
    return any(_synonymous(verb, v) for v in {label, *facts.get("pair_verbs", ())} if v)


def _synonymous(a: str, b: str) -> bool:
    """Two HICO verbs one of whose lexicon synonyms is the other's label ('wield' ~ 'swing')."""
    from hoiscribe.hoi_text.phrases import verb_table

    table = verb_table()
    if a not in table or b not in table:
        return False
    return table[b]["label"] in table[a]["synonyms"] or table[a]["label"] in table[b]["synonyms"]


def actual_pose(facts: dict[str, Any], code: str, side: str | None) -> set[int] | None:
    """Scale positions the keypoints allow for a code on one side; None when they say nothing."""
    codes = {(pc["code"], pc["side"]): pc["value"] for pc in facts.get("posecodes", ())}
    value = codes.get((code, side))
    if code in ("elbow", "knee"):
        return {BEND_SCALE[value]} if value else None
    if value is not None:
        return {HEIGHT_SCALE[value]}
    visible = set(facts.get("visible_keypoints", ()))
    if f"{side}_wrist" not in visible:
        return None
    if f"{side}_shoulder" in visible:
        return {0}
    if visible & {"nose", "left_eye", "right_eye", "left_ear", "right_ear"}:
        return {0, 1}
    return None


def acts_elsewhere(verbs: frozenset[str] | set[str], facts: dict[str, Any]) -> bool:
    """Another label of this person has an object of this pair's kind, and a part the verbs need that this pair
    does not list acts in some label of theirs: "holds a single ski in his left hand" of a stand_on-skis pair whose
    person also wears skis, with a left hand listed there, may be about that other ski."""
    it = facts.get("interaction") or {}
    if not set(facts.get("person_verbs") or ()) - {it.get("verb"), *facts.get("pair_verbs", ())}:
        return False
    from hoiscribe.hoi_text.phrases import verb_table

    table = verb_table()
    groups = {key.split(":", 1)[0] for v in verbs if v in table for key in table[v]["implies"]}
    own = {ps["part"] for ps in facts.get("part_states", ())}
    return any(p.split()[-1] in groups and p not in own for p in facts.get("person_parts") or ())


def idle_gaze(facts: dict[str, Any]) -> bool:
    """The head does nothing with the object: idle in HAKE, or listed by no label of a person whose labels are all
    known (``person_parts``); not a head merely left out of a lone label, as HAKE often leaves a gaze out."""
    if "head" not in facts.get("idle_parts", ()):
        return False
    return facts.get("person_parts") is not None or "head" not in facts.get("absent_parts", ())
