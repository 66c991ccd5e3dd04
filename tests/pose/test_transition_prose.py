"""The transition checker on unseen prose, one rule class per test: each error text has a faithful twin.

The poses are hand-made (``tests.pose.helpers``), so every verdict follows from the keypoints alone.
"""

from __future__ import annotations

from typing import Any

import pytest

from hoiscribe.geometry.paircodes import transition_facts
from hoiscribe.pose.checker import check_transition
from tests.pose.helpers import STAND, pose

_UPPER_BODY = ("nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder",
               "left_elbow", "right_elbow", "left_wrist", "right_wrist")  # fmt: skip

# the right arm rises straight out until the wrist is between the shoulder and the head
PARTWAY = transition_facts(pose(), pose(right_elbow=(-80, -130), right_wrist=(-130, -140)))
# the right arm rises straight up, the wrist above the head
OVERHEAD = transition_facts(pose(), pose(right_elbow=(-40, -165), right_wrist=(-50, -210)))
# the left leg is raised out to the side, knee straight
LEG_OUT = transition_facts(pose(), pose(left_knee=(66, 50), left_ankle=(115, 95)))
# the right elbow bends: the wrist rises by the bend alone, the upper arm stays down
ELBOW = transition_facts(pose(), pose(right_wrist=(-70, -80)))
# the torso leans to the person's left (the image right); the legs stay
LEAN_LEFT = transition_facts(pose(), pose(**{n: (STAND[n][0] + 40, STAND[n][1]) for n in _UPPER_BODY}))
# the left knee bends and the right arm rises above the head
KNEE_AND_ARM = transition_facts(
    pose(), pose(left_knee=(40, 60), left_ankle=(-5, 115), right_elbow=(-40, -165), right_wrist=(-50, -210))
)


def _flagged(text: str, facts: dict[str, Any]) -> bool:
    return bool(check_transition(text, facts).contradicted)


def _check(facts: dict[str, Any], error: str, faithful: str) -> None:
    assert _flagged(error, facts), error
    report = check_transition(faithful, facts)
    assert not report.contradicted, [(c.text, c.reason) for c in report.contradicted]


@pytest.mark.parametrize(
    ("error", "faithful"),
    [
        ("Swing your right leg out to the side.", "Swing your left leg out to the side."),
        ("The left leg comes back in.", "The left leg goes out wide."),
        ("Left leg: moves inward.", "Left leg: moves outward."),
    ],
)
def test_out_and_in_are_directions(error: str, faithful: str) -> None:
    """'out' / 'sideways' raise a limb in a front view, 'in' / 'inward' bring it down."""
    _check(LEG_OUT, error, faithful)


@pytest.mark.parametrize(
    ("error", "faithful"),
    [
        ("Everything except the left arm stays still.", "Everything except the right arm stays still."),
        ("Nothing moves but the left arm.", "Nothing moves but the right arm."),
        ("Everything stays the same apart from the left arm.", "Everything stays the same apart from the right arm."),
        ("Nothing changes with the right arm.", "Nothing changes with the left arm."),
    ],
)
def test_exceptions_leave_a_part_out_of_the_rest(error: str, faithful: str) -> None:
    """'except X', 'but X', 'apart from X' after a keep of everything: X moved, the rest did not."""
    _check(OVERHEAD, error, faithful)


@pytest.mark.parametrize(
    ("error", "faithful"),
    [
        ("The right arm stays as it was.", "The left arm stays as it was."),
        ("Right arm like before.", "Left arm like before, right arm up."),
        ("The right arm is the same as in the first image.", "The left arm is the same as in the first image."),
    ],
)
def test_as_before_is_a_keep(error: str, faithful: str) -> None:
    """'as it was', 'like before', 'as in the first image' say the part kept its reference state."""
    _check(OVERHEAD, error, faithful)


@pytest.mark.parametrize(
    ("error", "faithful"),
    [
        ("Bend your left knee and raise the arm on the same side.",
         "Bend your left knee and raise the arm on the other side."),
        ("Keep your right arm down and lift the other arm.", "Keep your left arm down and lift the other arm."),
        ("The left arm and leg stay as they were.", "The right leg and foot stay as they were."),
    ],
)  # fmt: skip
def test_same_other_and_shared_sides(error: str, faithful: str) -> None:
    """'the same side' / 'the other side' resolve to the side named before; 'the right arm and leg' share it."""
    _check(KNEE_AND_ARM, error, faithful)


@pytest.mark.parametrize(
    ("error", "faithful"),
    [
        ("Stay upright.", "Lean to your left."),
        ("Body go to right side little.", "Body go to left side little."),
        ("Keep your back straight.", "Lean to the left, keeping your back straight."),
    ],
)
def test_torso_keeps_and_subjects(error: str, faithful: str) -> None:
    """'stay upright' keeps the lean; a straight back while leaning is the spine; 'Body' leads a clause."""
    _check(LEAN_LEFT, error, faithful)


@pytest.mark.parametrize(
    ("error", "faithful"),
    [
        ("The right arm continues to hang down by the side.", "The left arm continues to hang down by the side."),
        ("The arms still hang at the sides.", "The left arm still hangs at the side."),
        ("Raise your right arm; the other arm moves too.", "Raise your right arm; the other arm does not move."),
    ],
)
def test_continue_still_and_bare_moves(error: str, faithful: str) -> None:
    """'continue to hang', 'still hang' are keeps; a bare 'moves too' needs some change of that part."""
    _check(OVERHEAD, error, faithful)


@pytest.mark.parametrize(
    ("error", "faithful"),
    [
        ("Raise your right arm.", "Bend your right elbow, bringing the hand up."),
        ("Lift your right arm up at the shoulder.", "Lift your right forearm."),
    ],
)
def test_a_hand_raised_by_its_own_bend_is_not_an_arm_raise(error: str, faithful: str) -> None:
    """The wrist rises with the elbow's bend alone: the arm is not raised at the shoulder."""
    _check(ELBOW, error, faithful)


@pytest.mark.parametrize(
    ("error", "faithful"),
    [
        ("The right foot is not touching the ground anymore.", "The left foot is not touching the ground anymore."),
        ("The left foot does not leave the floor.", "The left foot leaves the floor."),
        ("The left foot is back on the floor.", "The left foot is no longer on the floor."),
        ("Open the right leg to the side.", "Open the left leg to the side."),
    ],
)
def test_floor_contact_and_one_limb_opened(error: str, faithful: str) -> None:
    """On / off the floor are heights, a negation spent on the contact is a state; one leg opened is raised."""
    _check(LEG_OUT, error, faithful)


@pytest.mark.parametrize(
    ("facts", "error", "faithful"),
    [
        (PARTWAY, "Raise your right arm overhead.", "Raise your right arm above shoulder height."),
        (PARTWAY, "Raise your right arm all the way up.", "Raise your right arm, but not above your head."),
        (PARTWAY, "The right arm rises, but its hand is still below the shoulder.",
         "The right arm rises, but its hand is still below the head."),
        (PARTWAY, "He put the right arm very high, over the head.",
         "He put the right arm up, level with the shoulder."),
        (OVERHEAD, "Raise your right arm to shoulder height.", "Raise your right arm higher than your head."),
        (OVERHEAD, "Don't raise your right arm above your head.", "Don't raise your left arm above your head."),
        (OVERHEAD, "Lift the right arm, keeping it below shoulder height.", "Raise your right arm and hold it there."),
    ],
)  # fmt: skip
def test_magnitude_is_where_the_wrist_ends(facts: dict[str, Any], error: str, faithful: str) -> None:
    """Overhead, shoulder height, 'still below the shoulder' are read on the target wrist alone."""
    _check(facts, error, faithful)


def test_a_verbless_state_the_target_already_has_is_not_a_change() -> None:
    """'left arm down' of an arm that hung in both poses is a state, not a claim that it was lowered."""
    _check(OVERHEAD, "Right arm down, left arm down.", "Right arm raised overhead, left arm down, legs unchanged.")


@pytest.mark.parametrize(
    ("facts", "error", "faithful"),
    [
        (LEG_OUT, "The right leg abducts.", "The left leg abducts."),
        (LEG_OUT, "The left leg crosses back toward the midline.", "The left leg moves away from the midline."),
        (ELBOW, "The angle at the right elbow gets bigger.", "The angle at the right elbow gets smaller."),
        (LEG_OUT, "The left leg is kept straight and down.", "The left leg is kept straight but lifted out."),
    ],
)
def test_joint_angles_midline_and_states_that_refer_back(facts: dict[str, Any], error: str, faithful: str) -> None:
    """Abduction words, 'the angle at the elbow', and a verbless 'and down' that describes the part before."""
    _check(facts, error, faithful)


@pytest.mark.parametrize(
    ("error", "faithful"),
    [
        ("The whole left side opens up: the arm rises overhead.",
         "The whole right side opens up: the arm rises overhead."),
        ("Right arm: same | Left arm: same | Legs: same", "Right arm: up | Left arm: same | Legs: same"),
        ("The left arm goes up and the right arm does the same.", "The right arm goes up and the left arm stays."),
        ("The right arm hangs as it did.", "The left arm hangs as it did."),
        ("Stay still and raise the left arm.", "Stay still and raise the right arm."),
        ("No part of the body moves.", "No part of the body moves except the right arm."),
    ],
)  # fmt: skip
def test_subjects_tables_copies_and_the_rest(error: str, faithful: str) -> None:
    """A side subject before a colon, table cells, 'does the same', and a keep with no part is the rest."""
    _check(OVERHEAD, error, faithful)


def test_an_elliptical_side_names_the_part_before() -> None:
    """'the left stays on the floor' after 'the right leg ...' is the left leg."""
    _check(LEG_OUT, "The left leg lifts to the side, the right lifts too.",
           "The left leg lifts to the side, the right stays on the floor.")  # fmt: skip


def test_looking_straight_ahead_keeps_the_head_and_a_tilt_is_a_turn() -> None:
    """'look straight ahead' is no turn; 'tilt your head to the left' reads the head's turn measure."""
    turned = transition_facts(pose(), pose(nose=(12, -160), left_eye=(16, -166), right_eye=(4, -166)))
    _check(turned, "Look straight ahead.", "Turn your head to the left.")
    _check(turned, "Tilt your head to the right.", "Head tilted left.")


@pytest.mark.parametrize(
    ("facts", "error", "faithful"),
    [
        (OVERHEAD, "It is the left arm, not the right, that rises.", "It is the right arm, not the left, that rises."),
        (LEG_OUT, "The right leg, not the left, is the one that lifts.",
         "The left leg, not the right, is the one that lifts."),
        (ELBOW, "Both elbows bend, not just one.", "One elbow bends, not both."),
        (KNEE_AND_ARM, "Raise your right arm without moving your body.",
         "Raise your right arm and bend your left knee."),
    ],
)  # fmt: skip
def test_contrastive_negation_and_the_whole_body(facts: dict[str, Any], error: str, faithful: str) -> None:
    """'X, not Y, moves' negates Y only; 'not both' means one side; 'your body' in a keep is the rest."""
    _check(facts, error, faithful)


@pytest.mark.parametrize(
    ("facts", "error", "faithful"),
    [
        (PARTWAY, "The right arm comes up, pointing straight up.", "Lift the right arm so it points up and out."),
        (PARTWAY, "The right arm comes up, still short of the shoulder.",
         "The right arm comes up partway, still short of the head."),
        (OVERHEAD, "Both arms rise, the left as high as the right.", "The right arm rises, the left not as high."),
        (KNEE_AND_ARM, "Left knee bent, right knee bent too.", "Left knee bent, right leg straight."),
        (LEAN_LEFT, "Torso: tilted right. Arms: down.", "Torso: tilted left. Arms: down. Legs: straight."),
    ],
)  # fmt: skip
def test_orientations_comparisons_and_verbless_states(facts: dict[str, Any], error: str, faithful: str) -> None:
    """'points up' places the hand; 'as high as' compares inside the pose; 'leg straight' inherits no bend."""
    _check(facts, error, faithful)


@pytest.mark.parametrize(
    ("facts", "error", "faithful"),
    [
        (KNEE_AND_ARM, "The change is in the right leg: the knee bends.",
         "The change is in the left leg: the knee bends."),
        (LEG_OUT, "The left leg lifts; the right leg also lifts slightly.",
         "The left leg lifts; the right leg also stays."),
    ],
)  # fmt: skip
def test_bare_parts_take_the_side_named_and_also_joins(facts: dict[str, Any], error: str, faithful: str) -> None:
    """'the knee' after 'the right leg' is the right knee; 'the leg also lifts' is one clause."""
    _check(facts, error, faithful)


@pytest.mark.parametrize(
    ("facts", "error", "faithful"),
    [
        (KNEE_AND_ARM, "Left arm and right knee both bend.", "Right arm and left knee both move."),
        (KNEE_AND_ARM, "The left leg and right arm do not move.", "The right leg and left arm do not move."),
        (LEAN_LEFT, "The figure tips to its right.", "The figure sways to its left."),
    ],
)
def test_two_subjects_of_one_verb(facts: dict[str, Any], error: str, faithful: str) -> None:
    """'Left arm and right knee both bend' gives the verb to both parts, each with its own side."""
    _check(facts, error, faithful)


def test_a_landmark_part_names_the_one_after_it() -> None:
    """'shift onto your right leg and raise the left one': 'the left one' is the left leg."""
    _check(LEG_OUT, "Shift onto your left leg and raise the right one out to the side.",
           "Shift onto your right leg and raise the left one out to the side.")  # fmt: skip


@pytest.mark.parametrize(
    ("error", "faithful"),
    [
        ("The left arm does not stay by the side.", "The right arm does not stay by the side."),
        ("Do not keep your left arm down.", "Do not keep your right arm down; raise it."),
    ],
)
def test_a_negated_keep_is_a_move(error: str, faithful: str) -> None:
    """'does not stay down' says the part moves (up): wrong for a part that stayed."""
    _check(OVERHEAD, error, faithful)


def test_a_head_turn_without_a_side_still_needs_a_turn() -> None:
    """'turn your head' with no side is wrong when the head does not turn; 'look down' is not measured."""
    _check(OVERHEAD, "Raise your right arm and turn your head.", "Raise your right arm and look down.")


@pytest.mark.parametrize(
    ("facts", "error", "faithful"),
    [
        (OVERHEAD, "Arm left go up.", "Arm right go up, arm left stay down."),
        (LEG_OUT, "Leg of right side go to outside.", "Leg of left side go to outside."),
        (ELBOW, "Right elbow straight, legs not moving.", "Left elbow straight, legs not moving."),
        (OVERHEAD, "The right arm goes up and the body also leans.", "The right arm goes up; the body does not lean."),
    ],
)
def test_non_native_order_and_verbless_straight(facts: dict[str, Any], error: str, faithful: str) -> None:
    """A side after its part ('arm left'), 'of the left side', a verbless 'straight' of a bent joint, a bare lean."""
    _check(facts, error, faithful)


def test_a_verb_before_a_colon_takes_its_direction() -> None:
    """'Lean: right' is one claim: a lean to the right."""
    _check(LEAN_LEFT, "Lean: right.", "Lean: left.")


@pytest.mark.parametrize(
    "faithful",
    ["The right arm comes up as the elbow bends.", "He lifts the right arm, bending the elbow."],
)
def test_a_raise_tied_to_its_own_bend_describes_the_bend(faithful: str) -> None:
    """A sentence that ties the raise to the elbow's bend describes that bend; a bare raise beside it does not."""
    _check(ELBOW, "Bend the right elbow and raise the right arm.", faithful)


@pytest.mark.parametrize(
    ("facts", "error", "faithful"),
    [
        (LEG_OUT, "The right leg is held out to the side.", "The left leg is held out to the side."),
        (ELBOW, "The right hand goes back in toward the hip.", "The right forearm folds in, bringing the hand in."),
        (LEAN_LEFT, "Lean left; the arms rise.", "Shift your torso to the left; the arms hang freely."),
        (PARTWAY, "The right arm is raised, the left one too.", "The right arm is raised to head height."),
        (OVERHEAD, "The right arm is held in place.", "The left arm is held in place."),
    ],
)  # fmt: skip
def test_held_positions_arms_in_and_hanging(facts: dict[str, Any], error: str, faithful: str) -> None:
    """'is held out' is a position; only a leg (or an arm 'back in') comes down by 'in'; 'hang' is a state."""
    _check(facts, error, faithful)


def test_other_parts_are_the_rest_and_a_head_moves_sideways() -> None:
    """'other parts stay same' keeps the rest, not the head just named; 'head moving to the left' is a turn."""
    turned = transition_facts(pose(), pose(nose=(-12, -160), left_eye=(-4, -166), right_eye=(-16, -166)))
    _check(
        turned, "Head moving to the left, other parts stay same.", "Head moving to the right, other parts stay same."
    )


@pytest.mark.parametrize(
    ("error", "faithful"),
    [
        ("Raise your right arm slightly.", "Raise your right arm all the way up."),
        ("The right arm lifts a little.", "The right arm lifts, the left one not at all."),
    ],
)
def test_a_slight_raise_does_not_end_over_the_head(error: str, faithful: str) -> None:
    """'a little', 'partway' are magnitudes too: a wrist that ends above the head went further."""
    _check(OVERHEAD, error, faithful)


@pytest.mark.parametrize(
    ("error", "faithful"),
    [
        ("Image 1: right arm down. Image 2: left arm up over the head.",
         "Image 1: right arm down. Image 2: right arm up over the head."),
        ("Before: both arms hang down. After: the left arm is raised.",
         "Before: both arms hang down. After: the right arm is raised above the head."),
        ("Target: right arm overhead, left arm raised too.", "Target: right arm overhead, left arm at the side."),
    ],
)  # fmt: skip
def test_before_and_after_descriptions(error: str, faithful: str) -> None:
    """A sentence opening on the first pose ('Image 1:', 'Before:') claims no change until 'after' / 'image 2'."""
    _check(OVERHEAD, error, faithful)


def test_a_target_cue_inside_a_clause_keeps_that_clause() -> None:
    """'In the first image the arms are down, while in the second the right arm is up': the second is claimed."""
    _check(OVERHEAD, "In the first image the arms are down, while in the second the left arm is up.",
           "In the first image the arms are down, while in the second the right arm is up.")  # fmt: skip
