"""Rules of the rule tier's fifth pass (issue 13): the layout of markdown and numbered answers, and
rules that generalise across styles.

Each test states one rule in sentences of its own, on hand-built facts: a heading names the subject
of the lines under it ("**Feet**: on the pedals"), a heading about other people or the scene keeps
its lines off the person, a label is no person noun; and the front-end rules of this round.
"""

from __future__ import annotations

from hoiscribe.hoi_text.checker import judge_claims
from hoiscribe.hoi_text.claim_types import VerbClaim
from hoiscribe.hoi_text.claims import extract
from hoiscribe.hoi_text.layout import segments
from tests.hoi_text.test_prose_rules import facts, types

_HORSE = {"hip": "sit on", "left hand": "hold", "right hand": "hold", "left leg": "straddle", "right leg": "straddle",
          "left foot": "stand on", "right foot": "stand on"}  # fmt: skip


def _horse() -> dict:
    return facts("ride", "horse", _HORSE, person_parts=sorted(_HORSE), people=2)


def _book() -> dict:
    parts = {"head": "inspect", "left hand": "hold", "right hand": "hold"}
    return facts("read", "book", parts, person_parts=sorted(parts), pair_verbs=["hold", "read"])


def test_segments_strip_markup_and_keep_substrings_of_the_text() -> None:
    text = "**Rider**\n- Sits in the saddle\n\n1. **Hands**: the reins in both hands.\n**Setting:** a lane"
    segs = segments(text)
    assert [s.text for s in segs] == ["Sits in the saddle", "the reins in both hands.", "a lane"]
    assert all(s.text in text for s in segs)
    assert [s.part for s in segs] == ["", "hands", ""]
    assert [s.apart for s in segs] == [False, False, True]


def test_a_part_heading_is_the_subject_of_a_line_that_names_no_part() -> None:
    horse, book = _horse(), _book()
    assert set(types("1. **Who**: a rider.\n2. **Feet**: out of the stirrups, dangling.", horse)) == {"part_state"}
    assert types("**Hands**\n- only the left on the reins", horse) == ["part_state"]
    assert types("**Gaze**: fixed on the window, not on the page.", book) == ["negation"]
    # a line with a part of its own keeps it; a true line under a part heading stays true
    assert types("**Hands**: both hands on the reins.\n**Legs**: one on each side.", horse) == []
    assert types("**Feet**: in the stirrups.", horse) == []


def test_a_heading_about_other_people_or_the_scene_is_not_the_person() -> None:
    horse = _horse()
    assert types("**Rider**\n- Sits on the horse\n\n**Spectators**\n- Standing by the fence, hands in pockets",
                 horse) == []  # fmt: skip
    assert types("**Background**: a groom holding the reins in one hand", horse) == []
    # a count under any heading is still read
    text = "**Rider**: a woman on a horse\n**Others**: she rides alone, nobody else around"
    assert types(text, _horse()) == ["person_count"]


def test_a_label_is_no_person_noun_of_the_text() -> None:
    horse = _horse()
    # "Person:" / "Rider:" labels are stripped and do not make "a man" someone else
    text = "- Person: a man, close-up, on a horse\n- Hands: only the left hand holds the reins"
    assert [s.text for s in segments(text)] == ["a man, close-up, on a horse", "only the left hand holds the reins"]
    assert types(text, horse) == ["part_state"]
    assert [type(c).__name__ for c in extract("Rider: a man.\nHe holds the reins with his left hand only.")]


def test_a_bare_verb_word_before_a_participle_is_the_captions_subject() -> None:
    cut = facts("cut", "pizza", {"right hand": "cut with"})
    assert types("Cook cutting a pizza.", cut) == []
    assert types("Cook slicing a pizza on a board, pizza box nearby.", cut) == []
    # a verb that opens a clause with its object is still read
    assert types("Cooks a pizza.", cut) == ["wrong_verb"]


def test_standing_at_a_thing_leaves_the_feet_free_to_stand_by_it() -> None:
    table = facts("eat_at", "dining table", {"left foot": "stand on", "right foot": "stand on",
                                             "left hand": "touch", "right hand": "touch"})  # fmt: skip
    assert types("Boy standing at a dinner table, hands on it.", table) == []
    bike = facts("ride", "bicycle", {"left foot": "tread on", "right foot": "tread on", "hip": "sit on"})
    assert "part_state" in types("A man standing beside the bicycle.", bike)
    assert "part_state" in types("A man standing at the bicycle.", bike)  # the hip still sits on it


def test_standing_at_the_side_or_edge_of_a_thing_is_standing_beside_it() -> None:
    bed = facts("lie_on", "bed", {"hip": "be close with", "left arm": "be close with"})
    assert types("She is standing at the side of the bed, reaching for the rabbit.", bed) == ["part_state"]
    assert types("She stands at the edge of the bed.", bed) == ["part_state"]
    assert types("She lies at the edge of the bed.", bed) == []


def test_a_hand_that_pulls_or_cuts_with_the_object_holds_it() -> None:
    kite = facts("pull", "kite", {"left hand": "pull with something", "right hand": "pull with something"},
                 person_parts=["left hand", "right hand"])  # fmt: skip
    assert types("He is holding the kite lines.", kite) == []
    assert types("He holds the kite string in both hands.", kite) == []
    assert types("He is not holding the kite lines at all.", kite) == ["negation"]
    assert types("He is throwing the kite.", kite) == ["wrong_verb"]  # throwing is no holding


def test_letting_go_undoes_the_holding_the_hands_do() -> None:
    knife = facts("wield", "knife", {"left hand": "hold", "right hand": "hold"},
                  person_parts=["left hand", "right hand"], pair_verbs=["cut_with", "wield"])  # fmt: skip
    assert types("The cook has let go of the knife.", knife) == ["wrong_verb"]
    assert types("The cook puts the knife down.", knife) == []  # putting down: it is still in hand
    kite = facts("fly", "kite", {"head": "inspect"}, person_parts=["head"])
    assert types("She has let go of the kite.", kite) == []  # no hand holds it


def test_one_shoulder_and_only_before_the_preposition_are_read() -> None:
    bag = facts("carry", "backpack", {"left arm": "shoulder carry", "right arm": "shoulder carry"},
                person_parts=["left arm", "right arm"])  # fmt: skip
    assert types("Student with a backpack slung over one shoulder.", bag) == ["left_right_swap"]
    assert types("He carry his bag only on left shoulder.", bag) == ["part_state"]
    assert types("She carries the backpack on both shoulders.", bag) == []
    umbrella = facts("hold", "umbrella", {"right hand": "hold"}, person_parts=["right hand"])
    # the thing on the shoulder is another object: it says nothing of the umbrella
    assert types("A woman holds an umbrella, a handbag over one shoulder.", umbrella) == []


def test_rather_than_the_object_denies_the_verb_of_it() -> None:
    book = _book()
    assert types("The man appears to be holding a tablet rather than a book.", book) == ["negation"]
    assert types("He holds a phone instead of the book.", book) == ["negation"]
    assert types("He holds the book rather than a phone.", book) == []
    assert types("He holds the book rather than reading it aloud.", book) == []


def test_generated_idle_places_and_undone_bindings_deny_a_state() -> None:
    from hoiscribe.hoi_text.lexicon_build import rest_phrases, undoings

    assert "be tucked to body" in rest_phrases("arm") and "be stuffed in pocket" in rest_phrases("hand")
    assert {"be unstrapped", "come unclipped", "unclip from"} <= set(undoings(("be strapped into", "clip into")))
    bat = facts("swing", "baseball bat", {"left arm": "swing", "right arm": "swing", "left hand": "hold"})
    assert types("Swinging it, his left arm tucked to his body.", bat) == ["part_state"]
    board = facts("wear", "snowboard", {"left foot": "stand on", "right foot": "stand on"},
                  person_parts=["left foot", "right foot"])  # fmt: skip
    assert types("His left foot is unclipped from the board.", board) == ["negation"]
    assert types("Snowboarder with one foot unstrapped, pushing along.", board) != []
    assert types("Both boots strapped in, he waits at the top.", board) == []


def test_closed_eyes_deny_looking_and_a_denied_gaze_needs_a_looking_head() -> None:
    book = _book()
    assert types("Man opening a book, eyes closed, dozing.", book) != []
    assert types("She has fallen asleep over the book.", book) == ["negation"]
    brush = facts(
        "brush_with", "toothbrush", {"head": "eat", "right hand": "hold"}, person_parts=["head", "right hand"]
    )
    # the head brushes (eat): eyes closed or looking at the camera deny no looking at the brush
    assert types("He brushes his teeth, eyes closed.", brush) == []
    assert types("His eyes look toward the camera.", brush) == []


def test_a_text_about_the_driver_says_nothing_against_a_passengers_pair() -> None:
    passenger = facts("ride", "car", {"hip": "sit in"}, person_parts=["hip"], people=2)
    text = "Two people sit in a car. The driver has both hands on the steering wheel."
    assert types(text, passenger) == []
    assert types("A passenger has both hands on the steering wheel.", passenger) == ["part_state"] * 2
    driver = facts("drive", "car", {"hip": "sit in", "left hand": "hold"}, person_parts=["hip", "left hand"])
    assert types("The driver has both hands on the steering wheel.", driver) == ["part_state"]


def test_a_side_label_under_a_part_heading_names_that_side() -> None:
    horse = _horse()
    text = "- **Hands**\n  - Left: on the reins\n  - Right: hanging at his side"
    assert [s.part for s in segments(text)] == ["left hand", "right hand"]
    assert types(text, horse) == ["part_state"]
    assert types("- **Hands**\n  - Left: on the reins\n  - Right: on the reins too", horse) == []


def test_a_verb_after_a_choice_still_open_is_an_intention() -> None:
    cake = facts("hold", "cake", {"left hand": "hold", "right hand": "hold"}, person_parts=["left hand", "right hand"])
    assert types("She holds the cake, deciding whether to eat it.", cake) == []
    assert types("She holds the cake, unsure how to cut it.", cake) == []
    assert types("She holds the cake, waiting for the guests to eat it.", cake) == []
    assert types("She holds the cake and eats it.", cake) == ["wrong_verb"]


def test_the_object_under_the_arm_puts_the_arm_on_it() -> None:
    skate = facts("ride", "skateboard", {"left foot": "stand on", "right foot": "stand on"},
                  person_parts=["left foot", "right foot"])  # fmt: skip
    assert types("A skater waits at the edge of the park, with his skateboard under his arm.", skate) == ["part_state"]
    assert types("With the board tucked under one arm, he walks on.", skate) == ["part_state"]
    assert types("He rides the skateboard, a jacket under his arm.", skate) == []  # another thing
    assert types("A man rides. His friend, with a skateboard under his arm, watches him.", skate) == []
    carried = facts("carry", "skateboard", {"right arm": "be close to", "right hand": "hold"},
                    person_parts=["right arm", "right hand"])  # fmt: skip
    assert types("He carries the board under his right arm.", carried) == []


def test_a_glove_on_a_hand_is_worn_by_that_hand() -> None:
    glove = facts("wear", "baseball glove", {"left hand": "wear"}, person_parts=["left hand"],
                  pair_verbs=["hold", "wear"])  # fmt: skip
    assert types("Fielder wearing a mitt on his right hand.", glove) == ["left_right_swap"]
    assert types("Player wear the glove on both of hand.", glove) == ["part_state"]
    assert types("A baseball player jogs in, his glove on his left hand.", glove) == []
    assert types("He holds a glove, a ring on his right hand.", glove) == []  # not worn: a ring is no glove


def test_holding_needs_a_hand_when_no_label_of_the_person_lists_one() -> None:
    bag = facts("wear", "backpack", {"left arm": "shoulder carry", "right arm": "shoulder carry"},
                person_parts=["left arm", "right arm"], pair_verbs=["carry", "wear"])  # fmt: skip
    assert types("She holds the backpack by its top handle.", bag) == ["part_state"]
    held = dict(bag, person_verbs=["carry", "hold", "wear"])  # another label of hers holds it
    assert types("She holds the backpack by its top handle.", held) == []
    # an extractor's "hold out" (arms) names no object: no holding of the backpack is said
    arms_out = VerbClaim("with his arms out", "hold", None, frozenset({"hold"}))
    assert judge_claims([arms_out], "with his arms out", bag).contradicted == []


def test_a_general_noun_does_not_name_the_pairs_object_beside_a_wrong_one() -> None:
    horse = _horse()
    text = "A young woman rides a brown mule, her legs on either side of the animal."
    assert types(text, horse) == ["wrong_object"]
    assert types("A young woman rides a brown mule beside her horse.", horse) == []  # the horse is named too


def test_legs_on_one_side_are_not_astride() -> None:
    horse = _horse()
    assert types("Woman riding the horse, both legs on one side.", horse) == ["negation"]
    assert types("Both legs on the same side of the saddle.", horse) == ["negation"]
    assert types("She rides with one leg on each side.", horse) == []
    assert types("Her legs on either side of the horse.", horse) == []


def test_a_sided_hand_before_to_is_a_part_and_reaching_out_is_reaching() -> None:
    pet = facts("pet", "elephant", {"right hand": "touch"}, person_parts=["right hand"], pair_verbs=["hold", "pet"])
    text = "A tourist stands beside a huge elephant, reaching out with her left hand to pat its trunk."
    assert types(text, pet) == ["left_right_swap"]  # the right hand touches it (a reach agrees with a touch)
    reach = facts("feed", "elephant", {"right hand": "reach for"}, person_parts=["right hand"])
    assert types("She reaches out to the elephant with her right hand.", reach) == []
    assert types("He is covered from head to toe in mud.", pet) == []


def test_seated_with_no_seat_named_sits_on_a_thing_one_rides_or_sits_on() -> None:
    bus = facts("ride", "bus", {"left foot": "stand on", "right foot": "stand on"},
                person_parts=["left foot", "right foot"])  # fmt: skip
    assert types("Passenger seated near the back of the bus.", bus) == ["part_state"]
    assert types("He sits quietly, holding a rail.", bus) == ["part_state"]
    book = facts("read", "book", {"head": "inspect", "left hand": "hold"}, person_parts=["head", "left hand"])
    assert types("She sits quietly, reading.", book) == []  # one does not sit on a book
    driver = facts("drive", "bus", {"hip": "sit in", "left hand": "hold"}, person_parts=["hip", "left hand"])
    assert types("The driver is seated.", driver) == []


def test_holding_nothing_having_no_object_and_away_from_the_face() -> None:
    umb = facts("hold", "umbrella", {"right hand": "hold"}, person_parts=["right hand"])
    assert types("Her left hand holds nothing.", umb) == []
    assert types("Her right hand holds nothing.", umb) == ["negation"]
    assert types("She has no umbrella with her.", umb) == ["negation"]
    assert types("Without an umbrella, she walks in the rain.", umb) == ["negation"]
    phone = facts("talk_on", "cell phone", {"right hand": "hold", "head": "talk with something"},
                  person_parts=["right hand", "head"])  # fmt: skip
    assert types("He holds the phone away from his ear.", phone) == ["part_state"]
    assert types("The phone is pressed to his ear.", phone) == []
    book = _book()
    assert types("Her gaze drifts away from the book.", book) == ["part_state"]
    assert types("Her gaze drifts away from the window.", book) == []


def test_one_and_the_other_of_a_group_the_text_opens_on_may_be_anyone() -> None:
    frisbee = facts("catch", "frisbee", {"right hand": "catch with something", "head": "inspect"},
                    person_parts=["right hand", "head"], people=2)  # fmt: skip
    text = "Two young men play frisbee. One has just thrown the disc, and the other leaps to catch it."
    assert types(text, frisbee) == []
    assert types("A young man plays frisbee. He has just thrown the disc.", frisbee) == ["wrong_verb"]


def test_who_after_another_person_starts_a_clause_about_them() -> None:
    horse = _horse()
    text = "A girl on horseback rides past a farmer who is standing by the fence with his arms folded."
    assert types(text, horse) == []
    assert types("A girl who is standing by the fence holds the reins.", horse) != []  # the girl herself
    assert types("A woman rides a horse past a statue of a rider whose hands hang at his sides.", horse) == []


def test_a_table_rows_first_cell_labels_the_rest() -> None:
    horse = _horse()
    table = "| Part | State |\n|---|---|\n| Left hand | on the reins |\n| Right hand | hangs at his side |"
    assert [s.part for s in segments(table)][1:] == ["left hand", "right hand"]
    assert types(table, horse) == ["part_state"]


def test_one_of_his_hands_is_some_hand_not_both() -> None:
    cup = facts("hold", "cup", {"right hand": "hold"}, person_parts=["right hand", "head"])
    assert types("One of his hands holds the cup.", cup) == []
    assert types("Neither of his hands is on the cup.", cup) == ["negation"]
    assert types("Both of his hands hold the cup.", cup) == ["part_state"]


def test_a_person_placed_on_one_side_of_two_may_be_another_pairs_object() -> None:
    hug = facts("hold", "person", {"right hand": "hold"}, person_parts=["left hand", "right hand"], people=3)
    text = "She holds her friend on the left with her right hand; her other hand is around the friend on the right."
    assert types(text, hug) == []
    assert types("She holds her friend with her left hand.", hug) == ["left_right_swap"]


def test_a_part_moved_out_of_or_off_the_object_by_the_person_is_idle() -> None:
    from hoiscribe.hoi_text.lexicon_build import verbless_idle

    assert verbless_idle(("be out of", "be off", "be folded")) == ["off", "out of"]
    horse = _horse()
    assert types("The rider sits tall in the saddle, but she has taken both feet out of the stirrups.", horse) == [
        "part_state",
        "part_state",
    ]
    assert types("She keeps both feet in the stirrups.", horse) == []


def test_a_young_animal_or_a_van_names_every_category_it_may_mean() -> None:
    for category, word in (("car", "van"), ("truck", "van"), ("elephant", "calf"), ("cow", "calf"), ("zebra", "foal")):
        pair = facts("hold", category, {"right hand": "hold"}, person_parts=["right hand"])
        assert types(f"He holds the {word} in his right hand.", pair) == [], (category, word)
    horse = facts("hold", "horse", {"right hand": "hold"}, person_parts=["right hand"])
    assert "wrong_object" in types("He holds the camel in his right hand.", horse)


def test_a_person_is_no_wrong_object_and_more_rest_places_are_idle() -> None:
    cup = facts("hold", "cup", {"left hand": "hold", "right hand": "hold"}, person_parts=["left hand", "right hand"])
    assert types("His left hand waves at a friend.", cup) == []  # people stand in most photos
    assert types("His left hand is shoved into his pocket.", cup) == ["part_state"]
    assert types("His left hand is resting on his belly.", cup) == ["part_state"]
    assert types("His left hand rests on the cup.", cup) == []


def test_stopping_a_verb_a_negated_placing_verb_and_a_contracted_be_negate() -> None:
    umb = facts("hold", "umbrella", {"right hand": "hold"}, person_parts=["right hand"])
    assert types("She has stopped holding the umbrella.", umb) == ["negation"]
    assert types("She doesn't have her hand on the umbrella.", umb) == ["negation"]
    assert types("She has her right hand on the umbrella.", umb) == []
    bike = facts("ride", "bicycle", {"left foot": "tread on", "right foot": "tread on", "hip": "sit on"},
                 person_parts=["left foot", "right foot", "hip"])  # fmt: skip
    assert types("His feet aren't on the pedals.", bike) == ["negation"]
    assert types("Stopped at a light, he waits with his feet on the pedals.", bike) == []


def test_rising_from_the_seat_is_an_opposite_of_sitting_said_of_the_person() -> None:
    bench = facts("sit_on", "bench", {"hip": "sit on"}, person_parts=["hip"])
    assert types("She is half-standing, rising from the bench.", bench) == ["negation"]
    assert types("She sits on the bench, reading.", bench) == []


def test_gloves_are_clothing_and_a_thing_subject_is_what_the_instrument_holds() -> None:
    skis = facts("ride", "skis", {"left foot": "stand on", "right foot": "stand on"},
                 person_parts=["left foot", "right foot"])  # fmt: skip
    assert types("He wears thick gloves on both hands and holds his poles.", skis) == []
    umb = facts("hold", "umbrella", {"right hand": "hold"}, person_parts=["right hand"], people=2)
    text = "She holds an umbrella and a phone; the phone is pressed to her ear with her left hand."
    assert types(text, umb) == []
    assert types("The umbrella is held with her left hand.", umb) == ["left_right_swap"]
