"""Hand-made transitions and the twin check that the prose-round tests of the transition checker share."""

from __future__ import annotations

from typing import Any

from hoiscribe.geometry.paircodes import transition_facts
from hoiscribe.pose.checker import check_transition
from tests.pose.helpers import STAND, pose

UPPER_BODY = ("nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder",
              "left_elbow", "right_elbow", "left_wrist", "right_wrist")  # fmt: skip
LEANED = {n: (STAND[n][0] + 40, STAND[n][1]) for n in UPPER_BODY}  # the torso leaned to the person's left

# the right arm rises straight up, the wrist above the head
OVERHEAD = transition_facts(pose(), pose(right_elbow=(-40, -165), right_wrist=(-50, -210)))
# the left leg is raised out to the side, knee straight
LEG_OUT = transition_facts(pose(), pose(left_knee=(66, 50), left_ankle=(115, 95)))
# the right elbow bends: the wrist rises by the bend alone, the upper arm stays down
ELBOW = transition_facts(pose(), pose(right_wrist=(-70, -80)))
# the right arm rises out to the side, the wrist at shoulder height
ARM_OUT = transition_facts(pose(), pose(right_elbow=(-80, -125), right_wrist=(-130, -122)))
# the torso leans to the person's left (the image right); the legs stay
LEAN_LEFT = transition_facts(pose(), pose(**LEANED))
# the same lean, the right hand tipped up a little with it (under a stated change)
LEAN_HAND = transition_facts(pose(), pose(**dict(LEANED, right_wrist=(LEANED["right_wrist"][0], -35))))


def check_twins(facts: dict[str, Any], error: str, faithful: str) -> None:
    """The error text is contradicted by the facts and its faithful twin is not."""
    assert check_transition(error, facts).contradicted, error
    report = check_transition(faithful, facts)
    assert not report.contradicted, [(c.text, c.reason) for c in report.contradicted]
