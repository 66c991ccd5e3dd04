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

from hoiscribe.datasets import codec
from hoiscribe.hoi_text.facts import packed_state_facts
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
    return list(_part_lines(facts))


_MEMO_MAX = 1 << 16  # memoised phrasings kept (many samples share a phrasing; bounded all the same)
_PART_LINES: dict[tuple[Any, ...], tuple[str, ...]] = {}
_PHRASES: dict[tuple[str, str], str | None] = {}


def _part_lines(facts: dict[str, Any]) -> tuple[str, ...]:
    """``part_sentences``, memoised: they are a pure function of the object category and the
    (group, state, side, part) of each part state, in order, which is exactly the key."""
    obj = facts["object"]["category"] if facts.get("object") else None
    key = (obj, *[(ps["group"], ps["state"], ps["side"], ps["part"]) for ps in facts["part_states"]])
    lines = _PART_LINES.get(key)
    if lines is None:
        if len(_PART_LINES) >= _MEMO_MAX:
            _PART_LINES.clear()
        lines = _PART_LINES[key] = tuple(_part_sentences(facts["part_states"], obj))
    return lines


def _part_sentences(part_states: list[dict[str, Any]], obj: str | None) -> list[str]:
    by_state: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for ps in part_states:
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
    inter = facts["interaction"]
    if inter is None:
        vp = None
    else:  # a pure function of the verb and the object
        vp = _PHRASES.get(key := (inter["object"], inter["verb"]), False)
        if vp is False:
            if len(_PHRASES) >= _MEMO_MAX:
                _PHRASES.clear()
            vp = _PHRASES[key] = interaction_phrase(inter)
    first = rng.choice(_OPENERS).format(vp=vp) if vp else rng.choice(_POSE_ONLY_OPENERS)
    lines = _part_lines(facts)
    if facts["posecodes"]:
        bullets = [*lines, *posecode_sentences(facts, rng)]
    elif not lines:
        return first
    else:
        bullets = lines
    return first + "\n\n" + "\n".join(f"- {b}" for b in bullets)


_PACKED_LINES: dict[tuple[Any, ...], str] = {}  # the text's bullets ("" for none), joined once per input


def describe_packed(data: list[Any], rng: random.Random) -> str | None:
    """``describe(packed_facts(data), rng)`` without the facts: the same draws from ``rng`` and the same
    text, read off a packed sample (``datasets.codec``); None (nothing drawn) where ``packed_facts`` is."""
    if data[0] != "S" or data[codec.KEYPOINTS] is not None:
        return None
    hoi, obj = data[codec.HOI], data[codec.OBJECT]
    vp = None
    if hoi is not None:
        vp = _PHRASES.get(key := (hoi[2], hoi[1]), False)
        if vp is False:
            if len(_PHRASES) >= _MEMO_MAX:
                _PHRASES.clear()
            vp = _PHRASES[key] = interaction_phrase({"hoi_id": hoi[0] + 1, "verb": hoi[1], "object": hoi[2]})
    first = rng.choice(_OPENERS).format(vp=vp) if vp else rng.choice(_POSE_ONLY_OPENERS)
    category = obj[1] if obj is not None else None
    states_key, states, _idle = packed_state_facts(data[codec.STATES])
    lines = _PACKED_LINES.get(line_key := (category, states_key))
    if lines is None:
        if len(_PACKED_LINES) >= _MEMO_MAX:
            _PACKED_LINES.clear()
        bullets = _part_sentences(list(states), category)
        lines = _PACKED_LINES[line_key] = "\n\n" + "\n".join(f"- {b}" for b in bullets) if bullets else ""
    return first + lines if lines else first  # no keypoints: no posecodes


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
    from hoiscribe.hoi_text.checker import check_text  # the rule tier's tables: loaded by the first examine

    report = check_text(text, facts)
    problems = [{"claim": c.text, "why": c.reason} for c in report.contradicted]
    return json.dumps({"verdict": "FAIL" if problems else "PASS", "problems": problems})
