"""The transition checker on unseen prose, second round: one rule class per test, each error text with a
faithful twin. The poses are hand-made (``tests.pose.helpers``), so every verdict follows from the keypoints."""

from __future__ import annotations

from typing import Any

import pytest

from tests.pose.prose_pairs import ARM_OUT, ELBOW, LEAN_HAND, LEAN_LEFT, LEG_OUT, OVERHEAD
from tests.pose.prose_pairs import check_twins as _check


@pytest.mark.parametrize(
    ("error", "faithful"),
    [
        ("The left arm stays down, and so does the right.", "The left arm stays down, and so do the legs."),
        ("The legs do not move, nor does the right arm.", "The legs do not move, nor does the left arm."),
        ("The right arm rises; the left one does too.", "The right arm rises; the left one does not."),
        ("The left arm rises. So does the right one.", "The right arm rises. The left one doesn't."),
    ],
)
def test_do_ellipsis_copies_the_predicate_before(error: str, faithful: str) -> None:
    """'so do your arms', 'nor does X', 'X does too / not': the auxiliary stands for the clause before."""
    _check(OVERHEAD, error, faithful)


@pytest.mark.parametrize(
    ("facts", "error", "faithful"),
    [
        (LEAN_LEFT, "He leans to his right, like stretching the waist.",
         "He leans to his left, like stretching the waist."),
        (OVERHEAD, "The left arm goes straight up as if asking a question.",
         "The right arm goes straight up as if asking a question, the left one staying down."),
    ],
)  # fmt: skip
def test_simile_tails_claim_nothing(facts: dict[str, Any], error: str, faithful: str) -> None:
    """'like stretching the waist', 'as if ...': how the move looks, not what moves."""
    _check(facts, error, faithful)


def test_a_torso_stretch_is_a_lean_with_a_side() -> None:
    """'stretch the upper body to the left' leans; without a side or 'up' it claims no straightening."""
    _check(
        LEAN_LEFT, "Stretch your upper body over to the right side.", "Stretch your upper body over to the left side."
    )
    _check(LEAN_LEFT, "Keep your torso still.", "Lean left, stretching your torso.")


@pytest.mark.parametrize(
    ("error", "faithful"),
    [
        ("The left arm, which hung by the side at first, is now above the head.",
         "The right arm, which hung by the side at first, is now above the head."),
        ("To begin with the left arm hangs down; now the left arm is up.",
         "The right arm, down to begin with, ends above the head."),
        ("Right elbow straight now, before bent.", "Right arm up now, before down."),
        ("The left arm, hanging before, is now above the head.",
         "The right arm, hanging before, is now above the head."),
    ],
)  # fmt: skip
def test_first_pose_phrases_inside_a_sentence(error: str, faithful: str) -> None:
    """'at first', 'to begin with', a verbless 'before straight' describe the reference pose."""
    _check(OVERHEAD, error, faithful)


def test_path_particles_joined_by_and_are_one_path() -> None:
    """'lifted out and up': one movement of the part named, not a second partless clause."""
    _check(
        OVERHEAD, "The left arm is lifted out and up above the head.", "The right arm is lifted out and up, overhead."
    )


def test_a_forearm_that_comes_in_or_points_is_the_elbow_bend() -> None:
    """'the forearm comes across toward your middle' / 'points up' is the elbow's bend: no lowering, no level."""
    _check(
        ELBOW,
        "Bend your left elbow so the forearm comes across toward your middle.",
        "Bend your right elbow so the forearm comes across toward your middle.",
    )
    _check(ELBOW, "The right arm points straight up.", "The right elbow bends so the forearm points up.")


def test_leaving_the_floor_is_a_rise() -> None:
    """'the foot leaves the floor' rises; 'does not leave the floor' is a negated rise."""
    _check(LEG_OUT, "The left foot does not leave the floor.", "The right foot does not leave the floor.")
    _check(LEG_OUT, "The right foot leaves the floor.", "The left foot leaves the floor.")


def test_is_now_held_is_a_position() -> None:
    """'is now held out to the side' says where the arm is, not that it stays."""
    _check(OVERHEAD, "The left arm is now held above the head.", "The right arm is now held above the head.")


def test_a_lean_carried_hand_is_not_raised() -> None:
    """A hand tipped up less than a stated change by the lean is no raise, unless the text ties it to the lean."""
    _check(
        LEAN_HAND,
        "The body leans to its left and the right arm is lifted.",
        "The body leans to its left and the right hand rises with the lean.",
    )


def test_a_negated_keep_of_the_torso_or_head_is_a_move() -> None:
    """'does not keep his back vertical anymore' leans; 'the head does not stay facing forward' turns."""
    _check(LEAN_LEFT, "He keeps his back vertical.", "He does not keep his back vertical anymore.")
    _check(LEAN_LEFT, "The head does not stay facing forward.", "The head stays facing forward.")


@pytest.mark.parametrize(
    ("facts", "error", "faithful"),
    [
        (ELBOW, "Right elbow: extended.", "Left elbow: extended, as before."),
        (LEG_OUT, "Right leg out. Left side still.", "Left leg out. Right side still."),
        (OVERHEAD, "Arms: both up (L above head, R above shoulder).", "Arms: R up, above head; L down."),
        (OVERHEAD, "The left arm hangs down, as before, and so does the right one.",
         "The left arm hangs down, as before."),
    ],
)  # fmt: skip
def test_note_style_states_and_elided_parts(facts: dict[str, Any], error: str, faithful: str) -> None:
    """'Left knee: extended' is a state; 'Left side ...' the side group; 'R above head' the side of the part
    before; ', as before' keeps the part before, not the rest."""
    _check(facts, error, faithful)


def test_a_verbless_arm_level_is_claimed() -> None:
    """'Right arm to shoulder height' claims where the hand ends."""
    _check(OVERHEAD, "Left arm above the head.", "Right arm above the head.")


@pytest.mark.parametrize(
    ("facts", "error", "faithful"),
    [
        (LEG_OUT, "Lift your left leg out and bend the standing leg.",
         "Lift your left leg out and keep the standing leg straight."),
        (LEAN_LEFT, "Lean to your left, letting your arms rise.", "Lean to your left, letting your arms hang."),
        (OVERHEAD, "Bring your right arm up until it is parallel to the floor.",
         "Bring your right arm up above the head."),
        (ARM_OUT, "Bring your right arm up above the head.",
         "Bring your right arm up until it is parallel to the floor."),
    ],
)  # fmt: skip
def test_roles_light_verbs_and_orientations(facts: dict[str, Any], error: str, faithful: str) -> None:
    """'the standing leg' is the other leg; 'let X hang' a state; 'parallel to the floor' a level, no contact."""
    _check(facts, error, faithful)


def test_a_side_place_that_ends_at_the_shoulder_rose() -> None:
    """'arm go to side until shoulder height' rose; 'the body does not turn' claims nothing of the head."""
    _check(ARM_OUT, "Left arm go to side until shoulder height.", "Right arm go to side until shoulder height.")
    _check(LEAN_LEFT, "The head does not stay facing forward.", "The body does not turn.")


@pytest.mark.parametrize(
    ("facts", "error", "faithful"),
    [
        (LEG_OUT, "The right foot is no longer in contact with the floor.",
         "The left foot is no longer in contact with the floor."),
        (LEAN_LEFT, "The legs do not change, and the arms stay still, like the torso.",
         "The legs do not change, and the arms simply follow the torso."),
        (OVERHEAD, "The right hand goes above the head while the left rises a bit.",
         "The right hand goes above the head while the left stays lower."),
    ],
)  # fmt: skip
def test_contact_following_and_comparative_keeps(facts: dict[str, Any], error: str, faithful: str) -> None:
    """'in contact with the floor' is contact; 'the arms follow the torso' claims nothing; 'the left stays lower'
    compares the two hands in the target pose."""
    _check(facts, error, faithful)


def test_parts_named_without_a_reading_are_not_the_rest() -> None:
    """'R elbow 170 -> 110 deg. No other change.': the elbow the note names is not in 'no other change'."""
    _check(ELBOW, "L elbow 170 -> 110 deg. No other change.", "R elbow 170 -> 110 deg. No other change.")


def test_a_level_keep_after_moving_that_limb_is_where_it_ends() -> None:
    """'Raise your right arm; the hand should stay below the head': the level after the raise, no stillness."""
    _check(
        OVERHEAD,
        "Raise your right arm; the hand should stay below shoulder height.",
        "Raise your right arm; the hand should stay above the head.",
    )
