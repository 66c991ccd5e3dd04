"""Rules of the rule tier's ninth pass (issue 13, round 10): limbs as instruments, manner verbs of the hand,
feet on the ground, posture, near misses, who else is in focus, denials about others, nouns that look like
verbs, object parts, locators, counts, and contractions.

Each test states one rule in sentences of its own, on hand-built facts, with a faithful twin.
"""

from __future__ import annotations

from tests.hoi_text.test_prose_rules import facts, types

_RIGHT_HOLDS = {"right hand": "hold"}
_FEET = {"left foot": "stand on", "right foot": "stand on"}


def test_a_limb_named_after_a_verb_and_its_object_touches_the_object() -> None:
    phone = facts("hold", "cell phone", _RIGHT_HOLDS, person_parts=["right hand"])
    assert types("She pins the phone with her elbow.", phone) == ["part_state"]
    assert types("She nudges the phone with her forearm.", phone) == ["part_state"]
    hugged = facts("hold", "cell phone", {"right hand": "hold", "left arm": "be close to"},
                   person_parts=["right hand", "left arm"])  # fmt: skip
    assert types("She pins the phone with her left elbow.", hugged) == []  # HAKE has that arm touch it


def test_a_hand_verb_of_manner_needs_the_hand_on_the_object() -> None:
    umbrella = facts("hold", "umbrella", _RIGHT_HOLDS, person_parts=["right hand"])
    for verb in ("supports", "steadies", "braces", "clings to", "fiddles with", "tilts", "pokes"):
        assert types(f"His left hand {verb} the umbrella.", umbrella), verb  # the right hand holds it
    assert types("His right hand steadies the umbrella.", umbrella) == []
    assert types("He holds the umbrella in his right hand, with a coffee cup in his other hand.", umbrella) == []


def test_a_foot_against_or_touching_the_ground_is_not_on_the_object() -> None:
    board = facts("ride", "skateboard", _FEET, person_parts=["left foot", "right foot"])
    assert types("His left foot pushes against the ground.", board) == ["negation"]
    assert types("His left foot touches the ground.", board) == ["negation"]
    assert types("Neither foot touches the board.", board) == ["negation"]
    assert types("Both feet touch the board.", board) == []


def test_on_his_feet_stands_and_a_denied_seat_is_checked() -> None:
    chair = facts("sit_on", "chair", {"hip": "sit on"}, person_parts=["hip"])
    assert types("He is on his feet beside the chair.", chair) == ["negation"]
    assert types("He is not sitting.", chair) == ["negation"]
    assert types("He isn't seated.", chair) == ["negation"]
    assert types("He sits on the chair; he is not sitting still.", chair) == []  # fidgets, seated
    assert types("He sits on the chair with a cat on his feet.", chair) == []


def test_a_near_miss_that_holds_an_objects_word_names_another_thing() -> None:
    race = facts("race", "motorcycle", {"hip": "sit on"})
    assert types("He races a quad bike around the track.", race) == ["wrong_object"]
    assert types("A man on a quad bike speeds around the bend.", race) == ["wrong_object"]
    assert types("A man on a motorbike races past a parked quad bike.", race) == []  # the object is named
    skate = facts("ride", "skateboard", _FEET)
    assert types("He glides along on roller skates.", skate) == ["wrong_object"]
    assert types("He rides on his skateboard past a boy on roller skates.", skate) == []
    read = facts("read", "book", {"head": "inspect"})
    assert types("She reads a newspaper.", read) == ["wrong_object"]
    assert types("She reads a book beside a stack of old newspapers.", read) == []


def test_people_of_the_background_and_of_the_person_are_someone_else() -> None:
    table = facts(
        "eat_at", "dining table", {"left hand": "touch", "right hand": "touch", "hip": "sit beside"}, people=4
    )
    text = "The man on the left sits beside the table with both hands on its edge while he eats."
    assert types(text, table) == []
    assert types(text + " In the background, a man sits on a bench with his arms crossed.", table) == []
    assert types(text + " An older man watches from the side, arms folded.", table) == []
    assert types(text + " The man's wife stands with her arms folded.", table) == []
    assert types(text + " Later he sits with his arms folded.", table) == ["part_state", "part_state"]


def test_a_denial_about_others_or_another_thing_says_nothing_of_the_person() -> None:
    bike = facts("ride", "motorcycle", {"hip": "sit on", "left hand": "hold", "right hand": "hold"})
    base = "A man rides his motorcycle down the road."
    assert types(base + " The motorcycle is not being used by anyone else.", bike) == []
    assert types(base + " The motorcycle in the background is not being used.", bike) == []
    assert types(base + " The motorcycle is not the only one here.", bike) == []
    assert types(base + " He is not riding the motorcycle.", bike) == ["negation"]
    bird = facts("hold", "bird", {"head": "inspect", "left hand": "hold"})
    assert types("A child holds a small bird. He doesn't look at the camera.", bird) == []
    assert types("A child holds a small bird. He doesn't look at the bird.", bird) == ["negation"]
    assert types("A child holds a small bird and never takes his eyes off it.", bird) == []


def test_a_verb_word_after_a_preposition_or_before_of_is_a_noun() -> None:
    table = facts("sit_at", "dining table", {"hip": "sit beside"})
    assert types("She sits at the table. Plates and glasses of water cover the table.", table) == []
    idle = facts("no_interaction", "bicycle", {}, part_states_annotated=False)
    assert types("Row of bikes; a tiny person far away.", idle) == []
    board = facts("ride", "skateboard", _FEET)
    assert types("The boy rides his skateboard. He wears a cap.", board) == []


def test_either_side_and_plural_parts_are_the_objects() -> None:
    straddle = facts("straddle", "bicycle", {"hip": "sit on", "left foot": "tread on", "right foot": "tread on"},
                     person_parts=["hip", "left foot", "right foot"])  # fmt: skip
    assert types("He sits on the bike, his feet planted on the ground on either side.", straddle) == ["negation"]
    assert types("He sits on the bike, both hands on the grips.", straddle) == ["part_state", "part_state"]
    race = facts("race", "motorcycle", {"left foot": "stand on", "hip": "sit on"},
                 person_parts=["hip", "left foot"])  # fmt: skip
    assert "part_state" in types("He races, both boots firmly on the footpegs.", race)
    assert types("He races, his left boot on the footpeg.", race) == []


def test_a_place_in_a_row_is_a_locator_not_a_second_person() -> None:
    bike = facts("straddle", "motorcycle", {"hip": "sit on", "left leg": "straddle", "right leg": "straddle"},
                 person_parts=["hip", "left leg", "right leg"], people=4)  # fmt: skip
    text = "Four riders wait. The second rider from the right sits astride his bike, both hands on the grips."
    assert types(text, bike) == ["part_state", "part_state"]
    assert types("Four riders wait. A second rider arrives, both hands on the grips.", bike) == []


def test_just_the_n_of_them_is_an_upper_bound() -> None:
    hug = facts("hug", "person", {"right hand": "hold"}, people=3)
    assert types("Friends holding each other close, just the two of them.", hug) == ["person_count"]
    assert types("Friends holding each other close, the two of them.", hug) == []


def test_the_subject_survives_scene_sentences_plain_nouns_and_hedges() -> None:
    bike = facts("straddle", "motorcycle", {"hip": "sit on"}, person_parts=["hip", "left leg", "right leg"])
    text = "Four bikers wait side by side. The second from the right sits astride his motorcycle, gripping the grips."
    assert types("It is a sunny day. " + text, bike) == types(text, bike) == ["wrong_verb"]
    seat = facts("race", "motorcycle", {"hip": "sit on", "left leg": "straddle", "right leg": "straddle"})
    assert types("A motorcyclist waits. The man is perched on the bike, both legs on one side.", seat) == ["negation"]
    table = facts("sit_at", "dining table", {"hip": "sit beside"})
    assert types("A young man is at the end of the table. He appears to be standing up.", table)
    assert types("A young man is at the end of the table. He appears to be sitting.", table) == []


def test_a_contracted_negation_reads_like_the_full_one() -> None:
    under = facts("stand_under", "umbrella", {"head": "put something over head", "right hand": "hold"})
    assert types("The man carries the umbrella but he isn't under it.", under) == ["negation"]
    assert types("The man carries the umbrella but he is not under it.", under) == ["negation"]
    assert types("The man carries the umbrella and he is under it.", under) == []


def test_the_object_at_a_place_of_the_body_touches_that_parts_group() -> None:
    umbrella = facts("hold", "umbrella", _RIGHT_HOLDS, person_parts=["right hand"])
    assert types("He walks with the umbrella hooked over his arm.", umbrella) == ["part_state"]
    assert types("The umbrella hangs from a strap around his neck.", umbrella) == ["part_state"]
    assert types("He holds the umbrella between his knees.", umbrella) == ["part_state", "part_state"]
    assert types("He holds the umbrella in his right hand, a towel around his neck.", umbrella) == []  # no object
    assert types("He holds the umbrella in his right hand, not on his back.", umbrella) == []  # denied
    pack = facts("carry", "backpack", {"left arm": "shoulder carry", "right arm": "shoulder carry"},
                 person_parts=["left arm", "right arm"])  # fmt: skip
    assert types("He carries a large backpack on his back.", pack) == []
    book = facts("read", "book", {"left hand": "hold", "right hand": "hold"}, person_parts=["left hand", "right hand"])
    assert types("A student holds the book open on her lap with both hands.", book) == []  # a lap is where it is
    phone = facts("hold", "cell phone", _RIGHT_HOLDS, person_parts=["right hand"])
    assert types("He holds the phone to his ear.", phone) == ["part_state"]
    talks = facts("talk_on", "cell phone", {"right hand": "hold", "head": "talk with something"},
                  person_parts=["right hand", "head"])  # fmt: skip
    assert types("He holds the phone to his ear.", talks) == []
    assert types("He holds the phone, his other hand against his cheek.", phone) == []  # the hand is there
    assert types("He balances the umbrella on his head.", umbrella) == ["part_state"]
    assert types("The umbrella hangs from his left wrist.", umbrella) == ["left_right_swap"]
    assert types("The umbrella hangs from his right wrist.", umbrella) == []
    bag = facts("carry", "handbag", {"left arm": "shoulder carry"}, person_parts=["left arm"])
    assert types("Her handbag is slung across her chest.", bag) == []  # one strap, one shoulder


def test_one_part_on_each_side_is_both_parts() -> None:
    umbrella = facts("hold", "umbrella", _RIGHT_HOLDS, person_parts=["right hand"])
    assert types("He holds the umbrella, a hand on each side of the handle.", umbrella) == ["part_state"]
    both = facts("hold", "umbrella", {"left hand": "hold", "right hand": "hold"})
    assert types("He holds the umbrella, a hand on each side of the handle.", both) == []


def test_a_verb_after_fails_to_or_avoids_is_denied() -> None:
    reins = facts("ride", "horse", {"left hand": "hold", "right hand": "hold", "hip": "sit on"})
    assert types("She fails to hold the reins.", reins) == ["negation"]
    assert types("She is unable to hold the reins.", reins) == ["negation"]
    assert types("She avoids touching the reins.", reins) == ["negation"]
    assert types("She never fails to hold the reins.", reins) == []  # two negations
    assert types("She holds the reins, unable to relax.", reins) == []


def test_leaving_the_seat_kneeling_by_it_or_sitting_on_the_floor_is_not_sitting_on_it() -> None:
    chair = facts("sit_on", "chair", {"hip": "sit on"}, person_parts=["hip"])
    for text in ("He springs up out of the chair.", "He is halfway out of the chair.", "He has vacated the chair.",
                 "He gets to his feet.", "He kneels beside the chair.", "He sits on the floor next to the chair.",
                 "The chair is empty."):  # fmt: skip
        assert types(text, chair), text
    assert types("He sits on the chair, listening to a man on his feet.", chair) == []
    assert types("He sits on the chair; the chair next to him is empty.", chair) == []
    assert types("He sits on the chair; his dog sits on the floor.", chair) == []
    bus = facts("ride", "bus", {"hip": "sit on"}, person_parts=["hip"])
    assert types("He sits on the floor of the bus.", bus) == []  # a vehicle's floor is its own


def test_falling_asleep_and_not_noticing_deny_a_look() -> None:
    reads = facts("read", "laptop", {"head": "inspect"}, person_parts=["head"])
    assert types("He is dozing off.", reads) == ["negation"]
    assert types("He doesn't notice the laptop.", reads) == ["negation"]
    assert types("He reads the laptop; his baby sleeps nearby.", reads) == []
    assert types("He notices the laptop.", reads) == []


def test_others_of_the_background_a_placed_other_noun_and_a_pet_are_not_the_person() -> None:
    bike = facts("ride", "motorcycle", {"hip": "sit on", "left hand": "hold", "right hand": "hold"})
    base = "A man rides his motorcycle down the road."
    assert types(base + " In the background, people are walking, none of them touching a motorcycle.", bike) == []
    assert types(base + " The rider on the right is not touching the motorcycle.", bike) == []
    assert types(base + " His dog runs beside him, not touching the motorcycle.", bike) == []
    assert types(base + " He is not touching the motorcycle.", bike) == ["negation"]


def test_the_side_of_a_fronted_passive_elided_or_receiving_hand_is_checked() -> None:
    umbrella = facts("hold", "umbrella", _RIGHT_HOLDS, person_parts=["right hand"])
    for text in ("In his left hand, he holds the umbrella.", "The umbrella is held by his left hand.",
                 "He holds the umbrella in his left.", "He switches the umbrella to his left hand."):  # fmt: skip
        assert types(text, umbrella), text
    faithful = (
        "In his right hand, he holds the umbrella.",
        "The umbrella is held by his right hand.",
        "He holds the umbrella in his right.",
        "He switches the umbrella to his right hand.",
        "With his left hand he waves to a friend.",
        "He holds the umbrella, with a dog on his left.",
    )
    for text in faithful:
        assert types(text, umbrella) == [], text


def test_a_hedge_before_the_subject_or_the_verb_keeps_the_claim() -> None:
    table = facts("sit_at", "dining table", {"hip": "sit beside"})
    assert types("A young man is at the table. He might be standing up.", table)
    assert types("A young man is at the table. It looks like he is standing up.", table)
    assert types("A young man is at the table. It looks like he is sitting.", table) == []
    umbrella = facts("carry", "umbrella", {"left hand": "hold"}, person_parts=["left hand"])
    assert types("It looks like she has tucked the umbrella away so that both hands are free.", umbrella)


def test_hands_busy_with_each_other_or_in_a_garment_pocket_hold_nothing() -> None:
    bars = facts("race", "motorcycle", {"left hand": "hold", "right hand": "hold"})
    assert types("He claps his hands.", bars) == ["part_state", "part_state"]
    assert types("He has his hands in his jacket pockets.", bars)
    assert types("He doesn't clap his hands; he grips the handlebars.", bars) == []
    assert types("He rubs his hands along the handlebars.", bars) == []
    assert types("He grips the handlebars, a phone sticking out of his jacket pocket.", bars) == []


def test_the_passenger_seat_denies_driving_and_outside_denies_sitting_in_it() -> None:
    car = facts(
        "drive", "car", {"hip": "sit in", "left hand": "hold", "right hand": "hold"}, pair_verbs=["drive", "ride"]
    )
    assert types("He sits in the passenger seat.", car) == ["negation"]
    assert types("He isn't behind the wheel.", car) == ["negation"]
    assert types("He is outside the car.", car) == ["negation"]
    assert types("A man drives the car while his wife sits in the passenger seat.", car) == []
    assert types("He is not a passenger.", car) == []
    ride = facts("ride", "car", {"hip": "sit in"}, pair_verbs=["ride"])
    assert types("He rides in the back seat.", ride) == []


def test_away_from_her_face_in_a_clause_of_its_own_is_about_the_thing_named_before() -> None:
    phone = facts("carry", "cell phone", {"right hand": "hold", "head": "be close with"})
    text = "She carries her phone in her right hand, holding it down at her waist, well away from her face."
    assert types(text, phone) == ["part_state"]
    assert types("She carries her phone in her right hand, a scarf wrapped well away from her face.", phone) == []
