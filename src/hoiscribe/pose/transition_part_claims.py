"""Claims about limbs: keeps, bare moves, sideless parts, hand levels and joint-only lifts.

For ``pose.checker``: the measures each limb claim reads (``{s}_elbow_angle``, ``{s}_hand_height``,
...), a keep of a part, a side or the rest of the body, "the other arm moves too", "either arm",
where the hand ends (read on the target alone), and a raise whose hand or foot rose only with its
own elbow or knee bending.
"""

from __future__ import annotations

import re
from typing import Any

from hoiscribe.core.verdicts import CONTRADICTED, SUPPORTED, UNVERIFIABLE
from hoiscribe.geometry.paircodes import change_threshold, still_threshold
from hoiscribe.pose.transition_parse import PartRef, Statement
from hoiscribe.pose.transition_verdict import TransitionClaim, _Ask, _delta, _unverifiable, _verdict

_BEND_JOINT = {"arm": "elbow", "elbow": "elbow", "leg": "knee", "knee": "knee"}
_HEIGHT_LIMB = {"arm": "hand", "hand": "hand", "leg": "foot", "knee": "foot", "foot": "foot"}
_GAP = {"arm": "hands_gap", "hand": "hands_gap", "leg": "feet_gap", "foot": "feet_gap"}
_KEEP_MEASURES = {"arm": ("{s}_elbow_angle", "{s}_hand_height"), "hand": ("{s}_hand_height",),
                  "elbow": ("{s}_elbow_angle",), "leg": ("{s}_knee_angle", "{s}_foot_height"),
                  "knee": ("{s}_knee_angle",), "foot": ("{s}_foot_height",)}  # fmt: skip


def _measure_template(kind: str, group: str) -> str | None:
    if kind == "bend" and group in _BEND_JOINT:
        return "{s}_" + _BEND_JOINT[group] + "_angle"
    if kind == "height" and group in _HEIGHT_LIMB:
        return "{s}_" + _HEIGHT_LIMB[group] + "_height"
    return None


def _group_measures(p: PartRef, mentioned: set[str]) -> list[str]:
    """Limb measures of one side of the body, or of every limb the text names nowhere else."""
    sides = [p.side] if p.group == "side" else ["left", "right"]
    out = []
    for side in sides:
        for limb, templates in (("arm", _KEEP_MEASURES["arm"]), ("leg", _KEEP_MEASURES["leg"])):
            if p.group == "rest" and f"{side}_{limb}" in mentioned:
                continue  # a bent knee lifts the foot too: the whole limb is the text's
            out += [t.format(s=side) for t in templates]
    if p.group == "rest":  # "the person does not move at all": the torso and the head too, unless named
        out += [m for m, key in (("lean_image", "torso"), ("head_left", "head")) if key not in mentioned]
    return out


def _keep_claims(
    st: Statement, span_text: str, p: PartRef, ref: dict[str, Any], tgt: dict[str, Any], mentioned: set[str]
) -> list[TransitionClaim]:
    state_kind, _, state_dir = (st.direction or "").partition(":")
    sides = ["left", "right"] if p.side in ("both", "any") else [p.side]
    if p.group == "torso":
        if not state_kind:
            return [_verdict(_Ask(st, span_text, "torso", None, "lean_image", 0), ref, tgt)]
        if state_kind != "straighten" and "lean" in mentioned:
            return [
                _unverifiable(st, span_text, "torso", None, "a straight back while leaning: the spine, not the lean")
            ]
        out = [_verdict(_Ask(st, span_text, "torso", None, "lean_abs", -1), ref, tgt)]
        if state_kind == "straighten":  # "stay upright": no lean either way, not only no more lean
            out.append(_verdict(_Ask(st, span_text, "torso", None, "lean_image", 0), ref, tgt))
        return out
    if p.group in ("side", "rest"):
        return [_verdict(_Ask(st, span_text, p.group, None, m, 0), ref, tgt) for m in _group_measures(p, mentioned)]
    if p.group in ("arm", "leg") and _UPPER_SEGMENT.search(span_text):
        return []  # "keep your upper arms by your body": the upper arm's place, not the elbow or the hand
    if p.group == "head":
        return [_verdict(_Ask(st, span_text, "head", None, "head_left", 0), ref, tgt)]
    if state_kind == "gap" and p.group in _GAP:
        sign = 0 if state_dir == "same" else 1 if state_dir == "apart" else -1  # "the same distance apart"
        return [_verdict(_Ask(st, span_text, p.group, None, _GAP[p.group], sign), ref, tgt)]
    out = []
    for side in sides:
        if state_kind in ("height", "bend"):
            template = _measure_template(state_kind, p.group)
            if template is None:
                continue
            sign = 1 if state_dir in ("up", "less") else -1
            out.append(_verdict(_Ask(st, span_text, p.group, side, template.format(s=side), sign), ref, tgt))
        else:
            for template in _KEEP_MEASURES.get(p.group, ()):
                out.append(_verdict(_Ask(st, span_text, p.group, side, template.format(s=side), 0), ref, tgt))
    return out


def _moved(ref: dict[str, Any], tgt: dict[str, Any], group: str, side: str) -> bool | None:
    """Did any measure of one limb part change by its still threshold? None when none is measurable."""
    deltas = [_delta(ref, tgt, t.format(s=side)) for t in _KEEP_MEASURES.get(group, ())]
    known = [(d, t) for d, t in zip(deltas, _KEEP_MEASURES.get(group, ()), strict=True) if d is not None]
    if not known:
        return None
    return any(abs(d) >= still_threshold(t.format(s=side)) for d, t in known)


def _move_claims(
    st: Statement, span_text: str, p: PartRef, ref: dict[str, Any], tgt: dict[str, Any]
) -> list[TransitionClaim]:
    """'The other arm moves too': some measure of the part changes, whichever way (side: any -> some side)."""
    if p.group in ("head", "torso"):  # "turn your head", "the body also leans": that measure moves, either way
        m = "head_left" if p.group == "head" else "lean_image"
        d = _delta(ref, tgt, m)
        if d is None:
            return []
        held = abs(d) >= still_threshold(m)
        return [TransitionClaim(span_text, p.group, None, "moves", m, SUPPORTED if held else CONTRADICTED,
                                "" if held else f"{m} barely changes ({d:+.2f})", None if held else "no_change",
                                (st.start, st.end), st.mode)]  # fmt: skip
    sides = ["left", "right"] if p.side in ("both", "any") else [p.side]
    if p.group not in _KEEP_MEASURES or not all(s in ("left", "right") for s in sides):
        return []
    moved = {s: _moved(ref, tgt, p.group, s) for s in sides}
    if p.side == "any":
        if any(moved.values()) or None in moved.values():
            return []
        sides = sides[:1]
    out = []
    for side in sides:
        m = moved[side]
        other = _moved(ref, tgt, p.group, "right" if side == "left" else "left")
        status = UNVERIFIABLE if m is None else SUPPORTED if m else CONTRADICTED
        kind = None if m or m is None else "side" if other else "no_change"
        why = "" if m or m is None else f"no measure of the {side} {p.group} changes"
        out.append(TransitionClaim(span_text, p.group, None if p.side == "any" else side, "moves", None, status,
                                   why, kind, (st.start, st.end), st.mode))  # fmt: skip
    return out


_UPPER_SEGMENT = re.compile(
    r"\b(?:upper[ -](?:arms?|legs?|part|portion|half|section|segment)|thighs?)\b", re.IGNORECASE
)
_JOINT_LIFT = {"arm": ("elbow", "hand", 0.55), "leg": ("knee", "foot", 1.0)}  # limb -> joint, end, most lift
# the segment or the bend named, or "higher" (the end's height, as paircodes state it): no claim about the limb
_SEGMENT_WORDS = ("forearm", "shin", "lower arm", "lower leg", "elbow", "knee", "higher")


def _joint_lift(
    claim: TransitionClaim, group: str, side: str, ref: dict[str, Any], tgt: dict[str, Any], sentence: str
) -> TransitionClaim:
    """'Raise the left arm' / 'lift the left leg' whose hand or foot rose only by its own elbow or knee
    bending: the limb was not raised at the shoulder or hip. Typed ``side`` when the other limb was.

    A sentence that ties the raise to the joint ("the leg lifts as the knee bends", "lifting it by
    bending the elbow") describes that bend, unless the raise is sideways ("lift your left leg to the
    side"), which no bend of the knee makes; "bend the elbow and raise the arm" claims both."""
    if (
        group not in _JOINT_LIFT
        or side not in ("left", "right")
        or any(w in claim.text.lower() for w in _SEGMENT_WORDS)
    ):
        return claim
    joint, end, most = _JOINT_LIFT[group]
    if joint in sentence and _LINKED.search(sentence) and not _SIDEWAYS.search(claim.text):
        return claim
    other = "right" if side == "left" else "left"
    bend, lift, other_bend, other_lift = (
        _delta(ref, tgt, f"{s}_{m}") for s in (side, other) for m in (f"{joint}_angle", f"{end}_height")
    )
    if bend is None or lift is None or bend > -change_threshold(f"{side}_{joint}_angle") or lift >= most:
        return claim
    raised_other = other_lift is not None and other_lift >= change_threshold(claim.measure or "")
    if raised_other and (other_bend is None or other_bend > -change_threshold(f"{other}_{joint}_angle")):
        why, kind = f"the {other} {group} is raised; the {side} {end} rises only with its {joint}'s bend", "side"
    else:
        why, kind = (
            f"the {side} {end} rises only with the {joint}'s bend ({bend:+.0f} deg): the {group} is not raised",
            "body_part",
        )
    return TransitionClaim(claim.text, claim.part, side, claim.direction, claim.measure, CONTRADICTED, why, kind,
                           claim.span)  # fmt: skip


_SIDEWAYS = re.compile(r"\b(?:out|outward|outwards|sideways|side|sides|wide)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?;\n]")
_LINKED = re.compile(r"\b(?:as|while|with|by|so|when|bending|folding|flexing|curling|hinging)\b")


def _sentence_of(text: str, at: int) -> str:
    """The lower-cased sentence of ``text`` around character ``at``."""
    start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, at)), default=0)
    end = _SENTENCE_END.search(text, at)
    return text[start : end.start() if end else len(text)].lower()


def _either(
    st: Statement, text: str, part: str, template: str, sign: int, ref: dict[str, Any], tgt: dict[str, Any]
) -> TransitionClaim:
    """A part with no side ("bend your knee", "either arm"): true when some side made the move."""
    if st.mode == "change":
        verdicts = [_verdict(_Ask(st, text, part, s, template.format(s=s), sign), ref, tgt) for s in ("left", "right")]
        if st.only and all(v.status == SUPPORTED for v in verdicts):
            both = [_delta(ref, tgt, template.format(s=s)) for s in ("left", "right")]
            if all(d is not None and sign * d >= change_threshold(template.format(s="left")) for d in both):
                v = verdicts[0]  # "only one elbow bends" when both do
                return TransitionClaim(v.text, part, None, v.direction, template.format(s="*"), CONTRADICTED,
                                       "both sides make this move, not only one", "side", v.span)  # fmt: skip
        for v in verdicts:
            if v.status == SUPPORTED:
                return TransitionClaim(v.text, part, None, v.direction, v.measure, SUPPORTED, "", None, v.span)
        if all(v.status == CONTRADICTED for v in verdicts):
            kind = "direction" if all(v.type == "direction" for v in verdicts) else "no_change"
            v = verdicts[0]
            return TransitionClaim(v.text, part, None, v.direction, template.format(s="*"), CONTRADICTED,
                                   f"neither side makes this move ({'; '.join(x.reason for x in verdicts)})", kind,
                                   v.span)  # fmt: skip
        return _unverifiable(st, text, part, None, "no side given and a side is not measurable")
    verdicts = [_verdict(_Ask(st, text, part, s, template.format(s=s), sign), ref, tgt) for s in ("left", "right")]
    hit = next((v for v in verdicts if v.status == CONTRADICTED), None)  # "don't raise your arm": neither may
    if hit is not None:
        return hit
    if all(v.status == SUPPORTED for v in verdicts):
        return verdicts[0]
    return _unverifiable(st, text, part, None, "no side given and a side is not measurable")


_LEVEL_FLIP = {"above_head": "below_head", "below_head": "above_head", "above_shoulder": "below_shoulder",
               "below_shoulder": "above_shoulder", "shoulder": "below_shoulder", "head": "below_head"}  # fmt: skip
LEVEL_SLACK = 0.05  # torso lengths: a wrist this close to the shoulder line is at it, for above / below


def _level_holds(level: str, tgt: dict[str, Any], side: str) -> bool | None:
    """Does the target hand of ``side`` end at ``level``? None when the wrist or the head is hidden."""
    height, above = tgt.get(f"{side}_hand_height"), tgt.get(f"{side}_hand_above_head")
    if height is None or above is None:
        return None
    h = float(height)
    return {"above_head": above == 1.0, "below_head": above == 0.0, "above_shoulder": h >= -LEVEL_SLACK,
            "below_shoulder": h <= LEVEL_SLACK, "shoulder": above == 0.0 and h >= -0.3,
            "head": h >= -LEVEL_SLACK}[level]  # fmt: skip


def _level_claims(st: Statement, text: str, p: PartRef, tgt: dict[str, Any]) -> list[TransitionClaim]:
    """Where the hand ends ("overhead", "to shoulder height", "still below the shoulder"), read on the target
    alone; a negated move ("don't raise it above your head") claims the other side of the landmark."""
    level = st.level or ""
    if st.mode == "negated":
        level = _LEVEL_FLIP[level]
    sides = ["left", "right"] if p.side in ("both", "any") else [p.side]
    verdicts = {s: _level_holds(level, tgt, s) for s in sides}
    if p.side == "any":  # "the hand ends above the head": some hand does
        if any(v for v in verdicts.values()) or None in verdicts.values():
            return []
        sides = sides[:1]
    out = []
    for side in sides:
        held = verdicts[side]
        status = UNVERIFIABLE if held is None else SUPPORTED if held else CONTRADICTED
        why = "" if held else f"the {side} hand does not end {level.replace('_', ' ')}"
        out.append(TransitionClaim(text, p.group, None if p.side == "any" else side, level,
                                   f"{side}_hand_height", status, why, None if held else "magnitude",
                                   (st.start, st.end), st.mode))  # fmt: skip
    return out
