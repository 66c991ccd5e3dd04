"""Each contradiction type on hand-written, VLM-style texts, and what must not be flagged."""

from __future__ import annotations

from typing import Any

import pytest

from hoiscribe.hoi_text.checker import CONTRADICTED, SUPPORTED, UNVERIFIABLE, check_text

Facts = dict[str, dict[str, Any]]


def types(text: str, facts: dict[str, Any]) -> list[str | None]:
    return [c.type for c in check_text(text, facts).contradicted]


def statuses(text: str, facts: dict[str, Any]) -> list[str]:
    return [c.status for c in check_text(text, facts).claims]


@pytest.mark.parametrize(
    "text",
    [
        "His left hand holds the cup.",
        "The left-hand is holding the cup.",
        "The cup is held in her left hand.",
        "A woman is holding a mug with the person's left hand.",
        "The person's left hand is gripping the mug.",
    ],
)
def test_left_right_swap(demo_facts: Facts, text: str) -> None:
    """HAKE: the right hand holds the cup; these texts give it to the left."""
    assert "left_right_swap" in types(text, demo_facts["hold_cup"])
    assert types(text.replace("left", "right"), demo_facts["hold_cup"]) == []


def test_swap_needs_a_one_sided_fact(demo_facts: Facts) -> None:
    """Both hands hold the book: naming either hand is true, and 'both hands' is too."""
    facts = demo_facts["read_book"]
    for text in ("Her left hand holds the book.", "His right hand holds the book.", "Both hands are holding the book."):
        assert statuses(text, facts) and set(statuses(text, facts)) == {SUPPORTED}, text


def test_two_parts_in_one_sentence_are_split(demo_facts: Facts) -> None:
    facts = demo_facts["ride_bicycle"]
    ok = "The left hand holds the handle while the right foot rests on the pedal."
    assert statuses(ok, facts) == [SUPPORTED, SUPPORTED]
    bad = "The right hand holds the handle while the left foot is on the pedal."
    assert len(types(bad, facts)) == 1 and types(bad, facts)[0] in ("invisible_part", "left_right_swap")


@pytest.mark.parametrize(
    ("scene", "text"),
    [
        ("hold_cup", "A woman is washing a cup."),
        ("hold_cup", "In the kitchen, a man drinks from a mug."),
        ("lie_bench", "The person is sitting on the bench."),
        ("near_bicycle", "A man holds a bicycle by the handlebars."),
        ("sit_chair", "The person is not interacting with the chair."),
    ],
)
def test_wrong_verb(demo_facts: Facts, scene: str, text: str) -> None:
    assert types(text, demo_facts[scene]) == ["wrong_verb"]


def test_verbs_the_label_or_the_pair_makes_true(demo_facts: Facts) -> None:
    ride = demo_facts["ride_bicycle"]
    assert set(statuses("A cyclist sits on a bike and is riding it.", ride)) == {SUPPORTED}
    assert statuses("A person is not interacting with the bicycle.", demo_facts["near_bicycle"]) == [SUPPORTED]
    inspect = "A woman inspects the cup."
    # the demo person holds and inspects one cup: two labels of one pair, both true
    assert demo_facts["hold_cup"]["pair_verbs"] == ["hold", "inspect"]
    assert statuses(inspect, demo_facts["hold_cup"]) == [SUPPORTED]
    alone = {k: v for k, v in demo_facts["hold_cup"].items() if k != "pair_verbs"}
    # HAKE often leaves a gaze out: looking is unverifiable without a head annotation ...
    assert statuses(inspect, alone) == [UNVERIFIABLE]
    # ... and a wrong verb once HAKE gives the head another state
    drinking = {"part": "head", "group": "head", "side": None, "state": "drink with"}
    assert types(inspect, dict(alone, part_states=[*alone["part_states"], drinking])) == ["wrong_verb"]


def test_wrong_object(demo_facts: Facts) -> None:
    ride = demo_facts["ride_bicycle"]
    assert types("A man rides a horse.", ride) == ["wrong_object"]
    assert types("Both hands are holding the umbrella.", ride) == ["wrong_object"]
    # another object beside the pair's own is not a contradiction
    assert types("A man rides a bike past a horse. A dog is chasing a frisbee.", ride) == []
    assert types("The head is inspecting the cup.", demo_facts["hold_cup#1"]) == []


def test_part_state_contradicts_hake(demo_facts: Facts) -> None:
    sit = demo_facts["sit_chair"]  # right hand: no_interaction
    assert types("His right hand is holding the chair.", sit) == ["part_state"]
    lie = demo_facts["lie_bench"]  # hip: be close with, head: no_interaction
    assert types("The hip is sitting on the bench.", lie) == ["part_state"]
    assert types("The person's head is inspecting the bench.", lie) == ["part_state"]
    assert types("The hip is close to the bench.", lie) == []


def test_person_level_sitting_with_an_idle_hip(demo_facts: Facts) -> None:
    facts = dict(demo_facts["ride_bicycle"], idle_parts=["hip"], part_states=[])
    assert types("A man is sitting on the bicycle.", facts) == ["part_state"]


def test_part_states_hake_does_not_rule_out(demo_facts: Facts) -> None:
    """Unannotated parts, compatible states and things that are not the object stay unflagged."""
    skate = demo_facts["ride_skateboard"]  # only the feet are annotated, and the pair has one label
    # a part HAKE leaves out of the pair is in no_interaction with its object ...
    assert types("His left hand is holding the skateboard.", skate) == ["part_state"]
    # ... but only when the pair has no other label whose states it may carry
    two_labels = dict(skate, pair_verbs=["ride", "hold"])
    assert statuses("His left hand is holding the skateboard.", two_labels) == [UNVERIFIABLE]
    kick = demo_facts["kick_ball"]
    assert types("A boy kicks a soccer ball with his right foot, his left foot planted on the grass.", kick) == []
    assert types("The man carries a suitcase in his left hand; his right hand is in his pocket.",
                 demo_facts["carry_suitcase"]) == []  # fmt: skip
    assert types("Her left hand is not holding the cup.", demo_facts["hold_cup"]) == []


def test_invisible_part(demo_facts: Facts) -> None:
    """The demo rider's left ankle is not visible: any claim about the left foot is flagged."""
    ride = demo_facts["ride_bicycle"]
    for text in (
        "The person's left foot is on the pedal.",
        "His left foot is kicking the bicycle.",
        "Both feet are pressing the pedals.",
    ):
        found = check_text(text, ride).contradicted
        assert found and all("not visible" in c.reason for c in found), text
    # what the visible right foot does, said of the hidden left one: most likely a swap
    swapped = check_text("His left foot is treading on the bicycle.", ride).contradicted
    assert [c.type for c in swapped] == ["left_right_swap"] and "not visible" in swapped[0].reason
    assert types("His left foot is hidden behind the frame.", ride) == []
    assert types("Her right foot pushes down on the pedal.", ride) == []


def test_person_count(demo_facts: Facts) -> None:
    """An annotation count is a lower bound: more people never contradict, 'alone' can."""
    one = demo_facts["hold_cup"]  # one annotated person
    for more in ("Two people are standing in a kitchen.", "There are 3 people in the image.",
                 "A woman holds a cup while two other people talk.", "Other hikers wait behind him."):  # fmt: skip
        assert types(more, one) == [], more
    assert types("Only one person is in the image.", one) == []
    two = dict(one, people_in_image=2)
    assert types("Two people are visible.", two) == []
    assert types("Several people are in the background.", two) == []
    for alone in ("She is the only person in the picture.", "He is working alone.", "Nobody else is around."):
        assert types(alone, two) == ["person_count"], alone
    assert types("She is not alone.", two) == []
    assert statuses("Two people are visible.", dict(one, people_in_image=None)) == [UNVERIFIABLE]


def test_pose_claims(demo_facts: Facts) -> None:
    kite = demo_facts["fly_kite"]  # both arms straight and raised above the head
    assert types("The left arm is straight and the right hand is raised above the head.", kite) == []
    assert types("His right elbow is sharply bent.", kite) == ["pose"]
    lie = demo_facts["lie_bench"]
    assert types("The upper body is upright.", lie) == ["pose"]


def test_report_dict_shape(demo_facts: Facts) -> None:
    report = check_text("A man rides a horse. His right foot is on the pedal.", demo_facts["ride_bicycle"])
    d = report.as_dict()
    assert set(d) == {"supported", "contradicted", "unverifiable", "contradictions"}
    assert d["contradicted"] == 1 == len(report.contradicted)
    assert d["contradictions"][0]["type"] == "wrong_object" and "bicycle" in d["contradictions"][0]["why"]
    assert report.contradicted[0].status == CONTRADICTED and report.contradicted[0].kind == "interaction"
