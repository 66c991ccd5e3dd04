"""More of the spatial checker's grammar, each construction with a faithful and a false phrasing:
"second to last ... on the right" (the side names the end the count starts from), "from left to right",
"two from the left", "just / immediately" before a relation (no other of its kind between), comparatives of
every size word, the middle of a stack or of a landmark row, "the other two", "not A or B", "not near" for
the one by far nearest to it, "near the bottles" (a group), "next to" something far from it, "touching",
"the bike the man stands behind", "in front of", "on the dog's left" (its own frame), "the extreme left",
an image side of the extreme one, "on" what is over it, "without" an object resting on it, "the only X"
(no other of its kind may fit), "the empty bowl" (nothing inside its box), "has X to its right" (a place,
not holding), and "does" as a verb."""

from __future__ import annotations

import pytest

from hoiscribe.expressions.spatial import SpatialObject, check_expression

SIZE = (640, 480)
CUPS = [SpatialObject(f"c{i}", "cup", (40 + 120 * i, 200, 100 + 120 * i, 260)) for i in range(5)]  # c0..c4
ROW = [*CUPS, SpatialObject("w", "bowl", (560, 120, 620, 160))]
BOOKS = [SpatialObject(f"k{i}", "book", (40, 40 + 130 * i, 120, 100 + 130 * i)) for i in range(3)]  # k0 on top
DOGS = [SpatialObject("d1", "dog", (200, 300, 300, 380)), SpatialObject("d2", "dog", (420, 310, 520, 390))]
ROOM = [
    *BOOKS,
    *DOGS,
    SpatialObject("ct", "cat", (330, 320, 390, 370)),
    SpatialObject("co", "couch", (180, 250, 560, 420)),
]
PARK = [
    SpatialObject("bn", "bench", (150, 300, 490, 380)),
    SpatialObject("p1", "person", (160, 200, 240, 370)),  # on the bench
    SpatialObject("p2", "person", (380, 190, 460, 370)),  # on the bench
    SpatialObject("p3", "person", (560, 280, 600, 400)),  # off to the right, small
    SpatialObject("dg", "dog", (20, 340, 110, 400)),  # alone of its kind, 40 px from the bench
]
# a flock in a row and one bird 40 px from a pole; two cups far left, one cup next to a bottle
FLOCK = [SpatialObject(f"r{i}", "bird", (40 + 90 * i, 90, 70 + 90 * i, 120)) for i in range(4)] + [
    SpatialObject("r5", "bird", (520, 90, 550, 120)),
    SpatialObject("o", "pole", (590, 20, 620, 460)),
]
TABLE = [
    SpatialObject("u1", "cup", (100, 250, 140, 300)),
    SpatialObject("u3", "cup", (420, 250, 460, 300)),
    SpatialObject("t", "bottle", (500, 150, 540, 300)),
    SpatialObject("t2", "bottle", (560, 220, 590, 300)),
]
# bikes in a row; a helmet resting on the top edge of y4; a person under an umbrella held over the head
RACK = [SpatialObject(f"y{i}", "bicycle", (40 + 140 * i, 280, 160 + 140 * i, 380)) for i in range(4)] + [
    SpatialObject("h", "helmet", (480, 250, 520, 280)),
    SpatialObject("mn", "person", (330, 120, 420, 380)),  # in line with y2
]
STREET = [
    SpatialObject("h1", "person", (30, 150, 100, 420)),
    SpatialObject("h4", "person", (400, 170, 460, 420)),
    SpatialObject("m", "umbrella", (380, 100, 480, 160)),
]
UNDER = [SpatialObject("bn", "bench", (150, 300, 490, 380)), SpatialObject("bl", "sports ball", (300, 385, 330, 415))]
FRUIT = [
    SpatialObject("w", "bowl", (380, 300, 580, 400)),
    SpatialObject("b", "banana", (410, 310, 540, 350)),
    SpatialObject("e", "bowl", (40, 300, 200, 400)),
    SpatialObject("a", "apple", (210, 320, 260, 370)),
]
CARS = [SpatialObject(f"c{i}", "car", (20 + 220 * i, 250, 180 + 220 * i, 340)) for i in range(3)] + [
    SpatialObject("q", "person", (415, 170, 430, 330))  # right of the middle car
]


def _by_id(objects: list[SpatialObject], oid: str) -> SpatialObject:
    return next(o for o in objects if o.id == oid)


CASES = [
    # (scene, target, text, false?)
    (ROW, "c3", "the second to last cup on the right", False),
    (ROW, "c1", "the second to last cup on the right", True),
    (ROW, "c1", "the cup second from the end on the left", False),
    (ROW, "c3", "the cup second from the end on the left", True),
    (ROW, "c1", "the cup just right of the leftmost cup", False),
    (ROW, "c3", "the cup just right of the leftmost cup", True),
    (ROW, "c3", "the cup immediately left of the rightmost one", False),
    (ROW, "c1", "the cup immediately left of the rightmost one", True),
    (ROW, "c3", "the cup directly right of the leftmost cup", False),  # "directly": straight, not adjacent
    (ROW, "c1", "from left to right, the second cup", False),  # "to right" is no side claim
    (ROW, "c3", "the second cup from right to left", False),
    (ROW, "c3", "the second cup from left to right", True),
    (ROW, "c2", "the cup that is two from the left", False),  # second, or two places along: unknown
    (PARK, "p3", "the tiniest person", False),
    (PARK, "p1", "the tiniest person", True),
    (PARK, "p3", "the person who is not the littlest", True),
    (PARK, "dg", "the dog that is not near the bench", False),  # alone of its kind: not by far the nearest
    (ROOM, "k1", "the book in the middle", False),  # a stack counts top to bottom
    (ROOM, "k0", "the book in the middle", True),
    (ROOM, "k2", "the book that is below the other two", False),
    (ROOM, "k0", "the book that is below the other two", True),
    (ROOM, "k1", "the book between the other two", False),
    (ROOM, "k0", "the book between the other two", True),
    (ROOM, "k2", "the book, not the top one or the middle one", False),
    (ROOM, "k1", "the book, not the top one or the middle one", True),
    (ROOM, "ct", "the cat which does not sit between the dogs", True),  # "does" is no deer
    (ROOM, "d1", "the dog which does not lie right of the cat", False),
    (FLOCK, "r5", "the bird near the pole", False),
    (FLOCK, "r5", "the bird that is not near the pole", True),  # by far the nearest of the flock
    (FLOCK, "r5", "the bird which isn't close to the pole", True),
    (FLOCK, "r0", "the bird that is not close to the pole", False),
    (TABLE, "u3", "the cup that is not near the bottles", True),  # near a group: near its nearest member
    (TABLE, "u1", "the cup that is not near the bottles", False),
    (FLOCK, "r0", "the bird next to the pole", True),  # far from it while another is by far nearer
    (ROW, "w", "the bowl next to the leftmost cup", True),  # far from it, alone of its kind
    (RACK, "y3", "the bike that has no helmet on it", True),  # resting on its top edge
    (RACK, "y2", "the bike the man is standing behind", False),
    (RACK, "y0", "the bike the man is standing behind", True),  # off to the side while another is in line
    (RACK, "y0", "the bike without a helmet", False),
    (RACK, "y0", "the bike touching the helmet", True),
    (RACK, "y3", "the bike touching the helmet", False),
    (STREET, "h4", "the person without an umbrella", True),
    (STREET, "h1", "the person without an umbrella", False),
    (PARK, "p3", "the person on the bench's right", False),  # the bench's own side: unknown, not "on it"
    (PARK, "p3", "the person at the bench's right side", False),
    (TABLE, "u1", "the cup on the extreme left", False),  # "extreme" is no noun
    (TABLE, "u3", "the cup on the extreme left", True),
    (TABLE, "t", "the bottle on the left of the image", False),  # the left one of two, both on the right
    (UNDER, "bl", "the ball on the bench", True),  # under it
    (UNDER, "bl", "the ball under the bench", False),
    (CARS, "q", "the person on the right side of the middle car", False),  # a landmark picked by its rank
    (CARS, "q", "the person on the left side of the second car", True),
    (CARS, "q", "the person on the left side of the rightmost car", False),  # "rightmost" is the car's
    (TABLE, "u3", "the only cup that is left of the bottles", True),  # so is u1
    (ROW, "c4", "the only cup", True),  # five cups
    (ROW, "w", "the only bowl", False),
    (ROOM, "d1", "the only dog left of the cat", False),
    (ROOM, "k1", "the book which is the only one below the top book", True),  # k2 is below it too
    (PARK, "p3", "the person who has the bench to his left", False),  # where it is, not that he holds it
    (PARK, "p3", "the person that has the bench on his left side", False),
    (FRUIT, "w", "the empty bowl", True),  # a banana lies inside it
    (FRUIT, "w", "the bowl with nothing in it", True),
    (FRUIT, "w", "the bowl that is not empty", False),
    (FRUIT, "e", "the empty bowl", False),  # the apple beside it is not in it
    (CARS, "c1", "the car with nobody next to it", True),  # "nobody": no person at all may be there
    (CARS, "c0", "the car with nobody next to it", False),
    (CARS, "c1", "the car that has a person beside it", False),
    (CARS, "c0", "the car that has a person beside it", True),
    (CARS, "q", "the person who is not on the right of the middle car", True),
    (CARS, "q", "the person left of the middle car", True),
    (CARS, "q", "the person right of the middle car", False),
]


@pytest.mark.parametrize(("scene", "target", "text", "false"), CASES)
def test_construction(scene: list[SpatialObject], target: str, text: str, false: bool) -> None:
    check = check_expression(text, _by_id(scene, target), scene, SIZE, "positive")
    assert bool(check.contradictions) is false, (check.claims, check.contradictions)


def test_in_front_of_is_a_depth_relation_about_the_landmark() -> None:
    """'in front of the middle car' names the landmark's place; the dog off to the side of every car, while
    another dog is in line with one, is not in front of it (weighed like 'behind')."""
    scene = [
        *CARS[:3],
        SpatialObject("d1", "dog", (280, 300, 340, 360)),  # in line with the middle car
        SpatialObject("d2", "dog", (190, 380, 230, 420)),  # between the cars, in line with none
    ]
    check = check_expression("the dog in front of the middle car", _by_id(scene, "d2"), scene, SIZE, "positive")
    assert [c["type"] for c in check.contradictions] == ["behind"]
    ok = check_expression("the dog in front of the middle car", _by_id(scene, "d1"), scene, SIZE, "positive")
    assert not ok.contradictions
