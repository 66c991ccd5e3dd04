"""Rules of the rule tier's twelfth pass (issue 13, round 11, fourth tuner): recall on unseen prose.

Ways writers state a part's state that the checker did not read: a restrictive adverb in an instrument
('with just one hand'), the seat of the body ('his bottom on the saddle'), sided footwear ('right boot on
the footpeg'), seat paraphrases ('settled on the saddle'), 'pack' for a backpack, hands raised toward a
target, a phone at a sided ear, the non-native instrument 'by one hand', a part resting on something
beside the object, an object on the lap after 'with', and a person 'on the saddle'.

Each test states one rule in sentences of its own, on hand-built facts, with a twin that keeps the old verdict.
"""

from __future__ import annotations

from tests.hoi_text.test_prose_rules import facts, types

_BOTH_HANDS = {"left hand": "hold", "right hand": "hold"}
_HANDS = ["left hand", "right hand"]


def _umbrella() -> dict:
    return facts("hold", "umbrella", _BOTH_HANDS, person_parts=_HANDS)


def _straddled_bike() -> dict:
    """Feet on the pedals, hands on the grips, the hip listed by no pair: not on the saddle."""
    parts = {"left foot": "tread on", "right foot": "tread on", **_BOTH_HANDS}
    return facts("straddle", "bicycle", parts, person_parts=[*parts], pair_verbs=["ride", "straddle"])


def _ridden_bike() -> dict:
    return facts("ride", "bicycle", {"hip": "sit on", **_BOTH_HANDS}, person_parts=["hip", *_HANDS])


def test_a_restrictive_adverb_keeps_the_instrument() -> None:
    assert types("A child holds the umbrella with just one hand.", _umbrella()) == ["left_right_swap"]
    assert types("A child holds the umbrella in only her left hand.", _umbrella()) == ["part_state"]
    assert types("A child holds the umbrella with both hands.", _umbrella()) == []


def test_the_seat_of_the_body_is_the_hip() -> None:
    assert types("A boy straddles his bicycle, his bottom on the saddle.", _straddled_bike()) == ["part_state"]
    assert types("A boy straddles his bicycle, his bottom lifted off the saddle.", _straddled_bike()) == []
    assert types("A boy rides his bicycle, his bottom on the saddle.", _ridden_bike()) == []


def test_sided_footwear_opening_a_clause_is_the_foot() -> None:
    parts = {"left foot": "stand on", "hip": "sit on", **_BOTH_HANDS}
    race = facts("race", "motorcycle", parts, person_parts=["hip", "left foot", *_HANDS])
    assert types("Racer leaning in, right boot on the footpeg.", race) == ["left_right_swap"]
    assert types("Racer leaning in, left boot on the footpeg.", race) == []


def test_seat_paraphrases_and_misspellings_are_sitting() -> None:
    assert types("A boy straddles his bicycle, settled firmly on the saddle.", _straddled_bike()) == ["part_state"]
    assert types("The boy is siting on the bike.", _straddled_bike()) == ["part_state"]
    assert types("A boy rides his bicycle, settled firmly on the saddle.", _ridden_bike()) == []
    assert types("There is an empty seat on the bike.", _straddled_bike()) == []


def test_a_pack_is_a_backpack_but_an_ice_pack_is_not() -> None:
    arms = {"left arm": "shoulder carry", "right arm": "shoulder carry"}
    pack = facts("carry", "backpack", arms, person_parts=[*arms])
    assert types("A hiker carries a pack slung over just his left shoulder.", pack) == ["part_state"]
    assert types("A hiker carries a pack over both shoulders.", pack) == []
    assert types("He holds an ice pack to his knee.", pack) == []


def test_hands_raised_toward_a_target_gesture_to_it() -> None:
    tv = facts("control", "tv", {"head": "inspect", "left hand": "gesture to"}, person_parts=["head", "left hand"],
               pair_verbs=["control", "watch"])  # fmt: skip
    assert types("A man raises both hands toward the screen.", tv) == ["part_state"]
    assert types("A man raises his left hand toward the screen.", tv) == []


def test_a_phone_at_a_sided_ear_is_in_that_hand() -> None:
    phone = facts("carry", "cell phone", {"right hand": "hold", "head": "be close with"},
                  person_parts=["head", "right hand"])  # fmt: skip
    assert types("A woman on the phone, pressed to her left ear.", phone) == ["left_right_swap"]
    assert types("A woman on the phone, pressed to her right ear.", phone) == []
    assert types("A woman holds the phone to her left ear with her right hand.", phone) == []


def test_non_native_by_one_hand_is_an_instrument() -> None:
    assert types("The child holds the umbrella by one hand.", _umbrella()) == ["left_right_swap"]
    assert types("The child holds the umbrella by both hands.", _umbrella()) == []
    assert types("The mother leads the child by the hand.", _umbrella()) == []


def test_a_part_resting_on_something_beside_the_object_is_not_on_it() -> None:
    bottle = facts("hold", "bottle", _BOTH_HANDS, person_parts=_HANDS)
    assert types("A man sits at the table; both hands rest flat on the table beside the bottle.", bottle) != []
    assert types("A man sits at the table; both hands hold the bottle beside the plate.", bottle) == []
    eat = facts("eat_at", "dining table", {"hip": "sit beside", "left hand": "touch", "right hand": "touch"},
                person_parts=["hip", *_HANDS])  # fmt: skip
    assert types("- Hip: seated beside the table\n- Hands: both hands touching the tabletop", eat) == []


def test_an_object_on_the_lap_after_with_touches_the_legs() -> None:
    book = facts("hold", "book", _BOTH_HANDS, person_parts=["head", *_HANDS], pair_verbs=["hold", "read"])
    assert "part_state" in types("The man is sitting with the book resting on his knees.", book)
    assert types("The man is sitting with the book in both hands.", book) == []


def test_a_person_on_the_saddle_sits_on_it() -> None:
    assert types("The boy is on the saddle of the bike.", _straddled_bike()) == ["part_state"]
    assert types("The boy is on the saddle of the bike.", _ridden_bike()) == []
    assert types("His helmet is on the saddle.", _straddled_bike()) == []


def test_a_near_miss_on_the_back_is_carried() -> None:
    arms = {"left arm": "shoulder carry", "right arm": "shoulder carry"}
    pack = facts("wear", "backpack", arms, person_parts=[*arms])
    text = "A young woman stands on a city sidewalk with a guitar case on her back."
    assert types(text, pack) == ["wrong_object"]
    twin = "A young woman stands on the sidewalk with a backpack on her back and a guitar case in her hand."
    assert types(twin, pack) == []


def test_grip_paraphrases_are_holding() -> None:
    bottle = facts("hold", "bottle", {"right hand": "hold"}, person_parts=["right hand"])
    for verb in ("is cupped around", "is locked around", "hooks around", "seizes", "encircles", "tips"):
        assert types(f"He holds the bottle in his right hand. His left hand {verb} the bottle.", bottle) != [], verb
    assert types("He holds the bottle in his right hand and has a coffee cup in his other hand.", bottle) == []


def test_its_part_and_the_bare_side_refer_back() -> None:
    bottle = facts("hold", "bottle", {"right hand": "hold"}, person_parts=["right hand"])
    assert types("He holds the bottle in his right hand, the other hand supporting its base.", bottle) != []
    assert types("He holds the bottle in his right hand while the left steadies it.", bottle) == ["left_right_swap"]
    assert types("He holds the bottle in his right hand; on the left stands a glass.", bottle) == []
    assert types("He holds the bottle in his right hand, the other hand on its window frame.", bottle) == []


def test_a_coordinated_instrument_shares_the_state() -> None:
    bottle = facts("hold", "bottle", {"right hand": "hold"}, person_parts=["right hand"])
    assert types("He holds the bottle in his right hand and in his left.", bottle) == ["left_right_swap"]
    assert types("He holds the bottle in his right hand and a phone in his left.", bottle) == []


def test_a_part_with_only_too_shares_the_state_before() -> None:
    bottle = facts("hold", "bottle", {"right hand": "hold"}, person_parts=["right hand"])
    assert types("Right hand holds the bottle, left hand too.", bottle) == ["left_right_swap"]
    assert types("Right hand holds the umbrella, left hand too.", _umbrella()) == []
    assert types("Right hand holds the bottle, left hand is free too.", bottle) == []


def test_foot_placement_paraphrases_are_standing_on_it() -> None:
    board = facts("ride", "skateboard", {"left foot": "stand on"}, person_parts=["left foot"])
    for verb in ("is perched on", "is braced on", "is anchored on", "is glued to", "stomps on", "sits on"):
        text = f"He rides the skateboard, left foot on the deck. His right foot {verb} the skateboard."
        assert types(text, board) != [], verb
    assert types("He rides the skateboard, left foot on the deck. His right foot sits on the ground.", board) == []
    assert types("He rides the skateboard, his left foot perched on the deck.", board) == []
