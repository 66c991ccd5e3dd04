"""Rules of the rule tier's seventh pass (issue 13): near-miss compounds, parts of a named object,
pinning as a press, and the tool of a '<verb>_with' named after 'with'.

Each test states one rule in sentences of its own, on hand-built facts.
"""

from __future__ import annotations

from hoiscribe.hoi_text.clause_objects import object_after
from tests.hoi_text.test_prose_rules import facts, types


def test_a_near_miss_compound_beats_the_object_words_inside_it() -> None:
    # "jet" names an airplane and "ski" the skis, but a jet ski is neither: a near miss of a boat
    assert object_after(["a", "rented", "jet", "ski", "near", "the", "pier"], 0, True) == frozenset({"~jet ski"})
    assert object_after(["a", "red", "stove", "top", "in", "the", "corner"], 0, True) == frozenset({"~stove top"})
    assert object_after(["the", "skis", "by", "the", "door"], 0, True) == frozenset({"skis"})  # a plain object still


def test_a_can_of_a_drink_and_other_vegetables_are_near_misses_of_their_kind() -> None:
    bottle = facts("hold", "bottle", {"left hand": "hold"})
    assert types("Her left hand holds a can of beer.", bottle) == ["wrong_object"]
    assert types("Her left hand holds a bottle of beer.", bottle) == []
    carrot = facts("cut", "carrot", {"right hand": "cut with something"})
    assert types("A chef slicing a turnip on the counter.", carrot) == ["wrong_object"]


def test_a_body_or_ground_word_of_a_named_object_is_a_part_of_that_object() -> None:
    assert object_after(["the", "side", "of", "the", "bus"], 0, True) == frozenset({"bus"})
    assert object_after(["the", "back", "of", "his", "head"], 0, True) == frozenset()  # still no object
    none = facts("no_interaction", "horse", {}, part_states_annotated=False)
    assert types("A farmer laying a hand on the back of the horse.", none) == ["part_state"]


def test_pinning_something_down_is_a_hand_pressing_it() -> None:
    one = facts("cut", "pizza", {"right hand": "cut with something"})
    assert types("His left hand pins the pizza to the tray.", one) == ["left_right_swap"]
    assert types("His right hand pins the pizza down.", one) == []


def test_the_tool_after_with_past_a_non_object_is_what_the_with_verb_acts_on() -> None:
    idle = facts("no_interaction", "knife", {}, part_states_annotated=False)
    assert types("A cook slicing bread with a knife.", idle) == ["wrong_verb"]
    opened = facts("open", "scissors", {"right hand": "hold"}, pair_verbs=["hold", "open"])
    assert types("She is cutting the ribbon with them.", opened) == ["wrong_verb"]
    assert types("She is holding the ribbon with them.", opened) == []  # no '_with' verb to read


def test_with_ones_back_to_the_object_denies_looking_at_it() -> None:
    watch = facts("watch", "tv", {"head": "inspect"})
    assert types("A boy on the rug with his back to the TV.", watch) == ["negation"]
    assert types("A boy watches the TV with his back to the window.", watch) == []  # his back is to something else


def test_an_object_placed_on_a_knee_foot_or_shoulder_touches_that_part() -> None:
    read = facts("read", "book", {"left hand": "hold", "right hand": "hold"}, person_parts=["left hand", "right hand"])
    assert types("She has rested the book on her knees while she reads.", read) == ["part_state", "part_state"]
    assert types("She rests her elbow on her knee while she reads the book.", read) == []  # no object placed
    assert types("She never props the book on her knees.", read) == []
    fed = facts("feed", "bird", {"right hand": "feed"}, person_parts=["right hand"])
    assert "part_state" in types("A keeper feeds a parrot perched on his left shoulder.", fed)
    held = facts("hold", "bird", {"left arm": "be close to"}, person_parts=["left arm"])
    assert types("A keeper with a parrot perched on his shoulder.", held) == []  # HAKE has the arm touch it


def test_a_knee_hip_or_foot_a_verb_acts_with_touches_the_object() -> None:
    pushed = facts("push", "car", {"left hand": "push", "right hand": "push"}, person_parts=["left hand", "right hand"])
    assert types("A mechanic shoves the car forward with his hip.", pushed) == ["part_state"]
    assert types("A mechanic pushes it along with his knee.", pushed) == ["part_state"]
    assert types("A mechanic pushes the car with his knee brace on.", pushed) == []  # the part word modifies a noun
    assert types("He never pushes the car with his hip.", pushed) == []
    hip = facts("push", "car", {"hip": "be close with"}, person_parts=["hip"])
    assert types("A mechanic shoves the car forward with his hip.", hip) == []


def test_a_knee_or_shoulder_pressed_against_the_object_touches_it() -> None:
    opened = facts("open", "car", {"right hand": "pull"}, person_parts=["right hand"])
    assert types("She has her left knee braced against the rear door.", opened) == ["part_state"]
    assert types("Her shoulder is pressed against the car.", opened) == ["part_state"]
    assert types("Her knee is pressed against her chest.", opened) == []  # not the object
    assert types("Her knee isn't pressed against the car.", opened) == []
    parts = {"right hand": "pull", "left leg": "is close with"}
    leaning = facts("open", "car", parts, person_parts=["right hand", "left leg"])
    assert types("She has her left knee braced against the rear door.", leaning) == []


def test_a_part_tucked_into_the_object_is_in_it_not_idle() -> None:
    worn = facts("wear", "baseball glove", {"left hand": "wear"}, person_parts=["left hand"])
    assert types("His right hand is tucked into the mitt too.", worn) == ["left_right_swap"]
    assert types("His left hand is tucked into the mitt.", worn) == []
    assert types("His right hand is tucked into his pocket.", worn) == []  # a pocket: idle, as before


def test_letting_the_object_go_is_no_hand_holding_it() -> None:
    held = facts("fly", "kite", {"left hand": "hold", "right hand": "hold"})
    assert types("A girl on the dunes is letting the kite go.", held) == ["part_state"]
    assert types("A girl on the dunes lets it go.", held) == ["part_state"]
    assert types("A girl on the dunes will not let the kite go.", held) == []
    assert types("A girl lets the dog go out, her kite in both hands.", held) == []  # another thing, and it moves


def test_riding_off_with_no_object_named_rides_the_pairs_vehicle() -> None:
    pushed = facts("push", "bicycle", {"left hand": "hold", "right hand": "hold"}, pair_verbs=["push"])
    assert types("Then the boy rides off along the path.", pushed) == ["wrong_verb"]
    assert types("Then the boy pedals away from the camera.", pushed) == ["wrong_verb"]
    assert types("Then the boy walks off along the path.", pushed) == []
    ridden = facts("ride", "bicycle", {"left hand": "hold", "right hand": "hold"})
    assert types("Then the boy rides off along the path.", ridden) == []


def test_a_group_of_others_in_focus_is_never_a_later_he_or_she() -> None:
    sat = facts("ride", "bus", {"hip": "sit in"}, pair_verbs=["ride", "drive"])
    assert types("A man drives a bus. At the stop, some tourists wave at him. He is standing up.", sat) == ["negation"]
    # one other man in focus: "he" may still be him, so no claim either way
    assert types("A man drives a bus. At the stop, another man waves at him. He is standing up.", sat) == []
