"""Spatial relations between a human and an object, vectorised over many pairs.

Everything the relation tool tells the model is computed here for N pairs at once
(10,000 pairs in a few milliseconds), so reward functions and data generation can score
whole datasets without a Python loop. Definitions (``W``, ``H`` image size, boxes xyxy):

* ``distance``: centre-to-centre distance / image diagonal ``sqrt(W^2 + H^2)``.
* ``gap``: edge-to-edge distance between the boxes / human box diagonal (0 when they overlap).
* ``iou``: box IoU; ``overlap``: intersection / object area (how much of the object lies on the person).
* ``contact``: ``gap <= CONTACT_GAP``, or a visible keypoint inside the object box grown by
  ``CONTACT_GAP`` x human diagonal.
* ``direction``: where the object is, seen from the person, in the image frame: ``in front``
  when ``overlap >= FRONT_OVERLAP``, else the dominant axis of the centre offset normalised by
  the human box size (``left``/``right``/``above``/``below``).
* ``nearest_parts``: body parts (HAKE's ten) ranked by the distance from their keypoints to
  the object box, over the human diagonal.
* ``facing``: from the shoulders and face: ``left``/``right`` (image frame) when the nose is
  off the shoulder midpoint by more than ``FACING_OFFSET`` shoulder widths, else ``camera``
  when the person's left shoulder is on the image's right, else ``away``. ``facing_object``
  says whether a ``left``/``right`` facing points at the object (unknown otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from hoiscribe.vocab.hake import PART_KEYPOINTS
from hoiscribe.vocab.keypoints import COCO17

CONTACT_GAP = 0.03
FRONT_OVERLAP = 0.5
FACING_OFFSET = 0.25
PARTS: tuple[str, ...] = tuple(PART_KEYPOINTS)
_PART_MASK = np.zeros((len(PARTS), 17), dtype=bool)
for _p, _names in enumerate(PART_KEYPOINTS.values()):
    for _n in _names:
        _PART_MASK[_p, COCO17.index(_n)] = True
_LS, _RS, _NOSE = COCO17.index("left_shoulder"), COCO17.index("right_shoulder"), COCO17.index("nose")
DIRECTIONS = ("in front", "left", "right", "above", "below")
FACINGS = ("unknown", "camera", "away", "left", "right")
_PHRASE = {"in front": "in front of", "left": "left of", "right": "right of", "above": "above", "below": "below"}


@dataclass(frozen=True, slots=True)
class Relations:
    """Relations of N pairs as arrays; ``record(i)`` gives one pair as a dict."""

    distance: np.ndarray
    gap: np.ndarray
    iou: np.ndarray
    overlap: np.ndarray
    contact: np.ndarray
    direction: np.ndarray  # index into DIRECTIONS
    dx: np.ndarray  # object centre offset / human width (positive: image right)
    dy: np.ndarray  # / human height (positive: image down)
    part_distance: np.ndarray  # (N, 10), inf where the part is not visible
    facing: np.ndarray  # index into FACINGS
    facing_object: np.ndarray  # 1 yes, 0 no, -1 unknown

    def __len__(self) -> int:
        return len(self.distance)

    def record(self, i: int, top_parts: int = 2) -> dict[str, Any]:
        pd = self.part_distance[i]
        order = [int(k) for k in np.argsort(pd, kind="stable")[:top_parts] if np.isfinite(pd[k])]
        fo = int(self.facing_object[i])
        return {
            "distance": round(float(self.distance[i]), 3),
            "gap": round(float(self.gap[i]), 3),
            "iou": round(float(self.iou[i]), 3),
            "overlap": round(float(self.overlap[i]), 3),
            "contact": bool(self.contact[i]),
            "direction": DIRECTIONS[int(self.direction[i])],
            "offset": [round(float(self.dx[i]), 2), round(float(self.dy[i]), 2)],
            "nearest_parts": [{"part": PARTS[k], "distance": round(float(pd[k]), 3)} for k in order],
            "facing": FACINGS[int(self.facing[i])],
            "facing_object": None if fo < 0 else bool(fo),
        }


def spatial_relations(
    humans: np.ndarray,
    objects: np.ndarray,
    image_size: tuple[int, int] | np.ndarray,
    keypoints: np.ndarray | None = None,
) -> Relations:
    """Relations of pairs ``humans[i]``-``objects[i]`` (both (N, 4) xyxy pixels).

    ``image_size`` is one (W, H) or an (N, 2) array; ``keypoints`` (N, 17, 3) COCO-17 with
    visibility 0 (or NaN coordinates) for unknown points."""
    h = np.asarray(humans, dtype=np.float64).reshape(-1, 4)
    o = np.asarray(objects, dtype=np.float64).reshape(-1, 4)
    n = len(h)
    size = np.broadcast_to(np.asarray(image_size, dtype=np.float64).reshape(-1, 2), (n, 2))
    diag_img = np.hypot(size[:, 0], size[:, 1])
    hw = np.maximum(h[:, 2] - h[:, 0], 1e-6)
    hh = np.maximum(h[:, 3] - h[:, 1], 1e-6)
    h_diag = np.hypot(hw, hh)
    o_area = np.maximum((o[:, 2] - o[:, 0]) * (o[:, 3] - o[:, 1]), 1e-6)
    hc = np.stack([(h[:, 0] + h[:, 2]) / 2, (h[:, 1] + h[:, 3]) / 2], axis=1)
    oc = np.stack([(o[:, 0] + o[:, 2]) / 2, (o[:, 1] + o[:, 3]) / 2], axis=1)
    distance = np.hypot(*(oc - hc).T) / diag_img

    iw = np.minimum(h[:, 2], o[:, 2]) - np.maximum(h[:, 0], o[:, 0])
    ih = np.minimum(h[:, 3], o[:, 3]) - np.maximum(h[:, 1], o[:, 1])
    inter = np.clip(iw, 0, None) * np.clip(ih, 0, None)
    union = hw * hh + o_area - inter
    iou = inter / np.maximum(union, 1e-6)
    overlap = inter / o_area
    gap = np.hypot(np.clip(-iw, 0, None), np.clip(-ih, 0, None)) / h_diag

    dx = (oc[:, 0] - hc[:, 0]) / hw
    dy = (oc[:, 1] - hc[:, 1]) / hh
    horizontal = np.where(dx < 0, 1, 2)
    vertical = np.where(dy < 0, 3, 4)
    direction = np.where(np.abs(dx) >= np.abs(dy), horizontal, vertical)
    direction = np.where(overlap >= FRONT_OVERLAP, 0, direction)

    if keypoints is None:
        kp = np.full((n, 17, 3), np.nan)
        kp[:, :, 2] = 0
    else:
        kp = np.asarray(keypoints, dtype=np.float64).reshape(n, 17, 3)
    visible = (kp[:, :, 2] > 0) & np.isfinite(kp[:, :, 0]) & np.isfinite(kp[:, :, 1])
    x, y = kp[:, :, 0], kp[:, :, 1]
    ddx = np.maximum(np.maximum(o[:, None, 0] - x, x - o[:, None, 2]), 0)
    ddy = np.maximum(np.maximum(o[:, None, 1] - y, y - o[:, None, 3]), 0)
    kp_dist = np.where(visible, np.hypot(ddx, ddy) / h_diag[:, None], np.inf)  # (N, 17)
    part_distance = np.where(_PART_MASK[None], kp_dist[:, None, :], np.inf).min(axis=2)  # (N, 10)
    contact = (gap <= CONTACT_GAP) | (kp_dist.min(axis=1) <= CONTACT_GAP)

    ls, rs, nose = kp[:, _LS], kp[:, _RS], kp[:, _NOSE]
    shoulders = visible[:, _LS] & visible[:, _RS]
    width = np.abs(ls[:, 0] - rs[:, 0])
    mid = (ls[:, 0] + rs[:, 0]) / 2
    scale = np.maximum(width, 0.1 * hw)
    nose_off = np.where(visible[:, _NOSE] & shoulders, (nose[:, 0] - mid) / scale, 0.0)
    facing = np.zeros(n, dtype=np.int64)
    facing = np.where(shoulders, np.where(ls[:, 0] > rs[:, 0], 1, 2), facing)
    facing = np.where(shoulders & (nose_off < -FACING_OFFSET), 3, facing)
    facing = np.where(shoulders & (nose_off > FACING_OFFSET), 4, facing)
    towards = np.where(facing == 3, dx < 0, dx > 0).astype(np.int64)
    facing_object = np.where((facing == 3) | (facing == 4), towards, -1)
    return Relations(distance, gap, iou, overlap, contact, direction, dx, dy, part_distance, facing, facing_object)


def describe_relation(rec: dict[str, Any], human: str, obj: str) -> str:
    """One line the model reads for one pair's relation record."""
    parts = ", ".join(f"{p['part']} ({p['distance']:.2f})" for p in rec["nearest_parts"]) or "unknown (no keypoints)"
    facing = rec["facing"]
    towards = {True: "towards the object", False: "away from the object", None: "object direction unknown"}
    return (
        f"{human} -> {obj}: distance {rec['distance']:.3f} of the image diagonal, gap {rec['gap']:.3f}, "
        f"IoU {rec['iou']:.3f}, contact {'yes' if rec['contact'] else 'no'}; "
        f"the object is {_PHRASE[rec['direction']]} the person; nearest body parts: {parts}; "
        f"the person faces {facing}" + ("" if facing == "unknown" else f" ({towards[rec['facing_object']]})")
    )
