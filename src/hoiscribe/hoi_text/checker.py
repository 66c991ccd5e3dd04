"""Claim-level grounding checker: is each claim of a text supported by the sample's facts?

A claim is a body-part statement (part + side + state or pose, with its object), an
interaction (verb + object) or a person count, found by :mod:`hoiscribe.hoi_text.claims` in
any text: the grounded engine's bullets or a VLM's free prose. Each is labelled supported,
contradicted (with a type: ``left_right_swap``, ``wrong_verb``, ``wrong_object``,
``part_state``, ``invisible_part``, ``pose``, ``person_count``) or unverifiable (the facts
say nothing about it). Precision comes first: a claim is contradicted only when the facts
rule it out, by the rules of :mod:`hoiscribe.hoi_text.claim_rules`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from hoiscribe.core.verdicts import CONTRADICTED, SUPPORTED, UNVERIFIABLE, Claim, GroundingReport
from hoiscribe.hoi_text.claim_rules import (
    BEND_SCALE,
    HEIGHT_SCALE,
    POSE_TOLERANCE,
    SPREAD_SCALE,
    TORSO_CLASH,
    actual_pose,
    cluster,
    part_name,
    same_cluster,
    side_agrees,
    side_states,
    verb_agrees,
)
from hoiscribe.hoi_text.claims import (
    AnyClaim,
    CountClaim,
    MentionClaim,
    PartRef,
    PoseClaim,
    StateClaim,
    VerbClaim,
    extract,
    mentions_object,
)
from hoiscribe.hoi_text.phrases import verb_table
from hoiscribe.vocab.hake import HAKE_PARTS
from hoiscribe.vocab.lexicon import object_text

__all__ = ["CONTRADICTED", "CONTRADICTION_TYPES", "SUPPORTED", "UNVERIFIABLE", "Claim", "GroundingReport", "check_text"]

CONTRADICTION_TYPES = (
    "left_right_swap",
    "wrong_verb",
    "wrong_object",
    "part_state",
    "invisible_part",
    "pose",
    "person_count",
    "negation",
)
_OTHER = {"left": "right", "right": "left"}
# person-level verbs that need a body part; when HAKE marks all of them idle the verb is false
_VERB_PARTS = {
    "sit_on": ("hip",),
    "sit_at": ("hip",),
    "stand_on": ("left foot", "right foot"),
    "straddle": ("left leg", "right leg"),
}


_LOOKING = frozenset({"watch", "inspect", "check", "read"})


@dataclass(frozen=True)
class _Facts:
    """The facts plus what the whole text says about the object, shared by every judgement."""

    facts: dict[str, Any]
    category: str | None  # the pair's object
    object_named: bool  # the text names the pair's object somewhere
    head_known: bool = False  # HAKE itself gives the head a state (or no_interaction) for this pair


def check_text(text: str, facts: dict[str, Any]) -> GroundingReport:
    """Label every claim found in ``text`` against ``facts`` (see ``tasks.facts``)."""
    return judge_claims(extract(text), text, facts)


def judge_claims(claims: list[AnyClaim], text: str, facts: dict[str, Any]) -> GroundingReport:
    """Judge claims found in ``text`` (by the rule front end or an LLM extractor) against ``facts``."""
    obj = facts.get("object")
    category = obj["category"] if obj else None
    named = category is not None and mentions_object(text, category, object_position_only=category == "person")
    full = with_absent_parts(facts)
    head = any(ps["group"] == "head" for ps in facts.get("part_states", ())) or "head" in facts.get("idle_parts", ())
    ctx = _Facts(full, category, named, head)
    report = GroundingReport()
    for claim in claims:
        report.claims.extend(_judge(claim, ctx))
    return report


def with_absent_parts(facts: dict[str, Any]) -> dict[str, Any]:
    """Parts HAKE leaves out of an annotated pair are in no_interaction with its object.

    Only when the pair has this one label: HAKE annotates part states per label, and a part
    idle for one label of a pair (straddle) may act under another (ride holds the handlebars).
    Hidden parts are not absent, only unseen.
    """
    if not facts.get("part_states_annotated") or facts.get("interaction") is None:
        return facts
    label = facts["interaction"]["verb"]
    if set(facts.get("pair_verbs") or [label]) - {label}:
        return facts
    seen = {ps["part"] for ps in facts.get("part_states", ())} | set(facts.get("hidden_parts", ()))
    absent = [p for p, *_ in HAKE_PARTS if p not in seen and p not in facts.get("idle_parts", ())]
    return dict(facts, idle_parts=sorted({*facts.get("idle_parts", ()), *absent}), absent_parts=absent)


def _judge(claim: AnyClaim, ctx: _Facts) -> list[Claim]:
    if isinstance(claim, StateClaim | VerbClaim) and claim.negated:
        return [_judge_negated(claim, ctx)]
    if isinstance(claim, StateClaim):
        return [replace(c, text=claim.span or c.text) for c in _judge_state(claim, ctx)]
    if isinstance(claim, PoseClaim):
        return [_judge_pose(claim, ctx.facts)]
    if isinstance(claim, MentionClaim):
        return _judge_mention(claim, ctx.facts)
    if isinstance(claim, VerbClaim):
        return [replace(_judge_verb(claim, ctx), text=claim.span or claim.text)]
    return [_judge_count(claim, ctx.facts)]


def _judge_negated(claim: StateClaim | VerbClaim, ctx: _Facts) -> Claim:
    """'is not holding the umbrella': false exactly when the same claim unnegated is supported."""
    positive = replace(claim, negated=False)
    if isinstance(positive, StateClaim):
        if positive.states == {"no_interaction"}:
            return Claim(claim.span or claim.text, "part_state", UNVERIFIABLE, "negated idle state")
        verdicts = _judge_state(positive, ctx)
    else:
        verdicts = [_judge_verb(positive, ctx)]
    kind = verdicts[0].kind if verdicts else "interaction"
    text = claim.span or claim.text
    if verdicts and any(v.status == SUPPORTED and v.reason != "about another object" for v in verdicts):
        return Claim(text, kind, CONTRADICTED, "negated, but the facts say it holds", "negation")
    if verdicts and all(v.status == CONTRADICTED for v in verdicts):
        return Claim(text, kind, SUPPORTED, "negation of a false claim")
    return Claim(text, kind, UNVERIFIABLE, "negated claim the facts do not settle")


def _other_object(text: str, kind: str, objects: frozenset[str] | None, ctx: _Facts) -> Claim | None:
    """A claim about another object: false when the text never names the pair's own object."""
    if objects is None or ctx.category is None or ctx.category in objects:
        return None
    if not objects:
        return Claim(text, kind, UNVERIFIABLE, "about something other than an object")
    if ctx.object_named:
        return Claim(text, kind, UNVERIFIABLE, "about another object")
    said = " or ".join(sorted(object_text(o) for o in objects))
    why = f"the object is {object_text(ctx.category)}, text says {said}"
    return Claim(text, kind, CONTRADICTED, why, "wrong_object")


def _judge_state(claim: StateClaim, ctx: _Facts) -> list[Claim]:
    wrong = _other_object(claim.text, "part_state", claim.objects, ctx)
    if wrong is not None:
        return [wrong]
    ref, facts = claim.part, ctx.facts
    if ref.mode == "either" and ref.group in ("hand", "arm", "leg", "foot"):
        return [_judge_either(claim, facts)]
    return [_judge_side(claim, side, facts) for side in ref.sides]


def _judge_side(claim: StateClaim, side: str | None, facts: dict[str, Any]) -> Claim:
    group, text = claim.part.group, claim.text
    part = part_name(group, side)
    other = _OTHER.get(side or "")
    swapped = claim.part.mode == "single" and other and side_agrees(facts, group, other, claim.states)
    if part in facts.get("hidden_parts", ()):
        if swapped:  # the likelier mistake: the visible other side does exactly this
            why = f"the {part} is not visible; HAKE gives this state to the {other} {group}"
            return Claim(text, "part_state", CONTRADICTED, why, "left_right_swap")
        return Claim(text, "part_state", CONTRADICTED, f"the {part} is not visible", "invisible_part")
    if claim.states == {"no_interaction"}:
        return _judge_idle(claim, part, facts)
    if side_agrees(facts, group, side, claim.states):
        if (
            swapped
            and not same_cluster(facts, group, side, claim.states)
            and same_cluster(facts, group, other, claim.states)
        ):  # "holds with the right hand" when the right touches and the left holds
            why = f"HAKE gives this state to the {other} {group}"
            return Claim(text, "part_state", CONTRADICTED, why, "left_right_swap")
        return Claim(text, "part_state", SUPPORTED)
    if swapped:
        return Claim(
            text, "part_state", CONTRADICTED, f"HAKE gives this state to the {other} {group}", "left_right_swap"
        )
    if (
        group == "head"
        and part in facts.get("absent_parts", ())
        and any(cluster(group, s) == "look" for s in claim.states)
    ):
        return Claim(text, "part_state", UNVERIFIABLE, "HAKE often leaves a gaze out")
    if part in facts.get("idle_parts", ()):
        return Claim(text, "part_state", CONTRADICTED, f"HAKE marks the {part} as no_interaction", "part_state")
    annotated = side_states(facts, group, side)
    if annotated:
        why = f"HAKE marks the {part} as {', '.join(annotated)}"
        return Claim(text, "part_state", CONTRADICTED, why, "part_state")
    return Claim(text, "part_state", UNVERIFIABLE, f"nothing annotated for the {part}")


def _judge_idle(claim: StateClaim, part: str, facts: dict[str, Any]) -> Claim:
    """'her right hand hangs empty at her side': false when HAKE gives that part a state."""
    annotated = [ps["state"] for ps in facts.get("part_states", ()) if ps["part"] == part]
    if annotated:
        why = f"HAKE marks the {part} as {', '.join(annotated)}"
        return Claim(claim.text, "part_state", CONTRADICTED, why, "part_state")
    if part in facts.get("idle_parts", ()):
        return Claim(claim.text, "part_state", SUPPORTED)
    return Claim(claim.text, "part_state", UNVERIFIABLE, f"nothing annotated for the {part}")


def _judge_either(claim: StateClaim, facts: dict[str, Any]) -> Claim:
    """'his hand', 'one hand': true when either side agrees, false when every visible side rules it out."""
    group, text = claim.part.group, claim.text
    hidden = set(facts.get("hidden_parts", ()))
    visible = [s for s in ("left", "right") if part_name(group, s) not in hidden]
    if not visible:
        return Claim(text, "part_state", CONTRADICTED, f"neither {group} is visible", "invisible_part")
    if claim.states == {"no_interaction"}:
        if all(side_states(facts, group, s) for s in visible):
            return Claim(text, "part_state", CONTRADICTED, f"every visible {group} has a state in HAKE", "part_state")
        return Claim(text, "part_state", UNVERIFIABLE)
    if any(side_agrees(facts, group, s, claim.states) for s in visible):
        return Claim(text, "part_state", SUPPORTED)
    idle = set(facts.get("idle_parts", ()))
    if all(part_name(group, s) in idle or side_states(facts, group, s) for s in visible):
        return Claim(text, "part_state", CONTRADICTED, f"no {group} has this state in HAKE", "part_state")
    return Claim(text, "part_state", UNVERIFIABLE)


def _judge_mention(claim: MentionClaim, facts: dict[str, Any]) -> list[Claim]:
    ref = claim.part
    hidden = set(facts.get("hidden_parts", ()))
    sides = ("left", "right") if ref.mode == "either" and ref.group in ("hand", "arm", "leg", "foot") else ref.sides
    names = [part_name(ref.group, s) for s in sides]
    is_hidden = all(n in hidden for n in names) if ref.mode == "either" else any(n in hidden for n in names)
    if claim.says_hidden:
        return [Claim(claim.text, "visibility", SUPPORTED if is_hidden else UNVERIFIABLE)]
    if is_hidden:
        part = next(n for n in names if n in hidden)
        return [Claim(claim.text, "part", CONTRADICTED, f"the {part} is not visible", "invisible_part")]
    return []


def _pose_part(code: str, side: str | None) -> str:
    return part_name({"elbow": "arm", "knee": "leg", "hand_height": "hand"}[code], side)


def _judge_pose(claim: PoseClaim, facts: dict[str, Any]) -> Claim:
    text = claim.text
    if claim.code in ("hands", "feet", "torso"):
        return _judge_whole_body(claim, facts)
    if claim.side is None:
        return Claim(text, "pose", UNVERIFIABLE, "no side given")
    part = _pose_part(claim.code, claim.side)
    if part in facts.get("hidden_parts", ()):
        return Claim(text, "pose", CONTRADICTED, f"the {part} is not visible", "invisible_part")
    scale = BEND_SCALE if claim.code in ("elbow", "knee") else HEIGHT_SCALE
    want = scale[claim.value]

    def agrees(actual: set[int] | None) -> bool | None:
        return None if actual is None else any(abs(a - want) <= POSE_TOLERANCE for a in actual)

    mine = agrees(actual_pose(facts, claim.code, claim.side))
    if mine is None:
        return Claim(text, "pose", UNVERIFIABLE)
    if mine:
        return Claim(text, "pose", SUPPORTED)
    other = _OTHER[claim.side]
    if _pose_part(claim.code, other) not in facts.get("hidden_parts", ()) and agrees(
        actual_pose(facts, claim.code, other)
    ):
        return Claim(text, "pose", CONTRADICTED, f"it is the {other} side that is {claim.value}", "left_right_swap")
    return Claim(text, "pose", CONTRADICTED, f"keypoints rule out {claim.value} for the {part}", "pose")


def _judge_whole_body(claim: PoseClaim, facts: dict[str, Any]) -> Claim:
    codes = {pc["code"]: pc["value"] for pc in facts.get("posecodes", ()) if pc["side"] is None}
    actual = codes.get(claim.code)
    if claim.code == "torso":
        if actual is None:
            return Claim(claim.text, "pose", UNVERIFIABLE)
        if (claim.value, actual) in TORSO_CLASH:
            return Claim(claim.text, "pose", CONTRADICTED, f"keypoints show the body {actual}", "pose")
        return Claim(claim.text, "pose", SUPPORTED if actual == claim.value else UNVERIFIABLE)
    scale = SPREAD_SCALE[claim.code]
    if actual is None:
        joint = "wrist" if claim.code == "hands" else "ankle"
        visible = set(facts.get("visible_keypoints", ()))
        needed = {f"left_{joint}", f"right_{joint}", "left_shoulder", "right_shoulder", "left_hip", "right_hip"}
        actual = "between" if needed <= visible else None
    if actual is None:
        return Claim(claim.text, "pose", UNVERIFIABLE)
    if abs(scale[actual] - scale[claim.value]) > POSE_TOLERANCE:
        return Claim(claim.text, "pose", CONTRADICTED, f"keypoints show the {claim.code} {actual}", "pose")
    return Claim(claim.text, "pose", SUPPORTED)


def _judge_verb(claim: VerbClaim, ctx: _Facts) -> Claim:
    facts, text = ctx.facts, claim.text
    it = facts.get("interaction")
    if it is None:
        return Claim(text, "interaction", UNVERIFIABLE, "no interaction label")
    wrong = _other_object(text, "interaction", claim.objects, ctx)
    if wrong is not None:
        return wrong
    label = f"{it['verb']} {object_text(it['object'])}"
    if claim.verb == "no_interaction":
        if it["verb"] == "no_interaction":
            return Claim(text, "interaction", SUPPORTED)
        return Claim(text, "interaction", CONTRADICTED, f"the label is {label}", "wrong_verb")
    verbs = claim.alts or frozenset({claim.verb})
    idle = set(facts.get("idle_parts", ()))
    parts = _VERB_PARTS.get(claim.verb)
    if claim.verb != it["verb"] and claim.exact and parts and all(p in idle for p in parts):
        why = f"HAKE marks the {' and '.join(parts)} as no_interaction"
        return Claim(text, "interaction", CONTRADICTED, why, "part_state")
    if any(verb_agrees(v, facts) for v in verbs):
        why = "backed by a part state" if it["verb"] == "no_interaction" else ""
        return Claim(text, "interaction", SUPPORTED, why)
    table = verb_table()
    applicable = [v for v in verbs if v in table and it["object"] in table[v]["objects"]]
    del applicable
    if not claim.exact or (verbs & _LOOKING and not ctx.head_known):
        # a loose synonym, a verb HICO never pairs with this object, or looking with no head annotation
        return Claim(text, "interaction", UNVERIFIABLE, f"the label is {label}")
    why = f"the label is {label}, text says {claim.verb}"
    return Claim(text, "interaction", CONTRADICTED, why, "wrong_verb")


def _judge_count(claim: CountClaim, facts: dict[str, Any]) -> Claim:
    """Annotated people are a lower bound: only 'alone' / 'nobody else' can be false."""
    known = facts.get("people_in_image")
    if known is None:
        return Claim(claim.text, "count", UNVERIFIABLE, "people in the image unknown")
    if (facts.get("object") or {}).get("category") == "person":
        known = max(known, 2)  # the pair's object is a second person
    if claim.n == 1 and not claim.at_least and known >= 2:
        return Claim(claim.text, "count", CONTRADICTED, f"{known} annotated persons, text says alone", "person_count")
    if known >= claim.n:
        return Claim(claim.text, "count", SUPPORTED)
    return Claim(claim.text, "count", UNVERIFIABLE, f"{known} annotated; HICO-DET does not annotate everyone")


__all__ = [
    "CONTRADICTION_TYPES",
    "Claim",
    "GroundingReport",
    "PartRef",
    "check_text",
    "judge_claims",
    "with_absent_parts",
]
