"""Posecodes: discrete, checkable facts about a 2D pose, derived from COCO-17 keypoints.

Each code is computed only from visible keypoints, and every threshold lives in
``THRESHOLDS`` so a description written from a code is true of the keypoints by
construction. Sides are the person's own (COCO ``left_*`` = the person's left).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from hoiscribe.core.records import Keypoints
from hoiscribe.vocab.keypoints import COCO17

THRESHOLDS = {
    # joint angle (degrees) lower bounds, checked in order
    "bend": ((160.0, "straight"), (120.0, "slightly bent"), (70.0, "bent"), (0.0, "sharply bent")),
    "hands_close": 0.25,  # wrist distance / torso length
    "hands_apart": 1.6,
    "feet_close": 0.15,
    "feet_apart": 0.9,
    "lean_upright": 15.0,  # torso angle from vertical, degrees
    "lean_horizontal": 60.0,
}

_IDX = {name: i for i, name in enumerate(COCO17.names)}
_HEAD = ("nose", "left_eye", "right_eye", "left_ear", "right_ear")


@dataclass(frozen=True, slots=True)
class Posecode:
    """One pose fact: ``code`` (e.g. 'elbow'), ``side`` ('left'/'right'/None), ``value``."""

    code: str
    side: str | None
    value: str
    measure: float | None = None

    def as_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"code": self.code, "side": self.side, "value": self.value}
        if self.measure is not None:
            d["measure"] = round(self.measure, 1)
        return d


def _angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float | None:
    """Angle ABC in degrees, or None for a degenerate (zero-length) limb."""
    v1, v2 = a - b, c - b
    n = float(np.linalg.norm(v1) * np.linalg.norm(v2))
    if n < 1e-6:
        return None
    cos = float(np.clip(np.dot(v1, v2) / n, -1.0, 1.0))
    return math.degrees(math.acos(cos))


def _bend_label(angle: float) -> str:
    for bound, label in THRESHOLDS["bend"]:
        if angle >= bound:
            return label
    return THRESHOLDS["bend"][-1][1]


def posecodes(kps: Keypoints) -> list[Posecode]:
    """All posecodes computable from the visible COCO-17 keypoints of one person."""
    xyv = kps.as_coco17().xyv
    vis = xyv[:, 2] > 0
    pts = xyv[:, :2]

    def ok(*names: str) -> bool:
        return all(vis[_IDX[n]] for n in names)

    def p(name: str) -> np.ndarray:
        return pts[_IDX[name]]

    out: list[Posecode] = []
    for side in ("right", "left"):
        for code, (a, b, c) in (
            ("elbow", ("shoulder", "elbow", "wrist")),
            ("knee", ("hip", "knee", "ankle")),
        ):
            names = (f"{side}_{a}", f"{side}_{b}", f"{side}_{c}")
            if ok(*names):
                ang = _angle(p(names[0]), p(names[1]), p(names[2]))
                if ang is not None:
                    out.append(Posecode(code, side, _bend_label(ang), ang))

    head_y = [p(n)[1] for n in _HEAD if ok(n)]
    for side in ("right", "left"):
        wrist, shoulder = f"{side}_wrist", f"{side}_shoulder"
        if not ok(wrist):
            continue
        y = p(wrist)[1]
        if head_y and y < min(head_y):
            out.append(Posecode("hand_height", side, "above head"))
        elif ok(shoulder) and y < p(shoulder)[1]:
            out.append(Posecode("hand_height", side, "above shoulder"))

    torso = _torso_length(pts, vis)
    if torso:
        if ok("left_wrist", "right_wrist"):
            d = float(np.linalg.norm(p("left_wrist") - p("right_wrist"))) / torso
            if d < THRESHOLDS["hands_close"]:
                out.append(Posecode("hands", None, "close together", d))
            elif d > THRESHOLDS["hands_apart"]:
                out.append(Posecode("hands", None, "far apart", d))
        if ok("left_ankle", "right_ankle"):
            d = float(np.linalg.norm(p("left_ankle") - p("right_ankle"))) / torso
            if d < THRESHOLDS["feet_close"]:
                out.append(Posecode("feet", None, "close together", d))
            elif d > THRESHOLDS["feet_apart"]:
                out.append(Posecode("feet", None, "wide apart", d))
        lean = _torso_lean(pts)
        out.append(Posecode("torso", None, _lean_label(lean), lean))
    return out


def _torso_length(pts: np.ndarray, vis: np.ndarray) -> float | None:
    """Mid-shoulder to mid-hip distance, the scale every distance code is divided by."""
    need = [_IDX[n] for n in ("left_shoulder", "right_shoulder", "left_hip", "right_hip")]
    if not vis[need].all():
        return None
    length = float(np.linalg.norm(_mid(pts, "shoulder") - _mid(pts, "hip")))
    return length if length > 1e-6 else None


def _mid(pts: np.ndarray, joint: str) -> np.ndarray:
    return (pts[_IDX[f"left_{joint}"]] + pts[_IDX[f"right_{joint}"]]) / 2


def _torso_lean(pts: np.ndarray) -> float:
    """Signed angle (degrees) of hip->shoulder from image-up; negative = toward image left."""
    dx, dy = _mid(pts, "shoulder") - _mid(pts, "hip")
    return math.degrees(math.atan2(dx, -dy))


def _lean_label(lean: float) -> str:
    a = abs(lean)
    if a < THRESHOLDS["lean_upright"]:
        return "upright"
    if a > THRESHOLDS["lean_horizontal"]:
        return "horizontal"
    return "leaning image-left" if lean < 0 else "leaning image-right"
