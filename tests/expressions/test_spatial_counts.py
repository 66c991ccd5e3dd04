"""Counts an expression states, by construction (issue 13, round 10): the shapes of a partitive ("among the five
cows", "of all three", "out of the four", "of the three elephants, the rightmost", "the right end of the three
people", "the other three"), a partitive narrowed by a place phrase ("the left one of the two oranges in the
bowl": at least two, and the rank among those in the bowl is unknown), a plain count before a noun ("right of
the five bottles": at least five), how many things lie in or on the referent ("the bowl with three oranges in
it"), and what lies outside it ("the orange outside the bowl": not in it). Each has a false phrasing and a
faithful twin on hand-made scenes."""

from __future__ import annotations

import pytest

from hoiscribe.expressions.spatial import SpatialObject
from tests.expressions.helpers import kinds
from tests.expressions.helpers import scene_object as _o

# a field: four cows in a row, the last the biggest
FIELD = [
    _o("c1", "cow", (20, 260, 140, 360)),
    _o("c2", "cow", (170, 250, 300, 370)),
    _o("c3", "cow", (330, 270, 410, 340)),
    _o("c4", "cow", (440, 230, 620, 390)),
]
# a stop: three buses and three people
STOP = [
    _o("bu1", "bus", (10, 120, 200, 340)),
    _o("bu2", "bus", (220, 100, 420, 350)),
    _o("bu3", "bus", (440, 140, 600, 330)),
    _o("q1", "person", (100, 260, 140, 400)),
    _o("q2", "person", (460, 250, 500, 390)),
    _o("q3", "person", (640, 240, 680, 380)),
]
# a kitchen table: four oranges, two of them in a bowl; four bottles along a counter
TABLE = [
    _o("o1", "orange", (50, 300, 100, 350)),
    _o("o2", "orange", (110, 305, 155, 350)),
    _o("o3", "orange", (300, 290, 350, 340)),
    _o("o4", "orange", (360, 300, 400, 340)),
    _o("bw", "bowl", (280, 340, 420, 400)),
    _o("bt1", "bottle", (460, 200, 490, 330)),
    _o("bt2", "bottle", (510, 190, 540, 330)),
    _o("bt3", "bottle", (560, 200, 590, 330)),
    _o("bt4", "bottle", (610, 190, 640, 330)),
    _o("cp", "cup", (700, 280, 740, 330)),
]
# a bedroom: two teddy bears on the bed, one on the floor
BEDROOM = [
    _o("bed", "bed", (100, 250, 540, 420)),
    _o("t1", "teddy bear", (130, 190, 190, 250)),
    _o("t2", "teddy bear", (300, 200, 350, 250)),
    _o("t3", "teddy bear", (580, 360, 640, 430)),
]


@pytest.mark.parametrize(
    ("text", "target", "scene", "want"),
    [
        ("the biggest among the five cows", "c4", FIELD, ["count"]),
        ("the biggest among the four cows", "c4", FIELD, []),
        ("the biggest of all three cows", "c4", FIELD, ["count"]),
        ("the biggest of all four cows", "c4", FIELD, []),
        ("of the three cows, the rightmost one", "c4", FIELD, ["count"]),
        ("of the four cows, the rightmost one", "c4", FIELD, []),
        ("the middle one out of the 4 buses", "bu2", STOP, ["count"]),
        ("the middle one out of the three buses", "bu2", STOP, []),
        ("the person at the right end of the four people", "q3", STOP, ["count"]),
        ("the person at the right end of the three people", "q3", STOP, []),
        ("the bus in between the other three", "bu2", STOP, ["count"]),
        ("the bus in between the other two", "bu2", STOP, []),
        ("the right bus among five", "bu3", STOP, ["count"]),
        ("the right bus among three", "bu3", STOP, []),
    ],
)
def test_partitive_shapes(text: str, target: str, scene: list[SpatialObject], want: list[str]) -> None:
    assert kinds(text, target, scene) == want


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("The left one of the two oranges in the bowl.", "o3", []),  # two of four are in it: no count, no rank
        ("the left one of the five oranges in the bowl", "o3", ["count"]),  # at least five: there are four
        ("the left one of the two oranges", "o3", ["count", "side"]),  # not narrowed: all of them
    ],
)
def test_narrowed_partitive(text: str, target: str, want: list[str]) -> None:
    assert sorted(kinds(text, target, TABLE)) == sorted(want)


@pytest.mark.parametrize(
    ("text", "target", "scene", "want"),
    [
        ("the cup to the right of the five bottles", "cp", TABLE, ["count"]),
        ("the cup to the right of the four bottles", "cp", TABLE, []),
        ("the cup right of three bottles", "cp", TABLE, []),  # at least three: four are there
        ("the farmer among the five cows", None, FIELD, ["count"]),
    ],
)
def test_plain_count_is_a_lower_bound(
    text: str, target: str | None, scene: list[SpatialObject], want: list[str]
) -> None:
    if target is None:  # a referent of its own beside the counted kind
        scene = [*scene, _o("fm", "person", (305, 150, 355, 330))]
        target = "fm"
    assert kinds(text, target, scene) == want


@pytest.mark.parametrize(
    ("text", "target", "scene", "want"),
    [
        ("the bowl with three oranges in it", "bw", TABLE, ["count"]),
        ("the bowl with two oranges in it", "bw", TABLE, []),
        ("the bowl holding 3 oranges", "bw", TABLE, ["count"]),
        ("the bowl holding two oranges", "bw", TABLE, []),
        ("the bed with three teddy bears on it", "bed", BEDROOM, ["count"]),
        ("the bed with two teddy bears on it", "bed", BEDROOM, []),
    ],
)
def test_things_in_or_on_it_counted(text: str, target: str, scene: list[SpatialObject], want: list[str]) -> None:
    assert kinds(text, target, scene) == want


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the orange outside the bowl", "o3", ["with"]),  # it rests on the bowl's rim
        ("the orange outside the bowl", "o1", []),
        ("the orange that is out of the bowl", "o4", ["with"]),
        ("the orange out of the bowl, on the left", "o1", []),
    ],
)
def test_outside_is_not_in(text: str, target: str, want: list[str]) -> None:
    assert kinds(text, target, TABLE) == want
