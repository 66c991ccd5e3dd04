"""The transition checker on unseen prose, third round (long model-style answers, bullets, hedges): one rule
class per test, each error text with a faithful twin. The poses are hand-made (``tests.pose.helpers``), so
every verdict follows from the keypoints."""

from __future__ import annotations

from typing import Any

import pytest

from hoiscribe.geometry.paircodes import transition_facts
from tests.pose.helpers import pose
from tests.pose.prose_pairs import ARM_OUT, ELBOW, LEAN_HAND, LEAN_LEFT, LEG_OUT, OVERHEAD
from tests.pose.prose_pairs import check_twins as _check

_BENT_KNEES = {"left_knee": (30, 70), "right_knee": (-30, 70)}

# the right elbow bends with the forearm brought in: the wrist stays at its height
FOREARM_IN = transition_facts(pose(), pose(right_wrist=(-5, -30)))
# both arms rise: the right wrist at head height (not above it), the left just under the shoulder
BOTH_UP = transition_facts(
    pose(), pose(right_elbow=(-72, -130), right_wrist=(-112, -142), left_elbow=(75, -110), left_wrist=(115, -110))
)
# the right knee bends, the right foot comes up
KNEE = transition_facts(pose(), pose(right_ankle=(-70, 100)))
# both knees bent in both poses; the right arm rises overhead
KNEES_KEPT = transition_facts(
    pose(**_BENT_KNEES), pose(right_elbow=(-40, -165), right_wrist=(-50, -210), **_BENT_KNEES)
)


@pytest.mark.parametrize(
    ("facts", "error", "faithful"),
    [
        (LEAN_LEFT, "The torso leans to the right. Both arms keep their bend and simply travel with the torso.",
         "The torso leans to the left. Both arms keep their bend and simply travel with the torso."),
        (LEAN_HAND, "He leans to his right; the arms shift a little with it.",
         "He leans to his left; the arms shift a little with it."),
        (LEAN_LEFT, "The person tilts to the right, the arms hanging and moving with the torso.",
         "The person tilts to the left, the arms hanging and moving with the torso. The head stays in line with "
         "the body."),
    ],
)  # fmt: skip
def test_parts_carried_by_the_torso_claim_no_move_of_their_own(
    facts: dict[str, Any], error: str, faithful: str
) -> None:
    """'travel / ride with the torso', 'shift with it', 'moving with the torso', 'in line with the body'."""
    _check(facts, error, faithful)


def test_objects_and_role_predicates_are_no_moved_parts() -> None:
    """'keeps supporting the body' (an object), 'the right leg is still the standing leg' (the same leg)."""
    _check(LEAN_LEFT, "The torso tilts to the right, and the left leg keeps supporting the body.",
           "The torso tilts to the left, and the left leg keeps supporting the body.")  # fmt: skip
    _check(LEG_OUT, "The right leg lifts out to the side; the left leg is still the standing leg.",
           "The left leg lifts out to the side; the right leg is still the standing leg.")  # fmt: skip


def test_a_side_frame_and_neither_nor_name_one_limb_each() -> None:
    """'On the left side, neither the arm nor the leg changes': bare parts of that side, one arm, one leg."""
    _check(OVERHEAD, "The right arm goes up overhead. On the right side, neither the arm nor the leg changes.",
           "The right arm goes up overhead. On the left side, neither the arm nor the leg changes.")  # fmt: skip


@pytest.mark.parametrize(
    ("facts", "error", "faithful"),
    [
        (BOTH_UP, "Both arms rise, though not to the same height: the left hand ends up around head level, while "
         "the right hand is a bit lower, just under the shoulder.",
         "Both arms rise, though not to the same height: the right hand ends up around head level, while the "
         "left hand is a bit lower, just under the shoulder."),
        (BOTH_UP, "The right arm goes higher, with the right hand above the head, and the left hand ends a "
         "little lower.",
         "The right arm goes higher, with the right hand at about head height, and the left hand ends a little "
         "lower, just below the shoulder."),
        (BOTH_UP, "The left hand goes higher than the right one, ending at head height.",
         "The right hand goes higher than the left one, ending at head height, while the left hand is just "
         "below the shoulder."),
        (BOTH_UP, "The left hand is at about head height and the right hand is a bit below the shoulder.",
         "The right hand is at about head height and the left hand is a bit below the shoulder."),
    ],
)  # fmt: skip
def test_one_pose_comparisons_of_two_hands(facts: dict[str, Any], error: str, faithful: str) -> None:
    """'the left hand is a bit lower' after the other hand, placed by a position verb, is one pose's
    comparison and lends its hand to a level after it; 'not to the same height' keeps nothing; a comparison
    skipped at 'than' lends its subject; an attendant 'with the hand at X' claims X; a placed hand ends its
    clause before 'and the other hand'."""
    _check(facts, error, faithful)


def test_close_to_is_no_gap_and_rather_than_splits() -> None:
    """'stops close to shoulder level' is near, not closing a gap; 'X rather than Y' claims X."""
    _check(ARM_OUT, "The left arm rises until the hand stops close to shoulder level.",
           "The right arm rises until the hand stops close to shoulder level.")  # fmt: skip
    _check(ARM_OUT, "The right hand ends above the head rather than beside it.",
           "The right hand ends at shoulder height rather than above the head.")  # fmt: skip


def test_relative_clauses_on_the_first_pose_and_only_x_it() -> None:
    """'Unlike the first image, where both arms hang down, ...' claims nothing of the target there; after
    'Only the right arm moves:' an 'it' is that arm, not the rest."""
    _check(OVERHEAD, "Unlike the first image, where both arms hang down, the left arm is now above the head.",
           "Unlike the first image, where both arms hang down, the right arm is now above the head.")  # fmt: skip
    _check(OVERHEAD, "Only the right arm moves: it bends at the elbow.",
           "Only the right arm moves: it goes up above the head.")  # fmt: skip
    _check(OVERHEAD, "Only the right arm moves, staying below the shoulder.",
           "Only the right arm moves, rising above the head.")  # fmt: skip


def test_involve_is_an_undirected_move_and_head_level_no_part() -> None:
    """'the arms are not involved' keeps them; 'raised to about head level' names a level, not the head."""
    _check(LEG_OUT, "The change involves the right leg; the arms and the left leg are not involved.",
           "The change involves the left leg; the arms and the right leg are not involved.")  # fmt: skip
    _check(BOTH_UP, "The difference lies in the left arm, which is raised to about head level.",
           "The difference lies in the right arm, which is raised to about head level.")  # fmt: skip


def test_otherwise_keeps_the_rest_of_a_limb() -> None:
    """'the right knee bends, but the leg is otherwise unchanged': the keep leaves out what changed."""
    _check(KNEE, "The left knee bends, but the left leg is otherwise unchanged.",
           "The right knee bends, but the right leg is otherwise unchanged.")  # fmt: skip
    _check(KNEE, "Apart from the bent knee, the left leg stays where it was; the right leg lifts out.",
           "Apart from the bent knee, the right leg stays where it was.")  # fmt: skip


def test_asides_segments_and_bare_keeps_refer_to_their_part() -> None:
    """A parenthesis is an aside ('the arms (both raised) remain straight'); 'the upper part' of an arm is
    its upper segment; a bare ', as before' / ', unchanged' keeps the state before it; the forearm rising
    is the elbow's bend."""
    _check(BOTH_UP, "Both arms rise; the arms (both raised) remain straight, and the right elbow bends.",
           "Both arms rise; the arms (both raised) remain straight.")  # fmt: skip
    _check(ELBOW, "The left elbow bends; the left arm's upper part stays where it was.",
           "The right elbow bends; the right arm's upper part stays where it was.")  # fmt: skip
    _check(KNEES_KEPT, "- Left arm: raised above the head\n- Knees: bent, as before",
           "- Right arm: raised above the head\n- Knees: bent, as before")  # fmt: skip
    _check(
        FOREARM_IN, "The left forearm comes up as the elbow bends.", "The right forearm comes up as the elbow bends."
    )


def test_a_hand_tied_to_the_lean_by_a_cause() -> None:
    """'because of / as a result of the lean', 'as the body tilts', 'leans, which lifts the right hand': the
    lean carried it; 'raised at the shoulder' names the joint, not a height."""
    _check(LEAN_HAND, "The torso leans to the left and the right arm is lifted.",
           "The torso leans to the left; as a result, the right hand is raised.")  # fmt: skip
    _check(LEAN_HAND, "The torso leans to the right, and the right hand rises as the body tilts.",
           "The torso leans to the left, and the right hand rises as the body tilts.")  # fmt: skip
    _check(LEAN_HAND, "The torso leans to the left. The right arm is raised at the shoulder.",
           "The torso leans to the left, which lifts the right hand, though the right arm is not raised at the "
           "shoulder.")  # fmt: skip


def test_a_nearly_reached_level_is_close_to_it_not_past_it() -> None:
    """'almost above the head', 'nearly overhead': the hand is up near the head, not over it."""
    _check(BOTH_UP, "The left arm rises until the hand is almost above the head.",
           "The right arm rises until the hand is almost above the head.")  # fmt: skip


def test_verbless_feet_together_is_a_state_the_target_holds() -> None:
    """'the legs are together', 'feet close together': a state of the target (feet within a hip width or so),
    unverifiable when already so, not a claim that they closed."""
    _check(OVERHEAD, "Final pose: left arm raised overhead, legs straight and together.",
           "Final pose: right arm raised overhead, legs straight and together, feet close together.")  # fmt: skip


def test_a_relaxed_arm_is_straight_enough() -> None:
    """'the right arm is straight and relaxed' of an unchanged arm hanging at ~140 degrees: the state holds."""
    relaxed = {"right_wrist": (-75, -30)}
    facts = transition_facts(pose(**relaxed), pose(left_wrist=(70, -80), **relaxed))
    _check(facts, "The left elbow straightens; the right arm is straight and relaxed.",
           "The left elbow bends; the right arm is straight and relaxed.")  # fmt: skip


def test_side_specifiers_and_both_of_a_coordination() -> None:
    """'both the arm and the leg' names one of each (not both arms); 'on the left side' says which side, it
    is no place to move to; 'the limbs on the right side' are that side's limbs."""
    left_out = transition_facts(
        pose(), pose(left_elbow=(80, -125), left_wrist=(130, -122), left_knee=(66, 50), left_ankle=(115, 95))
    )
    _check(left_out, "On the right side, both the arm and the leg are lifted.",
           "On the left side, both the arm and the leg are lifted.")  # fmt: skip
    _check(LEG_OUT, "The left leg lifts; the limbs on the left side don't move.",
           "The left leg lifts; the limbs on the right side don't move.")  # fmt: skip


def test_a_held_up_body_and_an_upright_body_are_the_torso() -> None:
    """'the right leg holds the body up' names no torso keep; 'hold your body upright' is the torso's lean, not
    every part the text does not name."""
    _check(LEAN_LEFT, "The torso leans to the right; the right leg holds the body up.",
           "The torso leans to the left; the right leg holds the body up.")  # fmt: skip
    _check(LEG_OUT, "Lift your right leg out to the side and hold your body upright.",
           "Lift your left leg out to the side and hold your body upright.")  # fmt: skip


def test_as_far_as_is_comfortable_is_a_degree_not_a_comparison() -> None:
    """'as far as is comfortable', 'as high as you can': how far the move goes, still a claimed move."""
    _check(LEG_OUT, "Lift your right leg out to the side as far as is comfortable.",
           "Lift your left leg out to the side as far as is comfortable.")  # fmt: skip


def test_like_the_motion_of_someone_is_a_simile() -> None:
    """'like the motion of someone lifting a leg' says how the move looks; 'like the first image' still keeps."""
    _check(OVERHEAD, "The left arm goes up, like the motion of someone lifting a leg; the right arm stays like "
           "the first image.",
           "The right arm goes up, like the motion of someone lifting a leg; the left arm stays like the first "
           "image.")  # fmt: skip


def test_terse_l_and_r_are_directions_too() -> None:
    """'Torso leans R ~30°', 'Lean L': an abbreviated side is the direction of a lean or turn."""
    _check(LEAN_LEFT, "Torso leans R ~30°. Arms follow. Legs same.", "Torso leans L ~30°. Arms follow. Legs same.")


def test_bullet_labels_and_no_bend_change() -> None:
    """'- Lean: to the person's left', '- Body tilt: left': a verb label and its direction are one clause; a
    bare ', no bend change' after a part is about that part, not the rest."""
    _check(
        LEAN_LEFT, "- Body tilt: right\n- Arms: hang, no bend change", "- Body tilt: left\n- Arms: hang, no bend change"
    )
    _check(LEAN_LEFT, "- Lean: to the person's right\n- Legs: same", "- Lean: to the person's left\n- Legs: same")
