"""The rule tier's front end on prose it was not templated for: subjects, negation, quantifiers, paraphrase."""

from __future__ import annotations

from typing import Any

import pytest

from hoiscribe.hoi_text.checker import SUPPORTED, check_text
from hoiscribe.hoi_text.phrases import find, negated_at, state_index, verb_index

Facts = dict[str, dict[str, Any]]


def types(text: str, facts: dict[str, Any]) -> list[str | None]:
    return [c.type for c in check_text(text, facts).contradicted]


def test_phrases_match_any_inflection_with_fillers() -> None:
    (m,) = find(["he", "is", "lying", "flat", "on", "a", "bed"], verb_index())
    assert m.values == {"lie_on"} and m.exact
    (m,) = find(["her", "hand", "hangs", "loosely", "at", "her", "side"], state_index("hand"))
    assert m.values == {"hand:no_interaction"}
    assert find(["rode"], verb_index())[0].values == {"ride"}  # irregular past from lemminflect
    assert find(["a", "slice"], verb_index()) == []  # after a determiner: a noun
    tokens = ["he", "is", "not", "really", "holding", "it"]
    assert negated_at(tokens, 4) and not negated_at(["not", "tired", "but", "holding", "it"], 3)


@pytest.mark.parametrize(
    "text",
    [
        "The woman is not holding the cup.",
        "She isn't holding her mug anymore.",
        "She stands there without holding the cup.",
        "She no longer holds the cup.",
    ],
)
def test_negation_of_a_true_claim_is_a_contradiction(demo_facts: Facts, text: str) -> None:
    assert types(text, demo_facts["hold_cup"]) == ["negation"]


def test_negation_of_a_false_or_unknown_claim_is_not(demo_facts: Facts) -> None:
    cup = demo_facts["hold_cup"]
    assert types("She is not washing the cup.", cup) == []
    assert types("Her left hand is not holding the cup.", cup) == []


def test_other_subjects_are_not_the_person(demo_facts: Facts) -> None:
    ride = demo_facts["ride_bicycle"]
    assert types("Spectators in the stands are washing a bicycle.", ride) == []
    assert types("A man rides a bike while another man repairs a bicycle.", ride) == []
    assert types("A man repairs a bicycle.", ride) == ["wrong_verb"]


def test_idle_paraphrases_and_the_other_hand(demo_facts: Facts) -> None:
    cup = demo_facts["hold_cup"]  # the right hand holds the cup
    assert types("His right hand hangs loosely at his side.", cup) == ["part_state"]
    assert types("Her left hand holds the cup, the other hand is empty.", cup) == ["left_right_swap", "part_state"]
    assert types("Her right hand holds the cup; the other hand is empty.", cup) == []


def test_only_one_side(demo_facts: Facts) -> None:
    book = demo_facts["read_book"]  # both hands hold the book
    assert "part_state" in types("She holds the book with only her left hand.", book)
    assert types("She holds the book with both hands.", book) == []


def test_synonyms_and_implied_verbs(demo_facts: Facts) -> None:
    ride = demo_facts["ride_bicycle"]
    for text in ("A cyclist pedals a bike down the road.", "A man gripping the handlebars rode the bicycle."):
        assert types(text, ride) == [], text
    assert types("A man rides a horse.", ride) == ["wrong_object"]


BAD = ["", "   ", "日本語のテキストです。", "<b>bold</b> <script>x</script>", "word " * 10_000, "- \n- \n***", "\x00"]


@pytest.mark.parametrize("text", BAD)
def test_bad_input_gets_a_clear_result(demo_facts: Facts, text: str) -> None:
    report = check_text(text, demo_facts["hold_cup"])
    assert report.contradicted == [] and isinstance(report.as_dict()["supported"], int)


def test_contradicted_claim_quotes_an_exact_span(demo_facts: Facts) -> None:
    text = "In the kitchen, a woman is washing a mug. It is sunny."
    (bad,) = check_text(text, demo_facts["hold_cup"]).contradicted
    assert bad.text in text and "washing" in bad.text and "sunny" not in bad.text
    assert all(c.status == SUPPORTED for c in check_text("A woman holds a mug.", demo_facts["hold_cup"]).claims)
