"""Rules the rule tier reads VLM prose with (issue 13, second pass), on hand-built facts.

Each test states one rule in its own sentences: bare prepositions as predicates, "with/without
<part> <predicate>", "one hand", shoulders with "only", near-miss objects, no_interaction
pairs, loose synonyms, intentions, noun compounds, the nearest state of an instrument.
"""

from __future__ import annotations

from typing import Any

from hoiscribe.hoi_text.checker import check_text, with_absent_parts
from hoiscribe.hoi_text.person_parts import add_person_parts


def facts(verb: str, obj: str, parts: dict[str, str], **extra: Any) -> dict[str, Any]:
    """Facts of one pair: ``parts`` maps 'left hand' -> 'hold'."""
    states = []
    for part, state in parts.items():
        side, _, group = part.rpartition(" ")
        states.append({"part": part, "group": group, "side": side or None, "state": state})
    out: dict[str, Any] = {
        "sample_id": extra.pop("sample_id", "img.jpg#0"),
        "person_box": extra.pop("person_box", [0, 0, 10, 20]),
        "people_in_image": extra.pop("people", 1),
        "interaction": {"hoi_id": 1, "verb": verb, "object": obj},
        "object": {"category": obj, "box": [5, 5, 9, 9]},
        "part_states": states,
        "idle_parts": [],
        "part_states_annotated": True,
        "hidden_parts": [],
        "visible_keypoints": [],
        "posecodes": [],
        "pair_verbs": extra.pop("pair_verbs", [verb]),
    }
    out.update(extra)
    return out


def types(text: str, f: dict[str, Any]) -> list[str | None]:
    return [c.type for c in check_text(text, f).contradicted]


def test_a_bare_preposition_says_contact_of_the_parts_kind() -> None:
    pegs = facts("ride", "motorcycle", {"left foot": "stand on", "right foot": "stand on", "hip": "sit on"})
    assert types("A rider, both feet on the pegs and hip in the seat.", pegs) == []
    assert types("His feet rest on the pegs, hands nowhere near the handlebars.", pegs) == []  # hands unknown
    held = facts("ride", "horse", {"left hand": "hold", "right hand": "hold"})
    assert types("Her hands are nowhere near the reins.", held) == ["negation"]
    assert types("Her hands are on the ground.", held) == []  # not the object: says nothing


def test_with_and_without_a_part_and_a_predicate_make_the_part_a_subject() -> None:
    one_foot = facts("stand_on", "skateboard", {"right foot": "stand on"})
    assert types("The kid cruises downhill, feet side by side on the deck.", one_foot) == ["part_state"]
    wheel = facts("drive", "bus", {"left hand": "hold", "right hand": "hold"})
    assert types("Parked at the stop, the driver sits without his hands on the steering wheel.", wheel) == ["negation"]
    assert types("The driver steers with both hands.", wheel) == []  # an instrument, as before


def test_one_hand_is_false_when_both_hands_do_it() -> None:
    both = facts("pull", "kite", {"left hand": "pull", "right hand": "pull"})
    assert types("A woman pulls the kite with one hand.", both) == ["left_right_swap"]
    one = facts("pull", "kite", {"right hand": "pull"})
    assert types("A woman pulls the kite with one hand.", one) == []


def test_a_shoulder_claim_needs_no_verb_and_only_frees_the_other_arm() -> None:
    both = facts("carry", "backpack", {"left arm": "shoulder carry", "right arm": "shoulder carry"})
    assert types("A hiker, backpack over his left shoulder only.", both) == ["part_state"]
    assert types("A hiker with a backpack over his left shoulder.", both) == []
    left = facts("hold", "baseball bat", {"left arm": "shoulder carry"}, pair_verbs=["hold", "wield"])
    assert types("Waiting his turn, the hitter props the bat on his right shoulder.", left) == ["left_right_swap"]


def test_a_near_miss_of_the_same_kind_is_a_wrong_object() -> None:
    horse = facts("ride", "horse", {"hip": "sit on"})
    assert types("A man sits astride a camel.", horse) == ["wrong_object"]
    assert types("A man rides a horse past a camel.", horse) == []  # the pair's own object is named
    assert types("A girl with a lollipop.", horse) == []  # food is not the kind of a horse
    brush = facts("brush_with", "toothbrush", {"right hand": "hold"})
    assert types("A sleepy child with a comb.", brush) == ["wrong_object"]


def test_a_contact_claimed_for_a_no_interaction_pair_is_false() -> None:
    none = facts("no_interaction", "skateboard", {}, part_states_annotated=False)
    assert types("A teenager waits with one foot on the skateboard.", none) == ["part_state"]
    assert types("A boy looks at a skateboard.", none) == []  # gaze is weak evidence


def test_a_loose_synonym_supports_but_never_contradicts() -> None:
    couch = facts("sit_on", "couch", {"hip": "sit on"})
    assert types("She lounges on the couch.", couch) == []
    lie = facts("lie_on", "couch", {"head": "be close with"})
    # "upright" is a filler inside "sitting on"; the hip HAKE leaves out cannot sit
    assert types("An old man sitting upright on the sofa.", lie) == ["part_state"]


def test_a_verb_hico_gives_no_object_of_this_kind_says_nothing() -> None:
    bottle = facts("hold", "bottle", {"left hand": "hold", "right hand": "hold"})
    assert types("He holds the bottle, turning it around.", bottle) == []  # HICO turns only motorcycles
    sheep = facts("shear", "sheep", {"right hand": "hold"})
    assert types("The shepherd milks the ewe by hand.", sheep) == ["wrong_verb"]  # HICO milks cows: an animal


def test_intentions_are_not_claims() -> None:
    frisbee = facts("hold", "frisbee", {"right hand": "hold"})
    assert types("He holds a frisbee, ready to throw it.", frisbee) == []
    assert types("He throws a frisbee.", frisbee) == ["wrong_verb"]


def test_a_verb_that_also_names_an_object_after_an_adjective_is_a_noun() -> None:
    knife = facts("cut_with", "knife", {"right hand": "hold"})
    assert types("A chef slices peppers on a cutting board using a knife.", knife) == []
    boat = facts("ride", "boat", {"left foot": "stand on"})
    assert types("A person boards a boat.", boat) == ["wrong_verb"]


def test_lifting_agrees_with_holding_but_catching_does_not() -> None:
    glass = facts("hold", "wine glass", {"left hand": "hold"})
    assert types("A guest lifts a glass of wine.", glass) == []
    frisbee = facts("hold", "frisbee", {"right hand": "hold"})
    assert types("He catches a frisbee.", frisbee) == ["wrong_verb"]


def test_each_instrument_takes_the_nearest_state_before_it() -> None:
    sheep = facts("hold", "sheep", {"left hand": "hold", "right hand": "touch"}, pair_verbs=["hold", "shear"])
    assert types("He steadies the lamb with his left hand and strokes its back with his right hand.", sheep) == []
    phone = facts("talk_on", "cell phone", {"right hand": "hold"})
    assert types("She keeps the phone by her ear with her left hand.", phone) == ["left_right_swap"]


def test_parts_no_label_of_the_person_lists_are_idle() -> None:
    a = facts("hold", "umbrella", {"left hand": "hold"}, pair_verbs=["hold", "stand_under"], sample_id="x.jpg#0")
    b = facts("stand_under", "umbrella", {"head": "put something over head"}, sample_id="x.jpg#1",
              pair_verbs=["hold", "stand_under"])  # fmt: skip
    other = facts("hold", "cup", {"right hand": "hold"}, sample_id="x.jpg#2", person_box=[50, 0, 60, 20])
    add_person_parts([a, b, other])
    assert a["person_parts"] == ["head", "left hand"] and other["person_parts"] == ["right hand"]
    assert "right hand" in with_absent_parts(a)["idle_parts"] and "head" not in with_absent_parts(a)["idle_parts"]
    assert types("She grips the umbrella with both hands.", a) == ["part_state"]
    del a["person_parts"]  # two labels and nothing known of the others: the right hand is unknown
    assert types("She grips the umbrella with both hands.", a) == []


def test_an_object_slot_ends_at_the_next_verb() -> None:
    book = facts("read", "book", {"head": "inspect", "left hand": "hold", "right hand": "hold"})
    assert types("A student seated in the study hall reading a novel.", book) == []
    assert types("A man sitting on a book.", book) == ["part_state"]  # the hip HAKE leaves out cannot sit


def test_shoulder_claims_one_plural_and_negated() -> None:
    both = facts("carry", "backpack", {"left arm": "shoulder carry", "right arm": "shoulder carry"})
    assert types("The commuter carries her rucksack on just one shoulder.", both) == ["left_right_swap"]
    assert types("She carries her backpack on both shoulders.", both) == []
    assert types("His rucksack rests by his feet, not on his shoulders.", both) == ["negation"]
    bat = facts("hold", "baseball bat", {"left arm": "shoulder carry"}, pair_verbs=["hold", "wield"])
    assert types("She grips the bat, laying it against her right shoulder.", bat) == ["left_right_swap"]


def test_standing_rules_out_a_sitting_hip_but_only_of_the_person() -> None:
    seated = facts("sit_at", "dining table", {"hip": "sit beside"}, people=4)
    # standing at it: feet and hip are not on the table, and the hip does not sit
    assert types("A man stands at the end of the table.", seated) == ["part_state", "negation"]
    assert types("A man sits at the table while a lamp stands in the corner.", seated) == []
    assert types("He sits at the table; one man stands by the window.", seated) == []
    assert types("The driver, on foot, talks to a friend.", facts("drive", "bus", {"hip": "sit in"})) == ["negation"]


def test_a_thing_named_before_in_his_hand_is_held_by_that_hand() -> None:
    brush = facts("brush_with", "toothbrush", {"right hand": "hold"}, pair_verbs=["brush_with", "hold"])
    brush["person_parts"] = ["right hand"]
    assert types("Morning routine: a kid scrubs his teeth, brush in his left hand.", brush) == ["left_right_swap"]
    assert types("Morning routine: a kid scrubs his teeth, brush in his right hand.", brush) == []
    assert types("He rests his chin in his left hand.", brush) == []  # not the object


def test_a_modifier_noun_before_an_object_does_not_hide_it() -> None:
    bottle = facts("hold", "bottle", {"right hand": "hold"}, pair_verbs=["drink_with", "hold"])
    bottle["person_parts"] = ["right hand"]
    assert types("After the run she grabs a water bottle in her left hand.", bottle) == ["left_right_swap"]


def test_straddling_does_not_make_riding_true() -> None:
    parked = facts("straddle", "motorcycle", {"hip": "sit on", "left leg": "straddle", "right leg": "straddle"})
    assert types("The man is riding his motorbike on the road.", parked) == ["wrong_verb"]
    assert types("The man sits astride his motorbike.", parked) == []


def test_an_upper_bound_below_the_annotated_people_is_false() -> None:
    crowd = facts("ride", "boat", {"left foot": "stand on"}, people=40)
    assert types("Only a handful of people stand on the deck.", crowd) == ["person_count"]
    assert types("Just three people are on the ferry.", crowd) == ["person_count"]
    assert types("About twenty passengers crowd the deck.", crowd) == []  # 40 is within "about" of 20
    assert types("Three people stand on the deck.", crowd) == []  # a bare number is a lower bound
    assert types("Exactly two people sit here.", facts("sit_at", "dining table", {}, people=2)) == []


def test_undoing_a_true_label_is_a_wrong_verb() -> None:
    fridge = facts("open", "refrigerator", {"left hand": "touch"})
    assert types("A man shuts the refrigerator.", fridge) == ["wrong_verb"]
    assert types("A man shuts the window.", fridge) == []  # not the object
    board = facts("stand_on", "snowboard", {"left foot": "stand on"})
    assert types("A snowboarder steps off his board.", board) == ["wrong_verb"]
    assert types("A snowboarder is ready to step off his board.", board) == []


def test_not_inside_a_phrase_negates_it() -> None:
    under = facts("stand_under", "umbrella", {"right hand": "hold"}, pair_verbs=["hold", "stand_under"])
    assert types("She carries the umbrella but is not under it.", under) == ["negation"]


def test_just_the_right_hand_frees_the_left() -> None:
    both = facts("row", "boat", {"left hand": "hold", "right hand": "hold"})
    assert types("The fisherman works the oars with just his right hand.", both) == ["part_state"]


def test_a_part_of_the_object_stands_for_it() -> None:
    standing = facts("ride", "boat", {"left foot": "stand on", "right foot": "stand on"})
    standing["person_parts"] = ["left foot", "right foot"]
    assert types("A sailor sits on the gunwale.", standing) == ["part_state"]


def test_any_verb_phrase_with_the_object_is_false_for_a_no_interaction_pair() -> None:
    train = facts("no_interaction", "train", {}, part_states_annotated=False, people=3)
    assert types("A commuter is getting on the train.", train) == ["wrong_verb"]
    assert types("The woman is watching the train.", train) == []  # gaze stays unverifiable
    assert types("A commuter is not getting on the train.", train) == []


def test_with_a_hand_and_a_place_is_still_an_instrument() -> None:
    carrot = facts("cut", "carrot", {"right hand": "cut with something"})
    assert types("A cook is slicing a carrot with her left hand at the counter.", carrot) == ["left_right_swap"]


def test_standing_on_the_ground_beside_the_object_keeps_the_feet_off_it() -> None:
    truck = facts("load", "truck", {"left foot": "stand on", "right foot": "stand on"})
    assert types("The mover stands on the pavement next to the truck.", truck) == [
        "part_state",
        "part_state",
    ]  # each foot


def test_one_limb_on_each_side_means_both() -> None:
    bike = facts("straddle", "motorcycle", {"left leg": "straddle", "right leg": "straddle"})
    assert types("Astride the machine, she keeps one leg on each side.", bike) == []


def test_a_gaze_needs_a_target_and_an_unlisted_head_looks_at_nothing() -> None:
    bike = facts("ride", "motorcycle", {"left hand": "hold", "right hand": "hold"})
    bike["person_parts"] = ["left hand", "right hand"]
    assert types("His head is facing forward.", bike) == []  # no target: says nothing of the bike
    assert types("His head is turned to look at the motorcycle.", bike) == ["part_state"]
    del bike["person_parts"]  # without the person's other labels a gaze left out stays open
    assert types("His head is turned to look at the motorcycle.", bike) == []


def test_a_part_names_the_objects_that_have_it() -> None:
    couch = facts("sit_on", "couch", {"hip": "sit on"})
    couch["person_parts"] = ["hip"]
    assert types("She sits on the couch, looking at the screen.", couch) == []  # a screen is no couch's
    horse = facts("ride", "horse", {"left hand": "hold"})
    assert types("A rider grips the handlebars.", horse) == ["wrong_object"]
    sheep = facts("shear", "sheep", {"right hand": "hold"})
    assert types("With clippers he trims the fleece of a llama.", sheep) == ["wrong_object"]


def test_extractor_atoms_with_a_bare_preposition_an_undoing_verb_or_a_near_miss() -> None:
    from hoiscribe.hoi_text.checker import judge_claims
    from hoiscribe.hoi_text.extractor import AtomClaim, to_claims

    def judged(text: str, atoms: list[dict[str, Any]], f: dict[str, Any]) -> list[str | None]:
        claims = to_claims([AtomClaim(**a) for a in atoms], text)
        return [c.type for c in judge_claims(claims, text, f).contradicted]

    pegs = facts("ride", "horse", {"left hand": "hold", "right hand": "hold"})
    text = "Her hands are nowhere near the reins."
    atom = {"body_part": "hand", "side": "both", "predicate": "be on", "object": "the reins", "negated": True,
            "span": "hands are nowhere near the reins"}  # fmt: skip
    assert judged(text, [atom], pegs) == ["negation"]
    fridge = facts("open", "refrigerator", {"left hand": "touch"})
    text = "He closes the fridge."
    assert judged(text, [{"predicate": "close", "object": "the fridge", "span": "closes the fridge"}], fridge) == [
        "wrong_verb"
    ]
    horse = facts("ride", "horse", {"hip": "sit on"})
    text = "A man rides a camel."
    assert judged(text, [{"predicate": "ride", "object": "a camel", "span": "rides a camel"}], horse) == [
        "wrong_object"
    ]


def test_away_from_the_object_frees_the_part() -> None:
    bottle = facts("hold", "bottle", {"left hand": "hold", "right hand": "hold"})
    assert types("Her right hand rests on the tray, away from the bottle.", bottle) == ["part_state"]
    assert types("Her right hand holds the bottle, away from the window.", bottle) == []


def test_candles_are_part_of_the_cake() -> None:
    cake = facts("blow", "cake", {"head": "blow"})
    assert types("At the party the boy never blows out the candles on his cake.", cake) == ["negation"]


def test_denying_something_over_the_head() -> None:
    under = facts("stand_under", "umbrella", {"head": "put something over head", "left hand": "hold"})
    assert types("She holds the umbrella, but it is not over her head.", under) == ["negation"]
    dry = facts("hold", "umbrella", {"left hand": "hold"})
    assert types("She holds the umbrella, but it is not over her head.", dry) == []


def test_person_parts_need_every_label_of_the_pair() -> None:
    a = facts("hold", "umbrella", {"left hand": "hold"}, pair_verbs=["hold", "stand_under"], sample_id="y.jpg#0")
    add_person_parts([a])  # the stand_under label is not among the records
    assert "person_parts" not in a
    b = facts("hold", "cup", {"left hand": "hold"}, sample_id="custom-id")
    add_person_parts([b])  # no image in the id: nothing to group by
    assert "person_parts" not in b


def test_clauses_about_other_people_in_a_paragraph_are_not_claims() -> None:
    cup = facts("hold", "cup", {"right hand": "hold"}, people=3)
    cup["person_parts"] = ["right hand"]
    quiet = [
        "In this image, a woman holds a cup. Another woman, on the left, raises her left hand and waves.",
        "A woman holds a cup in her right hand. Her friend holds a cup in her left hand.",
        "She holds a cup in her right hand while her friend's left hand rests on the cup.",
        "A woman holds a cup in her right hand. Across the room, a man washes a cup.",
        "A woman holds a cup in her right hand. People around her are washing cups.",
    ]
    for text in quiet:
        assert types(text, cup) == [], text
    assert types("A woman sits down. The woman holds a cup in her left hand.", cup) == ["left_right_swap"]
    assert types("A woman holds a cup. She is washing the cup.", cup) == ["wrong_verb"]


def test_a_group_that_includes_the_person_still_speaks_for_them() -> None:
    tv = facts("watch", "tv", {"head": "inspect"}, people=4)
    assert types("Three roommates share the couch, yet none of them is watching the TV.", tv) == ["negation"]


def test_a_fronted_instrument_takes_the_verb_after_it() -> None:
    cow = facts("feed", "cow", {"right hand": "feed"}, pair_verbs=["feed", "pet"])
    cow["person_parts"] = ["right hand"]
    assert types("She offers hay with her right hand, and with her left hand she pats the calf.", cow) == [
        "left_right_swap"
    ]
