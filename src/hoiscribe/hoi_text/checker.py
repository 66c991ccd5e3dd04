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

from dataclasses import dataclass
from typing import Any

from hoiscribe.core.verdicts import CONTRADICTED, SUPPORTED, UNVERIFIABLE, Claim, GroundingReport
from hoiscribe.hoi_text.claim_rules import (
    BEND_SCALE,
    HEIGHT_SCALE,
    POSE_TOLERANCE,
    SPREAD_SCALE,
    TORSO_CLASH,
    actual_pose,
    part_name,
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
)
_OTHER = {"left": "right", "right": "left"}
# person-level verbs that need a body part; when HAKE marks all of them idle the verb is false
_VERB_PARTS = {
    "sit_on": ("hip",),
    "sit_at": ("hip",),
    "stand_on": ("left foot", "right foot"),
    "straddle": ("left leg", "right leg"),
}


@dataclass(frozen=True)
class _Facts:
    """The facts plus what the whole text says about the object, shared by every judgement."""

    facts: dict[str, Any]
    category: str | None  # the pair's object
    object_named: bool  # the text names the pair's object somewhere


def check_text(text: str, facts: dict[str, Any]) -> GroundingReport:
    """Label every claim found in ``text`` against ``facts`` (see ``tasks.facts``)."""
    obj = facts.get("object")
    category = obj["category"] if obj else None
    named = category is not None and mentions_object(text, category, object_position_only=category == "person")
    ctx = _Facts(facts, category, named)
    report = GroundingReport()
    for claim in extract(text):
        report.claims.extend(_judge(claim, ctx))
    return report


def _judge(claim: AnyClaim, ctx: _Facts) -> list[Claim]:
    if isinstance(claim, StateClaim):
        return _judge_state(claim, ctx)
    if isinstance(claim, PoseClaim):
        return [_judge_pose(claim, ctx.facts)]
    if isinstance(claim, MentionClaim):
        return _judge_mention(claim, ctx.facts)
    if isinstance(claim, VerbClaim):
        return [_judge_verb(claim, ctx)]
    return [_judge_count(claim, ctx.facts)]


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
    if side_agrees(facts, group, side, claim.states):
        return Claim(text, "part_state", SUPPORTED)
    if swapped:
        return Claim(
            text, "part_state", CONTRADICTED, f"HAKE gives this state to the {other} {group}", "left_right_swap"
        )
    if part in facts.get("idle_parts", ()):
        return Claim(text, "part_state", CONTRADICTED, f"HAKE marks the {part} as no_interaction", "part_state")
    annotated = side_states(facts, group, side)
    if annotated:
        why = f"HAKE marks the {part} as {', '.join(annotated)}"
        return Claim(text, "part_state", CONTRADICTED, why, "part_state")
    return Claim(text, "part_state", UNVERIFIABLE, f"nothing annotated for the {part}")


def _judge_either(claim: StateClaim, facts: dict[str, Any]) -> Claim:
    """'his hand', 'one hand': true when either side agrees, false when every visible side rules it out."""
    group, text = claim.part.group, claim.text
    hidden = set(facts.get("hidden_parts", ()))
    visible = [s for s in ("left", "right") if part_name(group, s) not in hidden]
    if not visible:
        return Claim(text, "part_state", CONTRADICTED, f"neither {group} is visible", "invisible_part")
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
    if claim.verb != it["verb"]:
        idle = set(facts.get("idle_parts", ()))
        parts = _VERB_PARTS.get(claim.verb)
        if parts and all(p in idle for p in parts):
            why = f"HAKE marks the {' and '.join(parts)} as no_interaction"
            return Claim(text, "interaction", CONTRADICTED, why, "part_state")
    if it["verb"] != "no_interaction" and verb_agrees(claim.verb, facts):
        return Claim(text, "interaction", SUPPORTED)
    if it["verb"] == "no_interaction" and verb_agrees(claim.verb, facts):
        return Claim(text, "interaction", SUPPORTED, "backed by a part state")
    why = f"the label is {label}, text says {claim.verb}"
    return Claim(text, "interaction", CONTRADICTED, why, "wrong_verb")


def _judge_count(claim: CountClaim, facts: dict[str, Any]) -> Claim:
    known = facts.get("people_in_image")
    if known is None:
        return Claim(claim.text, "count", UNVERIFIABLE, "people in the image unknown")
    wrong = known < claim.n if claim.at_least else known != claim.n
    if wrong:
        said = f"at least {claim.n}" if claim.at_least else str(claim.n)
        return Claim(
            claim.text, "count", CONTRADICTED, f"{known} annotated person(s), text says {said}", "person_count"
        )
    return Claim(claim.text, "count", SUPPORTED)


__all__ = ["CONTRADICTION_TYPES", "Claim", "GroundingReport", "PartRef", "check_text"]
