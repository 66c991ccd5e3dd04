"""Transition checker: is each claim of a pose-transition text borne out by the keypoint change?

The language is read by ``pose.transition_parse`` into statements (part, side, movement, and a
mode); this module judges each against the measures of both poses (``geometry.paircodes``).
Evidence semantics, per mode (docs/pose.md has the table):

- a change ("bend your left knee more") is supported when its measure moves the claimed way by
  at least the part's ``still`` threshold, and contradicted otherwise, typed ``side`` (the other
  side made that move), ``direction`` (it moved the other way) or ``no_change``;
- a keep ("keep your right leg straight", "don't move your arms") is contradicted only when the
  measure moves by a full ``change`` threshold (against the stated state, if one is given), so a
  drift no writer would name is never called a lie; type ``keep``;
- a negated change ("don't raise your left arm", "without bending your knees") is contradicted
  when the measure makes that move by a full ``change`` threshold; type ``negation``;
- "either arm" or a part without a side holds when some side made the move;
- a level ("overhead", "to shoulder height", "still below the shoulder") is read on the target wrist
  alone (``magnitude``); a bare "the other arm moves too" needs some measure of that part to change;
- "raise the arm" / "lift the leg" whose hand or foot rose only with its own elbow or knee bending is
  not a raise of the limb (``body_part``, or ``side`` when the other limb was raised);
- a verbless state ("left arm down", "legs straight") the target already has is unverifiable, not
  ``no_change``.
- a hand that rose or sank less than a stated change while the torso leaned a stated amount was carried
  by the lean: no raise or lowering of the arm (``no_change``), unless the text ties it to the lean.

Unverifiable: hidden keypoints, different views for frame-dependent measures, a left/right
whose frame is unclear ("to the left"), and parts no measure covers (shoulders, palms, gaze).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from hoiscribe.core.records import Keypoints
from hoiscribe.core.verdicts import CONTRADICTED, SUPPORTED, UNVERIFIABLE, GroundingReport
from hoiscribe.geometry.paircodes import change_threshold, comparable, still_threshold, transition_facts
from hoiscribe.pose.mirror import mirror_keypoints
from hoiscribe.pose.transition_parse import PartRef, Statement, parse

UPRIGHT = 10.0  # degrees from vertical: a torso this upright cannot be straightened further
MAX_CHARS = 20_000  # longer texts are checked on their first MAX_CHARS characters (the report says so)
_BEND_JOINT = {"arm": "elbow", "elbow": "elbow", "leg": "knee", "knee": "knee"}
_HEIGHT_LIMB = {"arm": "hand", "hand": "hand", "leg": "foot", "knee": "foot", "foot": "foot"}
_GAP = {"arm": "hands_gap", "hand": "hands_gap", "leg": "feet_gap", "foot": "feet_gap"}
_KEEP_MEASURES = {"arm": ("{s}_elbow_angle", "{s}_hand_height"), "hand": ("{s}_hand_height",),
                  "elbow": ("{s}_elbow_angle",), "leg": ("{s}_knee_angle", "{s}_foot_height"),
                  "knee": ("{s}_knee_angle",), "foot": ("{s}_foot_height",)}  # fmt: skip


@dataclass(frozen=True, slots=True)
class TransitionClaim:
    """One checked claim; ``measure`` and ``direction`` say what it asserts of the keypoints.

    ``span`` is the (start, end) character range of ``text`` in the checked text."""

    text: str
    part: str
    side: str | None
    direction: str
    measure: str | None
    status: str
    reason: str = ""
    type: str | None = None
    span: tuple[int, int] | None = None
    mode: str = "change"


@dataclass
class TransitionReport(GroundingReport):
    """Same counts and ``as_dict`` as the HOI checker's report, over transition claims."""

    claims: list[TransitionClaim] = field(default_factory=list)  # type: ignore[assignment]
    note: str | None = None  # why a text was not (fully) checked: empty, truncated

    @property
    def supported(self) -> list[TransitionClaim]:
        return [c for c in self.claims if c.status == SUPPORTED]

    def as_dict(self) -> dict[str, Any]:
        """The shared counts; each contradiction also carries its character span."""
        d = super().as_dict()
        for item, claim in zip(d["contradictions"], self.contradicted, strict=True):
            item["span"] = list(claim.span) if claim.span else None
            item["measure"] = claim.measure
        if self.note:
            d["note"] = self.note
        return d


def check_transition(text: str, facts: dict[str, Any]) -> TransitionReport:
    """Label every claim in ``text`` against ``facts['measures']`` (reference and target)."""
    report = TransitionReport()
    if not isinstance(text, str) or not text.strip():
        report.note = "empty text: nothing to check"
        return report
    if len(text) > MAX_CHARS:
        report.note = f"text of {len(text)} characters: checked its first {MAX_CHARS}"
        text = text[:MAX_CHARS]
    ref, tgt = facts["measures"]["reference"], facts["measures"]["target"]
    unread: list[PartRef] = []
    statements = parse(text, unread)
    mentioned = _mentioned(statements, unread)
    for st in statements:
        report.claims.extend(_claims(st, text, ref, tgt, mentioned))
    return report


@dataclass(frozen=True, slots=True)
class _Ask:
    """What one claim asks of one measure: move ``sign``-ward (change / negated) or stay (keep)."""

    st: Statement
    text: str
    part: str
    side: str | None
    measure: str
    sign: int  # +1 / -1; 0 for a keep with no stated state


def _claims(
    st: Statement, text: str, ref: dict[str, Any], tgt: dict[str, Any], mentioned: set[str]
) -> list[TransitionClaim]:
    span_text = text[st.start : st.end]
    if st.kind in ("lean", "turn", "straighten"):
        return [_body_claim(st, span_text, ref, tgt)]
    out: list[TransitionClaim] = []
    seen: set[tuple[str, int]] = set()
    if (
        st.kind == "height"
        and not st.soft
        and any(cue in text for cue in _LEAN_CUES)
        and _WITH_LEAN.search(_sentence_of(text, st.start))
    ):
        st = replace(st, soft=True)  # "the right hand rises with the lean": no more than the lean carried
    for p in st.parts:
        if p.side == "unknown":  # "the other arm" with no side named before it
            out.append(_unverifiable(st, span_text, p.group, None, "'the other' with no side named before it"))
            continue
        if st.level and p.group in ("arm", "hand"):
            out.extend(_level_claims(st, span_text, p, tgt))
            if st.mode == "negated" or st.level_only:
                continue  # "don't raise it above your head", "still below the shoulder": the level is the claim
        if st.kind == "gap":
            measure = _GAP.get(p.group)
            if measure is None or (measure, 1) in seen:
                continue
            seen.add((measure, 1))
            out.append(_verdict(_Ask(st, span_text, p.group, None, measure, 1 if st.direction == "apart" else -1),
                                ref, tgt))  # fmt: skip
            continue
        if st.kind == "keep":
            out.extend(_keep_claims(st, span_text, p, ref, tgt, mentioned))
            continue
        if st.kind == "move":
            out.extend(_move_claims(st, span_text, p, ref, tgt))
            continue
        template = _measure_template(st.kind, p.group)
        if template is None:
            continue
        sign = 1 if st.direction in ("up", "less") else -1
        sides = ["left", "right"] if p.side == "both" else [p.side]
        for side in sides:
            if side == "any":
                out.append(_either(st, span_text, p.group, template, sign, ref, tgt))
                continue
            claim = _verdict(_Ask(st, span_text, p.group, side, template.format(s=side), sign), ref, tgt)
            if claim.status == SUPPORTED and st.kind == "height" and sign > 0 and st.mode == "change":
                claim = _joint_lift(claim, p.group, side, ref, tgt, _sentence_of(text, st.start))
            out.append(claim)
            if st.only and st.mode == "change" and side in ("left", "right"):
                other = "right" if side == "left" else "left"
                neg = Statement(st.start, st.end, st.kind, st.direction, [], "negated")
                out.append(_verdict(_Ask(neg, span_text, p.group, other, template.format(s=other), sign), ref, tgt))
    return out


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


def _mentioned(statements: list[Statement], unread: list[PartRef] | None = None) -> set[str]:
    """'left_arm' / 'right_leg' for every limb some statement (or a clause that made none) names, 'torso' /
    'head' when one names those, and 'lean' when one leans the torso."""
    out: set[str] = set()
    groups = [[*st.parts, *st.mentions] for st in statements] + [unread or []]
    for st in statements:
        if st.kind == "lean" and st.mode == "change":
            out.add("lean")
    for parts in groups:
        for p in parts:
            if p.group in ("torso", "head"):
                out.add(p.group)
            limb = {"arm": "arm", "elbow": "arm", "hand": "arm", "leg": "leg", "knee": "leg", "foot": "leg"}.get(
                p.group
            )
            if limb is None:
                continue
            out.update(f"{s}_{limb}" for s in (["left", "right"] if p.side in ("both", "any", "bare") else [p.side]))
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


def _body_claim(st: Statement, span_text: str, ref: dict[str, Any], tgt: dict[str, Any]) -> TransitionClaim:
    part = "head" if st.kind == "turn" else "torso"
    if st.direction in ("left", "right") and st.frame != "your":
        if st.frame == "image" and st.kind == "lean":
            return _verdict(_Ask(st, span_text, part, None, "lean_image", 1 if st.direction == "right" else -1),
                            ref, tgt)  # fmt: skip
        return _unverifiable(
            st, span_text, part, None, "direction frame unclear ('the left' of the viewer or the person)"
        )
    if st.kind == "straighten":
        measure, sign = "lean_abs", -1
        upright = comparable(ref, tgt, measure) and float(ref[measure]) < UPRIGHT
        if st.mode == "change" and upright and float(tgt[measure]) - float(ref[measure]) < change_threshold(measure):
            return _unverifiable(st, span_text, part, None, "already upright: 'straighten up' can only hold")
    elif st.direction in ("forward", "back"):
        measure, sign = "lean_forward", 1 if st.direction == "forward" else -1
    else:
        measure = "head_left" if st.kind == "turn" else "lean_left"
        sign = 1 if st.direction == "left" else -1
    return _verdict(_Ask(st, span_text, part, None, measure, sign), ref, tgt)


def _unverifiable(st: Statement, text: str, part: str, side: str | None, why: str) -> TransitionClaim:
    return TransitionClaim(text, part, side, st.direction or "", None, UNVERIFIABLE, why, None, (st.start, st.end),
                           st.mode)  # fmt: skip


def _claim(a: _Ask, status: str, why: str = "", kind: str | None = None) -> TransitionClaim:
    return TransitionClaim(a.text, a.part, a.side, a.st.direction or "", a.measure, status, why, kind,
                           (a.st.start, a.st.end), a.st.mode)  # fmt: skip


def _verdict(a: _Ask, ref: dict[str, Any], tgt: dict[str, Any]) -> TransitionClaim:
    """Judge one ask by its mode (see the module docstring)."""
    m = a.measure
    if not comparable(ref, tgt, m):
        return _claim(a, UNVERIFIABLE, f"{m} not measurable")
    delta = float(tgt[m]) - float(ref[m])
    still, change = still_threshold(m), change_threshold(m)
    mode = a.st.mode
    if mode in ("keep", "negated") and m.endswith("_height") and _bent_with(m, ref, tgt):
        return _claim(a, UNVERIFIABLE, f"{m} moves with the bend of its limb's joint")
    if mode in ("keep", "negated") and m.endswith("_hand_height") and _leaned(ref, tgt) and abs(delta) < 2 * change:
        return _claim(a, UNVERIFIABLE, f"{m} moves with the lean of the torso it hangs from")
    if mode == "keep":
        against = abs(delta) if a.sign == 0 else -a.sign * delta
        if against >= change:
            return _claim(a, CONTRADICTED, f"{m} changes by {delta:+.2f} (a stated change is {change})", "keep")
        return _claim(a, SUPPORTED if abs(delta) < still or a.sign else UNVERIFIABLE)
    moved = a.sign * delta
    if mode == "negated":
        if moved >= change:
            return _claim(a, CONTRADICTED, f"{m} does make this move ({moved:+.2f} the named way)", "negation")
        return _claim(a, SUPPORTED)
    if moved >= still and not _lean_carried(a, moved, ref, tgt):
        return _claim(a, SUPPORTED)
    if (
        a.st.stative
        and moved > -change
        and (  # "Arms: down", "left leg straight": a state, maybe unchanged
            _rest_state(m, a.sign, tgt) or (m.endswith("_hand_height") and _leaned(ref, tgt))
        )
    ):
        return _claim(a, UNVERIFIABLE, f"{m} moves no stated amount, and the stated state ({a.st.direction}) holds")
    other = None
    if a.side is not None:
        other_measure = m.replace(a.side, "right" if a.side == "left" else "left", 1)
        if comparable(ref, tgt, other_measure):
            other = a.sign * (float(tgt[other_measure]) - float(ref[other_measure]))
    if other is not None and other >= still:
        return _claim(a, CONTRADICTED, f"the other side's {a.part} made this move ({m}: {moved:+.2f} the claimed way)",
                      "side")  # fmt: skip
    if moved <= -still:
        return _claim(a, CONTRADICTED, f"{m} moved the other way ({moved:+.2f} the claimed way)", "direction")
    if a.st.soft and moved >= still / 2:  # "a bit" is some move: none at all is still a claim too many
        return _claim(a, UNVERIFIABLE, f"{m} moves a little ({moved:+.2f}) and the text says 'slightly'")
    if moved >= still:  # only the lean carried it (``_lean_carried``)
        return _claim(a, CONTRADICTED, f"{m} moves only with the lean of the torso ({moved:+.2f})", "no_change")
    return _claim(a, CONTRADICTED, f"{m} barely changes ({moved:+.2f}, under {still})", "no_change")


_UPPER_SEGMENT = re.compile(r"\b(?:upper[ -](?:arms?|legs?)|thighs?)\b", re.IGNORECASE)
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


def _delta(ref: dict[str, Any], tgt: dict[str, Any], m: str) -> float | None:
    return float(tgt[m]) - float(ref[m]) if comparable(ref, tgt, m) else None


def _rest_state(measure: str, sign: int, tgt: dict[str, Any]) -> bool:
    """The target holds a resting state a verbless clause names: a hand or foot down, a joint straight."""
    value = float(tgt[measure])
    if sign < 0 and measure.endswith("_hand_height"):
        return value < -0.3  # the wrist well below the shoulder
    if sign < 0 and measure.endswith("_foot_height"):
        return value < -1.0  # the ankle a leg's length below the hip
    return sign > 0 and measure.endswith("_angle") and value > 150.0  # "left leg straight"


# "rides up with the lean", "the arms follow", "carried along": the text ties a hand's move to the lean
_LEAN_CUES = ("with", "along", "follow", "carried", "With", "Along", "Follow", "Carried")
_WITH_LEAN = re.compile(
    r"\b(?:carried|along|follow\w*|with (?:it|them|the (?:lean|tilt|body|torso|trunk|upper body)))\b"
)


def _lean_carried(a: _Ask, moved: float, ref: dict[str, Any], tgt: dict[str, Any]) -> bool:
    """A hand that rose or sank less than a stated change while the torso leaned a stated amount and its elbow
    kept its bend: the lean carried it ("the right arm is lifted" of a hand the lean tipped up); 'slightly'
    and verbless states ("arms down") are left to the other rules."""
    if not a.measure.endswith("_hand_height") or a.st.soft or a.st.stative or moved >= change_threshold(a.measure):
        return False
    return _leaned(ref, tgt) and not _bent_with(a.measure, ref, tgt)


def _leaned(ref: dict[str, Any], tgt: dict[str, Any]) -> bool:
    """The torso leans by a stated-size change: an arm that keeps its place on the body swings with it."""
    m = "lean_image"
    return comparable(ref, tgt, m) and abs(float(tgt[m]) - float(ref[m])) >= change_threshold(m)


def _bent_with(measure: str, ref: dict[str, Any], tgt: dict[str, Any]) -> bool:
    """A hand or foot height that a stated-size bend of its own elbow or knee moves ("squat with feet
    flat": the hips drop and the ankle rises relative to them)."""
    side, limb = measure.split("_")[:2]
    joint = f"{side}_{'elbow' if limb == 'hand' else 'knee'}_angle"
    if not comparable(ref, tgt, joint):
        return False
    return abs(float(tgt[joint]) - float(ref[joint])) >= change_threshold(joint)


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
