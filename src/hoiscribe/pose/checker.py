"""Transition checker: is each claim of a pose-transition text borne out by the keypoint change?

The language is read by ``pose.transition_parse`` into statements (part, side, movement, and a
mode); this module judges each against the measures of both poses (``geometry.paircodes``):
one measure by ``transition_verdict``, limb claims (keeps, moves, levels) by ``transition_part_claims``.
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
  by the lean: no raise or lowering of the arm (``no_change``), unless the text ties it to the lean ("with
  the lean", "because of the tilt", "as the body tilts", "the torso leans, which lifts the right hand");
- a limb keep in a sentence that excepts what changed ("the knee bends; the leg is otherwise unchanged")
  keeps the rest of the limb: the measures a supported change of the text claims are left out.

Unverifiable: hidden keypoints, different views for frame-dependent measures, a left/right
whose frame is unclear ("to the left"), and parts no measure covers (shoulders, palms, gaze).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from hoiscribe.core.records import Keypoints
from hoiscribe.core.verdicts import CONTRADICTED as CONTRADICTED  # re-exported: tests import the statuses here
from hoiscribe.core.verdicts import SUPPORTED, GroundingReport
from hoiscribe.core.verdicts import UNVERIFIABLE as UNVERIFIABLE
from hoiscribe.geometry.paircodes import change_threshold, comparable, transition_facts
from hoiscribe.pose.mirror import mirror_keypoints
from hoiscribe.pose.transition_parse import PartRef, Statement, parse
from hoiscribe.pose.transition_part_claims import (
    _GAP,
    _either,
    _joint_lift,
    _keep_claims,
    _level_claims,
    _measure_template,
    _move_claims,
    _sentence_of,
)
from hoiscribe.pose.transition_verdict import TransitionClaim, _Ask, _unverifiable, _verdict

UPRIGHT = 10.0  # degrees from vertical: a torso this upright cannot be straightened further
MAX_CHARS = 20_000  # longer texts are checked on their first MAX_CHARS characters (the report says so)


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
    low = text.lower()
    tied = 1 if any(map(low.__contains__, _TIE_CUES)) else 0  # some sentence may tie a hand's move to the lean
    if any(map(low.__contains__, _LEAN_WORDS)) and any(map(low.__contains__, _CAUSE_CUES)):
        tied += 2  # "because of the lean", "the torso tilts, which lifts the right hand"
    for st in statements:
        report.claims.extend(_claims(st, text, ref, tgt, mentioned, tied))
    if any(map(low.__contains__, _EXCEPT_CUES)):
        report.claims = _otherwise(report.claims, text)
    return report


# "the right knee bends; the leg is otherwise unchanged", "apart from the bent knee, the leg stays where it was"
_EXCEPT_CUES = ("otherwise", "apart", "aside", "other than", "except", "besides")
_OTHERWISE_CUES = re.compile(r"\b(?:otherwise|apart from|aside from|other than|except|besides)\b")


def _otherwise(claims: list[TransitionClaim], text: str) -> list[TransitionClaim]:
    """A limb keep in a sentence that excepts what changed keeps the rest of the limb: it drops the measures
    a supported change of the text claims (the knee's bend, the hand's rise)."""
    changed = {c.measure for c in claims if c.mode == "change" and c.status == SUPPORTED and c.measure}
    return [
        c
        for c in claims
        if not (
            c.mode == "keep"
            and c.part in ("arm", "leg", "elbow", "knee", "hand", "foot")
            and c.measure in changed
            and c.span is not None
            and _OTHERWISE_CUES.search(_sentence_of(text, c.span[0]))
        )
    ]


def _claims(
    st: Statement, text: str, ref: dict[str, Any], tgt: dict[str, Any], mentioned: set[str], tied: int = 0
) -> list[TransitionClaim]:
    span_text = text[st.start : st.end]
    if st.kind in ("lean", "turn", "straighten"):
        return [_body_claim(st, span_text, ref, tgt)]
    out: list[TransitionClaim] = []
    seen: set[tuple[str, int]] = set()
    if tied and st.kind == "height" and not st.soft and _tied(_sentence_of(text, st.start), tied):
        st = replace(st, soft=True)  # "the right hand rises with the lean": no more than the lean carried
    if tied & 1 and st.kind == "move" and st.mode == "change" and _WITH_LEAN.search(span_text.lower()):
        return out  # "the arms shift a little with it", "moving with the torso": carried, no move of their own
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


# "rides up with the lean", "the arms follow", "carried along", "because of the tilt", "as the body tilts", "the
# torso leans, which lifts the right hand": the text ties a hand's move to the lean
_WITH_LEAN = re.compile(  # on a lower-cased sentence
    r"\b(?:carried|along|follow\w*|with (?:it|them|the (?:lean|tilt|body|torso|trunk|upper body)))\b"
)
_CAUSED = re.compile(
    r"\b(?:(?:because of|due to|owing to|thanks to|caused by|result of) (?:it|this|that|the|his|her|their)"
    r"|as a result|as (?:the|his|her|their) (?:body|torso|trunk|upper body) (?:tilts|leans|bends|tips|sways|moves)"
    r"|(?:lean|tilt|tip|sway)\w*\b.*\b(?:so|which|thus|therefore|hence))\b"
)


def _tied(sentence: str, tied: int) -> bool:
    """Does the (lower-cased) sentence tie a hand's move to the lean? ``tied``: bit 1 a with/along cue in the
    text, bit 2 a lean word and a causal cue."""
    return bool((tied & 1 and _WITH_LEAN.search(sentence)) or (tied & 2 and _CAUSED.search(sentence)))


_TIE_CUES = ("with", "along", "follow", "carried")  # cheap prechecks of the lower-cased text
_LEAN_WORDS = ("lean", "tilt", "tip", "sway")
_CAUSE_CUES = ("because", "due", "owing", "thanks", "caused", "result", " as ", "which", " so ", "thus", "therefore",
               "hence")  # fmt: skip


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
