"""Rules of the rule tier's eleventh pass (issue 13, round 11, third tuner): precision of the part-state claims.

A listed part is contradicted only by a state on the pair's object, an unlisted part only when the text says it
acts on that object; a part acting on something else (a railing, the person's own head, a friend's arm, the top
rail of a fence), a dressed part, a pose (a clenched fist, a swinging arm) or a gesture with no target says
nothing of the pair.

Each test states one rule in sentences of its own, on hand-built facts, with a twin that keeps the old verdict.
"""

from __future__ import annotations

from tests.hoi_text.test_prose_rules import facts, types

_RIGHT_HOLDS = {"right hand": "hold"}
_ONE_HAND = {"person_parts": ["right hand"]}  # the left hand acts on nothing the person's labels list


def _bottle() -> dict:
    return facts("hold", "bottle", _RIGHT_HOLDS, **_ONE_HAND)


def test_a_scene_noun_in_ing_or_after_against_is_something_else() -> None:
    assert types("His left hand rests on the railing.", _bottle()) == []
    assert types("His left hand is pressed against the window.", _bottle()) == []
    assert types("His left hand holds the rail for balance.", _bottle()) == []
    assert types("His left hand rests on the bottle.", _bottle()) == ["left_right_swap"]


def test_a_part_acting_on_a_body_part_acts_on_no_object() -> None:
    assert types("He holds the bottle. His left hand scratches his head.", _bottle()) == []
    assert types("He holds the bottle. His left hand grabs a friend's arm.", _bottle()) == []
    assert types("He holds the bottle. His left hand touches the brim of his hat.", _bottle()) == []
    assert types("He holds the bottle. His left hand touches it.", _bottle()) == ["left_right_swap"]
    hug = facts("hug", "person", {"left hand": "hold"}, person_parts=["left hand"])
    assert types("She hugs her friend, and her right hand squeezes her friend's arm.", hug) == ["left_right_swap"]


def test_a_gesture_with_no_target_holds_nothing() -> None:
    assert types("He keeps the bottle in his right hand and waves with the other.", _bottle()) == []
    assert types("He holds it in his right hand and points at something with the other hand.", _bottle()) == []
    assert types("He holds the bottle in his right hand and waves with it.", _bottle()) == []
    assert types("He holds it in his left hand and waves with the other.", _bottle()) != []


def test_a_dressed_limb_is_no_state() -> None:
    pegs = facts("ride", "motorcycle", {"right foot": "stand on", "left foot": "stand on"},
                 person_parts=["right foot", "left foot"])  # fmt: skip
    assert types("His right foot wears a red boot.", pegs) == []
    assert types("His right foot is off the peg.", pegs) == ["part_state"]


def test_an_indefinite_thing_after_an_instrument_verb_is_no_object() -> None:
    assert types("He gives a thumbs up with his left hand.", _bottle()) == []
    assert types("He gives a wave with his left hand.", _bottle()) == []
    assert types("He grips the bottle with his left hand.", _bottle()) == ["left_right_swap"]


def test_a_fist_with_nothing_in_it_is_a_pose() -> None:
    kite = facts("inspect", "kite", {"head": "inspect"}, person_parts=["head"])  # the hands do nothing with it
    assert types("He watches the kite. His fist is clenched.", kite) == []
    assert types("He watches the kite. His fist is clenched around the kite string.", kite) != []


def test_a_piece_of_a_structure_is_that_structures() -> None:
    cow = facts("pet", "cow", {"right hand": "touch"}, person_parts=["right hand", "head"])
    assert types("Her left hand is resting on the top rail of the fence.", cow) == []
    assert types("Her left hand is resting on the back of the cow.", cow) == ["left_right_swap"]


def test_an_arm_swinging_with_no_object_is_a_motion() -> None:
    bike = facts("carry", "bicycle", {"right arm": "shoulder carry"}, person_parts=["right arm", "right hand"])
    assert types("His left arm swings for balance.", bike) == []
    assert types("His left arm is around the bike.", bike) != []


def test_a_subordinate_clause_ends_the_parts_predicate() -> None:
    ball = facts("dribble", "sports ball", {"left hand": "hold"}, person_parts=["left hand"])
    assert types("His left hand controls the ball as it comes up off the asphalt.", ball) == []
    assert types("His left hand comes off the ball.", ball) == ["part_state"]


def test_a_thing_named_after_the_object_is_no_object() -> None:
    skis = facts("wear", "skis", {"left hand": "hold"}, person_parts=["left hand", "left foot", "right foot"])
    assert types("His left hand holds his skis. His right hand grips a ski pole.", skis) == []
    assert types("His left hand holds his skis. His right hand grips them too.", skis) != []


def test_a_place_by_a_landmark_is_not_what_the_verb_acts_on() -> None:
    parked = facts("no_interaction", "bicycle", {}, person_parts=[], pair_verbs=["no_interaction"])
    assert types("He sits near a bicycle.", parked) == []
    assert types("He sits on a bicycle.", parked) != []


def test_a_fixture_of_the_place_is_what_the_part_acts_on() -> None:
    assert types("He holds onto the handrail with his left hand.", _bottle()) == []
    assert types("He leans on the fence with his left arm.", _bottle()) == []
    assert types("His left elbow rests on the window frame.", _bottle()) == []
    assert types("He holds onto the bottle with his left hand.", _bottle()) == ["left_right_swap"]


def test_a_hedged_be_keeps_the_parts_contact_and_its_denial() -> None:
    horse = facts("ride", "horse", {"left foot": "stand on", "right foot": "stand on"},
                  person_parts=["left foot", "right foot"])  # fmt: skip
    assert types("Her feet don't seem to be in the stirrups.", horse) == ["negation"]
    assert types("Her feet seem to be in the stirrups.", horse) == []


def test_vehicle_parts_and_non_native_plurals_of_the_lexicon() -> None:
    car = facts("sit_in", "car", {"hip": "sit in"}, person_parts=["hip"])
    assert types("A passenger sits in the car, her right hand resting on the dashboard.", car) == ["part_state"]
    assert types("A passenger sits in the car, her right hand resting on her knee.", car) == []
    horse = facts("ride", "horse", {"left foot": "stand on", "right foot": "stand on"},
                  person_parts=["left foot", "right foot"])  # fmt: skip
    assert types("The lady sits on the horse, her foots hanging free, not in the stirrup.", horse) != []


def test_a_part_of_a_newly_named_person_is_someone_elses() -> None:
    bike = facts(
        "ride", "bicycle", {"left hand": "hold", "right hand": "hold"}, person_parts=["left hand", "right hand"]
    )
    grip = "Both hands grip the handlebars."
    assert types(f"{grip} A child's hand reaches for the bike.", bike) == []
    assert types(f"{grip} Someone else's hand reaches for the bike.", bike) == []
    assert types(f"{grip} His hand reaches for the bike.", bike) == ["part_state"]


def test_legs_hanging_down_either_side_are_astride() -> None:
    horse = facts("straddle", "horse", {"left leg": "straddle", "right leg": "straddle"},
                  person_parts=["left leg", "right leg"])  # fmt: skip
    assert types("She sits astride it, legs hanging down on either side.", horse) == []
    assert types("Her legs dangle on both sides of the horse.", horse) == []
    assert types("Her right leg hangs down the side of the horse.", horse) == []
    assert types("She rides with both legs hanging down the horse's right flank.", horse) == [
        "part_state",
        "part_state",
    ]


def test_a_foot_jumping_with_the_board_stands_on_it() -> None:
    board = facts("jump", "skateboard", {"left foot": "jump with", "right foot": "jump with"},
                  person_parts=["left foot", "right foot"])  # fmt: skip
    assert types("He pops an ollie, his right foot planted on the deck.", board) == []
    walk = facts("walk", "bicycle", {"left foot": "walk with", "right foot": "walk with"},
                 person_parts=["left foot", "right foot"])  # fmt: skip
    assert types("He walks his bike, both feet on the pedals.", walk) == ["part_state", "part_state"]


def test_a_foot_on_the_ball_agrees_with_dribbling_it() -> None:
    ball = facts("dribble", "sports ball", {"right foot": "dribble"}, person_parts=["right foot"])
    assert types("His right foot is on the ball.", ball) == []
    assert types("His left foot is on the ball.", ball) == ["left_right_swap"]


def test_a_hand_reaching_for_what_it_touches_agrees() -> None:
    dog = facts("pet", "dog", {"right hand": "touch"}, person_parts=["right hand"])
    assert types("Her right hand reaches out to the dog.", dog) == []
    held = facts("hold", "dog", {"right hand": "hold"}, person_parts=["right hand"])
    assert types("Her right hand reaches out to the dog.", held) == ["part_state"]
