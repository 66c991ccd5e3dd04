"""The grounded engine's writers for the HOI text tasks: text purely from a sample's facts.

Deterministic for a given seed and true by construction: every sentence is a phrasing of one
fact (HOI label, HAKE part state, posecode), and hidden parts are skipped. ``describe`` (one
sentence naming the interaction, then one bullet per body-part fact), ``refine`` (2-3
sentences aligned with the HOI label) and ``examine`` (the grounding checker's verdict on the
prior description, as JSON).
"""

from __future__ import annotations

import json
import random
from typing import Any

from hoiscribe.hoi_text.checker import check_text
from hoiscribe.vocab.lexicon import definite, gerund, indefinite, state_predicate

_OPENERS = ("The person is {vp}.", "A person is {vp}.", "In this image, the person is {vp}.")
_POSE_ONLY_OPENERS = (
    "The person's body pose is described below.",
    "A single person is shown; their pose is described below.",
)
_PART_ORDER = {"hand": 0, "arm": 1, "hip": 2, "leg": 3, "foot": 4, "head": 5}
_BEND_TEXT = {
    "elbow": {
        "straight": ("The {side} arm is held straight.", "The {side} arm is extended straight."),
        "slightly bent": (
            "The {side} arm is slightly bent at the elbow.",
            "The {side} elbow is slightly bent.",
        ),
        "bent": ("The {side} arm is bent at the elbow.", "The {side} elbow is bent."),
        "sharply bent": ("The {side} arm is sharply bent at the elbow.", "The {side} elbow is sharply bent."),
    },
    "knee": {
        "straight": ("The {side} leg is straight.", "The {side} leg is extended straight."),
        "slightly bent": (
            "The {side} knee is slightly bent.",
            "The {side} leg is slightly bent at the knee.",
        ),
        "bent": ("The {side} knee is bent.", "The {side} leg is bent at the knee."),
        "sharply bent": ("The {side} knee is sharply bent.", "The {side} leg is sharply bent at the knee."),
    },
}
_OTHER_TEXT = {
    ("hand_height", "above head"): "The {side} hand is raised above the head.",
    ("hand_height", "above shoulder"): "The {side} hand is raised above shoulder level.",
    ("hands", "close together"): "The hands are close together.",
    ("hands", "far apart"): "The hands are far apart.",
    ("feet", "close together"): "The feet are close together.",
    ("feet", "wide apart"): "The feet are wide apart.",
    ("torso", "upright"): "The upper body is upright.",
    ("torso", "leaning image-left"): "The upper body leans toward the left side of the image.",
    ("torso", "leaning image-right"): "The upper body leans toward the right side of the image.",
    ("torso", "horizontal"): "The body is roughly horizontal.",
}


def interaction_phrase(interaction: dict[str, Any] | None, article: str = "indefinite") -> str | None:
    """'riding a bicycle' or 'not interacting with the cup'; None for pose-only samples."""
    if interaction is None:
        return None
    obj = interaction["object"]
    if interaction["verb"] == "no_interaction":
        return f"not interacting with {definite(obj)}"
    noun = indefinite(obj) if article == "indefinite" else definite(obj)
    return f"{gerund(interaction['verb'])} {noun}"


def part_sentences(facts: dict[str, Any]) -> list[str]:
    """One sentence per (state, parts) group; same state on both sides becomes 'Both hands'."""
    obj = facts["object"]["category"] if facts.get("object") else None
    by_state: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for ps in facts["part_states"]:
        by_state.setdefault((ps["group"], ps["state"]), []).append(ps)
    out = []
    for (group, state), parts in sorted(by_state.items(), key=lambda kv: (_PART_ORDER[kv[0][0]], kv[0][1])):
        sides = {p["side"] for p in parts}
        pred = state_predicate(state, obj)
        if sides == {"left", "right"}:
            plural = {"foot": "feet"}.get(group, group + "s")
            out.append(f"Both {plural} are {pred}.")
        else:
            out.append(f"The {parts[0]['part']} is {pred}.")
    return out


def posecode_sentences(facts: dict[str, Any], rng: random.Random) -> list[str]:
    out = []
    for pc in facts["posecodes"]:
        if pc["code"] in _BEND_TEXT:
            out.append(rng.choice(_BEND_TEXT[pc["code"]][pc["value"]]).format(side=pc["side"]))
        else:
            out.append(_OTHER_TEXT[(pc["code"], pc["value"])].format(side=pc["side"]))
    return out


def describe(facts: dict[str, Any], rng: random.Random) -> str:
    """Long description: the interaction sentence, then one bullet per fact."""
    vp = interaction_phrase(facts["interaction"])
    first = rng.choice(_OPENERS).format(vp=vp) if vp else rng.choice(_POSE_ONLY_OPENERS)
    bullets = part_sentences(facts) + posecode_sentences(facts, rng)
    if not bullets:
        return first
    return first + "\n\n" + "\n".join(f"- {b}" for b in bullets)


def refine(facts: dict[str, Any], rng: random.Random) -> str:
    """2-3 sentences: the HOI label, then the strongest supporting facts."""
    vp = interaction_phrase(facts["interaction"])
    sentences = [f"The person is {vp}." if vp else "The person's pose is described here."]
    parts = part_sentences(facts)
    if parts:
        sentences.append(_join_clauses(parts[:3]))
    poses = posecode_sentences(facts, rng)
    if poses:
        sentences.append(_join_clauses(poses[:2]))
    if len(sentences) == 1:
        sentences.append("No body-part details are annotated for this person.")
    return " ".join(sentences[:3])


def _join_clauses(sentences: list[str]) -> str:
    """'A is x.', 'B is y.' -> 'A is x, and b is y.' keeping each clause intact."""
    clauses = [s.rstrip(".") for s in sentences]
    clauses = [clauses[0]] + [c[0].lower() + c[1:] for c in clauses[1:]]
    if len(clauses) == 1:
        return clauses[0] + "."
    return ", ".join(clauses[:-1]) + ", and " + clauses[-1] + "."


PASS_VERDICT = json.dumps({"verdict": "PASS", "problems": []})


def examine(facts: dict[str, Any], text: str) -> str:
    """The examiner verdict as JSON: PASS when no claim contradicts the facts. Text the grounded
    engine wrote itself (``prior_grounded``, set by the run layer) is true by construction: PASS
    without checking it again."""
    if facts.get("prior_grounded"):
        return PASS_VERDICT
    report = check_text(text, facts)
    problems = [{"claim": c.text, "why": c.reason} for c in report.contradicted]
    return json.dumps({"verdict": "FAIL" if problems else "PASS", "problems": problems})
