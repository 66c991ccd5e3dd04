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

import re
from dataclasses import dataclass, replace
from typing import Any

from hoiscribe.core.verdicts import CONTRADICTED, SUPPORTED, UNVERIFIABLE, Claim, GroundingReport
from hoiscribe.hoi_text.claim_rules import (
    WEAK_CLUSTERS,
    acts_elsewhere,
    cluster,
    holds,
    idle_gaze,
    part_name,
    same_cluster,
    side_agrees,
    side_states,
    verb_agrees,
)
from hoiscribe.hoi_text.claim_types import (
    AnyClaim,
    MentionClaim,
    ObjectCountClaim,
    OppositeClaim,
    PartRef,
    PoseClaim,
    RoleClaim,
    StateClaim,
    VerbClaim,
)
from hoiscribe.hoi_text.claims import extract
from hoiscribe.hoi_text.clause_objects import NEAR, near_supercategories, supercategory
from hoiscribe.hoi_text.object_counts import judge_object_count
from hoiscribe.hoi_text.object_mentions import mentions_object
from hoiscribe.hoi_text.person_parts import with_absent_parts
from hoiscribe.hoi_text.phrases import verb_table
from hoiscribe.hoi_text.pose_judge import judge_count, judge_pose
from hoiscribe.vocab.lexicon import object_text

CONTRADICTION_TYPES = (
    "left_right_swap",
    "wrong_verb",
    "wrong_object",
    "part_state",
    "invisible_part",
    "pose",
    "person_count",
    "negation",
    "object_count",
)
_OTHER = {"left": "right", "right": "left"}
# person-level verbs that need a body part; when HAKE marks all of them idle the verb is false
_VERB_PARTS = {
    "sit_on": ("hip",),
    "sit_at": ("hip",),
    "stand_on": ("left foot", "right foot"),
    "straddle": ("left leg", "right leg"),
    "hold": ("left hand", "right hand"),  # "holds the backpack by its handle" while only the arms carry it
}


_LET_GO = re.compile(r"\blet(?:s|ting)? go\b")  # of the opposites of holding, the one that says it is over
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
    head = (
        any(ps["group"] == "head" for ps in facts.get("part_states", ()))
        or "head" in facts.get("idle_parts", ())
        or facts.get("person_parts") is not None  # no label of this person lists the head: it looks at none
    )
    ctx = _Facts(full, category, named, head)
    report = GroundingReport()
    elsewhere = next((c for c in claims if isinstance(c, RoleClaim) and not verb_agrees(c.verb, facts)), None)
    for claim in claims:
        if isinstance(claim, RoleClaim):
            continue
        judged = _judge(claim, ctx)
        if elsewhere is not None:  # "The driver ..." of a passenger's pair: maybe another person throughout
            why = f"the text's person is the {elsewhere.noun}; this pair's person does not {elsewhere.verb}"
            judged = [replace(c, status=UNVERIFIABLE, reason=why, type=None)
                      if c.status == CONTRADICTED and c.type != "person_count" else c for c in judged]  # fmt: skip
        report.claims.extend(judged)
    return report


def _judge(claim: AnyClaim, ctx: _Facts) -> list[Claim]:
    if isinstance(claim, StateClaim) and claim.implicit is not None and ctx.category not in claim.implicit:
        return [Claim(claim.span or claim.text, "part_state", UNVERIFIABLE, "says nothing of this kind of object")]
    if isinstance(claim, StateClaim | VerbClaim) and claim.negated:
        return [_judge_negated(claim, ctx)]
    if isinstance(claim, StateClaim):
        return [Claim(claim.span or c.text, c.kind, c.status, c.reason, c.type) for c in _judge_state(claim, ctx)]
    if isinstance(claim, PoseClaim):
        return [judge_pose(claim, ctx.facts)]
    if isinstance(claim, MentionClaim):
        return _judge_mention(claim, ctx.facts)
    if isinstance(claim, VerbClaim):
        c = _judge_verb(claim, ctx)
        return [Claim(claim.span or claim.text, c.kind, c.status, c.reason, c.type)]
    if isinstance(claim, OppositeClaim):
        return [_judge_opposite(claim, ctx)]
    if isinstance(claim, ObjectCountClaim):
        return [judge_object_count(claim, ctx.facts)]
    return [judge_count(claim, ctx.facts)]


def _strongly_held(claim: StateClaim, ctx: _Facts) -> bool:
    """A gaze ("looking at") agrees with any state of the head, but its denial ("eyes closed", "not
    looking at it") is false only when the head has that very cluster (inspect, not eat); a denied touch
    is false for any contact."""
    group = claim.part.group
    if not all(cluster(group, s) == "look" for s in claim.states):
        return True
    return any(same_cluster(ctx.facts, group, side, claim.states) for side in claim.part.sides)


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
        if isinstance(positive, StateClaim) and not _strongly_held(positive, ctx):
            return Claim(text, kind, UNVERIFIABLE, "a weak state denied; another state of its part holds")
        return Claim(text, kind, CONTRADICTED, "negated, but the facts say it holds", "negation")
    if verdicts and all(v.status == CONTRADICTED for v in verdicts):
        return Claim(text, kind, SUPPORTED, "negation of a false claim")
    return Claim(text, kind, UNVERIFIABLE, "negated claim the facts do not settle")


def _other_object(text: str, kind: str, objects: frozenset[str] | None, ctx: _Facts) -> Claim | None:
    """A claim about another object: false when the text never names the pair's own object.

    A near miss ("~camel") is another object only when it is of the pair's object's kind
    (COCO supercategory): "rides a camel" for a horse, not "holds a tray" for a pizza. A person
    ("looks up at the person taking the photo", "waves at a friend") is no other object: people
    stand in most photos, annotated or not, and the photographer in none.
    """
    if objects is None or ctx.category is None or ctx.category in objects:
        return None
    if objects == {"person"}:  # "waves at a friend", "looks up at the person taking the photo"
        return Claim(text, kind, UNVERIFIABLE, "aimed at someone, not at an object")
    if not objects:
        return Claim(text, kind, UNVERIFIABLE, "about something other than an object")
    if ctx.object_named:
        return Claim(text, kind, UNVERIFIABLE, "about another object")
    near = {o for o in objects if o.startswith(NEAR)}
    if near == objects and not any(supercategory(ctx.category) in near_supercategories(o) for o in near):
        return Claim(text, kind, UNVERIFIABLE, "about a thing of another kind")
    said = " or ".join(sorted(o[len(NEAR) :] if o.startswith(NEAR) else object_text(o) for o in objects))
    why = f"the object is {object_text(ctx.category)}, text says {said}"
    return Claim(text, kind, CONTRADICTED, why, "wrong_object")


def _judge_state(claim: StateClaim, ctx: _Facts) -> list[Claim]:
    wrong = _other_object(claim.text, "part_state", claim.objects, ctx)
    if wrong is not None:
        return [wrong]
    ref, facts = claim.part, ctx.facts
    untouched = _no_interaction_pair(claim, ctx)
    if untouched is not None:
        return [untouched]
    if ref.mode == "either" and ref.group in ("hand", "arm", "leg", "foot"):
        return [_judge_either(claim, facts)]
    return [_judge_side(claim, side, facts) for side in ref.sides]


def _no_interaction_pair(claim: StateClaim, ctx: _Facts) -> Claim | None:
    """'his foot on the skateboard' when HICO labels the pair no_interaction (and nothing else): false.

    Only for a contact named with the pair's object itself; gaze and closeness are weak and
    stay for the head rules.
    """
    it = ctx.facts.get("interaction") or {}
    if it.get("verb") != "no_interaction" or set(ctx.facts.get("pair_verbs") or ["no_interaction"]) != {
        "no_interaction"
    }:
        return None
    if not claim.objects or ctx.category not in claim.objects or claim.states == {"no_interaction"}:
        return None
    if all(cluster(claim.part.group, s) in WEAK_CLUSTERS for s in claim.states):
        return None
    why = f"HICO labels no interaction with the {object_text(ctx.category)}"
    return Claim(claim.text, "part_state", CONTRADICTED, why, "part_state")


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
        and facts.get("person_parts") is None
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
    both_act = len(visible) == 2 and all(
        same_cluster(facts, group, s, claim.states)
        or (claim.part.exactly_one and side_agrees(facts, group, s, claim.states))
        for s in visible
    )  # "opens it with one hand" (hold) when both hands touch it: the other hand does it too
    if claim.part.exactly_one and both_act:  # "with one hand" when HAKE has both hands do it
        return Claim(text, "part_state", CONTRADICTED, f"HAKE gives this state to both {group}s", "left_right_swap")
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


def _judge_verb(claim: VerbClaim, ctx: _Facts) -> Claim:
    facts, text = ctx.facts, claim.text
    it = facts.get("interaction")
    if it is None:
        return Claim(text, "interaction", UNVERIFIABLE, "no interaction label")
    wrong = _other_object(text, "interaction", claim.objects, ctx) if claim.verb != "lean_on" else None  # incidental
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
    labelled = {it["verb"], *facts.get("pair_verbs", ()), *facts.get("person_verbs", ())}
    named = bool(claim.objects) and ctx.category in (claim.objects or ())
    if claim.verb == "hold" and not named:
        parts = None  # "with his arms held out": no holding of the object said
    if claim.verb not in labelled and claim.exact and parts and all(p in idle for p in parts):
        why = f"HAKE marks the {' and '.join(parts)} as no_interaction"
        return Claim(text, "interaction", CONTRADICTED, why, "part_state")
    if any(verb_agrees(v, facts) for v in verbs):
        why = "backed by a part state" if it["verb"] == "no_interaction" else ""
        return Claim(text, "interaction", SUPPORTED, why)
    if _untouched(claim, ctx) and not (verbs & _LOOKING):  # "getting on the train" for a no_interaction pair
        return Claim(text, "interaction", CONTRADICTED, f"the label is {label}", "wrong_verb")
    if verbs <= _LOOKING and named and idle_gaze(facts):  # "looks down at the phone" when no label lists the head
        return Claim(text, "interaction", CONTRADICTED, "HAKE marks the head as no_interaction", "part_state")
    if not _verb_of_its_kind(verbs, it["object"]):
        return Claim(text, "interaction", UNVERIFIABLE, f"HICO pairs {claim.verb} with no object of this kind")
    if not claim.exact or (verbs & _LOOKING and not ctx.head_known):
        # a loose synonym, a verb HICO never pairs with this object, or looking with no head annotation
        return Claim(text, "interaction", UNVERIFIABLE, f"the label is {label}")
    if acts_elsewhere(verbs, facts):
        return Claim(text, "interaction", UNVERIFIABLE, "a part of this person acts in another label of this kind")
    why = f"the label is {label}, text says {claim.verb}"
    return Claim(text, "interaction", CONTRADICTED, why, "wrong_verb")


def _untouched(claim: VerbClaim, ctx: _Facts) -> bool:
    """A verb phrase (even a synonym of several verbs) with the pair's own object named, for a pair HICO labels
    no_interaction and nothing else: every HICO verb it may mean is an interaction, so it is false."""
    it = ctx.facts.get("interaction") or {}
    only_none = set(ctx.facts.get("pair_verbs") or ["no_interaction"]) == {"no_interaction"}
    named = bool(claim.objects) and ctx.category in (claim.objects or ())
    return it.get("verb") == "no_interaction" and only_none and named and not claim.negated


def _judge_opposite(claim: OppositeClaim, ctx: _Facts) -> Claim:
    """'closing the book' while open is a label of the pair: the text undoes a true verb."""
    text = claim.span or claim.text
    it = ctx.facts.get("interaction")
    if it is None or (claim.objects is not None and ctx.category not in claim.objects):
        return Claim(text, "interaction", UNVERIFIABLE, "about another object")
    true = claim.opposes & {it["verb"], *ctx.facts.get("pair_verbs", ())}
    if not true and "hold" in claim.opposes and _LET_GO.search(text.lower()) and holds(ctx.facts):
        true = {"hold"}  # "has let go of the knife" while the hands hold it (wield implies holding)
    if true:
        why = f"{' and '.join(sorted(true))} {object_text(it['object'])} is a label of the pair; the text undoes it"
        return Claim(text, "interaction", CONTRADICTED, why, "wrong_verb")
    return Claim(text, "interaction", UNVERIFIABLE, "undoes no label of the pair")


def _verb_of_its_kind(verbs: frozenset[str], category: str) -> bool:
    """Does HICO pair one of ``verbs`` with an object of the same COCO supercategory as ``category``?

    'turning it' for a bottle (HICO turns only motorcycles) says nothing of the label, while
    'milking a sheep' (HICO milks cows) or 'sitting on a hydrant' (HICO sits on benches) does.
    """
    table, kind = verb_table(), supercategory(category)
    return any(supercategory(o) == kind for v in verbs if v in table for o in table[v]["objects"])


__all__ = [
    "CONTRADICTION_TYPES",
    "Claim",
    "GroundingReport",
    "PartRef",
    "check_text",
    "judge_claims",
    "with_absent_parts",
]
