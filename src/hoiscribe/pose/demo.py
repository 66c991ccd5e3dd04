"""Synthetic pose pairs with known changes: stick figures drawn from a small 2D body model.

A pose is a handful of parameters (torso lean, head turn, and per side arm raise, elbow
bend, leg raise, knee bend); forward kinematics gives COCO-17 keypoints, and a pair applies
one to three parameter changes to a random base pose. Because the changes are known, each
pair carries an independent "human" description (``sents``) and the exact set of keypoints
that moved, which the benchmark uses as ground truth. The figure faces the camera, so the
person's left is the image's right.

``write_pose_demo`` writes the AutoComPose layout (see ``pose.reader``), including
two bad pairs (a missing image, a hidden torso) that the reader must drop with reasons.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from hoiscribe.core.records import Keypoints
from hoiscribe.datasets.base import ReadResult
from hoiscribe.geometry.paircodes import change_threshold, measures
from hoiscribe.pose.captions import write_atomic
from hoiscribe.pose.reader import read_pose_pairs
from hoiscribe.vocab.keypoints import COCO17

POSE_DEMO_VERSION = "1"
W, H = 360, 480
SPLITS = {"train": 16, "test": 6}
TORSO, HALF_SHOULDER, HALF_HIP = 120.0, 30.0, 16.0
UPPER_ARM, FOREARM, THIGH, SHIN = 50.0, 48.0, 72.0, 70.0
SIDES = ("left", "right")
_SIGN = {"left": 1.0, "right": -1.0}  # image x direction of each side (the figure faces the camera)

# parameter -> (low, high) limits, and the size of a change to it
LIMITS = {"arm": (0.0, 175.0), "elbow": (0.0, 150.0), "leg": (0.0, 70.0), "knee": (0.0, 120.0),
          "lean": (-35.0, 35.0), "head": (-1.0, 1.0)}  # fmt: skip
STEPS = {"arm": (70.0, 120.0), "elbow": (45.0, 80.0), "leg": (35.0, 60.0), "knee": (45.0, 80.0),
         "lean": (20.0, 32.0), "head": (0.9, 1.4)}  # fmt: skip
BASE = {"arm": (0.0, 50.0), "elbow": (0.0, 50.0), "leg": (0.0, 12.0), "knee": (0.0, 25.0),
        "lean": (-6.0, 6.0), "head": (-0.3, 0.3)}  # fmt: skip
# a change to a parameter, stated as (measure, sign): what must move and which way
EFFECT = {"arm": ("{side}_hand_height", 1), "elbow": ("{side}_elbow_angle", -1), "leg": ("{side}_foot_height", 1),
          "knee": ("{side}_knee_angle", -1), "lean": ("lean_left", 1), "head": ("head_left", 1)}  # fmt: skip
# independent wording for the ground-truth description, per (parameter, increase?)
HUMAN = {
    ("arm", True): ("Lift your {side} arm up", "Raise your {side} arm higher"),
    ("arm", False): ("Lower your {side} arm", "Bring your {side} arm down"),
    ("elbow", True): ("Bend your {side} elbow more", "Bend your {side} arm further at the elbow"),
    ("elbow", False): ("Straighten your {side} arm", "Unbend your {side} elbow"),
    ("leg", True): ("Raise your {side} leg out to the side", "Lift your {side} leg"),
    ("leg", False): ("Lower your {side} leg", "Put your {side} leg down"),
    ("knee", True): ("Bend your {side} knee more", "Flex your {side} leg at the knee"),
    ("knee", False): ("Straighten your {side} leg", "Extend your {side} knee"),
    ("lean", True): ("Lean your upper body toward your left", "Tilt your torso to your left"),
    ("lean", False): ("Lean your upper body toward your right", "Tilt your torso to your right"),
    ("head", True): ("Turn your head to your left", "Look toward your left"),
    ("head", False): ("Turn your head to your right", "Look toward your right"),
}


@dataclass
class BodyParams:
    """Degrees unless noted; ``lean``/``head`` are toward the person's left, ``head`` in -1..1."""

    lean: float = 0.0
    head: float = 0.0
    arm: dict[str, float] = field(default_factory=lambda: {"left": 0.0, "right": 0.0})
    elbow: dict[str, float] = field(default_factory=lambda: {"left": 0.0, "right": 0.0})
    leg: dict[str, float] = field(default_factory=lambda: {"left": 0.0, "right": 0.0})
    knee: dict[str, float] = field(default_factory=lambda: {"left": 0.0, "right": 0.0})

    def get(self, name: str, side: str | None) -> float:
        value = getattr(self, name)
        return value[side] if isinstance(value, dict) else value

    def with_value(self, name: str, side: str | None, value: float) -> BodyParams:
        if side is None:
            return replace(self, **{name: value})
        return replace(self, **{name: dict(getattr(self, name), **{side: value})})


@dataclass(frozen=True, slots=True)
class KnownChange:
    """One applied parameter change: ``increase`` raises the parameter (more raise, more bend, more left)."""

    param: str
    side: str | None
    increase: bool


@dataclass
class DemoPair:
    """A generated pair: keypoints in image pixels, the changes, the moved points, a description."""

    name: str
    reference: Keypoints
    target: Keypoints
    changes: list[KnownChange]
    moved: frozenset[str]  # keypoints that moved in the body frame
    sents: list[str]


def _rot(v: np.ndarray, lean_deg: float) -> np.ndarray:
    """Rotate a torso-frame vector (x: toward image right, y: down) by the lean."""
    t = math.radians(lean_deg)
    c, s = math.cos(t), math.sin(t)
    return np.array([c * v[0] - s * v[1], s * v[0] + c * v[1]])


def body_points(p: BodyParams) -> dict[str, np.ndarray]:
    """COCO-17 points in the body frame (hip midpoint at the origin, pixels, y down)."""
    up = _rot(np.array([0.0, -1.0]), p.lean)
    lat = _rot(np.array([1.0, 0.0]), p.lean)
    down = -up
    pts: dict[str, np.ndarray] = {}
    mid = TORSO * up
    for side in SIDES:
        s = _SIGN[side]
        shoulder = mid + s * HALF_SHOULDER * lat
        a, b = math.radians(p.arm[side]), math.radians(p.arm[side] - p.elbow[side])
        elbow = shoulder + UPPER_ARM * (s * math.sin(a) * lat + math.cos(a) * down)
        wrist = elbow + FOREARM * (s * math.sin(b) * lat + math.cos(b) * down)
        hip = np.array([s * HALF_HIP, 0.0])
        h, k = math.radians(p.leg[side]), math.radians(p.leg[side] - p.knee[side])
        knee = hip + THIGH * np.array([s * math.sin(h), math.cos(h)])
        ankle = knee + SHIN * np.array([s * math.sin(k), math.cos(k)])
        pts.update({f"{side}_shoulder": shoulder, f"{side}_elbow": elbow, f"{side}_wrist": wrist,
                    f"{side}_hip": hip, f"{side}_knee": knee, f"{side}_ankle": ankle})  # fmt: skip
    head = mid + 42.0 * up
    pts["nose"] = head + 16.0 * p.head * lat + 2.0 * down
    for side in SIDES:
        s = _SIGN[side]
        pts[f"{side}_eye"] = head + (s * 7.0 + 11.0 * p.head) * lat + 5.0 * up
        pts[f"{side}_ear"] = head + s * 15.0 * lat
    return pts


def _placed(pts: dict[str, np.ndarray], rng: random.Random) -> Keypoints:
    """Body-frame points scaled and moved into the image, with sub-pixel noise, on a 0.1 px grid."""
    scale = rng.uniform(0.85, 1.05)
    ox, oy = W / 2 + rng.uniform(-20, 20), 270 + rng.uniform(-12, 12)
    rows = []
    for name in COCO17.names:
        x, y = pts[name] * scale + (ox, oy)
        rows.append((round(x + rng.uniform(-0.3, 0.3), 1), round(y + rng.uniform(-0.3, 0.3), 1), 2.0))
    return Keypoints(np.array(rows, dtype=np.float64), COCO17)


def _random_base(rng: random.Random) -> BodyParams:
    p = BodyParams()
    for name, (lo, hi) in BASE.items():
        for side in SIDES if name in ("arm", "elbow", "leg", "knee") else (None,):
            p = p.with_value(name, side, rng.uniform(lo, hi))
    return p


def _apply(p: BodyParams, ch: KnownChange, rng: random.Random) -> BodyParams | None:
    lo, hi = LIMITS[ch.param]
    step = rng.uniform(*STEPS[ch.param]) * (1 if ch.increase else -1)
    value = p.get(ch.param, ch.side) + step
    if not lo <= value <= hi:
        return None
    return p.with_value(ch.param, ch.side, value)


def _changes(rng: random.Random) -> list[KnownChange]:
    """One to three changes on distinct parameters and sides; lean and head turn never mix with arm changes."""
    n = rng.choice((1, 1, 2, 2, 3))
    options = [(param, side) for param in ("arm", "elbow", "leg", "knee") for side in SIDES]
    options += [("lean", None), ("head", None)]
    out: list[KnownChange] = []
    for param, side in rng.sample(options, len(options)):
        if len(out) == n:
            break
        used = {c.param for c in out}
        if (param in ("lean", "head") and used & {"arm", "elbow", "lean", "head"}) or (
            param in ("arm", "elbow") and used & {"lean", "head"}
        ):
            continue
        if any(c.param in ("arm", "elbow") and param in ("arm", "elbow") and c.side == side for c in out):
            continue  # one change per arm keeps the stated direction of the hand unambiguous
        if any(c.param in ("leg", "knee") and param in ("leg", "knee") and c.side == side for c in out):
            continue
        out.append(KnownChange(param, side, rng.random() < 0.5))
    return out


def _holds(ch: KnownChange, ref: dict[str, Any], tgt: dict[str, Any]) -> bool:
    """The change moves its measure the stated way by at least the paircode threshold."""
    measure, sign = EFFECT[ch.param]
    m = measure.format(side=ch.side)
    if m not in ref or m not in tgt:
        return False
    moved = (tgt[m] - ref[m]) * sign * (1 if ch.increase else -1)
    return moved >= change_threshold(m)


def make_pair(rng: random.Random, name: str) -> DemoPair:
    """One pair whose known changes all hold in the keypoints (resampled until they do)."""
    while True:
        base, changes = _random_base(rng), _changes(rng)
        target: BodyParams | None = base
        for ch in changes:
            target = _apply(target, ch, rng) if target is not None else None
        if target is None:
            continue
        ref_pts, tgt_pts = body_points(base), body_points(target)
        ref, tgt = _placed(ref_pts, rng), _placed(tgt_pts, rng)
        mr, mt = measures(ref), measures(tgt)
        if not all(_holds(ch, mr, mt) for ch in changes):
            continue
        moved = frozenset(n for n in COCO17.names if float(np.linalg.norm(ref_pts[n] - tgt_pts[n])) > 1e-6)
        clauses = [rng.choice(HUMAN[(ch.param, ch.increase)]).format(side=ch.side) for ch in changes]
        return DemoPair(name, ref, tgt, changes, moved, [_join(clauses)])


def _join(clauses: list[str]) -> str:
    """'A', 'B', 'C' -> 'A, b and c.'"""
    parts = [clauses[0]] + [c[0].lower() + c[1:] for c in clauses[1:]]
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return text + "."


def make_pairs(n: int, seed: int = 0) -> list[DemoPair]:
    """``n`` pairs, deterministic for a seed (what the benchmark and tests draw from)."""
    rng = random.Random(seed)
    return [make_pair(rng, f"pair{i:04d}") for i in range(n)]


# ---------------------------------------------------------------- drawing and writing


def draw_pose(kps: Keypoints, background: tuple[int, int, int] = (226, 234, 242)) -> Image.Image:
    """A stick figure with a face (eyes, nose) so the front view, and thus the sides, can be seen."""
    image = Image.new("RGB", (W, H), background)
    d = ImageDraw.Draw(image)
    d.rectangle((0, 430, W, H), fill=(176, 196, 156))
    pts = {n: (float(kps.xyv[i, 0]), float(kps.xyv[i, 1])) for i, n in enumerate(COCO17.names)}
    vis = {n: kps.xyv[i, 2] > 0 for i, n in enumerate(COCO17.names)}
    colours = {"left": (40, 110, 170), "right": (40, 130, 80)}
    for a, b in COCO17.skeleton:
        na, nb = COCO17.names[a], COCO17.names[b]
        if a < 5 or b < 5 or not (vis[na] and vis[nb]):
            continue
        side = "left" if na.startswith("left") and nb.startswith("left") else "right"
        colour = colours[side] if na.split("_")[0] == nb.split("_")[0] else (60, 60, 60)
        d.line((*pts[na], *pts[nb]), fill=colour, width=8)
    if vis["left_ear"] and vis["right_ear"]:
        (lx, ly), (rx, ry) = pts["left_ear"], pts["right_ear"]
        cx, cy, r = (lx + rx) / 2, (ly + ry) / 2, 22
        d.ellipse((cx - r, cy - r - 4, cx + r, cy + r), fill=(228, 186, 150), outline=(30, 30, 30))
    for n in ("left_eye", "right_eye"):
        if vis[n]:
            x, y = pts[n]
            d.ellipse((x - 2.5, y - 2.5, x + 2.5, y + 2.5), fill=(20, 20, 20))
    if vis["nose"]:
        x, y = pts["nose"]
        d.ellipse((x - 3, y - 2, x + 3, y + 4), fill=(190, 120, 100))
    return image


def _hide(kps: Keypoints, names: tuple[str, ...]) -> Keypoints:
    xyv = kps.xyv.copy()
    for n in names:
        xyv[COCO17.index(n)] = (0.0, 0.0, 0.0)
    return Keypoints(xyv, COCO17)


def write_pose_demo(root: Path, seed: int = 7) -> Path:
    """Draw every split's pairs and write the AutoComPose layout plus the keypoint file."""
    root = Path(root)
    (root / "images").mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for split, n in SPLITS.items():
        records, images = [], {}
        for i in range(n):
            pair = make_pair(rng, f"{split}_{i:03d}")
            ref_name, tgt_name = f"{pair.name}_ref.jpg", f"{pair.name}_tgt.jpg"
            for name, kps in ((ref_name, pair.reference), (tgt_name, pair.target)):
                draw_pose(kps).save(root / "images" / name, quality=92)
                images[name] = {"width": W, "height": H, "keypoints": kps.as_flat()}
            records.append({"reference": ref_name, "target": tgt_name, "img_set": split, "sents": pair.sents})
        if split == "train":  # bad input the reader must drop, each with its reason
            bad = make_pair(rng, f"{split}_bad")
            hidden = _hide(
                bad.reference,
                (
                    "left_shoulder",
                    "right_shoulder",
                    "left_hip",
                    "right_hip",
                    "left_knee",
                    "right_knee",
                    "left_ankle",
                    "right_ankle",
                    "left_elbow",
                    "right_elbow",
                ),
            )
            draw_pose(hidden).save(root / "images" / "train_bad_hidden.jpg", quality=92)
            draw_pose(bad.target).save(root / "images" / "train_bad_tgt.jpg", quality=92)
            images["train_bad_hidden.jpg"] = {"width": W, "height": H, "keypoints": hidden.as_flat()}
            images["train_bad_tgt.jpg"] = {"width": W, "height": H, "keypoints": bad.target.as_flat()}
            records.append({"reference": "train_bad_hidden.jpg", "target": "train_bad_tgt.jpg", "img_set": split,
                            "sents": bad.sents})  # fmt: skip
            records.append({"reference": "train_bad_tgt.jpg", "target": "train_missing.jpg", "img_set": split,
                            "sents": bad.sents})  # fmt: skip
        write_atomic(root / "captions" / f"{split}.json", json.dumps(records, indent=2).encode())
        write_atomic(root / "image_splits" / f"{split}.json", json.dumps(sorted(images), indent=1).encode())
        write_atomic(root / "keypoints" / f"{split}.json", json.dumps({"layout": "coco17", "images": images}).encode())
    (root / "POSE_DEMO_VERSION").write_text(POSE_DEMO_VERSION)
    return root


def ensure_pose_demo(root: Path) -> Path:
    """Write the pose demo unless ``root`` already holds this version of it."""
    marker = Path(root) / "POSE_DEMO_VERSION"
    if marker.is_file() and marker.read_text().strip() == POSE_DEMO_VERSION:
        return Path(root)
    return write_pose_demo(root)


def read_pose_demo(root: Path, split: str = "train", max_samples: int | None = None, **options: Any) -> ReadResult:
    """The pose demo through the pose-pair reader, written first if ``root`` does not hold it yet."""
    ensure_pose_demo(root)
    return read_pose_pairs(root, split, max_samples=max_samples, dataset="pose_demo", **options)
