"""The transition checker on prose its templates never write: keep, negation, the other arm, bullets."""

from __future__ import annotations

import pytest

from hoiscribe.geometry.paircodes import transition_facts
from hoiscribe.pose.checker import CONTRADICTED, SUPPORTED, check_transition
from hoiscribe.pose.transition_parse import parse
from tests.pose.helpers import pose

# the left knee bends (its ankle swings up and in); the right arm rises above the head; nothing else moves
FACTS = transition_facts(
    pose(), pose(left_knee=(40, 60), left_ankle=(-5, 115), right_elbow=(-40, -165), right_wrist=(-50, -210))
)


def flagged(text: str) -> bool:
    return bool(check_transition(text, FACTS).contradicted)


@pytest.mark.parametrize(
    "text",
    [
        "The left knee bends while the right arm goes up over the head.",
        "Right arm up, left knee bent.",
        "- Right arm: raised above the head\n- Left leg: knee bent\n- Everything else: unchanged",
        "Raise the right hand, bend left knee, rest stay same.",
        "Bring your right arm up above your head and flex your left knee; your left arm stays down.",
        "In the second image, the person's right arm is raised over the head and the left knee is bent.",
        "Keep your right leg straight and your left arm relaxed by your side.",
        "Don't move your left arm or your right leg.",
        "Neither the left arm nor the right leg moves.",
        "Only the right arm and the left knee move.",
        "Without moving your left arm, raise your right one.",
        "Hold your left arm still, and raise the other one.",
        "Swing your right arm up overhead, keep the left one hanging.",
        "Initially the right arm hangs down, now it is raised above the head.",
        "Bend your knee.",  # no side: true when some knee bends
        "Raise your right arm while keeping your torso upright.",
        "<b>Raise</b> your **right** arm &amp; bend your <i>left</i> knee.",
        "Raise your right arm bend your left knee",  # run-on imperatives
        "Bend your left knee at the same time.",
        "Relax your shoulders and look happy.",  # nothing the keypoints measure
    ],
)
def test_faithful_prose_is_not_flagged(text: str) -> None:
    report = check_transition(text, FACTS)
    assert not report.contradicted, [(c.text, c.reason) for c in report.contradicted]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Keep your left leg straight and raise your right arm.", "keep"),
        ("Don't move your right arm; bend your left knee.", "keep"),
        ("Neither arm moves, but the left knee bends.", "keep"),
        ("Raise your right arm, keep everything else still.", "keep"),  # the left knee bent
        ("Only the left arm moves.", "keep"),
        ("Bend the left knee; the right arm stays down.", "keep"),
        ("Raise your right arm without bending your knees.", "negation"),
        ("Bend your left knee, but not the right one.", None),  # the right one did not bend: supported, not flagged
        ("Do not raise your right hand.", "negation"),
        ("Raise your right arm, then straighten the other leg.", "direction"),  # the other = the left leg
        ("Lift your right arm and bend the other knee.", None),
        ("Raise both arms and bend your left knee.", "side"),
        ("Bring your right arm down and flex your left knee.", "direction"),
        ("Left arm up, left knee bent.", "side"),
        ("- Left arm: raised above the head", "side"),
    ],
)
def test_each_false_claim_is_flagged_with_its_type(text: str, kind: str | None) -> None:
    types = [c.type for c in check_transition(text, FACTS).contradicted]
    assert (kind in types) if kind else not types, (text, types)


def test_the_other_arm_is_the_opposite_of_the_last_named_side_of_its_limb() -> None:
    statements = parse("Bend more the left elbow and also the right knee, the other arm stay same.")
    keep = statements[-1]
    assert keep.mode == "keep" and [(p.side, p.group) for p in keep.parts] == [("right", "arm")]


def test_contradictions_carry_their_exact_span() -> None:
    text = "Bend your left knee and lower your right hand."
    report = check_transition(text, FACTS)
    (bad,) = report.contradicted
    start, end = bad.span
    assert text[start:end] == "lower your right hand" and bad.type == "direction"
    d = report.as_dict()["contradictions"][0]
    assert d["span"] == [start, end] and d["measure"] == "right_hand_height"


def test_keep_tolerates_drift_but_not_a_stated_change() -> None:
    small = transition_facts(pose(), pose(left_wrist=(44, -34)))  # a drift no writer would name
    assert not check_transition("Keep your left arm still.", small).contradicted
    claims = check_transition("Keep your right arm still.", FACTS).claims
    assert any(c.status == CONTRADICTED and c.type == "keep" for c in claims)
    assert all(c.status == SUPPORTED for c in check_transition("Keep your left arm still.", FACTS).claims)


def test_bad_input_gets_a_note_not_a_crash() -> None:
    assert check_transition("", FACTS).note == "empty text: nothing to check"
    long = "Raise your right arm. " * 3000
    report = check_transition(long, FACTS)
    assert report.note and "checked its first" in report.note and not report.contradicted
    assert not check_transition("Levez le bras droit, pliez le genou gauche.", FACTS).claims
    assert not check_transition("抬起右臂", FACTS).claims
