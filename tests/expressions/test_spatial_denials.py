"""Issue 13 item 5, session 28: denials and contact in the shapes prose gives them. Each construction has a
faithful and a false phrasing on hand-made scenes (each false one was missed before): "isn't holding anything" /
"carrying nothing", "with no car on either side", "with no cup on top" / "has nothing on it", "has no wine glass in
front of them", "the horse that is not ridden", "the bike nobody is standing behind", "not riding any horse" (a
rider overlaps, standing beside is not riding), "on its own" (no landmark), "on the couch" / "riding" / "with a
rider on it" (the boxes meet), "next to" (another of its kind against it), "the horse someone is riding", "above
the person in the middle" / "below the kite on the left" (the word names the landmark), "in the row"."""

from __future__ import annotations

import pytest

from hoiscribe.expressions.spatial import SpatialObject
from tests.expressions.helpers import kinds
from tests.expressions.helpers import scene_object as _o

# a market: a woman with a handbag, one with empty hands and a dog at her feet, a man at a table with a cup on it
MARKET = [
    _o("w1", "person", (40, 100, 120, 400)),
    _o("hb", "handbag", (80, 200, 130, 280)),
    _o("pup", "dog", (250, 330, 330, 400)),  # at w2's feet, overlapping her legs: not held
    _o("w2", "person", (250, 100, 330, 400)),
    _o("tab", "dining table", (400, 300, 700, 420)),
    _o("w3", "person", (450, 120, 540, 330)),
    _o("cu", "cup", (470, 290, 500, 330)),
]
# a car park: two cars, a truck right after them, a car far off; books with a cup on the middle one
LOT = [
    _o("a1", "car", (20, 250, 160, 340)),
    _o("a2", "car", (180, 250, 320, 340)),
    _o("tr", "truck", (340, 200, 500, 350)),
    _o("a3", "car", (600, 250, 740, 340)),
]
DESK = [
    _o("bk1", "book", (100, 250, 160, 330)),
    _o("bk2", "book", (165, 250, 225, 330)),
    _o("bk3", "book", (230, 250, 290, 330)),
    _o("mug", "cup", (175, 200, 215, 250)),
    _o("p", "person", (400, 80, 500, 300)),
    _o("g", "wine glass", (450, 260, 475, 320)),
    _o("q", "person", (600, 80, 700, 300)),
]


@pytest.mark.parametrize(
    ("text", "target", "scene", "want"),
    [
        ("the woman who isn't holding anything", "w2", MARKET, []),  # the dog at her feet is not held
        ("the woman who isn't holding anything", "w1", MARKET, ["with"]),
        ("the lady carrying nothing", "w1", MARKET, ["with"]),
        ("the man at the table who is not holding anything", "w3", MARKET, []),  # the cup stands on the table
        ("the truck with no car on either side", "tr", LOT, ["next"]),
        ("the car with no car on either side", "a3", LOT, []),
        ("the book with no cup on top", "bk2", DESK, ["relation"]),
        ("the book with no cup on top", "bk1", DESK, []),
        ("the book which has nothing on it", "bk2", DESK, ["relation"]),
        ("the book which has nothing on it", "bk3", DESK, []),
        ("the person who has no wine glass in front of them", "p", DESK, ["with"]),
        ("the person who has no wine glass in front of them", "q", DESK, []),
    ],
)
def test_denials(text: str, target: str, scene: list[SpatialObject], want: list[str]) -> None:
    assert kinds(text, target, scene) == want


# a stable: a ridden horse, a free horse with a groom standing beside it
STABLE = [
    _o("ho1", "horse", (50, 200, 250, 360)),
    _o("rd", "person", (120, 80, 190, 280)),
    _o("ho2", "horse", (400, 200, 600, 360)),
    _o("st", "person", (610, 150, 660, 380)),
]
# bikes: a man stands over the middle one; a surfer holds a board, another board leans alone
BIKES = [
    _o("b1", "bicycle", (40, 300, 160, 400)),
    _o("b2", "bicycle", (180, 300, 300, 400)),
    _o("mn", "person", (200, 150, 280, 390)),
    _o("b3", "bicycle", (340, 300, 460, 400)),
    _o("sp", "person", (500, 100, 560, 400)),
    _o("sf", "surfboard", (560, 120, 600, 400)),
    _o("sf2", "surfboard", (720, 100, 760, 400)),
]


@pytest.mark.parametrize(
    ("text", "target", "scene", "want"),
    [
        ("the horse that is not ridden", "ho1", STABLE, ["with"]),
        ("the horse that is not ridden", "ho2", STABLE, []),  # the groom beside it is not on it
        ("the man who is not riding any horse", "st", STABLE, []),
        ("the man who is not riding any horse", "rd", STABLE, ["with"]),
        ("the horse someone is riding", "ho1", STABLE, []),  # one noun, not 'horse someone'
        ("the horse someone is sitting on", "ho2", STABLE, ["with"]),
        ("the man sitting on the horse on the right", "st", STABLE, ["with"]),
        ("the horse with a rider on it", "ho2", STABLE, ["with"]),
        ("the horse with a rider on it", "ho1", STABLE, []),
        ("the horse on the right with nobody on its back", "ho2", STABLE, []),  # the groom stands beside it
        ("the horse on the left with nobody on its back", "ho1", STABLE, ["relation"]),
        ("the bike nobody is standing behind", "b2", BIKES, ["with"]),
        ("the bike nobody is standing behind", "b1", BIKES, []),
        ("the surfer who isn't holding anything", "sp", BIKES, ["with"]),  # a board carried at the side
        ("the man who isn't holding anything", "mn", BIKES, []),  # the bike under him is not in his hands
        ("the surfboard leaning on its own with nobody holding it", "sf", BIKES, ["with"]),
        ("the surfboard leaning on its own with nobody holding it", "sf2", BIKES, []),
        ("the bicycle the man is standing next to", "b3", BIKES, ["next"]),
        ("the bicycle the man is standing next to", "b2", BIKES, []),
    ],
)
def test_contact(text: str, target: str, scene: list[SpatialObject], want: list[str]) -> None:
    assert kinds(text, target, scene) == want


# a living room: a cat beside the couch, a dog on it; two glasses, a knife right under one (not beside it)
ROOM = [
    _o("co", "couch", (100, 200, 500, 380)),
    _o("ct", "cat", (20, 320, 90, 380)),
    _o("dg", "dog", (300, 280, 380, 360)),
    _o("gl1", "wine glass", (570, 200, 595, 260)),
    _o("gl2", "wine glass", (700, 200, 725, 260)),
    _o("kn", "knife", (690, 270, 740, 280)),
]
# a beach: three kites over three people; a row of four sheep and one apart behind them
BEACH = [
    _o("k1", "kite", (100, 40, 160, 100)),
    _o("k2", "kite", (380, 30, 460, 110)),
    _o("k3", "kite", (650, 40, 710, 100)),
    _o("pa", "person", (90, 300, 160, 430)),
    _o("pb", "person", (390, 300, 450, 430)),
    _o("pc", "person", (660, 300, 720, 430)),
]
FIELD = [*[_o(f"sh{k}", "sheep", (50 + 150 * k, 300, 150 + 150 * k, 380)) for k in range(4)],
         _o("sh9", "sheep", (600, 100, 680, 160))]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "target", "scene", "want"),
    [
        ("the cat on the couch", "ct", ROOM, ["with"]),
        ("the dog on the couch", "dg", ROOM, []),
        ("the glass next to the knife", "gl1", ROOM, []),  # the other glass touches it only from above
        ("the glass next to the knife", "gl2", ROOM, []),
        ("the kite above the person in the middle", "k1", BEACH, ["relation"]),
        ("the kite above the person in the middle", "k2", BEACH, []),
        ("the person directly below the kite on the left", "pb", BEACH, ["relation"]),
        ("the person directly below the kite on the left", "pa", BEACH, []),
        ("the second sheep from the right in the row", "sh2", FIELD, []),
        ("the second sheep from the right in the row", "sh3", FIELD, ["ordinal"]),
    ],
)
def test_landmarks_and_rows(text: str, target: str, scene: list[SpatialObject], want: list[str]) -> None:
    assert kinds(text, target, scene) == want


# a kitchen: a bowl with an apple in it and an empty one; a street: a dog in front of a car, one far off; a pole
YARD = [
    _o("bw1", "bowl", (100, 300, 250, 380)),
    _o("ap", "apple", (150, 310, 200, 350)),
    _o("bw2", "bowl", (400, 300, 550, 380)),
    _o("cr", "car", (200, 60, 500, 250)),
    _o("dd", "dog", (300, 200, 360, 280)),
    _o("dd2", "dog", (600, 200, 660, 280)),
    _o("po", "pole", (720, 20, 750, 440)),
    _o("bi1", "bird", (670, 100, 710, 130)),
    _o("bi2", "bird", (560, 20, 600, 50)),
]


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the bowl that is empty", "bw1", ["empty"]),
        ("the bowl that is empty", "bw2", []),
        ("the dog that is not in front of the car", "dd", ["behind"]),  # overlapping it, alone of its kind
        ("the dog that is not in front of the car", "dd2", []),
        ("the bird that is not perched next to the pole", "bi1", ["next"]),
        ("the bird that is not perched next to the pole", "bi2", []),
    ],
)
def test_predicates_and_depth(text: str, target: str, want: list[str]) -> None:
    assert kinds(text, target, YARD) == want


# a park: two people on a bench, a child standing off its end; a boat with a bird high over it, one with a gull on it
PARK = [
    _o("bn", "bench", (150, 300, 490, 380)),
    _o("s1", "person", (160, 200, 240, 370)),
    _o("s2", "person", (380, 190, 460, 370)),
    _o("ch", "person", (560, 280, 600, 400)),
    _o("bt1", "boat", (20, 380, 140, 440)),
    _o("fly", "bird", (60, 250, 90, 270)),
    _o("bt2", "boat", (640, 380, 780, 440)),
    _o("gull", "bird", (700, 360, 730, 385)),
]


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the child standing next to the bench", "ch", []),  # the others sit on it: not a rival beside it
        ("the bench next to the child", "bn", []),
        ("the boat with no bird on it", "bt1", []),  # the bird flies high over it
        ("the boat with no bird on it", "bt2", ["relation"]),
    ],
)
def test_what_denials_do_not_mean(text: str, target: str, want: list[str]) -> None:
    assert kinds(text, target, PARK) == want


# a shelter: an umbrella over a man and one over nobody; a dog at the man's side; a suitcase against one of three
# travellers; two bottles by three cups; a dog level with a woman and a cat, but far below both
SHELTER = [
    _o("um1", "umbrella", (60, 40, 200, 120)),
    _o("man", "person", (90, 100, 170, 400)),
    _o("um2", "umbrella", (300, 40, 440, 120)),
    _o("pet", "dog", (175, 330, 240, 400)),
    _o("pet2", "dog", (320, 330, 385, 400)),
    _o("t1", "person", (460, 140, 520, 420)),
    _o("bag", "suitcase", (530, 350, 575, 420)),
    _o("t2", "person", (680, 150, 740, 420)),
]
TABLE = [
    *[_o(f"cup{k}", "cup", (60 + 90 * k, 250, 100 + 90 * k, 300)) for k in range(3)],
    _o("bo1", "bottle", (300, 150, 340, 300)),
    _o("bo2", "bottle", (600, 150, 640, 300)),
    _o("wo", "person", (380, 60, 460, 250)),
    _o("kit", "cat", (620, 320, 680, 370)),
    _o("hd", "dog", (150, 340, 230, 400)),
    _o("hd2", "dog", (500, 280, 560, 330)),
]


@pytest.mark.parametrize(
    ("text", "target", "scene", "want"),
    [
        ("the umbrella that nobody is standing under", "um1", SHELTER, ["relation"]),
        ("the umbrella that nobody is standing under", "um2", SHELTER, []),
        ("the man with no dog at his side", "man", SHELTER, ["next"]),
        ("the man which not have any dog beside", "man", SHELTER, ["next"]),  # the pronoun left out
        ("the person next to the suitcase", "t2", SHELTER, ["next"]),  # t1 stands right beside it
        ("the person next to the suitcase", "t1", SHELTER, []),
        ("the person who stand far away of the suitcase", "t1", SHELTER, ["next"]),  # a learner's "of"
        ("the person who stand far away of the suitcase", "man", SHELTER, []),
        ("the bottle closest to the cups", "bo2", TABLE, ["nearest"]),
        ("the bottle closest to the cups", "bo1", TABLE, []),
        ("the dog between the woman and the cat", "hd", TABLE, ["between"]),  # between them up and down only
        ("the dog between the woman and the cat", "hd2", TABLE, []),
    ],
)
def test_places_of_people_and_groups(text: str, target: str, scene: list[SpatialObject], want: list[str]) -> None:
    assert kinds(text, target, scene) == want


# a terrace: a man sitting under one of two umbrellas; books, a cup standing on the middle one
TERRACE = [
    _o("ua", "umbrella", (60, 40, 220, 120)),
    _o("ub", "umbrella", (400, 40, 560, 120)),
    _o("sit", "person", (440, 150, 520, 380)),
    *[_o(f"vol{k}", "book", (100 + 60 * k, 300, 155 + 60 * k, 380)) for k in range(3)],
    _o("tea", "cup", (170, 255, 205, 300)),
]


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the umbrella the man is sitting under", "ua", ["relation"]),
        ("the umbrella the man is sitting under", "ub", []),
        ("the man the umbrella on the right is above", "sit", []),
        ("the book the cup is standing on", "vol0", ["with"]),
        ("the book the cup is standing on", "vol1", []),
    ],
)
def test_stranded_places(text: str, target: str, want: list[str]) -> None:
    assert kinds(text, target, TERRACE) == want


# a café: a man sits on one of three chairs, a woman stands between the two empty ones
CAFE = [
    _o("cha", "chair", (100, 250, 190, 380)),
    _o("sat", "person", (110, 120, 180, 360)),
    _o("chb", "chair", (400, 250, 490, 380)),
    _o("she", "person", (540, 100, 600, 400)),
    _o("chc", "chair", (700, 250, 790, 380)),
]


def test_a_man_on_a_chair_is_no_rival_beside_it() -> None:
    assert kinds("the chair next to the woman", "chb", CAFE) == []  # the other chair has a man on it, not beside it
    assert kinds("the chair next to the woman", "chc", CAFE) == []


# a waiting room: three chairs, a woman sitting on the second one holding a mug; three people, one with a bag
ROOMS = [
    *[_o(f"seat{k}", "chair", (60 + 150 * k, 250, 160 + 150 * k, 400)) for k in range(3)],
    _o("wa", "person", (220, 120, 300, 390)),
    _o("mg", "cup", (250, 200, 275, 230)),
    _o("bag", "backpack", (640, 150, 680, 220)),
    _o("pp1", "person", (500, 100, 560, 420)),
    _o("pp2", "person", (620, 150, 690, 420)),
    _o("pp3", "person", (730, 50, 790, 420)),
]


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the woman who sit on the middle chair, hold a mug", "wa", []),  # the chair's place, not hers
        ("the woman who sit on the third chair, hold a mug", "wa", ["with"]),
        ("the bag that the third person from the left is carrying", "bag", []),  # the person's rank, not the bag's
        ("the bag that the second person from the left is carrying", "bag", ["with"]),  # pp1 (wa is first) has none
        ("the second bag from the left", "bag", ["ordinal"]),  # there is one bag
        ("the second most tall person", "pp1", []),  # second tallest
        ("the second most tall person", "pp3", ["ordinal"]),  # the tallest
        ("the commuter carrying a backpack", "pp2", []),  # an unknown head noun: the backpack is what it carries
        ("the backpack on the right", "bag", []),
    ],
)
def test_position_words_of_a_later_noun(text: str, target: str, want: list[str]) -> None:
    assert kinds(text, target, ROOMS) == want


# a bedroom drawn with things standing on edges: a bear on the bed's top edge, one on the floor; a bowl with an
# orange on its rim, an empty one
BEDROOM = [
    _o("bed", "bed", (100, 250, 540, 430)),
    _o("tb1", "teddy bear", (130, 190, 190, 250)),
    _o("tb2", "teddy bear", (580, 370, 640, 430)),
    _o("bwl", "bowl", (600, 100, 700, 150)),
    _o("ora", "orange", (630, 60, 670, 100)),
    _o("bwl2", "bowl", (700, 300, 790, 350)),
]


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the teddy bear which is not on the bed", "tb1", ["with"]),  # standing on its top edge
        ("the teddy bear which is not on the bed", "tb2", []),
        ("the empty bowl", "bwl", ["empty"]),  # an orange on its rim
        ("the empty bowl", "bwl2", []),
    ],
)
def test_things_drawn_on_an_edge(text: str, target: str, want: list[str]) -> None:
    assert kinds(text, target, BEDROOM) == want


# a quay: four boats in a row
QUAY = [_o(f"bo{k}", "boat", (40 + 180 * k, 300, 180 + 180 * k, 380)) for k in range(4)]


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the rightmost of four boats", "bo3", []),
        ("the rightmost of five boats", "bo3", ["count"]),  # no article
        ("the third boat of four", "bo2", []),
        ("the third boat of three", "bo2", ["count"]),
        ("the biggest boat among the five", "bo2", ["count", "size"]),  # four boats of one size: none biggest
        ("the boat at the end of a row of six boats", "bo3", ["count"]),  # at least six
        ("the boat at the end of a row of three boats", "bo3", []),  # a row of three among four: not contradicted
    ],
)
def test_counts_without_an_article(text: str, target: str, want: list[str]) -> None:
    assert sorted(kinds(text, target, QUAY)) == sorted(want)


def test_above_means_over_it() -> None:
    """'the lamp above the car' of a lamp clear across of the car and right over a bus: it is above the bus; a lamp
    over nothing else may stand diagonally above the car."""
    street = [
        _o("car", "car", (200, 300, 320, 380)),
        _o("bus", "bus", (330, 200, 560, 380)),
        _o("lp1", "traffic light", (400, 40, 430, 120)),
        _o("lp2", "traffic light", (160, 40, 190, 120)),
    ]
    assert kinds("the traffic light above the car", "lp1", street) == ["relation"]  # over the bus instead
    assert kinds("the traffic light above the car", "lp2", street) == []  # diagonally above it, over nothing else


def test_in_front_of_the_named_one_not_the_one_it_overlaps() -> None:
    """'the car in front of the first bus' of a car just past the first bus, overlapping the second one."""
    depot = [
        _o("bs1", "bus", (10, 120, 200, 340)),
        _o("bs2", "bus", (220, 100, 420, 350)),
        _o("cr", "car", (205, 300, 305, 380)),
        _o("cr2", "car", (60, 300, 160, 380)),
    ]
    assert kinds("the car in front of the first bus", "cr", depot) == ["behind"]
    assert kinds("the car in front of the second bus", "cr", depot) == []


def test_a_rider_is_on_the_mount() -> None:
    """'the person riding the elephant': the one on it, not the one standing before it with feet lower down."""
    yard = [
        _o("el", "elephant", (200, 180, 400, 380)),
        _o("on", "person", (260, 80, 330, 250)),
        _o("fr", "person", (230, 300, 290, 440)),
    ]
    assert kinds("the person riding the elephant", "on", yard) == []
    assert kinds("the person riding the elephant", "fr", yard) == ["with"]


def test_depth_by_the_feet_of_things_on_the_ground() -> None:
    """'the man in front of the horse' standing further back (feet higher in the image) is behind it; a man seated
    behind a laptop on a desk has his feet lower than the laptop and is still behind it."""
    field = [
        _o("hor", "horse", (300, 200, 500, 380)),
        _o("back", "person", (380, 120, 430, 330)),
        _o("fore", "person", (320, 180, 370, 430)),
        _o("lap", "laptop", (60, 200, 220, 300)),
        _o("usr", "person", (80, 60, 200, 400)),
    ]
    assert kinds("the man standing in front of the horse", "back", field) == ["behind"]
    assert kinds("the man standing in front of the horse", "fore", field) == []
    assert kinds("the man sitting behind the laptop", "usr", field) == []
