"""Phrases that name or deny a landmark, by construction (issue 13, round 10): a contact phrase after a landmark
noun picks that landmark ("left of the girl on the skateboard", "next to the man with the handbag"); "next to" one
landmark of several (the nearest of its kind on its own side of that one); a plural landmark ("not near the
people"); a learner's "has not (got) X" and "does not have X on it"; riding (feet on the ground beside the mount
is not riding it; no overlap at all while another rides); "below X" where X is carried by something the referent
is under; a synonym's plural ("teddies"); "in front of" a small landmark that stands on the ground. Each has a
false phrasing and a faithful twin on hand-made scenes."""

from __future__ import annotations

import pytest

from hoiscribe.expressions.spatial import SpatialObject
from tests.expressions.helpers import kinds
from tests.expressions.helpers import scene_object as _o

# a street: a man, a woman carrying a handbag with a small dog at her feet, a man on the right with a big dog
STREET = [
    _o("m1", "person", (30, 120, 110, 420)),
    _o("w", "person", (150, 110, 235, 430)),
    _o("hb", "handbag", (145, 260, 190, 320)),
    _o("m2", "person", (420, 100, 510, 440)),
    _o("pup", "dog", (190, 390, 245, 445)),
    _o("big", "dog", (520, 360, 600, 440)),
]
# a skate park: a girl standing on a board, a bench right of her, a man holding a board up at his side
PARK = [
    _o("g", "person", (200, 80, 280, 380)),
    _o("k1", "skateboard", (190, 380, 290, 405)),
    _o("bn", "bench", (295, 300, 370, 380)),
    _o("s3", "person", (380, 120, 450, 410)),
    _o("s4", "person", (530, 90, 610, 420)),
    _o("k2", "skateboard", (570, 250, 625, 330)),
]
# a parking lot: a man standing behind the second motorbike, a rider on the third
MOTOS = [
    _o("mo1", "motorcycle", (20, 250, 150, 380)),
    _o("mo2", "motorcycle", (170, 245, 300, 385)),
    _o("mo3", "motorcycle", (340, 240, 480, 390)),
    _o("st", "person", (230, 100, 290, 378)),
    _o("rd", "person", (360, 120, 450, 330)),
]
# a paddock: a rider on the first horse, a groom standing just right of the second
PADDOCK = [
    _o("h1", "horse", (210, 170, 370, 335)),
    _o("r", "person", (250, 80, 320, 260)),
    _o("h2", "horse", (560, 175, 720, 335)),
    _o("gr", "person", (730, 150, 780, 340)),
]
# an office: a laptop on the first and last chair, a backpack on the third, nothing on the second
OFFICE = [
    _o("ch1", "chair", (30, 250, 150, 440)),
    _o("ch2", "chair", (190, 260, 300, 440)),
    _o("ch3", "chair", (350, 255, 460, 445)),
    _o("ch4", "chair", (490, 250, 610, 440)),
    _o("l1", "laptop", (40, 200, 120, 250)),
    _o("l2", "laptop", (520, 195, 600, 250)),
    _o("bp", "backpack", (370, 200, 440, 255)),
]
# a playroom: two teddies on a bed, the farmer behind a calf (feet higher in the image)
PLAYROOM = [
    _o("bed", "bed", (100, 250, 540, 450)),
    _o("t1", "teddy bear", (130, 190, 190, 250)),
    _o("t2", "teddy bear", (300, 200, 350, 250)),
    _o("cat", "cat", (400, 210, 470, 250)),
]
BARN = [
    _o("cw1", "cow", (20, 260, 140, 360)),
    _o("calf", "cow", (320, 270, 400, 340)),
    _o("fm", "person", (305, 150, 355, 330)),
]


@pytest.mark.parametrize(
    ("text", "target", "scene", "want"),
    [
        ("the bench that is on the left of the girl on the skateboard", "bn", PARK, ["relation"]),
        ("the bench that is on the right of the girl on the skateboard", "bn", PARK, []),
        ("the dog next to the man with the handbag", "big", STREET, ["next"]),
        ("the dog next to the man with the handbag", "pup", STREET, []),
    ],
)
def test_phrase_after_a_landmark_picks_it(text: str, target: str, scene: list[SpatialObject], want: list[str]) -> None:
    assert kinds(text, target, scene) == want


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the dog which isn't near the people", "big", ["next"]),  # beside the man on the right
        ("the dog not next to any person", "big", ["next"]),
        ("the dog that is not next to the person on the far left", "big", []),
    ],
)
def test_next_to_one_landmark_on_its_side(text: str, target: str, want: list[str]) -> None:
    assert kinds(text, target, STREET) == want


@pytest.mark.parametrize(
    ("text", "target", "scene", "want"),
    [
        ("the woman who has not got a handbag", "w", STREET, ["with"]),
        ("the woman who has not got a handbag", "m1", STREET, []),
        ("the person, she hasn't any bag", "w", STREET, ["with"]),
        ("the chair that does not have a laptop on it", "ch4", OFFICE, ["relation"]),
        ("the chair that does not have a laptop on it", "ch2", OFFICE, []),
    ],
)
def test_learner_denials_of_having(text: str, target: str, scene: list[SpatialObject], want: list[str]) -> None:
    assert kinds(text, target, scene) == want


@pytest.mark.parametrize(
    ("text", "target", "scene", "want"),
    [
        ("the person who is riding a motorcycle", "st", MOTOS, ["with"]),  # feet on the ground behind it
        ("the person who is riding a motorcycle", "rd", MOTOS, []),
        ("the motorcycle being ridden", "mo2", MOTOS, ["with"]),
        ("the motorcycle being ridden", "mo3", MOTOS, []),
        ("the motorcycle that is not being ridden", "mo2", MOTOS, []),
        ("the motorcycle none of the people is riding", "mo3", MOTOS, ["with"]),
        ("the motorcycle none of the people is riding", "mo1", MOTOS, []),
        ("the person not riding a motorcycle", "st", MOTOS, []),
        ("the person riding a horse", "gr", PADDOCK, ["with"]),  # beside it, no overlap, while another rides
        ("the person riding a horse", "r", PADDOCK, []),
    ],
)
def test_riding(text: str, target: str, scene: list[SpatialObject], want: list[str]) -> None:
    assert kinds(text, target, scene) == want


@pytest.mark.parametrize(
    ("text", "target", "scene", "want"),
    [
        ("the little dog in front of the woman, below the handbag", "pup", STREET, []),  # the bag is on her
        ("the dog below the handbag", "big", STREET, ["relation"]),
        ("the book lying on the bed between the two teddies", None, PLAYROOM, []),
        ("the cat between the two teddies", "cat", PLAYROOM, ["between"]),
        ("the farmer standing right in front of the calf", "fm", BARN, ["behind"]),  # the calf: the smallest cow
        ("the farmer standing right behind the calf", "fm", BARN, []),  # his feet are higher: further back
        ("the farmer standing in front of the small cow", "fm", BARN[1:], ["behind"]),
    ],
)
def test_landmark_words(text: str, target: str | None, scene: list[SpatialObject], want: list[str]) -> None:
    if target is None:
        scene, target = [*scene, _o("bo", "book", (205, 230, 255, 250))], "bo"
    assert kinds(text, target, scene) == want


# a slope: four people, a snowboard under the last; a bench between two people, a dog at the left one's feet
SLOPE = [
    _o("k1", "person", (40, 150, 100, 330)),
    _o("k2", "person", (150, 170, 200, 310)),
    _o("k3", "person", (280, 140, 350, 340)),
    _o("k4", "person", (430, 130, 500, 350)),
    _o("sb", "snowboard", (420, 350, 510, 365)),
]


@pytest.mark.parametrize(
    ("text", "target", "scene", "want"),
    [
        ("the second closest person to the snowboard", "k3", SLOPE, []),  # the ordinal ranks by distance
        ("the second closest person to the snowboard", "k2", SLOPE, ["nearest"]),
        ("the person next to the leftmost person", "k2", SLOPE, []),  # the landmark is no rival of itself
        ("the one before last from the left", "k3", SLOPE, []),
        ("the one before last from the left", "k2", SLOPE, ["ordinal"]),
        ("the little dog in the front of the woman", "pup", STREET, []),
        ("the big dog in the front of the woman with the handbag", "big", STREET, ["behind"]),
    ],
)
def test_ranks_and_learner_prepositions(text: str, target: str, scene: list[SpatialObject], want: list[str]) -> None:
    assert kinds(text, target, scene) == want


@pytest.mark.parametrize(
    ("text", "target", "scene", "want"),
    [
        ("the teddy bear which does not seem to be on the bed", "t1", PLAYROOM, ["with"]),  # a hedge keeps the scope
        ("the cat that is not in the hand of the woman", "cat", PLAYROOM, []),
        ("the dog in the hands of the man on the right", "pup", STREET, ["with"]),
        ("the bench that is not between the girl and the third person", "bn", PARK, ["between"]),
        ("the man on the right, who is not between the girl and the bench", "s4", PARK, []),
    ],
)
def test_denied_places(text: str, target: str, scene: list[SpatialObject], want: list[str]) -> None:
    assert kinds(text, target, scene) == want


@pytest.mark.parametrize(
    ("text", "target", "scene", "want"),
    [
        ("the man at the right, holding a knife above the bowl", "cook", None, ["relation"]),  # knife nor man is
        ("the man at the right, holding a knife above the plate", "cook", None, []),  # (the bowl is not above itself)
        ("the cat on the floor to the left of the bed", "cat", PLAYROOM, ["relation"]),  # the floor has no place
        ("the cat on the floor to the right of the bed", "cat", PLAYROOM, []),
        ("the first motorbike on the left, parked right next to the rider", "mo1", MOTOS, ["next"]),
        ("the person on the right, with the dog on his lap", "m2", STREET, ["with"]),
        ("the person on the right, with the dog at his feet", "m2", STREET, []),
        ("the small motorbike on the left, just left of the one being ridden", "mo1", MOTOS, []),
    ],
)
def test_long_prose_attachment(text: str, target: str, scene: list[SpatialObject] | None, want: list[str]) -> None:
    if scene is None:  # a kitchen: a cook at the right edge with a knife far right of the only bowl
        scene = [
            _o("cook", "person", (630, 40, 740, 300)),
            _o("kn", "knife", (640, 200, 700, 215)),
            _o("bl", "bowl", (300, 290, 400, 330)),
            _o("pl", "plate", (630, 280, 720, 300)),
        ]
    assert kinds(text, target, scene) == want


@pytest.mark.parametrize(
    ("text", "target", "scene", "want"),
    [
        ("the cow bigger than the dog", "calf", [*BARN, _o("dg", "dog", (180, 330, 240, 400))], []),
        ("the cow smaller than the dog", "calf", [*BARN, _o("dg", "dog", (180, 330, 240, 400))], ["size"]),
        ("the man taller than the dogs", "m2", STREET, []),
        ("the person closer to the handbag than the others", "m1", STREET, ["nearest"]),
        ("the person closer to the handbag than the others", "w", STREET, []),
        ("the cow which is the biggest among the cows", "cw1", BARN, []),  # a partitive, not between them
        ("the cow which is the smallest among the cows", "cw1", BARN, ["size"]),
    ],
)
def test_comparatives(text: str, target: str, scene: list[SpatialObject], want: list[str]) -> None:
    assert kinds(text, target, scene) == want


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the snowboard that the leftmost person is standing on", "sb", ["with"]),  # the rightmost stands on it
        ("the snowboard that the rightmost person is standing on", "sb", []),
        ("the snowboard that the fourth person from the left stands on", "sb", []),
    ],
)
def test_reduced_relative_with_a_singled_out_landmark(text: str, target: str, want: list[str]) -> None:
    assert kinds(text, target, SLOPE) == want


# a depot: a car overlapping the middle bus and only near the left one; an office with a backpack on a chair
DEPOT = [
    _o("bu1", "bus", (10, 120, 200, 340)),
    _o("bu2", "bus", (220, 100, 420, 350)),
    _o("car", "car", (205, 300, 305, 380)),
]


@pytest.mark.parametrize(
    ("text", "target", "scene", "want"),
    [
        ("the teddy bear which not have person next to it", "tb", None, ["next"]),  # a bare noun: any person
        ("the teddy bear which not have person next to it", "far", None, []),
        ("the bus without a car", "bu2", DEPOT, ["with"]),  # the car covers a good part of it
        ("the bus without a car", "bu1", DEPOT, []),
        ("the chair, there is nothing on it", "ch3", OFFICE, ["relation"]),
        ("the chair, there is nothing on it", "ch2", OFFICE, []),
        ("the chair which there is nothing on", "ch3", OFFICE, ["relation"]),
        ("the chair on the right, no laptop on it", "ch4", OFFICE, ["relation"]),
        ("the chair on the right, no laptop on it", "ch2", OFFICE, ["side"]),  # second of four: not on the right
        ("the small dog, it is not next to the woman with the bag", "pup", STREET, ["next"]),
        ("the big dog, it is not next to the woman with the bag", "big", STREET, []),
    ],
)
def test_denials_in_learner_and_existential_shapes(
    text: str, target: str, scene: list[SpatialObject] | None, want: list[str]
) -> None:
    if scene is None:  # a couch: a teddy bear squeezed between two people, another bear alone on the floor
        scene = [
            _o("pa", "person", (110, 150, 220, 400)),
            _o("tb", "teddy bear", (225, 300, 248, 340)),
            _o("pb", "person", (250, 140, 360, 405)),
            _o("far", "teddy bear", (700, 380, 740, 430)),
        ]
    assert kinds(text, target, scene) == want


# a counter: four bottles in a row, a cup after the second and one after the fourth
COUNTER = [
    _o("b1", "bottle", (60, 200, 100, 330)),
    _o("b2", "bottle", (130, 180, 175, 330)),
    _o("c1", "cup", (190, 280, 235, 330)),
    _o("b3", "bottle", (250, 210, 285, 330)),
    _o("b4", "bottle", (420, 170, 470, 330)),
    _o("c2", "cup", (480, 285, 525, 330)),
]


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the bottle touching neither cup", "b4", ["with"]),
        ("the bottle touching neither cup", "b1", []),
        ("the cup not touching either of the bottles", "c1", ["with"]),
        ("the bottle that touches none of the cups", "b4", ["with"]),
        ("the bottle with nothing on its left", "b1", []),
        ("the bottle with nothing on its left", "b2", ["relation"]),
        ("the bottle with no other bottle on its right", "b4", []),
        ("the bottle with no other bottles to the right", "b3", ["relation"]),
        ("the bottle sandwiched between the first cup and the second cup", "b4", ["between"]),  # b3 is in between
        ("the bottle squeezed between the first cup and the fourth bottle", "b3", []),
        ("the bottle between the first cup and the second cup", "b4", []),  # plain "between": along the line
    ],
)
def test_every_landmark_and_its_own_side(text: str, target: str, want: list[str]) -> None:
    assert kinds(text, target, COUNTER) == want
