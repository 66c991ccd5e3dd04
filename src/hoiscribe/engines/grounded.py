"""The embedded grounded engine: writes text purely from a request's structured facts.

No weights, deterministic for a given seed, and true by construction: every sentence is a
phrasing of one fact (HOI label, HAKE part state, posecode), and hidden parts are skipped.
It answers the three annotation tasks: ``describe`` (one sentence naming the interaction,
then one bullet per body-part fact), ``refine`` (2-3 sentences aligned with the HOI label)
and ``examine`` (the grounding checker's verdict on the prior description, as JSON).
"""

from __future__ import annotations

import importlib
import json
import random
import time
from collections.abc import Callable
from typing import Any

from hoiscribe.engines.base import Completion, Engine, EngineError, Request
from hoiscribe.eval.grounding import check_text
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


def examine(facts: dict[str, Any], text: str) -> str:
    """The examiner verdict as JSON: PASS when no claim contradicts the facts."""
    report = check_text(text, facts)
    problems = [{"claim": c.text, "why": c.reason} for c in report.contradicted]
    return json.dumps({"verdict": "FAIL" if problems else "PASS", "problems": problems})


def _examine_prior(facts: dict[str, Any], rng: random.Random) -> str:
    return examine(facts, facts.get("prior_text") or "")


# task -> writer(facts, rng) -> text; other modules' writers are named by path and imported on first use
WRITERS: dict[str, Callable[[dict[str, Any], random.Random], str] | str] = {
    "describe": describe,
    "refine": refine,
    "examine": _examine_prior,
    "transition": "hoiscribe.engines.grounded_transition:transition",
    "transition_composite": "hoiscribe.engines.grounded_transition:transition",
    "expressions": "hoiscribe.engines.grounded_expressions:respond",
}


def _writer(task: str) -> Callable[[dict[str, Any], random.Random], str] | None:
    entry = WRITERS.get(task)
    if isinstance(entry, str):
        module, attr = entry.split(":", 1)
        entry = WRITERS[task] = getattr(importlib.import_module(module), attr)
    return entry


class GroundedEngine(Engine):
    """Rule-based engine that needs no model; the default on a laptop and in tests."""

    name = "grounded"
    batches_itself = False
    needs_images = False
    reads_prompt = False
    inline = True
    VERSION = "1"

    def __init__(self, model: str | None = None, **options: Any) -> None:
        if options:
            raise EngineError(f"grounded engine takes no options, got {sorted(options)}")
        self.model = model or "rules"

    def fingerprint(self) -> str:
        return f"grounded:{self.model}:v{self.VERSION}"

    def generate(self, requests: list[Request]) -> list[Completion]:
        return [self._one(r) for r in requests]

    def _one(self, request: Request) -> Completion:
        t0 = time.perf_counter()
        facts = request.facts
        if facts is None:
            return Completion("", "error", fingerprint=self.fingerprint(), error="request carries no facts")
        rng = random.Random(f"{request.sampling.seed}:{facts.get('sample_id', '')}")
        try:
            writer = _writer(request.task)
            if writer is not None:
                text = writer(facts, rng)
            else:
                return Completion(
                    "",
                    "error",
                    fingerprint=self.fingerprint(),
                    error=f"grounded engine has no task {request.task!r}",
                )
        except (KeyError, TypeError, ValueError) as exc:
            return Completion("", "error", fingerprint=self.fingerprint(), error=f"bad facts: {exc!r}")
        return Completion(
            text,
            "stop",
            prompt_tokens=0,
            completion_tokens=len(text.split()),
            timings={"generate_s": time.perf_counter() - t0},
            fingerprint=self.fingerprint(),
        )
