"""Claim-level grounding checker: is each claim of a text supported by the sample's facts?

A claim is a body-part statement (part + side + state or pose), an interaction (verb +
object) or a person count. Each is labelled supported, contradicted (with a type:
``left_right_swap``, ``wrong_verb``, ``wrong_object``, ``part_state``, ``invisible_part``,
``pose``, ``person_count``) or unverifiable (the facts say nothing about it).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from hoiscribe.vocab.hake import group_states
from hoiscribe.vocab.hico import hico
from hoiscribe.vocab.lexicon import gerund, object_text, state_keyword

_PART_WORDS = {
    "hand": "hand", "hands": "hand", "wrist": "hand", "wrists": "hand",
    "arm": "arm", "arms": "arm", "elbow": "arm", "elbows": "arm",
    "leg": "leg", "legs": "leg", "knee": "leg", "knees": "leg",
    "foot": "foot", "feet": "foot", "ankle": "foot", "ankles": "foot",
    "hip": "hip", "hips": "hip", "head": "head",
}  # fmt: skip
_SIDED = {"hand", "arm", "leg", "foot"}
_PART_RE = re.compile(r"\b(both|left|right)?\s*(" + "|".join(sorted(_PART_WORDS, key=len, reverse=True)) + r")\b")
_BENDS = ("sharply bent", "slightly bent", "bent", "straight")
_COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "several": 3, "a group of": 3, "a couple of": 2}
_COUNT_RE = re.compile(r"\b(two|three|four|five|several|a group of|a couple of)\s+(people|persons|men|women|kids)\b")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")

SUPPORTED, CONTRADICTED, UNVERIFIABLE = "supported", "contradicted", "unverifiable"


@dataclass(frozen=True, slots=True)
class Claim:
    text: str
    kind: str
    status: str
    reason: str = ""
    type: str | None = None


@dataclass
class GroundingReport:
    claims: list[Claim] = field(default_factory=list)

    @property
    def contradicted(self) -> list[Claim]:
        return [c for c in self.claims if c.status == CONTRADICTED]

    def as_dict(self) -> dict[str, Any]:
        counts = Counter(c.status for c in self.claims)
        return {
            "supported": counts[SUPPORTED],
            "contradicted": counts[CONTRADICTED],
            "unverifiable": counts[UNVERIFIABLE],
            "contradictions": [{"claim": c.text, "type": c.type, "why": c.reason} for c in self.contradicted],
        }


@cache
def _verb_table() -> tuple[tuple[str, str], ...]:
    """(gerund phrase, verb) for all HICO verbs, longest phrase first."""
    verbs = {h.verb for h in hico().hois if h.verb != "no_interaction"}
    return tuple(sorted(((gerund(v), v) for v in verbs), key=lambda t: -len(t[0])))


@cache
def _object_re() -> re.Pattern[str]:
    names = sorted({object_text(o) for o in hico().objects if o != "person"}, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")s?\b")


@cache
def _state_keywords() -> dict[str, dict[str, list[str]]]:
    """group -> keyword -> the states it signals."""
    out: dict[str, dict[str, list[str]]] = {}
    for group, states in group_states().items():
        for s in states:
            if s != "no_interaction":
                out.setdefault(group, {}).setdefault(state_keyword(s), []).append(s)
    return out


def check_text(text: str, facts: dict[str, Any]) -> GroundingReport:
    """Label every claim found in ``text`` against ``facts`` (see ``tasks.facts``)."""
    report = GroundingReport()
    for raw in _SENTENCE_SPLIT.split(text):
        sentence = raw.strip().lstrip("-*• ").strip()
        if sentence:
            _check_sentence(sentence, facts, report)
    return report


def _check_sentence(sentence: str, facts: dict[str, Any], report: GroundingReport) -> None:
    low = sentence.lower()
    words = set(re.findall(r"[a-z]+", low))
    _check_count(sentence, low, facts, report)
    acted = _check_interaction(sentence, low, facts, report)
    parts = [(m.group(1), _PART_WORDS[m.group(2)], m.group(2)) for m in _PART_RE.finditer(low)]
    if len(parts) == 1:
        side_word, group, word = parts[0]
        sides = ["left", "right"] if side_word == "both" or word in ("hands", "feet", "legs", "arms") else [side_word]
        for side in sides:
            acted |= _check_part(sentence, low, words, group, word, side, facts, report)
    elif len(parts) == 2 and parts[0][1] == parts[1][1] and {p[0] for p in parts} == {None}:
        pass
    _check_pose_pairs(sentence, low, facts, report)
    if acted:
        _check_object(sentence, low, facts, report)


def _check_count(sentence: str, low: str, facts: dict[str, Any], report: GroundingReport) -> None:
    known = facts.get("people_in_image")
    for m in _COUNT_RE.finditer(low):
        n = _COUNT_WORDS[m.group(1)]
        if known is None:
            report.claims.append(Claim(sentence, "count", UNVERIFIABLE))
        elif known == 1 or (m.group(1) not in ("several", "a group of") and n != known):
            report.claims.append(
                Claim(
                    sentence,
                    "count",
                    CONTRADICTED,
                    f"{known} annotated person(s), text says {n}",
                    "person_count",
                )
            )
        else:
            report.claims.append(Claim(sentence, "count", SUPPORTED))


def _check_interaction(sentence: str, low: str, facts: dict[str, Any], report: GroundingReport) -> bool:
    it = facts.get("interaction")
    if it is None:
        return False
    if "not interacting" in low or "no interaction" in low:
        ok = it["verb"] == "no_interaction"
        report.claims.append(
            Claim(sentence, "interaction", SUPPORTED if ok else CONTRADICTED,
                  "" if ok else f"the label is {it['verb']} {it['object']}", None if ok else "wrong_verb")
        )  # fmt: skip
        return True
    obj_pat = _object_re()
    for phrase, verb in _verb_table():
        m = re.search(r"\b" + re.escape(phrase) + r"\b\s+(?:(?:a|an|the|a pair of|his|her|their)\s+)?", low)
        if not m or not obj_pat.match(low, m.end()):
            continue
        if verb == it["verb"]:
            report.claims.append(Claim(sentence, "interaction", SUPPORTED))
        elif _verb_backed_by_parts(phrase, facts):
            report.claims.append(Claim(sentence, "interaction", SUPPORTED, "backed by a part state"))
        else:
            why = f"the label is {it['verb']} {it['object']}, text says {verb}"
            report.claims.append(Claim(sentence, "interaction", CONTRADICTED, why, "wrong_verb"))
        return True
    return False


def _verb_backed_by_parts(phrase: str, facts: dict[str, Any]) -> bool:
    word = phrase.split(" ")[0]
    return any(state_keyword(ps["state"]) == word for ps in facts["part_states"])


def _check_object(sentence: str, low: str, facts: dict[str, Any], report: GroundingReport) -> None:
    obj = facts.get("object")
    if obj is None:
        return
    name = object_text(obj["category"])
    mentioned = {m.group(1) for m in _object_re().finditer(low)}
    if mentioned and name not in mentioned:
        wrong = ", ".join(sorted(mentioned))
        report.claims.append(
            Claim(sentence, "object", CONTRADICTED, f"the object is {name}, text says {wrong}", "wrong_object")
        )


def _check_part(
    sentence: str,
    low: str,
    words: set[str],
    group: str,
    word: str,
    side: str | None,
    facts: dict[str, Any],
    report: GroundingReport,
) -> bool:
    """Check state and pose claims about one part; True when a state (action) was claimed."""
    part = f"{side} {group}" if group in _SIDED and side else group
    hidden = set(facts.get("hidden_parts", ()))
    claimed = [kw for kw in _state_keywords().get(group, {}) if kw in words]
    for kw in claimed:
        report.claims.append(_state_claim(sentence, group, side, part, kw, hidden, facts))
    bend = next((b for b in _BENDS if b in low), None)
    if bend and word in ("arm", "arms", "elbow", "elbows", "leg", "legs", "knee", "knees"):
        code = "elbow" if group == "arm" else "knee"
        report.claims.append(_pose_claim(sentence, code, side, bend, part, hidden, facts))
    if group == "hand" and "raised" in low:
        value = "above head" if "above the head" in low or "overhead" in low else (
            "above shoulder" if "shoulder" in low else None)  # fmt: skip
        if value:
            report.claims.append(_pose_claim(sentence, "hand_height", side, value, part, hidden, facts))
    return bool(claimed)


def _state_claim(
    sentence: str, group: str, side: str | None, part: str, kw: str, hidden: set[str], facts: dict[str, Any]
) -> Claim:
    if part in hidden:
        return Claim(sentence, "part_state", CONTRADICTED, f"the {part} is not visible", "invisible_part")
    states = facts["part_states"]

    def has(s: str | None) -> bool:
        return any(ps["group"] == group and ps["side"] == s and state_keyword(ps["state"]) == kw for ps in states)

    if group not in _SIDED:
        side = None
    if side is None and group in _SIDED:
        ok = has("left") or has("right")
        return Claim(sentence, "part_state", SUPPORTED if ok else UNVERIFIABLE)
    if has(side):
        return Claim(sentence, "part_state", SUPPORTED)
    other = {"left": "right", "right": "left"}.get(side or "")
    if other and has(other):
        return Claim(sentence, "part_state", CONTRADICTED, f"it is the {other} {group} that is {kw}", "left_right_swap")
    annotated = [ps["state"] for ps in states if ps["group"] == group and ps["side"] == side]
    if part in facts.get("idle_parts", ()):
        return Claim(sentence, "part_state", CONTRADICTED, f"HAKE marks the {part} as no_interaction", "part_state")
    if annotated:
        why = f"HAKE marks the {part} as {', '.join(annotated)}"
        return Claim(sentence, "part_state", CONTRADICTED, why, "part_state")
    return Claim(sentence, "part_state", UNVERIFIABLE)


def _pose_claim(
    sentence: str, code: str, side: str | None, value: str, part: str, hidden: set[str], facts: dict[str, Any]
) -> Claim:
    codes = {(pc["code"], pc["side"]): pc["value"] for pc in facts.get("posecodes", ())}
    if side is None:
        return Claim(sentence, "pose", UNVERIFIABLE)
    if part in hidden:
        return Claim(sentence, "pose", CONTRADICTED, f"the {part} is not visible", "invisible_part")
    actual = codes.get((code, side))
    if actual == value:
        return Claim(sentence, "pose", SUPPORTED)
    other = "left" if side == "right" else "right"
    if codes.get((code, other)) == value:
        return Claim(sentence, "pose", CONTRADICTED, f"it is the {other} side that is {value}", "left_right_swap")
    if actual is not None or (code == "hand_height" and facts.get("keypoints_known")):
        return Claim(sentence, "pose", CONTRADICTED, f"keypoints show {actual or 'no raised hand'}", "pose")
    return Claim(sentence, "pose", UNVERIFIABLE)


_PAIR_TEXT = {
    ("hands", "close together"): ("hands", "close together"),
    ("hands", "far apart"): ("hands", "far apart"),
    ("feet", "close together"): ("feet", "close together"),
    ("feet", "wide apart"): ("feet", "wide apart"),
}
_TORSO_TEXT = {
    "upright": "upright",
    "left side of the image": "leaning image-left",
    "right side of the image": "leaning image-right",
    "roughly horizontal": "horizontal",
}


def _check_pose_pairs(sentence: str, low: str, facts: dict[str, Any], report: GroundingReport) -> None:
    codes = {(pc["code"], pc["side"]): pc["value"] for pc in facts.get("posecodes", ())}
    for (code, phrase), (_, value) in _PAIR_TEXT.items():
        if f"the {code} are {phrase}" in low:
            actual = codes.get((code, None))
            status = UNVERIFIABLE if actual is None else (SUPPORTED if actual == value else CONTRADICTED)
            why = "" if status != CONTRADICTED else f"keypoints show the {code} {actual}"
            report.claims.append(Claim(sentence, "pose", status, why, "pose" if status == CONTRADICTED else None))
    if "upper body" in low or "the body is" in low:
        for phrase, value in _TORSO_TEXT.items():
            if phrase in low:
                actual = codes.get(("torso", None))
                status = UNVERIFIABLE if actual is None else (SUPPORTED if actual == value else CONTRADICTED)
                why = "" if status != CONTRADICTED else f"keypoints show the torso {actual}"
                report.claims.append(Claim(sentence, "pose", status, why, "pose" if status == CONTRADICTED else None))
