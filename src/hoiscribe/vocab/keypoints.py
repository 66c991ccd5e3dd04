"""Keypoint layouts: COCO-17 and Halpe-136 (whose first 17 points are COCO's, in order)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

_COCO_NAMES = (
    "nose",
    "left_eye",
    "right_eye",
    "left_ear",
    "right_ear",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
)
_COCO_SKELETON = (
    (15, 13), (13, 11), (16, 14), (14, 12), (11, 12), (5, 11), (6, 12), (5, 6), (5, 7),
    (6, 8), (7, 9), (8, 10), (1, 2), (0, 1), (0, 2), (1, 3), (2, 4), (3, 5), (4, 6),
)  # fmt: skip

_HALPE_BODY_EXTRA = (
    "head",
    "neck",
    "hip",
    "left_big_toe",
    "right_big_toe",
    "left_small_toe",
    "right_small_toe",
    "left_heel",
    "right_heel",
)
_HALPE_BODY_SKELETON = (
    (0, 1), (0, 2), (1, 3), (2, 4), (5, 18), (6, 18), (5, 7), (7, 9), (6, 8), (8, 10),
    (17, 18), (18, 19), (19, 11), (19, 12), (11, 13), (12, 14), (13, 15), (14, 16),
    (20, 24), (21, 25), (22, 24), (23, 25), (15, 24), (16, 25),
)  # fmt: skip


def _hand_skeleton(wrist: int) -> tuple[tuple[int, int], ...]:
    """Five finger chains of four joints each, all starting at the wrist point."""
    edges = []
    for finger in range(5):
        prev = wrist
        for joint in range(4):
            node = wrist + 1 + finger * 4 + joint
            edges.append((prev, node))
            prev = node
    return tuple(edges)


def _chain(start: int, stop: int) -> tuple[tuple[int, int], ...]:
    return tuple((i, i + 1) for i in range(start, stop))


@dataclass(frozen=True)
class KeypointLayout:
    """Names and skeleton edges of one keypoint convention."""

    name: str
    names: tuple[str, ...]
    skeleton: tuple[tuple[int, int], ...]

    def __len__(self) -> int:
        return len(self.names)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """The shared layouts unpickle as themselves, so ``layout is COCO17`` survives a run
        spilling samples to disk or sending them to another process."""
        if SHARED_LAYOUTS.get(self.name) is self:
            return shared_layout, (self.name,)
        return KeypointLayout, (self.name, self.names, self.skeleton)

    def index(self, name: str) -> int:
        return self.names.index(name)

    @cached_property
    def flip_index(self) -> tuple[int, ...]:
        """For each point, the index of its left/right mirror (itself when unsided)."""
        out = []
        for n in self.names:
            if n.startswith("left_"):
                out.append(self.names.index("right_" + n[5:]))
            elif n.startswith("right_"):
                out.append(self.names.index("left_" + n[6:]))
            else:
                out.append(self.names.index(n))
        return tuple(out)


COCO17 = KeypointLayout("coco17", _COCO_NAMES, _COCO_SKELETON)

_face = tuple(f"face_{i}" for i in range(68))
_lhand = tuple(f"left_hand_{i}" for i in range(21))
_rhand = tuple(f"right_hand_{i}" for i in range(21))
_face_skeleton = (
    _chain(26, 42) + _chain(43, 47) + _chain(48, 52) + _chain(53, 56) + _chain(57, 61)
    + _chain(62, 67) + ((67, 62),) + _chain(68, 73) + ((73, 68),) + _chain(74, 85) + ((85, 74),)
    + _chain(86, 93) + ((93, 86),)
)  # fmt: skip
HALPE136 = KeypointLayout(
    "halpe136",
    _COCO_NAMES + _HALPE_BODY_EXTRA + _face + _lhand + _rhand,
    _HALPE_BODY_SKELETON + _face_skeleton + _hand_skeleton(94) + _hand_skeleton(115),
)

SHARED_LAYOUTS: dict[str, KeypointLayout] = {COCO17.name: COCO17, HALPE136.name: HALPE136}


def shared_layout(name: str) -> KeypointLayout:
    """One of the layouts every module shares, by name (what a pickled layout points to)."""
    return SHARED_LAYOUTS[name]
