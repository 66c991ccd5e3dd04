"""Hand-made COCO-17 poses: a person facing the camera (their left on the image's right)."""

from __future__ import annotations

import numpy as np

from hoiscribe.core.records import Keypoints
from hoiscribe.vocab.keypoints import COCO17

# pixel offsets from the hip midpoint at (200, 300); y grows downward
STAND = {
    "nose": (0, -160), "left_eye": (6, -166), "right_eye": (-6, -166), "left_ear": (14, -162),
    "right_ear": (-14, -162), "left_shoulder": (30, -120), "right_shoulder": (-30, -120),
    "left_elbow": (36, -70), "right_elbow": (-36, -70), "left_wrist": (38, -22), "right_wrist": (-38, -22),
    "left_hip": (16, 0), "right_hip": (-16, 0), "left_knee": (18, 70), "right_knee": (-18, 70),
    "left_ankle": (18, 140), "right_ankle": (-18, 140),
}  # fmt: skip


def pose(
    hidden: tuple[str, ...] = (), origin: tuple[float, float] = (200, 300), **moves: tuple[float, float]
) -> Keypoints:
    """The standing pose with some points moved (offsets) and some hidden."""
    pts = dict(STAND, **moves)
    ox, oy = origin
    rows = [(ox + pts[n][0], oy + pts[n][1], 0.0 if n in hidden else 2.0) for n in COCO17.names]
    return Keypoints(np.array(rows, dtype=np.float64), COCO17)
