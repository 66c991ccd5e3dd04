"""Rules of the rule tier's tenth pass (issue 13, round 10, second tuner): false alarms on long model-style
answers (places in a row, clothing on the shoulders, object names that modify a place, people placed by the
person or depicted in the scene, futures, other people's participles) and the misses they hid (posture
adverbs, the only one of an activity).

Each test states one rule in sentences of its own, on hand-built facts, with a twin that keeps the old verdict.
"""

from __future__ import annotations

from tests.hoi_text.test_prose_rules import facts, types

_BOTH_HOLD = {"left hand": "hold", "right hand": "hold"}
_SEATED = {"hip": "sit on"}


def test_a_rank_from_one_side_is_no_other_place_of_that_row() -> None:
    bike = facts("straddle", "motorcycle", _SEATED, people=4, person_parts=["hip", "left hand", "right hand"])
    text = "Four bikers sit on their motorcycles. The one second from the right sits astride a cruiser."
    assert types(f"{text} The rider at the far right is gripping his handlebars.", bike) == []
    assert types(f"{text} He is gripping his handlebars.", bike) != []  # no hand holds it


def test_a_with_phrase_on_the_shoulders_names_what_is_on_them() -> None:
    race = facts("race", "motorcycle", _BOTH_HOLD, person_parts=["left hand", "right hand", "hip"])
    assert types("He wears a full-face helmet and a one-piece suit with patches on the shoulders.", race) == []
    assert types("He wears a helmet and a suit with the bike on his shoulders.", race) == ["part_state", "part_state"]


def test_an_object_name_before_a_place_noun_names_the_place() -> None:
    ball = facts("hold", "sports ball", {"left hand": "hold"}, person_parts=["left hand", "left foot", "right foot"])
    assert types("A teenager stands on a basketball court.", ball) == []
    assert types("A teenager stands on the basketball.", ball) != []


def test_a_new_person_placed_by_the_person_is_someone_else() -> None:
    bench = facts("sit_on", "bench", _SEATED, person_parts=["hip"])
    start = "A child sits on a bench."
    for other in ("A child stands nearby.", "A child stands next to her.", "To her left, a child stands on the grass.",
                  "Behind her, a child stands by a tree."):  # fmt: skip
        assert types(f"{start} {other}", bench) == [], other
    assert types(f"{start} The child stands up.", bench) == ["negation"]


def test_a_posture_adverb_inside_the_verb_phrase_keeps_the_verb() -> None:
    boat = facts("sail", "boat", {"left foot": "stand on", "right foot": "stand on"},
                 person_parts=["left foot", "right foot", "hip"])  # fmt: skip
    assert types("A sailor is sitting cross-legged on the deck.", boat) != []  # he stands on it
    assert types("A sailor is standing barefoot on the deck.", boat) == []


def test_the_only_one_of_an_activity_is_alone_but_not_a_denied_or_restricted_one() -> None:
    bike = facts("straddle", "bicycle", {"right hand": "hold"}, people=2)
    assert types("A man straddles his bike. He is the only cyclist on the road.", bike) == ["person_count"]
    assert types("A man straddles his bike. He is not the only person here.", bike) == []
    assert types("A man straddles his bike. He is the only person wearing a helmet.", bike) == []


def test_a_person_depicted_in_a_thing_of_the_scene_is_not_the_person() -> None:
    phone = facts("hold", "cell phone", {"right hand": "hold"}, person_parts=["right hand"])
    assert types("The TV in the corner shows a man holding a cup.", phone) == []
    assert types("A poster on the wall depicts a woman holding a cup.", phone) == []
    assert types("The image shows a man holding a cup.", phone) == ["wrong_object"]


def test_a_modal_future_is_no_claim_but_a_hedged_present_is() -> None:
    chair = facts("sit_on", "chair", _SEATED, person_parts=["hip"])
    assert types("He sits on the chair. He looks as if he might stand up soon.", chair) == []
    assert types("He sits on the chair and will stand up later.", chair) == []
    assert types("He might be standing up.", chair) == ["negation"]


def test_a_participle_after_a_person_the_subject_watches_is_that_persons() -> None:
    phone = facts("hold", "cell phone", {"right hand": "hold"}, person_parts=["right hand"])
    for text in ("He looks at a child holding a cup.", "He watches a woman holding a cup.",
                 "He walks past a man holding a cup."):  # fmt: skip
        assert types(text, phone) == [], text
    assert types("He looks at a child, holding a cup.", phone) == ["wrong_object"]  # a clause of his own


def test_a_bare_plural_of_clothing_is_no_object() -> None:
    pack = facts("wear", "backpack", {"left arm": "shoulder carry", "right arm": "shoulder carry"})
    assert types("A hiker wears a backpack. He is not wearing gloves.", pack) == []
    assert types("A hiker in goggles and sunglasses wears a backpack.", pack) == []
    assert types("A hiker is not wearing a backpack.", pack) == ["negation"]


def test_a_cap_or_collar_the_person_owns_is_clothing_not_a_part_of_the_object() -> None:
    under = facts("stand_under", "umbrella", {})
    assert types("He stands under the umbrella and adjusts his cap with his free hand.", under) == []
    assert types("He stands under the umbrella and adjusts the cap with his free hand.", under) == ["wrong_verb"]


def test_someones_part_is_another_persons() -> None:
    race = facts("race", "motorcycle", _BOTH_HOLD)
    assert types("He races the motorcycle. Someone's hand reaches into the frame from the left.", race) == []
    assert types("He races the motorcycle. His hand reaches into the frame from the left.", race) != []


def test_a_relative_clause_after_another_instance_is_about_that_one() -> None:
    race = facts("race", "motorcycle", _BOTH_HOLD)
    assert types("He races the motorcycle. There is another motorcycle nearby that no one is using.", race) == []
    assert types("He races the motorcycle. No one is using the motorcycle.", race) != []
