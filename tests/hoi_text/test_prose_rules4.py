"""Rules of the rule tier's fourth pass (issue 13): who a clause is about in multi-person prose, and
state paraphrases and their opposites generated from the seeds.

Each test states one rule in sentences of its own, on hand-built facts: a pronoun goes on with the
last-mentioned person across sentences, people placed by the person ("the man beside him"),
counterpart roles, counted groups, locators, relative "who", appositives; opposites of a state
("legs draped over one side"), idle paraphrases, aimless gestures, one hand when both act.
"""

from __future__ import annotations

from hoiscribe.hoi_text.claim_types import StateClaim
from hoiscribe.hoi_text.claims import extract
from hoiscribe.hoi_text.phrases import find, state_index, state_table
from tests.hoi_text.test_prose_rules import facts, types

_BIKE = {"left hand": "hold", "right hand": "hold", "hip": "sit on", "left foot": "tread on"}
_BIKE_PARTS = ["hip", "left foot", "left hand", "right hand"]
_HORSE = {"hip": "sit on", "left hand": "hold", "right hand": "hold", "left leg": "straddle", "right leg": "straddle",
          "left foot": "stand on", "right foot": "stand on"}  # fmt: skip


def _bike() -> dict:
    return facts("ride", "bicycle", _BIKE, person_parts=_BIKE_PARTS, people=2)


def _umbrella() -> dict:
    return facts("hold", "umbrella", {"right hand": "hold"}, person_parts=["right hand"], people=3)


def _horse() -> dict:
    return facts("ride", "horse", _HORSE, person_parts=sorted(_HORSE), people=2)


def test_a_pronoun_goes_on_with_the_other_person_the_last_sentence_ended_on() -> None:
    bike, umb = _bike(), _umbrella()
    assert types("A man rides a bicycle. Another man walks next to him. He is pushing his bike.", bike) == []
    assert types("A woman holds an umbrella in her right hand. A girl follows her. She grips hers with both hands.",
                 umb) == []  # fmt: skip
    # without another person in focus the pronoun is the person's again
    assert types("A woman walks in the rain. She grips the umbrella with both hands.", umb) == ["part_state"]


def test_people_placed_by_the_person_or_named_by_a_counterpart_role_are_someone_else() -> None:
    bike, horse = _bike(), _horse()
    assert types("A man rides a bicycle. The man beside him grips the rail, his right hand empty.", bike) == []
    assert types("A jockey rides a horse. The trainer stands on the ground; his hands hang at his sides.", horse) == []
    assert types("A man rides a horse. The trainer beside him holds the reins in his left hand only.", horse) == []
    # the person's own noun is still the person
    assert types("A man rides a bicycle. The man has his right hand empty.", bike) == ["part_state"]


def test_a_noun_seen_before_or_of_another_age_is_someone_else() -> None:
    bike, umb = _bike(), _umbrella()
    assert types("A man rides a bicycle past a boy. The boy is not on his bike; he walks it with one hand.", bike) == []
    text = "A woman holds an umbrella in her right hand. The little girl beside the bench carries one in both hands."
    assert types(text, umb) == []


def test_counted_groups_locators_and_who_name_other_people() -> None:
    umb, bike = _umbrella(), _bike()
    assert types("A woman holds an umbrella in her right hand. Two children walk ahead of her; they hold the "
                 "umbrella with both hands.", umb) == []  # fmt: skip
    assert types("A skier stands on his skis. Two snowboarders sit further down, adjusting their bindings.",
                 facts("stand_on", "skis", {"left foot": "stand on", "right foot": "stand on"})) == []  # fmt: skip
    text = (
        "Two cyclists ride side by side. The one on the left pedals; the one on the right has his hands off the bars."
    )
    assert types(text, bike) == []
    text = "A woman holds an umbrella in her right hand as she talks to a man, who holds his own with both hands."
    assert types(text, umb) == []
    # "neither of them" after a group includes the person
    tv = facts("watch", "tv", {"head": "inspect"}, people=2)
    assert types("Two friends sit on a couch, but neither of them is looking at the TV.", tv) == ["negation"]


def test_an_appositive_renames_whoever_is_in_focus() -> None:
    umb = _umbrella()
    text = "A woman holds an umbrella in her right hand. Her companion, a tall woman, is not holding an umbrella."
    assert types(text, umb) == []
    assert types("Rider: a woman on a horse\nHands: only the left hand holds the reins", _horse()) == ["part_state"]


def test_opposites_of_a_state_are_that_state_negated() -> None:
    horse = _horse()
    assert types("Both legs draped over the horse's left side.", horse) == ["negation"]
    assert types("A woman rides sidesaddle on a grey horse.", horse) == ["negation"]
    states = state_table()["states"]
    for key, row in states.items():  # every opposite reads as its own state, negated
        group = key.split(":", 1)[0]
        for surface in row["opposed_by"]:
            found = find(surface.split(), state_index(group))
            assert (
                found
                and found[0].opposed
                and found[0].negated
                and key.split(":", 1)[1] in {v.split(":", 1)[1] for v in found[0].values}
            ), (key, surface)


def test_new_idle_paraphrases_and_kneeling_with_fillers() -> None:
    skis = facts("ride", "skis", {"left foot": "stand on", "right foot": "stand on"})
    assert types("His right boot has popped out of its binding.", skis) == ["part_state"]
    bed = facts("sit_on", "bed", {"hip": "sit on"}, person_parts=["hip"])
    assert types("A child is kneeling upright on the mattress.", bed) == ["negation"]
    assert types("A man rides his bike, rising out of the saddle as he climbs.", _bike()) == ["part_state"]
    assert types("A man rides his bike with nothing in his left hand.", _bike()) == ["part_state"]


def test_a_gesture_with_no_target_says_the_hand_holds_nothing() -> None:
    wine = facts("hold", "wine glass", {"left hand": "hold"}, person_parts=["left hand"])
    assert types("She holds her glass in her left hand; her right hand gestures as she talks.", wine) == []
    claims = [c for c in extract("Her left hand gestures as she talks.") if isinstance(c, StateClaim)]
    assert claims and claims[0].negated and "hold" in claims[0].states
    assert types("She holds her glass; her left hand gestures as she talks.", wine) == ["negation"]


def test_one_hand_is_false_when_both_hands_agree_with_it() -> None:
    fridge = facts("open", "refrigerator", {"left hand": "touch", "right hand": "touch"})
    assert types("Opening the fridge with one hand.", fridge) == ["left_right_swap"]
    bus = facts("drive", "bus", {"left hand": "hold", "right hand": "hold"})
    assert types("He drives, but only one hand is on the wheel.", bus) == ["left_right_swap"]


def test_object_slots_and_modifiers() -> None:
    cow = facts("feed", "cow", {"right hand": "feed"}, person_parts=["right hand"])
    assert types("She feeds the cow; her left hand rests on the top rail.", cow) == []
    assert types("She feeds the cow; her left hand rests on the cow's back.", cow) == ["left_right_swap"]
    couch = facts("sit_on", "couch", {"hip": "sit on"}, person_parts=["hip"])
    assert types("A woman curls up on the sofa, her feet resting on a low footstool.", couch) == []
    book = facts("hold", "book", {"left hand": "hold", "right hand": "hold"})
    assert types("She holds a paperback and looks up at the person taking the photo.", book) == []
    # a negated verb with an instrument denies the instrument only
    assert types("She isn't holding the umbrella with her left hand; it's in her right.", _umbrella()) == []


def test_person_verbs_count_like_pair_verbs() -> None:
    phone = facts("carry", "cell phone", {"right hand": "hold"}, pair_verbs=["carry", "hold"])
    assert types("She is talking on her phone.", phone) == ["wrong_verb"]
    assert types("She is talking on her phone.", dict(phone, person_verbs=["carry", "hold", "talk_on"])) == []


def test_counts_read_own_before_a_noun_as_a_possessive() -> None:
    bike = _bike()
    assert types("He sits on his saddle, his hands on his own handlebars.", bike) == []
    assert types("He rides on his own.", bike) == ["person_count"]


def test_inverted_subjects_comparatives_and_unnamed_genders() -> None:
    cup = facts("hold", "cup", {"left hand": "hold", "right hand": "hold"}, person_parts=["left hand", "right hand"])
    text = "A woman holds a cup with both hands. Across the table sits her husband, with his hands in his lap."
    assert types(text, cup) == []
    held = facts("hold", "person", {"left hand": "hold"}, person_parts=["left hand"], people=2)
    assert types("A woman holds her partner's hand with her left hand, and he holds her with both hands.", held) == []
    text = "A woman guides her elderly mother, holding her arm with her left hand. The older woman grips a cane."
    assert types(text + " She holds it in her right hand.", held) == []
    # the person's own pronoun, with nobody else named, is still the person's
    assert types("A woman holds her son with both hands.", held) == ["part_state"]


def test_the_latest_other_person_owns_a_possessive_and_standing_on_the_ground_is_not_on_it() -> None:
    phone = facts("talk_on", "cell phone", {"right hand": "hold"}, person_parts=["right hand"], people=3)
    text = "A woman talks on her phone. Beside her, a man types, and a teenager listens, her hands in her pockets."
    assert types(text, phone) == []
    bag = facts("carry", "backpack", {"left arm": "shoulder carry"}, person_parts=["left arm"], people=2)
    assert types("A student walks with her backpack. Her classmate walks beside her, carrying his in his right "
                 "hand.", bag) == []  # fmt: skip
    board = facts("stand_on", "skateboard", {"left foot": "stand on", "right foot": "stand on"})
    assert types("A boy stands on the pavement, watching his friends.", board) == ["negation"]
    bike = facts("straddle", "bicycle", {"hip": "sit on"}, person_parts=["hip"])
    assert types("A cyclist climbs the hill, standing up on the pedals.", bike) == ["negation"]


def test_whose_a_couple_and_people_around_her_are_others() -> None:
    bike = _bike()
    assert types("A man rides a bike past a parked bicycle whose owner sits on a bench, hands in his lap.", bike) == []
    assert types("A man rides a bike. A couple walks past, holding hands; neither of them is riding.", bike) == []
    text = "A woman holds an umbrella in her right hand. It rains and people around her hurry past, some with one "
    assert types(text + "held in both hands.", _umbrella()) == []
