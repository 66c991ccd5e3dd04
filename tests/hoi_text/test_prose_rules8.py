"""Rules of the rule tier's eighth pass (issue 13): a part acting in another label of the person, leaning on
the object, one foot on the object, an instrument hand acting on a named object, and
feet on the floor.

Each test states one rule in sentences of its own, on hand-built facts.
"""

from __future__ import annotations

from tests.hoi_text.test_prose_rules import facts, types

_FEET = {"left foot": "stand on", "right foot": "stand on"}


def test_a_verb_done_with_a_part_another_label_of_the_person_lists_is_unverifiable() -> None:
    # the person also wears skis (another label, left hand listed there): the ski she holds may be that one
    wear_too = facts("stand_on", "skis", _FEET, person_verbs=["stand_on", "wear"],
                     person_parts=["left foot", "left hand", "right foot"])  # fmt: skip
    assert types("She holds a ski upright in her left hand.", wear_too) == []
    only = facts(
        "stand_on", "skis", _FEET, person_verbs=["stand_on"], person_parts=["left foot", "left hand", "right foot"]
    )
    assert types("She holds a ski upright in her left hand.", only) == ["wrong_verb"]


def test_leaning_on_the_object_is_a_contact_false_of_a_no_interaction_pair() -> None:
    idle = facts("no_interaction", "car", {}, part_states_annotated=False)
    assert types("A teenager leaning against the car, scrolling on his phone.", idle) == ["wrong_verb"]
    assert types("A teenager leaning against a lamppost near the car.", idle) == []  # another thing
    rides = facts("ride", "bicycle", {"left hand": "hold", "right hand": "hold"})
    assert types("The courier leans on his bicycle.", rides) == []  # no HICO verb: says nothing of a label
    phone = facts("hold", "cell phone", {"right hand": "hold"})
    assert types("A man leans on a car, typing a message.", phone) == []  # incidental: no wrong object


def test_one_foot_on_the_object_is_false_when_both_feet_stand_on_it() -> None:
    both = facts("stand_on", "skis", _FEET)
    assert types("A skier gliding down the slope on one ski.", both) == ["left_right_swap"]
    one = facts("stand_on", "skis", {"right foot": "stand on"})
    assert types("A skier gliding down the slope on one ski.", one) == []
    assert types("A skier waits on one ski lift platform.", both) == []  # a ski lift, not a ski
    assert types("She turns with her weight on one ski.", both) == []  # a weight shift: both feet on the skis
    kite = facts("fly", "kite", {"right hand": "hold"})
    assert types("A skier gliding down the slope on one ski.", kite) == []  # says nothing of a kite
    board = facts("ride", "skateboard", _FEET)
    assert types("The boy rides his skateboard with one foot.", board) == ["left_right_swap"]


def test_an_instrument_hand_acts_on_the_object_named_before_it() -> None:
    left = facts("hit", "sports ball", {"left hand": "press"}, person_parts=["left hand"])
    assert types("The girl smacks the ball away with her right hand.", left) == ["left_right_swap"]
    assert types("The girl smacks the ball away with her left hand.", left) == []
    assert types("The girl waves to the crowd with her right hand.", left) == []  # nothing of the object
    assert types("The girl waves the referee over with her right hand.", left) == []  # at a person


def test_feet_on_the_floor_do_not_stand_on_furniture() -> None:
    couch = facts("lie_on", "couch", _FEET)
    assert types("Lying back on the couch with his feet on the floor.", couch) == ["negation"]
    bus = facts("ride", "bus", _FEET)
    assert types("She rides the bus home, her feet on the floor.", bus) == []  # the bus's own floor


def test_a_pronoun_object_before_an_instrument_hand_is_the_pair_object() -> None:
    left = facts("hit", "sports ball", {"left hand": "press"}, person_parts=["left hand"])
    assert types("The girl bats it away with her right hand.", left) == ["left_right_swap"]
    assert types("The girl bats it away with her left hand.", left) == []


def test_a_gesture_verb_before_the_hands_is_their_state_toward_the_target() -> None:
    tv = facts("control", "tv", {"left hand": "gesture to", "head": "inspect"}, person_parts=["head", "left hand"])
    assert types("A boy on the rug, waving both hands at the screen.", tv) == ["part_state"]
    assert types("A boy on the rug, waving his left hand at the screen.", tv) == []
    assert types("A boy on the rug, waving both hands at his friends.", tv) == []  # at people, not the object


def test_hands_behind_the_back_are_idle() -> None:
    held = facts("board", "train", {"left hand": "hold", "right hand": "hold"})
    assert types("With his hands behind his back he watches the train.", held) == ["part_state", "part_state"]
    idle = facts("no_interaction", "train", {}, part_states_annotated=False)
    assert types("She waits by the train, hands clasped behind her back.", idle) == []


def test_clasped_hands_with_nothing_named_hold_each_other() -> None:
    bench = facts("sit_on", "bench", {"hip": "sit on"}, person_parts=["hip"])
    assert types("An old man rests on the bench, hands clasped in front of him.", bench) == []  # was a false flag
    table = facts("eat_at", "dining table", {"left hand": "put on", "right hand": "put on"})
    assert "part_state" in types("He waits at the table, his hands clasped beneath it.", table)
    mug = facts("hold", "cup", {"left hand": "hold", "right hand": "hold"})
    assert types("Her hands are clasped around the warm mug.", mug) == []  # around it: holding


def test_a_part_label_with_a_bare_object_noun_is_contact_with_it() -> None:
    right = facts("hold", "cell phone", {"right hand": "hold"}, person_parts=["right hand"])
    assert types("- Left hand: her phone", right) == ["left_right_swap"]
    assert types("- Right hand: her phone", right) == []
    assert types("She hands him the phone.", right) == []  # 'hands' the verb: no part label
    assert types("- Right hand: her phone\n- Left hand: a paper cup", right) == []  # another object


def test_a_hand_swinging_at_the_side_is_idle() -> None:
    ball = facts("carry", "sports ball", {"right hand": "hold"}, person_parts=["right hand"])
    assert types("The girl jogs off the court, her right hand swinging loosely at her side.", ball) == ["part_state"]
    assert types("The girl jogs off the court, her left hand swinging freely.", ball) == []


def test_more_idle_phrases_for_a_listed_part() -> None:
    both = facts("hold", "umbrella", {"left hand": "hold", "right hand": "hold"})
    assert types("Her left hand is pressed to her chest.", both) == ["part_state"]
    assert types("His left hand is balled into a fist.", both) == ["part_state"]
    pedals = facts("ride", "bicycle", {"left foot": "tread on", "right foot": "tread on"})
    assert types("At the light, his left foot rests on the curb.", pedals) == ["negation"]
    backpack = facts("carry", "backpack", {"left arm": "shoulder carry", "right arm": "shoulder carry"})
    assert types("His left arm is free.", backpack) == ["part_state"]


def test_looking_at_the_object_is_false_when_no_label_lists_the_head() -> None:
    phone = facts("hold", "cell phone", {"right hand": "hold"}, person_parts=["right hand"])
    assert types("She glances down at the phone in her hand.", phone) == ["part_state"]
    assert types("She doesn't look at the phone in her hand.", phone) == []
    lone = facts("hold", "cell phone", {"right hand": "hold"})  # one label, no person_parts: a gaze left out
    assert types("She glances down at the phone in her hand.", lone) == []


def test_leaning_back_against_the_object_is_leaning_on_it() -> None:
    idle = facts("no_interaction", "car", {}, part_states_annotated=False)
    assert types("A man leans back against the car, arms crossed.", idle) == ["wrong_verb"]


def test_a_subject_of_two_with_the_person_first_is_about_the_person() -> None:
    hug = facts("hold", "person", {"left hand": "touch", "right hand": "touch"}, people=2)
    assert types("A father and his daughter pose by the lake without touching each other.", hug) == ["negation"]
    assert types("A father poses by the lake while his daughter skips stones, not touching him.", hug) == []


def test_a_thing_hanging_from_a_hand_is_held_by_it() -> None:
    worn = facts("carry", "backpack", {"left arm": "shoulder carry", "right arm": "shoulder carry"},
                 person_parts=["left arm", "right arm"])  # fmt: skip
    assert types("He strolls on, dangling it from his right hand.", worn) == ["part_state"]
    assert types("His backpack hangs from both shoulders.", worn) == []
    bag = facts("carry", "handbag", {"left hand": "hold"}, person_parts=["left hand"])
    assert types("A small handbag hangs from her right hand.", bag) == ["left_right_swap"]
    assert types("A small handbag hangs from her left hand.", bag) == []
