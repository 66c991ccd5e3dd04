"""Transition checker: is each claim of a pose-transition text borne out by the keypoint change?

A claim is one (side, body part, direction of change): "bend your left knee more" claims the
left knee angle shrinks. It is checked against the measures of both poses (see
``tools.paircodes.measures``): supported when the measure moves the claimed way by at least
the part's ``still`` threshold, contradicted otherwise, with a type: ``side`` (the other side
made that move), ``direction`` (the part moved the other way) or ``no_change`` (the part did
not move: a wrong part). Claims whose keypoints are hidden, or whose frame is unclear ("to
the left" without "your"), are unverifiable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from hoiscribe.core.records import Keypoints
from hoiscribe.core.verdicts import CONTRADICTED, SUPPORTED, UNVERIFIABLE, GroundingReport
from hoiscribe.geometry.paircodes import comparable, still_threshold, transition_facts
from hoiscribe.pose.mirror import mirror_keypoints

_PART_WORDS = {
    "elbow": "elbow", "elbows": "elbow", "arm": "arm", "arms": "arm", "forearm": "arm", "forearms": "arm",
    "hand": "hand", "hands": "hand", "wrist": "hand", "wrists": "hand",
    "knee": "knee", "knees": "knee", "leg": "leg", "legs": "leg",
    "foot": "foot", "feet": "foot", "ankle": "foot", "ankles": "foot", "stance": "foot",
    "upper body": "torso", "torso": "torso", "trunk": "torso", "chest": "torso", "your back": "torso",
    "head": "head", "face": "head",
}  # fmt: skip
_PLURAL = {"elbows", "arms", "forearms", "hands", "wrists", "knees", "legs", "feet", "ankles", "stance"}
_PART_RE = re.compile(
    r"(?:\b(left|right|both)\b(?:\s*-\s*|\s+))?\b("
    + "|".join(sorted((re.escape(w) for w in _PART_WORDS), key=len, reverse=True))
    + r")\b"
)
_CLAUSE_SPLIT = re.compile(r"\s*[,;]\s*(?:and\s+|then\s+)?|\s+(?:and|while|then|as|before|after)\s+")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")
_ABOVE_HEAD = re.compile(r"\b(?:above|over)\s+(?:your|the)\s+head\b")
_AT_JOINT = re.compile(r"\bat\s+(?:the|both|your)\s+(?:elbows?|knees?)\b")  # "bend your left leg at the knee"
_FRAME_DIR = re.compile(
    r"\b(?:to|toward|towards)\s+(your|the)\s+(left|right)\b(?!\s*-?\s*(?:hand|arm|leg|foot|knee|elbow))"
    r"|\b(left|right)wards?\b"
)
_NEGATED = re.compile(r"\b(?:keep|keeping|don't|do not|without|stay|remain|hold|holding|still)\b")
_TURN = re.compile(r"\b(?:turn|rotat|look|glanc)\w*")
_LEAN = re.compile(r"\b(?:lean|tilt)\w*")
_UPRIGHT = re.compile(r"\bupright\b|\bstand\w*\s+(?:up\s+)?straight\w*|\bstraighten\w*")
_FORWARD_BACK = re.compile(r"\b(forwards?|backwards?|back)\b")
_GAP = re.compile(r"\b(?:closer|together|nearer|narrow\w*|apart|farther|wider|widen\w*|spread\w*|gap)\b")
_GAP_CLOSER = re.compile(r"\b(?:closer|together|nearer|narrow\w*)\b")
_BEND = re.compile(r"\b(?:bend|bent|bending|flex\w*|fold\w*|straighten\w*|extend\w*|unbend\w*)\b")
_BEND_LESS = re.compile(r"\b(?:straighten\w*|extend\w*|unbend\w*|less|stretch\w*)\b")
_UP = re.compile(r"\b(?:rais\w*|lift\w*|up|upward\w*|higher|hoist\w*)\b")
_DOWN = re.compile(r"\b(?:lower|lowering|lowered|drop\w*|down|downward\w*)\b")


@dataclass(frozen=True, slots=True)
class TransitionClaim:
    """One checked claim; ``measure`` and ``sign`` say what it asserts of the keypoints."""

    text: str
    part: str
    side: str | None
    direction: str
    measure: str | None
    status: str
    reason: str = ""
    type: str | None = None


@dataclass
class TransitionReport(GroundingReport):
    """Same counts and ``as_dict`` as the HOI checker's report, over transition claims."""

    claims: list[TransitionClaim] = field(default_factory=list)  # type: ignore[assignment]

    @property
    def supported(self) -> list[TransitionClaim]:
        return [c for c in self.claims if c.status == SUPPORTED]


@dataclass
class _Clause:
    text: str
    parts: list[tuple[str | None, str, str]]  # (side word, part, the word used)
    kind: str | None
    direction: str | None
    frame: str | None = None  # 'your' (the person's) or 'the' (unclear) for lean/turn directions
    above_head: bool = False


def check_transition(text: str, facts: dict[str, Any]) -> TransitionReport:
    """Label every claim in ``text`` against ``facts['measures']`` (reference and target)."""
    report = TransitionReport()
    ref, tgt = facts["measures"]["reference"], facts["measures"]["target"]
    for sentence in _SENTENCE_SPLIT.split(text):
        prev_kind: str | None = None
        prev_dir: str | None = None
        pending: list[tuple[str | None, str, str]] = []
        for raw in _CLAUSE_SPLIT.split(sentence.strip().rstrip(".!?")):
            clause = _parse_clause(raw)
            if clause is None:
                prev_kind = None
                continue
            if clause.kind is None:
                if clause.parts and prev_kind is not None:
                    clause.kind, clause.direction = prev_kind, clause.direction or prev_dir
                else:
                    pending += clause.parts
                    continue
            clause.parts = pending + clause.parts
            pending = []
            if clause.direction is None:
                clause.direction = prev_dir if clause.kind == prev_kind else None
            prev_kind, prev_dir = clause.kind, clause.direction
            for claim in _claims(clause, ref, tgt):
                report.claims.append(claim)
    return report


def _parse_clause(raw: str) -> _Clause | None:
    """Parts, kind and direction of one clause; None for negated ones ("keep your arm still")."""
    low = " ".join(raw.lower().split())
    if not low or _NEGATED.search(low):
        return None
    above = bool(_ABOVE_HEAD.search(low))
    low = _AT_JOINT.sub(" ", _ABOVE_HEAD.sub(" ", low))
    frame, side_dir = None, None
    m = _FRAME_DIR.search(low)
    if m:
        if m.group(2):
            frame, side_dir = m.group(1), m.group(2)
        else:
            frame, side_dir = "your", m.group(3)
        low = low[: m.start()] + " " + low[m.end() :]
    parts = [(pm.group(1), _PART_WORDS[pm.group(2)], pm.group(2)) for pm in _PART_RE.finditer(low)]
    groups = {p[1] for p in parts}
    kind, direction = None, None
    if _TURN.search(low) and (not groups or groups == {"head"}) and side_dir:
        kind, direction, parts = "turn", side_dir, [(None, "head", "head")]
    elif _LEAN.search(low) or ("torso" in groups and (_BEND.search(low) or _UPRIGHT.search(low))):
        fb = _FORWARD_BACK.search(low)
        if side_dir:
            kind, direction = "lean", side_dir
        elif _UPRIGHT.search(low):
            kind, direction = "straighten", "upright"
        elif fb:
            kind, direction = "lean", "forward" if fb.group(1).startswith("forward") else "back"
        else:
            return None
        parts = [(None, "torso", "torso")]
    elif _UPRIGHT.search(low) and not groups:
        kind, direction, parts = "straighten", "upright", [(None, "torso", "torso")]
    elif _GAP.search(low) and any(p[2] in _PLURAL for p in parts):
        kind, direction = "gap", "closer" if _GAP_CLOSER.search(low) else "apart"
    elif _BEND.search(low) and groups & {"elbow", "arm", "knee", "leg"}:
        kind, direction = "bend", "less" if _BEND_LESS.search(low) else "more"
    elif _UP.search(low) or _DOWN.search(low):
        up, down = bool(_UP.search(low)), bool(_DOWN.search(low))
        kind, direction = "height", ("up" if up else "down") if up != down else None
    elif _BEND_LESS.search(low):
        kind, direction = "bend", "less"
    return _Clause(raw.strip(), parts, kind, direction, frame, above)


def _sides(side_word: str | None, word: str) -> list[str | None]:
    if side_word in ("left", "right"):
        return [side_word]
    if side_word == "both" or word in _PLURAL:
        return ["left", "right"]
    return [None]


def _claims(clause: _Clause, ref: dict[str, Any], tgt: dict[str, Any]) -> list[TransitionClaim]:
    out: list[TransitionClaim] = []
    if clause.kind is None or clause.direction is None:
        return out
    if clause.kind in ("lean", "turn", "straighten"):
        part = "head" if clause.kind == "turn" else "torso"
        if clause.direction in ("left", "right") and clause.frame != "your":
            return [
                _unverifiable(clause, part, None, "direction frame unclear ('the left' of the viewer or the person)")
            ]
        if clause.kind == "straighten":
            measure, sign = "lean_abs", -1
        elif clause.direction in ("forward", "back"):
            measure, sign = "lean_forward", 1 if clause.direction == "forward" else -1
        else:
            measure = "head_left" if clause.kind == "turn" else "lean_left"
            sign = 1 if clause.direction == "left" else -1
        return [_judge(clause, part, None, measure, sign, ref, tgt)]
    if clause.kind == "gap":
        seen: set[str] = set()
        for _, group, word in clause.parts:
            if word not in _PLURAL or group in ("torso", "head"):
                continue
            measure = "hands_gap" if group in ("hand", "arm", "elbow") else "feet_gap"
            if measure not in seen:
                seen.add(measure)
                out.append(_judge(clause, group, None, measure, 1 if clause.direction == "apart" else -1, ref, tgt))
        return out
    for side_word, group, word in clause.parts:
        if group in ("torso", "head"):
            continue
        for side in _sides(side_word, word):
            if side is None:
                out.append(_unverifiable(clause, group, None, "no side given"))
                continue
            if clause.kind == "bend":
                if group in ("hand", "foot"):
                    continue  # wrists and ankles have no measured bend
                joint = "elbow" if group in ("elbow", "arm") else "knee"
                measure, sign = f"{side}_{joint}_angle", -1 if clause.direction == "more" else 1
            else:
                limb = "hand" if group in ("hand", "arm", "elbow") else "foot"
                measure, sign = f"{side}_{limb}_height", 1 if clause.direction == "up" else -1
            claim = _judge(clause, group, side, measure, sign, ref, tgt)
            if claim.status == SUPPORTED and clause.above_head and clause.kind == "height":
                claim = _above_head(claim, side, tgt)
            out.append(claim)
    return out


def _unverifiable(clause: _Clause, part: str, side: str | None, why: str) -> TransitionClaim:
    return TransitionClaim(clause.text, part, side, clause.direction or "", None, UNVERIFIABLE, why)


def _judge(
    clause: _Clause, part: str, side: str | None, measure: str, sign: int, ref: dict[str, Any], tgt: dict[str, Any]
) -> TransitionClaim:
    """Supported when the measure moves ``sign``-ward by at least its still threshold."""
    direction = clause.direction or ""
    if not comparable(ref, tgt, measure):
        return TransitionClaim(clause.text, part, side, direction, measure, UNVERIFIABLE, f"{measure} not measurable")
    still = still_threshold(measure)
    moved = sign * (float(tgt[measure]) - float(ref[measure]))
    if moved >= still:
        return TransitionClaim(clause.text, part, side, direction, measure, SUPPORTED)
    other = None
    if side is not None:
        other_measure = measure.replace(side, "right" if side == "left" else "left", 1)
        if comparable(ref, tgt, other_measure):
            other = sign * (float(tgt[other_measure]) - float(ref[other_measure]))
    if other is not None and other >= still:
        kind, why = "side", f"the other side's {part} made this move ({measure}: {moved:+.2f} the claimed way)"
    elif moved <= -still:
        kind, why = "direction", f"{measure} moved the other way ({moved:+.2f} the claimed way)"
    else:
        kind, why = "no_change", f"{measure} barely changes ({moved:+.2f}, under {still})"
    return TransitionClaim(clause.text, part, side, direction, measure, CONTRADICTED, why, kind)


def _above_head(claim: TransitionClaim, side: str, tgt: dict[str, Any]) -> TransitionClaim:
    flag = tgt.get(f"{side}_hand_above_head")
    if flag is None:
        return claim
    if flag == 1.0:
        return claim
    return TransitionClaim(claim.text, claim.part, side, claim.direction, claim.measure, CONTRADICTED,
                           "the hand does not end above the head", "direction")  # fmt: skip


def _swap(facts: dict[str, Any]) -> dict[str, Any]:
    m = facts["measures"]
    return {"measures": {"reference": m["target"], "target": m["reference"]}}


def field_facts(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Facts each AutoComPose field is true of: forward, reversed, mirrored, mirrored and reversed.

    ``record`` holds flat COCO-17 ``reference_keypoints`` / ``target_keypoints`` and, for the
    mirrored fields, ``reference_size`` / ``target_size`` (a merged pose-pair record does).
    """
    ref = Keypoints.from_flat(record["reference_keypoints"])
    tgt = Keypoints.from_flat(record["target_keypoints"])
    forward = transition_facts(ref, tgt)
    out = {"sents": forward, "auto": forward, "mllm": forward, "reverse": _swap(forward)}
    out["auto-reverse"] = out["reverse"]
    if record.get("reference_size") and record.get("target_size"):
        mirrored = transition_facts(
            mirror_keypoints(ref, record["reference_size"][0]), mirror_keypoints(tgt, record["target_size"][0])
        )
        out["mirror"], out["mirror-reverse"] = mirrored, _swap(mirrored)
    return out


def check_record(record: dict[str, Any], texts: dict[str, list[str]]) -> dict[str, Any]:
    """Contradictions of one row's texts, per field, each field checked against its own facts."""
    facts = field_facts(record)
    by_field: dict[str, Any] = {}
    for name, items in texts.items():
        if name not in facts or not isinstance(items, list):
            continue
        reports = [check_transition(t, facts[name]) for t in items]
        by_field[name] = {
            "texts": len(items),
            "contradicted_texts": sum(1 for r in reports if r.contradicted),
            "contradictions": [c for r in reports for c in r.as_dict()["contradictions"]],
        }
    return {
        "sample_id": record.get("sample_id"),
        "contradicted": sum(f["contradicted_texts"] for f in by_field.values()),
        "fields": by_field,
    }
