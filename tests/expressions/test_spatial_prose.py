"""The spatial checker on prose: synonyms, ordinals, relative clauses, negation, loose relations."""

from __future__ import annotations

import pytest

from hoiscribe.expressions.spatial import SpatialObject, check_expression
from hoiscribe.expressions.spatial_parse import parse_expression

SIZE = (640, 480)
OBJS = [
    SpatialObject(0, "cup", (10, 100, 60, 150)),
    SpatialObject(1, "cup", (200, 100, 300, 200)),
    SpatialObject(2, "cup", (400, 100, 430, 130)),
    SpatialObject(3, "laptop", (430, 90, 530, 200)),
    SpatialObject(4, "person", (20, 200, 120, 470)),
    SpatialObject(5, "person", (450, 210, 600, 470)),
]


def contradicted(text: str, target: int) -> list[str]:
    return [c["type"] for c in check_expression(text, OBJS[target], OBJS, SIZE).contradictions]


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("the leftmost mug", 0),
        ("the first cup on the left", 0),
        ("the last cup on the right", 2),
        ("The cup that is second from the left.", 1),
        ("the cup which is second from right side", 1),
        ("the 3rd cup counting from left", 2),
        ("the cup sitting between the other two cups", 1),
        ("the small cup right beside the laptop", 2),
        ("the cup closest to the laptop", 2),
        ("the cup furthest from the laptop", 0),
        ("the guy on the left who is not next to the laptop", 4),
        ("the woman standing on the right side of the image", 5),
        ("the person next to the laptop", 5),
        ("the man in the baseball cap on the left", 4),  # 'baseball' modifies 'cap': not a ball
        ("the laptop screen on the right", 3),  # a compound of two object words names either
        ("the man holding the cup on the left", 5),  # 'on the left' may describe the cup
        ("the cup between the two people", 1),
        ("the red cup", 1),  # colour: not in the boxes, never a contradiction
    ],
)
def test_faithful_expressions_are_not_contradicted(text: str, target: int) -> None:
    assert contradicted(text, target) == [], text


@pytest.mark.parametrize(
    ("text", "target", "kind"),
    [
        ("the leftmost mug", 2, "side"),
        ("the cup that is second from the left", 0, "ordinal"),
        ("the third cup from the right", 2, "ordinal"),
        ("the cup that is not the leftmost one", 0, "side"),  # negation
        ("the bowl on the left", 0, "category"),
        ("the dog on the right", 5, "category"),
        ("the cup closest to the laptop", 0, "nearest"),
        ("the cup near the laptop", 0, "next"),
        ("the person next to the laptop", 4, "next"),
        ("the cup between the two people", 0, "between"),
        ("the cup directly above the man", 2, "relation"),  # above, but off to the side of both people
    ],
)
def test_false_claims_are_contradicted_with_their_type(text: str, target: int, kind: str) -> None:
    assert kind in contradicted(text, target), (text, contradicted(text, target))


def test_contradictions_quote_their_span() -> None:
    text = "the cup that is not the leftmost one"
    (c,) = check_expression(text, OBJS[0], OBJS, SIZE).contradictions
    assert text[c["start"] : c["end"]] == c["span"] == "not the leftmost"


def test_synonyms_and_hypernyms_name_their_categories() -> None:
    cats = ["cup", "person", "dining table", "tv"]
    assert parse_expression("the guy on the left", cats).referent == "person"
    assert parse_expression("the coffee mug", cats).referent == "cup"
    assert parse_expression("the table", cats).referent == "dining table"
    assert parse_expression("the television", cats).referent == "tv"
    assert "cat" in parse_expression("the animal on the left", cats).options
    assert parse_expression("the tennis player", cats).referent == "person"
    mugs = [SpatialObject(0, "mug", (0, 0, 10, 10)), SpatialObject(1, "mug", (100, 0, 110, 10))]
    assert check_expression("the cup on the left", mugs[0], mugs, SIZE).ok  # open vocabulary: a mug is a cup
    lamps = [SpatialObject(0, "lamp", (0, 0, 10, 10))]
    assert not check_expression("the cup on the left", lamps[0], lamps, SIZE).contradictions  # unknown kind


def test_negated_association_and_landmark_ordinals() -> None:
    umbrella = SpatialObject(9, "umbrella", (10, 150, 130, 210))
    objs = [*OBJS, umbrella]
    assert [
        c["type"] for c in check_expression("the person who has no umbrella", objs[4], objs, SIZE).contradictions
    ] == ["with"]
    assert check_expression("the person without an umbrella", objs[5], objs, SIZE).ok
    parsed = parse_expression("the cup between the second and the third person", ["cup", "person"])
    assert [c.kind for c in parsed.claims] == ["between"]  # the ordinals describe the people
