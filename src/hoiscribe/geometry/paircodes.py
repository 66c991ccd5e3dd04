"""Paircodes: checkable facts about how a 2D pose changes from a reference to a target.

Each pose is reduced to a few scale-free measures (joint angles, hand and foot heights and
gaps in torso lengths, torso lean and head turn in the person's own frame). A change is
stated only when a measure moves by at least its ``change`` threshold; the transition
checker calls a part unmoved below its ``still`` threshold. Both live in ``THRESHOLDS``, so
an instruction written from a paircode is true of the keypoints by construction.

Sides are the person's own: ``left`` is COCO ``left_*``. Image directions become the
person's left/right only when the view (front or back) can be told from the shoulders.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from hoiscribe.core.records import Keypoints
from hoiscribe.vocab.keypoints import COCO17

# family -> (change, still): the smallest delta a paircode states, and the largest delta of an unmoved part
THRESHOLDS: dict[str, Any] = {
    "angle": (20.0, 8.0),  # elbow / knee angle, degrees
    "height": (0.30, 0.10),  # wrist above shoulder, ankle above hip, in torso lengths
    "gap": (0.30, 0.10),  # wrist-wrist and ankle-ankle distance, in torso lengths
    "lean": (15.0, 6.0),  # torso angle from vertical, degrees
    "head": (0.15, 0.05),  # nose offset from the ear midpoint, in shoulder widths
    "facing": 0.25,  # |shoulder dx| / torso length above this: a front or back view
    "profile_nose": 0.10,  # |nose dx from the shoulder midpoint| / torso length that tells a profile's facing
    "upright": 10.0,  # |lean| below this after a lean change: "straighten"
    "horizontal": 60.0,  # |lean| beyond this in either pose: raise/lower are not coded
}

SIDES = ("left", "right")
_I = {n: i for i, n in enumerate(COCO17.names)}
_HEAD = ("nose", "left_eye", "right_eye", "left_ear", "right_ear")


def family(measure: str) -> str:
    """The threshold family of a measure name."""
    if measure.endswith("_angle"):
        return "angle"
    if measure.endswith("_height"):
        return "height"
    if measure.endswith("_gap"):
        return "gap"
    if measure.startswith("lean"):
        return "lean"
    if measure == "head_left":
        return "head"
    raise KeyError(f"no threshold family for measure {measure!r}")


def change_threshold(measure: str) -> float:
    return float(THRESHOLDS[family(measure)][0])


def still_threshold(measure: str) -> float:
    return float(THRESHOLDS[family(measure)][1])


@dataclass(frozen=True, slots=True)
class Change:
    """One stated change: e.g. kind 'bend', part 'knee', side 'left', direction 'more'."""

    kind: str  # bend | height | gap | lean | straighten | turn
    part: str  # elbow | knee | hand | foot | hands | feet | torso | head
    side: str | None
    direction: str  # more | less | up | down | closer | apart | left | right | forward | back | upright
    measure: str
    reference: float
    target: float
    above_head: bool = False  # hand raised from below to above the head
    further: bool = False  # a lean that continues one the reference already had

    def label(self) -> str:
        """Plain words for prompts: 'left knee bends more (172 -> 118 degrees)'."""
        text = _LABELS[(self.kind, self.direction)].format(side=self.side, part=self.part)
        if self.kind == "height" and self.above_head:
            text += " to above the head"
        if self.kind == "bend":
            text += f" ({self.reference:.0f} -> {self.target:.0f} degrees)"
        return text

    @property
    def salience(self) -> float:
        return abs(self.target - self.reference) / change_threshold(self.measure)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "part": self.part,
            "side": self.side,
            "direction": self.direction,
            "measure": self.measure,
            "reference": round(self.reference, 3),
            "target": round(self.target, 3),
            "above_head": self.above_head,
            "further": self.further,
            "label": self.label(),
        }


_LABELS = {
    ("bend", "more"): "{side} {part} bends more",
    ("bend", "less"): "{side} {part} straightens",
    ("height", "up"): "{side} {part} moves up",
    ("height", "down"): "{side} {part} moves down",
    ("gap", "closer"): "{part} move closer together",
    ("gap", "apart"): "{part} move farther apart",
    ("lean", "left"): "upper body leans toward the person's left",
    ("lean", "right"): "upper body leans toward the person's right",
    ("lean", "forward"): "upper body leans forward",
    ("lean", "back"): "upper body leans back",
    ("straighten", "upright"): "upper body straightens up",
    ("turn", "left"): "head turns toward the person's left",
    ("turn", "right"): "head turns toward the person's right",
}


def _angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float | None:
    v1, v2 = a - b, c - b
    n = float(np.linalg.norm(v1) * np.linalg.norm(v2))
    if n < 1e-6:
        return None
    return math.degrees(math.acos(float(np.clip(np.dot(v1, v2) / n, -1.0, 1.0))))


def measures(kps: Keypoints) -> dict[str, Any]:
    """Scale-free measures of one pose; a measure is absent when its keypoints are not visible.

    Heights grow upward (image y points down). ``lean_image`` is degrees toward image right;
    ``lean_left`` / ``head_left`` are toward the person's left (front or back views only),
    ``lean_forward`` toward where the person faces (profile views only).
    """
    xyv = kps.as_coco17().xyv
    vis = xyv[:, 2] > 0
    pts = xyv[:, :2]

    def ok(*names: str) -> bool:
        return all(vis[_I[n]] for n in names)

    def p(name: str) -> np.ndarray:
        return pts[_I[name]]

    out: dict[str, Any] = {}
    for side in SIDES:
        for joint, (a, b, c) in (("elbow", ("shoulder", "elbow", "wrist")), ("knee", ("hip", "knee", "ankle"))):
            names = (f"{side}_{a}", f"{side}_{b}", f"{side}_{c}")
            if ok(*names):
                ang = _angle(p(names[0]), p(names[1]), p(names[2]))
                if ang is not None:
                    out[f"{side}_{joint}_angle"] = ang
    if not ok("left_shoulder", "right_shoulder", "left_hip", "right_hip"):
        return out
    sh_mid = (p("left_shoulder") + p("right_shoulder")) / 2
    hip_mid = (p("left_hip") + p("right_hip")) / 2
    torso = float(np.linalg.norm(sh_mid - hip_mid))
    if torso < 1e-6:
        return out
    out["torso_length"] = torso
    head_y = [p(n)[1] for n in _HEAD if ok(n)]
    for side in SIDES:
        if ok(f"{side}_wrist"):
            out[f"{side}_hand_height"] = (p(f"{side}_shoulder")[1] - p(f"{side}_wrist")[1]) / torso
            if head_y:
                out[f"{side}_hand_above_head"] = float(p(f"{side}_wrist")[1] < min(head_y))
        if ok(f"{side}_ankle"):
            out[f"{side}_foot_height"] = (p(f"{side}_hip")[1] - p(f"{side}_ankle")[1]) / torso
    if ok("left_wrist", "right_wrist"):
        out["hands_gap"] = float(np.linalg.norm(p("left_wrist") - p("right_wrist"))) / torso
    if ok("left_ankle", "right_ankle"):
        out["feet_gap"] = float(np.linalg.norm(p("left_ankle") - p("right_ankle"))) / torso
    dx, dy = sh_mid - hip_mid
    lean = math.degrees(math.atan2(dx, -dy))
    out["lean_image"] = lean
    out["lean_abs"] = abs(lean)
    facing = _facing(p("left_shoulder"), p("right_shoulder"), sh_mid, torso, p("nose") if ok("nose") else None)
    out["facing"] = facing
    if facing in ("front", "back"):
        to_left = 1.0 if facing == "front" else -1.0  # image direction of the person's left
        out["lean_left"] = lean * to_left
        width = float(np.linalg.norm(p("left_shoulder") - p("right_shoulder")))
        if ok("nose", "left_ear", "right_ear") and width > 1e-6:
            ears = (p("left_ear") + p("right_ear")) / 2
            out["head_left"] = (p("nose")[0] - ears[0]) / width * to_left
    elif facing in ("side_right", "side_left"):
        out["lean_forward"] = lean * (1.0 if facing == "side_right" else -1.0)
    return out


def _facing(ls: np.ndarray, rs: np.ndarray, mid: np.ndarray, torso: float, nose: np.ndarray | None) -> str | None:
    """front/back from shoulder order (a frontal person's left shoulder is on image right), else profile."""
    dx = (ls[0] - rs[0]) / torso
    if dx > THRESHOLDS["facing"]:
        return "front"
    if dx < -THRESHOLDS["facing"]:
        return "back"
    if nose is not None:
        ndx = (nose[0] - mid[0]) / torso
        if abs(ndx) > THRESHOLDS["profile_nose"]:
            return "side_right" if ndx > 0 else "side_left"
    return None


_FRAMED = ("lean_left", "head_left", "lean_forward")


def comparable(ref: dict[str, Any], tgt: dict[str, Any], measure: str) -> bool:
    """Both poses have the measure, and frame-dependent ones were taken in the same view."""
    if measure not in ref or measure not in tgt:
        return False
    return measure not in _FRAMED or ref.get("facing") == tgt.get("facing")


def _coded_heights(ref: dict[str, Any], tgt: dict[str, Any]) -> bool:
    """Up is the body's up only when neither torso is near horizontal."""
    limit = THRESHOLDS["horizontal"]
    return ref.get("lean_abs", 0.0) <= limit and tgt.get("lean_abs", 0.0) <= limit


def pair_changes(ref: dict[str, Any], tgt: dict[str, Any]) -> list[Change]:
    """Every change from ``ref`` to ``tgt`` measures at or past its threshold, most salient first."""
    out: list[Change] = []

    def delta(m: str) -> float | None:
        return float(tgt[m] - ref[m]) if comparable(ref, tgt, m) else None

    for side in SIDES:
        for joint in ("elbow", "knee"):
            m = f"{side}_{joint}_angle"
            d = delta(m)
            if d is not None and abs(d) >= change_threshold(m):
                out.append(Change("bend", joint, side, "more" if d < 0 else "less", m, ref[m], tgt[m]))
    if _coded_heights(ref, tgt):
        for side in SIDES:
            for part in ("hand", "foot"):
                m = f"{side}_{part}_height"
                d = delta(m)
                if d is not None and abs(d) >= change_threshold(m):
                    above = (
                        part == "hand"
                        and d > 0
                        and tgt.get(f"{side}_hand_above_head") == 1.0
                        and ref.get(f"{side}_hand_above_head") == 0.0
                    )
                    out.append(Change("height", part, side, "up" if d > 0 else "down", m, ref[m], tgt[m], above))
    for part in ("hands", "feet"):
        m = f"{part}_gap"
        d = delta(m)
        if d is not None and abs(d) >= change_threshold(m):
            out.append(Change("gap", part, None, "apart" if d > 0 else "closer", m, ref[m], tgt[m]))
    out.extend(_lean_changes(ref, tgt))
    d = delta("head_left")
    if d is not None and abs(d) >= change_threshold("head_left"):
        out.append(Change("turn", "head", None, "left" if d > 0 else "right", "head_left", ref["head_left"],
                          tgt["head_left"]))  # fmt: skip
    out.sort(key=lambda c: (-c.salience, c.measure))
    return out


def _lean_changes(ref: dict[str, Any], tgt: dict[str, Any]) -> list[Change]:
    """Back to upright, else a lean toward the person's left/right (or forward/back in profile)."""
    if not comparable(ref, tgt, "lean_abs"):
        return []
    step = change_threshold("lean_abs")
    if tgt["lean_abs"] < THRESHOLDS["upright"] and ref["lean_abs"] - tgt["lean_abs"] >= step:
        return [Change("straighten", "torso", None, "upright", "lean_abs", ref["lean_abs"], tgt["lean_abs"])]
    for m, (pos, neg) in (("lean_left", ("left", "right")), ("lean_forward", ("forward", "back"))):
        if comparable(ref, tgt, m) and abs(tgt[m] - ref[m]) >= step:
            d = tgt[m] - ref[m]
            further = ref[m] * d > 0 and abs(ref[m]) >= THRESHOLDS["upright"]
            return [Change("lean", "torso", None, pos if d > 0 else neg, m, ref[m], tgt[m], further=further)]
    return []


def changes_from_dicts(items: list[dict[str, Any]]) -> list[Change]:
    """Changes back from their ``as_dict`` form (request facts)."""
    return [
        Change(d["kind"], d["part"], d["side"], d["direction"], d["measure"], float(d["reference"]),
               float(d["target"]), bool(d.get("above_head")), bool(d.get("further")))
        for d in items
    ]  # fmt: skip


def _rounded(m: dict[str, Any]) -> dict[str, Any]:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in m.items()}


def transition_facts(ref: Keypoints, tgt: Keypoints) -> dict[str, Any]:
    """Measures of both poses and the paircodes both ways: what a transition text must agree with."""
    mr, mt = measures(ref), measures(tgt)
    return {
        "measures": {"reference": _rounded(mr), "target": _rounded(mt)},
        "paircodes": [c.as_dict() for c in pair_changes(mr, mt)],
        "reverse_paircodes": [c.as_dict() for c in pair_changes(mt, mr)],
    }
