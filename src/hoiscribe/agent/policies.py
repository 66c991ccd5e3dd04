"""Weightless inner engines for the agent: a scripted one for tests, a rule-based teacher.

``ScriptedEngine`` answers turn ``k`` of every rollout with its ``k``-th script entry (a
string, or a function of the request), so a test fixes exactly what the "model" says.

``RuleTeacher`` plays the HOI reasoning protocol from the tool results it reads, with no
model: detect people and objects, relate every pair, then name the verbs that the
relation supports (the body part touching the object, where the object is). It exists to
run the whole pipeline (rollout, export, eval, chain-of-thought filtering) on a laptop and
to give the reward functions realistic chains; its answers are plausible, not good.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from hoiscribe.agent.toolcalls import qwen_call_text
from hoiscribe.datasets.gt_index import hoi_lookup
from hoiscribe.engines.base import Completion, Engine, Request
from hoiscribe.tools.detect import MAX_CATEGORIES
from hoiscribe.vocab.hico import hico

Script = str | Callable[[Request], str]


def turn_index(request: Request) -> int:
    """Which assistant turn a rollout request asks for (its id ends in ``#t<k>``)."""
    m = re.search(r"#t(\d+)$", request.request_id)
    return int(m.group(1)) if m else sum(1 for msg in request.messages if msg.role == "assistant")


class ScriptedEngine(Engine):
    """Turn ``k`` gets ``script[k]`` (the last entry repeats); records every request it saw."""

    name = "scripted"

    def __init__(self, model: str | None = None, script: list[Script] | None = None, **_: Any) -> None:
        self.script = list(script or ["<answer>[]</answer>"])
        self.requests: list[Request] = []

    def fingerprint(self) -> str:
        return "scripted:" + str(abs(hash(tuple(s if isinstance(s, str) else s.__name__ for s in self.script))))

    def generate(self, requests: list[Request]) -> list[Completion]:
        out = []
        for r in requests:
            self.requests.append(r)
            entry = self.script[min(turn_index(r), len(self.script) - 1)]
            text = entry(r) if callable(entry) else entry
            out.append(Completion(text, "stop", 10, len(text.split()), fingerprint=self.fingerprint()))
        return out

    async def agenerate(self, requests: list[Request]) -> list[Completion]:
        return self.generate(requests)


# ---- the rule-based teacher -----------------------------------------------------------

_ENTITY = re.compile(r"^([ho]\d+): (.+?) box \[([^\]]+)\] score", re.M)
_RELATION = re.compile(
    r"^(h\d+) -> (o\d+): distance ([\d.]+).*?contact (yes|no); the object is (.+?) the person; "
    r"nearest body parts: (.*?); the person faces",
    re.M,
)
_HANDS = ("read", "drink_with", "fly", "throw", "carry", "hold", "catch", "push", "pull", "swing")
_FEET = ("kick", "ride", "stand_on", "walk", "jump", "sit_on")
_HIP = ("sit_on", "ride", "lie_on", "straddle")
_FAR = ("fly", "throw", "catch", "kick", "watch", "look_at", "no_interaction")
_DIRECTION = {"in front of": "in front", "left of": "left", "right of": "right", "above": "above", "below": "below"}


def _tool_texts(request: Request) -> list[str]:
    out = []
    for m in request.messages:
        text = m.text_content
        if m.role == "tool" or (m.role == "user" and "<tool_response>" in text):
            out.append(text)
    return out


def _verbs_for(category: str) -> set[str]:
    return {v for (v, o) in hoi_lookup() if o == category}


def choose_verbs(category: str, contact: bool, direction: str, parts: list[str], lying: bool) -> list[str]:
    """Up to two verbs the relation supports, best first (only verbs HICO pairs with the object)."""
    valid = _verbs_for(category)
    order: list[str] = []
    if not contact:
        order += _FAR
    else:
        first = parts[0] if parts else ""
        if lying:
            order.append("lie_on")
        if "hip" in parts[:1]:
            order += _HIP
        if "head" in parts[:2] and any("hand" in p for p in parts[:2]):
            order.append("drink_with")
        if "hand" in first or "arm" in first:
            hands = [v for v in _HANDS if v != "carry" or direction == "below"]
            order += hands
        if "foot" in first or "leg" in first:
            order += _FEET
        order += ("hold", "ride", "sit_on", "carry", "no_interaction")
    picked = [v for v in dict.fromkeys(order) if v in valid]
    return picked[:2]


class RuleTeacher(Engine):
    """The detect -> relate -> answer protocol played by rules over the tool results."""

    name = "rule-teacher"
    VERSION = "1"

    def __init__(self, model: str | None = None, max_pairs: int = 6, **_: Any) -> None:
        self.max_pairs = int(max_pairs)

    def fingerprint(self) -> str:
        return f"rule-teacher:v{self.VERSION}:{self.max_pairs}"

    def generate(self, requests: list[Request]) -> list[Completion]:
        out = []
        for r in requests:
            text = self._turn(r)
            out.append(Completion(text, "stop", 0, len(text.split()), fingerprint=self.fingerprint()))
        return out

    async def agenerate(self, requests: list[Request]) -> list[Completion]:
        return self.generate(requests)

    def _turn(self, request: Request) -> str:
        results = _tool_texts(request)
        facts = request.facts or {}
        if not results:
            objects = [o for o in (facts.get("objects") or hico().objects) if o != "person"]
            chunks = [objects[i : i + MAX_CATEGORIES] for i in range(0, len(objects), MAX_CATEGORIES)]
            calls = [qwen_call_text("detect_humans", {})]
            calls += [qwen_call_text("detect_objects", {"categories": c}) for c in chunks]
            return "<think>First find the people and the candidate objects.</think>\n" + "\n".join(calls)
        joined = "\n".join(results)
        entities = {m.group(1): (m.group(2), [float(v) for v in m.group(3).split(",")]) for m in
                    _ENTITY.finditer(joined)}  # fmt: skip
        relations = list(_RELATION.finditer(joined))
        humans = [k for k in entities if k.startswith("h")]
        objects = [k for k in entities if k.startswith("o")]
        if not relations and humans and objects:
            pairs = [(h, o) for h in humans for o in objects][: self.max_pairs]
            calls = [qwen_call_text("spatial_relation", {"human": h, "object": o}) for h, o in pairs]
            listing = ", ".join(f"{o} ({entities[o][0]})" for o in objects)
            return (f"<think>{len(humans)} people and objects {listing}. Check how each person relates to each "
                    f"object.</think>\n" + "\n".join(calls))  # fmt: skip
        hois, notes = [], []
        for m in relations:
            h, o = m.group(1), m.group(2)
            if h not in entities or o not in entities:
                continue
            hbox, (category, obox) = entities[h][1], entities[o]
            parts = [p.split(" (")[0] for p in m.group(6).split(", ") if "(" in p]
            contact, direction = m.group(4) == "yes", _DIRECTION.get(m.group(5), m.group(5))
            lying = (hbox[2] - hbox[0]) > 1.2 * (hbox[3] - hbox[1])
            verbs = choose_verbs(category, contact, direction, parts, lying)
            notes.append(f"{h}-{o}: {'contact' if contact else 'no contact'}, {category} {direction}, "
                         f"nearest {parts[0] if parts else 'unknown'} -> {', '.join(verbs) or 'nothing'}")  # fmt: skip
            for rank, verb in enumerate(verbs):
                hois.append({"human": hbox, "object": obox, "object_category": category, "verb": verb,
                             "score": round(0.9 - 0.5 * rank, 2)})  # fmt: skip
        thought = "; ".join(notes) or "No person-object pair to relate."
        return f"<think>{thought}</think>\n<answer>{json.dumps({'hois': hois})}</answer>"
