"""Constructions of issue 13's fifth spatial round, each with a false phrasing and a faithful twin on hand-made
scenes: "has the ball just to his left" (where it is, not held), an ordinal after "as the" (the standard compared
with), a person-subset noun's count ("the other two students": a lower bound), "not on the table like the other
two bottles" (said of a bottle), a fronted "Among the four cups, ... the third" (the referent's kind), unit nouns
("orange piles", "pairs of skis"), "bigger than the others" among equal boxes, "taller than both of the other
people" after a landmark, "X and the shortest person" (the referent again), a bare ", nothing under his feet"."""

from __future__ import annotations

import pytest

from hoiscribe.expressions.spatial import SpatialObject
from tests.expressions.helpers import kinds
from tests.expressions.helpers import scene_object as _o

# a pitch: four players, the right one the tallest, a ball just left of him
PITCH = [
    _o("p1", "person", (30, 150, 100, 400)),
    _o("p2", "person", (150, 140, 220, 390)),
    _o("p3", "person", (280, 160, 340, 380)),
    _o("p4", "person", (420, 130, 500, 410)),
    _o("ball", "sports ball", (350, 370, 380, 400)),
]
# a classroom: three students in a row and a teacher standing apart
CLASS = [
    _o("s1", "person", (40, 180, 130, 400)),
    _o("s2", "person", (180, 190, 270, 400)),
    _o("s3", "person", (330, 180, 420, 410)),
    _o("tc", "person", (560, 60, 680, 440)),
]
# a picnic: a person at the left end of a table, two bottles on it and one on the ground by the person
PICNIC = [
    _o("tb", "dining table", (150, 300, 500, 400)),
    _o("q1", "person", (60, 180, 160, 420)),
    _o("q2", "person", (510, 170, 610, 430)),
    _o("b1", "bottle", (200, 250, 220, 300)),
    _o("b2", "bottle", (440, 240, 465, 300)),
    _o("b3", "bottle", (30, 380, 50, 430)),
]
# a counter: four cups in a row, a bottle and a bowl among them
COUNTER = [
    _o("tb", "dining table", (50, 350, 750, 440)),
    _o("u1", "cup", (100, 290, 150, 350)),
    _o("u2", "cup", (200, 295, 250, 350)),
    _o("u3", "cup", (330, 285, 390, 350)),
    _o("u4", "cup", (600, 290, 650, 350)),
]
# a market: three orange piles, two vendors; a slope: two pairs of skis under two skiers
MARKET = [
    _o("o1", "orange", (50, 300, 150, 350)),
    _o("o2", "orange", (200, 300, 300, 350)),
    _o("o3", "orange", (400, 300, 500, 350)),
    _o("v1", "person", (160, 100, 200, 400)),
    _o("v2", "person", (520, 120, 560, 400)),
]
SLOPE = [
    _o("k1", "person", (100, 100, 160, 300)),
    _o("k2", "person", (400, 120, 460, 300)),
    _o("sk1", "skis", (80, 300, 180, 320)),
    _o("sk2", "skis", (380, 300, 480, 320)),
]
# three chairs of one size, and a fourth one larger
CHAIRS = [_o("h1", "chair", (30, 200, 140, 360)), _o("h2", "chair", (200, 200, 310, 360)),
          _o("h3", "chair", (370, 200, 480, 360))]  # fmt: skip
# a stall: a vendor between two others, the shortest of them, next to a dog
STALL = [
    _o("w1", "person", (40, 60, 120, 400)),
    _o("w2", "person", (200, 80, 280, 400)),
    _o("w3", "person", (360, 100, 440, 400)),
    _o("dg", "dog", (450, 330, 520, 400)),
]
# a snow field: a snowboarder at the right end on a board, the others on nothing
FIELD = [
    _o("f1", "person", (50, 100, 110, 260)),
    _o("f2", "person", (300, 150, 350, 280)),
    _o("f3", "person", (680, 180, 740, 340)),
    _o("sb", "snowboard", (660, 340, 760, 365)),
]


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the player who has the ball just to his left, the tallest of all", "p4", []),
        ("the player who has the ball, the tallest of all", "p4", ["with"]),
        ("the second player from the left, about as tall as the first player", "p2", []),
        ("the first player, about as tall as the second player", "p2", ["ordinal"]),
    ],
)
def test_place_and_standard(text: str, target: str, want: list[str]) -> None:
    """'has X just to his left' says where X is; an ordinal after 'as the' ranks the thing compared with."""
    assert kinds(text, target, PITCH) == want


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the student sitting between the other two students", "s2", []),
        ("the last of the three students on the right", "s3", []),
        ("the person sitting between the other two people", "s2", ["count"]),
        ("the last of the five students on the right", "s3", ["count"]),
    ],
)
def test_person_subset_counts(text: str, target: str, want: list[str]) -> None:
    """A role or kind of person ('students') may be some of the person boxes: its count is a lower bound."""
    assert kinds(text, target, CLASS) == want


@pytest.mark.parametrize(
    ("text", "target", "scene", "want"),
    [
        (
            "The person on the far left, with a bottle on the ground next to them, not on the table like the other "
            "two bottles.",
            "q1",
            PICNIC,
            [],
        ),
        (
            "The person on the far right, with a bottle on the ground next to them, not on the table like the other "
            "two bottles.",
            "q1",
            PICNIC,
            ["side"],
        ),
        ("Among the four cups lined up on the table, this is the third one from the left.", "u3", COUNTER, []),
        ("Of the four cups on the table, this is the third one from the left.", "u3", COUNTER, []),
        ("Out of the four cups on the table, it is the first one from the right.", "u3", COUNTER, ["ordinal"]),
        (
            "Among the four cups lined up on the table, this is the second one from the left.",
            "u3",
            COUNTER,
            ["ordinal"],
        ),
    ],
)
def test_whose_phrase(text: str, target: str, scene: list[SpatialObject], want: list[str]) -> None:
    """'like the other two bottles' marks a phrase about a bottle; a fronted 'Among / Of / Out of the Xs' names the
    referent's kind (not the table after it)."""
    assert kinds(text, target, scene) == want


@pytest.mark.parametrize(
    ("text", "target", "scene", "want"),
    [
        ("the last of the four orange piles, at the right end", "o3", MARKET, ["count"]),
        ("the last of the three orange piles, at the right end", "o3", MARKET, []),
        ("the first of the three pairs of skis, under the first skier", "sk1", SLOPE, ["count"]),
        ("the first of the two pairs of skis, under the first skier", "sk1", SLOPE, []),
    ],
)
def test_unit_nouns(text: str, target: str, scene: list[SpatialObject], want: list[str]) -> None:
    """A pile or a pair of a kind is drawn as one box of that kind: 'orange piles' are oranges."""
    assert kinds(text, target, scene) == want


@pytest.mark.parametrize(
    ("text", "scene", "want"),
    [
        ("the chair that is bigger than the others, in the middle", CHAIRS, ["size"]),
        ("the biggest chair, in the middle", CHAIRS, ["size"]),
        ("the bigger of the two chairs, on the left", CHAIRS[1:], []),  # two of one size: a tie, unknown
        (
            "the chair that is bigger than the others, in the middle",
            [*CHAIRS[:1], _o("h2", "chair", (200, 180, 320, 370)), CHAIRS[2]],
            [],
        ),
    ],
)
def test_no_bigger_among_equals(text: str, scene: list[SpatialObject], want: list[str]) -> None:
    """Among boxes all of exactly one size none is bigger than the others, nor the biggest of three or more (was
    unknown on the tie); of two, a tie stays unknown."""
    assert kinds(text, "h2", scene) == want


@pytest.mark.parametrize(
    ("text", "target", "scene", "want"),
    [
        ("the vendor right next to the dog, and taller than both of the other people", "w3", STALL, ["size"]),
        ("the vendor on the left, next to nobody, and taller than both of the other people", "w1", STALL, []),
        ("the first person from the left and the shortest person on the slope", "f1", FIELD, ["size"]),
        ("the second person from the left and the shortest person on the slope", "f2", FIELD, []),
        ("person at most right, nothing under his feet", "f3", FIELD, ["relation"]),
        ("person at most left, nothing under his feet", "f1", FIELD, []),
    ],
)
def test_coordinated_predicates(text: str, target: str, scene: list[SpatialObject], want: list[str]) -> None:
    """', and taller than ...', 'and the shortest person', ', nothing under his feet': more about the referent."""
    assert kinds(text, target, scene) == want


# a slope: a skier on skis, a snowboarder on a board
RUN = [
    _o("r1", "person", (100, 100, 160, 300)),
    _o("r2", "person", (400, 120, 460, 300)),
    _o("sk", "skis", (80, 300, 180, 320)),
    _o("bd", "snowboard", (380, 300, 480, 320)),
]


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("snowboarder, 2nd from left", "r2", []),
        ("snowboarder, 1st from left", "r1", ["with"]),
        ("the skier on the left", "r1", []),
        ("the skier on the right", "r2", ["with"]),
    ],
)
def test_role_noun_uses_its_tool(text: str, target: str, want: list[str]) -> None:
    """'the snowboarder' is the person on a snowboard: false for one touching none while another touches one."""
    assert sorted(kinds(text, target, RUN)) == sorted(want)


# a savanna: three giraffes; an elephant in line with the right one, its feet higher up (further back)
SAVANNA = [
    _o("g1", "giraffe", (40, 60, 200, 430)),
    _o("g2", "giraffe", (260, 100, 380, 430)),
    _o("g3", "giraffe", (600, 80, 720, 420)),
    _o("e1", "elephant", (540, 250, 700, 400)),
]


@pytest.mark.parametrize(
    ("scene", "text", "want"),
    [
        (SAVANNA, "the elephant in front of the giraffe", ["behind"]),
        (SAVANNA, "the elephant behind the giraffe", []),
        ([*SAVANNA[:3], _o("e1", "elephant", (540, 300, 700, 445))], "the elephant in front of the giraffe", []),
    ],
)
def test_depth_against_the_one_in_line(scene: list[SpatialObject], text: str, want: list[str]) -> None:
    """Of several landmarks, 'in front of' is weighed against those the referent is in line with (across)."""
    assert kinds(text, "e1", scene) == want
