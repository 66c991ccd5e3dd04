"""HAKE body parts and the 76 part states.

Part ids 0..9 follow HAKE: R-foot, R-leg, L-leg, L-foot, hip, head, R-hand, R-arm,
L-arm, L-hand. Each part belongs to a group (foot/leg/hip/head/hand/arm); an annotation's
``partstate`` is the 0-based index inside that group's block of the 76-state list.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from hoiscribe.vocab._data import load_json

# (name, group, side) by HAKE part id
HAKE_PARTS: tuple[tuple[str, str, str | None], ...] = (
    ("right foot", "foot", "right"),
    ("right leg", "leg", "right"),
    ("left leg", "leg", "left"),
    ("left foot", "foot", "left"),
    ("hip", "hip", None),
    ("head", "head", None),
    ("right hand", "hand", "right"),
    ("right arm", "arm", "right"),
    ("left arm", "arm", "left"),
    ("left hand", "hand", "left"),
)


@dataclass(frozen=True, slots=True)
class PartState:
    """One resolved HAKE part-state annotation."""

    part_id: int
    part: str  # "right hand"
    group: str  # "hand"
    side: str | None
    state_idx: int  # 0-based inside the group
    state: str  # "hold"
    global_idx: int  # 0..75 in the flat 76-state list

    @property
    def is_no_interaction(self) -> bool:
        return self.state == "no_interaction"


@cache
def group_states() -> dict[str, tuple[str, ...]]:
    """States per group, in the order of the 76-state list."""
    groups = load_json("hake_part_states.json")["groups"]
    return {g: tuple(states) for g, states in groups.items()}


@cache
def _group_offsets() -> dict[str, int]:
    offsets, total = {}, 0
    for g, states in group_states().items():
        offsets[g] = total
        total += len(states)
    return offsets


def part_group(part_id: int) -> str:
    """Group name of a HAKE part id."""
    _check_part(part_id)
    return HAKE_PARTS[part_id][1]


def part_side(part_id: int) -> str | None:
    """'left', 'right' or None for hip/head."""
    _check_part(part_id)
    return HAKE_PARTS[part_id][2]


@cache
def part_state(part_id: int, state_idx: int) -> PartState:
    """Resolve (human_part, partstate) to names; ``ValueError`` naming the bad index."""
    _check_part(part_id)
    name, group, side = HAKE_PARTS[part_id]
    states = group_states()[group]
    if not 0 <= state_idx < len(states):
        raise ValueError(f"partstate {state_idx} is out of range for {group} (0..{len(states) - 1})")
    return PartState(
        part_id=part_id,
        part=name,
        group=group,
        side=side,
        state_idx=state_idx,
        state=states[state_idx],
        global_idx=_group_offsets()[group] + state_idx,
    )


def _check_part(part_id: int) -> None:
    if not 0 <= part_id < len(HAKE_PARTS):
        raise ValueError(f"human_part {part_id} is out of range (0..{len(HAKE_PARTS) - 1})")


# Keypoint names (COCO-17) that show each HAKE part; a part with none of them visible is hidden.
PART_KEYPOINTS: dict[str, tuple[str, ...]] = {
    "right foot": ("right_ankle",),
    "left foot": ("left_ankle",),
    "right leg": ("right_knee",),
    "left leg": ("left_knee",),
    "hip": ("left_hip", "right_hip"),
    "head": ("nose", "left_eye", "right_eye", "left_ear", "right_ear"),
    "right hand": ("right_wrist",),
    "left hand": ("left_wrist",),
    "right arm": ("right_elbow",),
    "left arm": ("left_elbow",),
}
