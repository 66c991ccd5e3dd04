"""Pose prose read from its grammar: bare left/right as the person's own, terse head/torso notes,
stative keeps ("remains hanging"), "relax", and "the other" with and without a side named before it."""

from __future__ import annotations

import random

import pytest

from hoiscribe.geometry.paircodes import transition_facts
from hoiscribe.pose.checker import check_transition
from hoiscribe.pose.demo import BodyParams, _placed, body_points, make_pairs
from tests.pose.helpers import pose

# the left knee bends; the right arm rises above the head; nothing else moves
LIMBS = transition_facts(
    pose(), pose(left_knee=(40, 60), left_ankle=(-5, 115), right_elbow=(-40, -165), right_wrist=(-50, -210))
)
_BASE = BodyParams(arm={"left": 20.0, "right": 20.0}, elbow={"left": 10.0, "right": 10.0})


def _demo(**change: float) -> dict:
    target = BodyParams(**{**_BASE.__dict__, **change})
    return transition_facts(
        _placed(body_points(_BASE), random.Random(1)), _placed(body_points(target), random.Random(2))
    )


HEAD_RIGHT = _demo(head=-1.0)  # the head turns to the person's right (the figure faces the camera)
LEAN_LEFT = _demo(lean=25.0)  # the torso leans to the person's left


def flagged(text: str, facts: dict) -> bool:
    return bool(check_transition(text, facts).contradicted)


@pytest.mark.parametrize(
    ("text", "facts", "false"),
    [
        ("Turn head to the right.", HEAD_RIGHT, False),
        ("Turn head to the left side.", HEAD_RIGHT, True),  # "side" after a direction is no body part
        ("The head rotates toward the left.", HEAD_RIGHT, True),
        ("Turn your head left.", HEAD_RIGHT, True),
        ("head right", HEAD_RIGHT, False),  # terse note, no verb
        ("head left", HEAD_RIGHT, True),
        ("Lean the body to left side.", LEAN_LEFT, False),
        ("Torso leans right.", LEAN_LEFT, True),
        ("lean right", LEAN_LEFT, True),
        ("Lean to the viewer's right.", LEAN_LEFT, False),  # the viewer's frame when named
        ("Look over your right shoulder.", HEAD_RIGHT, False),  # a turn toward that shoulder
        ("Turn the chin toward the left shoulder.", HEAD_RIGHT, True),
    ],
)
def test_bare_left_right_is_the_persons_own(text: str, facts: dict, false: bool) -> None:
    assert flagged(text, facts) is false


@pytest.mark.parametrize(
    ("text", "false"),
    [
        ("The left arm remains hanging.", False),  # a state after a keep verb, not a move
        ("The left arm stays hanging by the side.", False),
        ("The right arm stays hanging.", True),  # it rose above the head
        ("Relax the left arm at your side.", False),
        ("Relax your right arm.", True),  # relaxed arms end down; this one went up
        ("Keep the other arm still.", False),  # no side named before: which arm is unknown
        ("Raise your right arm. Raise the other one as well.", True),  # "the other one" is the left arm
        ("Hands: the right one goes up, the left stays.", False),  # "one" takes the heading's part
    ],
)
def test_stative_keeps_relax_and_the_other(text: str, false: bool) -> None:
    assert flagged(text, LIMBS) is false


KNEE_BENDS = _demo(knee={"left": 70.0, "right": 5.0})  # the left knee bends by 70 degrees
ELBOW_STRAIGHTENS = transition_facts(pose(left_wrist=(10, -90)), pose())  # the left elbow opens out
_LEAN_PAIR = make_pairs(99, seed=777)[98]  # the torso leans left and the right leg rises; the arms keep still
LEANS = transition_facts(_LEAN_PAIR.reference, _LEAN_PAIR.target)


@pytest.mark.parametrize(
    ("text", "facts", "false"),
    [
        ("left knee straighter", KNEE_BENDS, True),  # a terse comparative is a change
        ("left knee more bent", KNEE_BENDS, False),
        ("Make left leg straight.", KNEE_BENDS, True),  # "make" carries the state word
        ("Left elbow open more.", ELBOW_STRAIGHTENS, False),  # opening a joint unbends it
        ("Close the left elbow.", ELBOW_STRAIGHTENS, True),
        ("Right lower leg stays the same.", KNEE_BENDS, False),  # "lower" names the part, not a height
        ("The left lower leg does not move.", KNEE_BENDS, True),
        ("Keep the right arm still.", LEANS, False),  # a hanging arm swings with the lean
        ("Keep the right arm still.", LIMBS, True),
    ],
)
def test_terse_comparatives_joints_and_couplings(text: str, facts: dict, false: bool) -> None:
    assert flagged(text, facts) is false


FEET_APART = transition_facts(pose(), pose(left_knee=(30, 70), left_ankle=(60, 140)))  # the left foot steps out
HANDS_MEET = transition_facts(
    pose(), pose(left_elbow=(20, -70), left_wrist=(0, -30), right_elbow=(-20, -70), right_wrist=(0, -30))
)


@pytest.mark.parametrize(
    ("text", "facts", "false"),
    [
        ("The left foot moves away from the right one.", FEET_APART, False),
        ("Move the left foot toward the right foot.", FEET_APART, True),  # toward the other foot: closer
        ("The feet stay the same distance apart.", FEET_APART, True),  # a keep of the gap, either way
        ("Bring the left hand toward the right one.", HANDS_MEET, False),
        ("The hands move away from each other.", HANDS_MEET, True),
        ("Move your right hand towards your chest.", HANDS_MEET, False),  # a landmark, not the other hand
    ],
)
def test_toward_and_away_from_the_other_limb(text: str, facts: dict, false: bool) -> None:
    assert flagged(text, facts) is false
