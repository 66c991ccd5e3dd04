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
- "either arm" or a part without a side holds when some side made the move.

Unverifiable: hidden keypoints, different views for frame-dependent measures, a left/right
whose frame is unclear ("to the left"), and parts no measure covers (shoulders, palms, gaze).
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    statements = parse(text)
    mentioned = _mentioned(statements)
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
    for p in st.parts:
        if p.side == "unknown":  # "the other arm" with no side named before it
            out.append(_unverifiable(st, span_text, p.group, None, "'the other' with no side named before it"))
            continue
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
            if claim.status == SUPPORTED and st.above_head and st.kind == "height" and st.mode == "change":
                claim = _above_head(claim, side, tgt)
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
    return out


def _mentioned(statements: list[Statement]) -> set[str]:
    """'left_arm' / 'right_leg' for every limb some statement names."""
    out: set[str] = set()
    for st in statements:
        for p in [*st.parts, *st.mentions]:
            limb = {"arm": "arm", "elbow": "arm", "hand": "arm", "leg": "leg", "knee": "leg", "foot": "leg"}.get(
                p.group
            )
            if limb is None:
                continue
            out.update(f"{s}_{limb}" for s in (["left", "right"] if p.side in ("both", "any") else [p.side]))
    return out


def _keep_claims(
    st: Statement, span_text: str, p: PartRef, ref: dict[str, Any], tgt: dict[str, Any], mentioned: set[str]
) -> list[TransitionClaim]:
    state_kind, _, state_dir = (st.direction or "").partition(":")
    sides = ["left", "right"] if p.side in ("both", "any") else [p.side]
    if p.group == "torso":
        measure = "lean_abs" if state_kind else "lean_image"
        return [_verdict(_Ask(st, span_text, "torso", None, measure, -1 if state_kind else 0), ref, tgt)]
    if p.group in ("side", "rest"):
        return [_verdict(_Ask(st, span_text, p.group, None, m, 0), ref, tgt) for m in _group_measures(p, mentioned)]
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
    if moved >= still:
        return _claim(a, SUPPORTED)
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
    if a.st.soft and moved > 0:
        return _claim(a, UNVERIFIABLE, f"{m} moves a little ({moved:+.2f}) and the text says 'slightly'")
    return _claim(a, CONTRADICTED, f"{m} barely changes ({moved:+.2f}, under {still})", "no_change")


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


def _above_head(claim: TransitionClaim, side: str, tgt: dict[str, Any]) -> TransitionClaim:
    flag = tgt.get(f"{side}_hand_above_head")
    if flag is None or flag == 1.0:
        return claim
    return TransitionClaim(claim.text, claim.part, side, claim.direction, claim.measure, CONTRADICTED,
                           "the hand does not end above the head", "direction", claim.span)  # fmt: skip


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
