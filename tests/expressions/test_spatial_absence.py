"""Issue 13 item 5, round 7: counts, the landmark a size word picks, and what is not there. Each construction
has a faithful and a false phrasing on hand-made scenes (each rule has a false one the round-6 checker misses): "the
last of the four kites" with three kites, "the two rows of four vases" with six, "right of the smaller
monitor" / "beside the bigger suitcase" (of two, that one), "the bench nobody is standing near", "the
umbrella nobody holds", "the vase that has nothing above it" / "the woman with nothing in front of her",
"the dog far (away) from the bench", "at the far left end of the bowl", "in front of / behind" a landmark
it is clear of, "beside the woman on the left" (the side names the landmark), "at position three", "bigger
than the others", "the small one", "far from everyone", "the fourth book down", "left of the surfer"."""

from __future__ import annotations

import pytest

from hoiscribe.expressions.spatial_counts import stated_counts
from tests.expressions.helpers import kinds
from tests.expressions.helpers import scene_object as _o

# a beach: three kites in the sky, six jars on a stall in two rows of three, a kid beside the stall
BEACH = [
    _o("k1", "kite", (60, 40, 120, 90)),
    _o("k2", "kite", (300, 30, 360, 80)),
    _o("k3", "kite", (600, 50, 660, 100)),
    *[
        _o(f"j{r}{c}", "vase", (100 + 60 * c, 250 + 70 * r, 140 + 60 * c, 300 + 70 * r))
        for r in (0, 1)
        for c in (0, 1, 2)
    ],
    _o("kid", "person", (420, 240, 470, 400)),
]


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the last of the three kites, on the right", "k3", []),
        ("the last of the four kites, on the right", "k3", ["count"]),
        ("the first of the two kites", "k1", ["count"]),  # a partitive names the whole kind: there are three
        ("one of the three kites in the sky", "k2", []),
        ("the kid next to the two rows of three vases", "kid", []),
        ("the kid next to the two rows of four vases", "kid", ["count"]),  # eight at least, six there
        ("the two kites", "k1", []),  # no partitive: no count claim
        ("the bigger of the two kites", "k2", ["count", "size"]),  # ranks in the whole kind; three of one size
    ],
)
def test_stated_counts(text: str, target: str, want: list[str]) -> None:
    assert kinds(text, target, BEACH) == want, text


def test_groups_are_a_lower_bound() -> None:
    assert [(n, exact) for n, _, _, _, exact in stated_counts("two groups of three kites", ["kite"])] == [(6, False)]


# an office: a small monitor on the left and a big one on the right, a phone by each, two suitcases on the floor
OFFICE = [
    _o("mon1", "tv", (40, 120, 160, 210)),
    _o("ph1", "cell phone", (175, 190, 200, 210)),
    _o("mon2", "tv", (420, 80, 700, 260)),
    _o("ph2", "cell phone", (380, 240, 405, 260)),
    _o("s1", "suitcase", (60, 300, 140, 420)),
    _o("s2", "suitcase", (500, 280, 680, 440)),
    _o("cat", "cat", (150, 360, 200, 420)),
]


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the phone right of the smaller monitor", "ph1", []),
        ("the phone right of the bigger monitor", "ph2", ["relation"]),  # it is left of the big one
        ("the phone to the left of the big monitor", "ph2", []),
        ("the phone to the left of the small monitor", "ph1", ["relation"]),
        ("the cat beside the smaller suitcase", "cat", []),
        ("the cat beside the bigger suitcase", "cat", ["next"]),  # it sits by the small one
    ],
)
def test_a_size_word_picks_the_landmark_of_two(text: str, target: str, want: list[str]) -> None:
    assert kinds(text, target, OFFICE) == want, text


# a park: two benches, a man standing right at b2; a vase on a shelf under a clock, another with nothing over it;
# a woman at a desk with a laptop before her
PARK = [
    _o("b1", "bench", (20, 300, 200, 380)),
    _o("b2", "bench", (300, 300, 480, 380)),
    _o("man", "person", (420, 180, 470, 390)),
    _o("v1", "vase", (540, 120, 580, 190)),
    _o("clock", "clock", (530, 40, 590, 100)),
    _o("v2", "vase", (640, 120, 680, 190)),
    _o("w", "person", (220, 60, 300, 250)),
    _o("lap", "laptop", (230, 200, 290, 262)),
]


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the bench that nobody is standing near", "b1", []),
        ("the bench that nobody is standing near", "b2", ["next"]),  # the man stands at it
        ("the bench that no one is waiting beside", "b2", ["next"]),
        ("the vase that has nothing above it", "v2", []),
        ("the vase that has nothing above it", "v1", ["relation"]),  # the clock hangs over it
        ("the woman with nothing in front of her", "w", ["behind"]),  # the laptop overlaps her and reaches lower
        ("the man with nothing in front of him", "man", []),  # the bench he stands by ends above his feet
    ],
)
def test_nobody_and_nothing(text: str, target: str, want: list[str]) -> None:
    assert kinds(text, target, PARK) == want, text


# a yard: a dog lying on a bench, another away from it
YARD = [
    _o("bench", "bench", (300, 250, 520, 400)),
    _o("d1", "dog", (330, 280, 420, 390)),
    _o("d2", "dog", (640, 300, 730, 390)),
]


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the dog far from the bench", "d2", []),
        ("the dog lying far away from the bench", "d1", ["next"]),  # it lies on the bench
        ("the dog that is not far from the bench", "d1", []),  # negated: no claim read
        ("the dog farthest away from the bench", "d2", []),
    ],
)
def test_far_from(text: str, target: str, want: list[str]) -> None:
    assert kinds(text, target, YARD) == want, text


# a counter: four glasses, three of them at a tray, one far off on the right away from it; a table not boxed
COUNTER = [
    _o("tray", "bowl", (80, 250, 420, 330)),
    _o("g1", "wine glass", (100, 200, 140, 300)),
    _o("g2", "wine glass", (220, 200, 260, 300)),
    _o("g3", "wine glass", (360, 200, 400, 300)),
    _o("g4", "wine glass", (700, 200, 740, 300)),
]


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the glass at the far right end of the bowl", "g3", []),  # the rightmost of those at the bowl
        ("the glass at the far left end of the bowl", "g2", ["side"]),
        ("the glass on the far right side of the table", "g4", []),  # no table box: among all glasses
        ("the glass on the far right side of the table", "g3", ["side"]),
    ],
)
def test_far_end_of_a_landmark(text: str, target: str, want: list[str]) -> None:
    assert kinds(text, target, COUNTER) == want, text


# a lot: a van, a man right at its side (overlapping it across), a woman standing clear of it by a kiosk
LOT = [
    _o("van", "truck", (100, 180, 300, 350)),
    _o("man", "person", (250, 160, 290, 380)),
    _o("kiosk", "refrigerator", (500, 120, 620, 360)),
    _o("woman", "person", (540, 150, 580, 390)),
    _o("pup", "dog", (120, 330, 170, 370)),
    _o("cat", "cat", (700, 340, 750, 380)),
]


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the person standing in front of the truck", "man", []),
        ("the person standing in front of the truck", "woman", ["behind"]),  # 200 px off to its side
        ("the person behind the cat", "man", ["behind"]),
        ("the person behind the cat", "woman", ["behind"]),  # clear of it too
        ("the person who is not behind the truck", "woman", []),
        ("the truck that does not have anybody next to it", "van", ["next"]),
        ("the truck that has nobody beside it", "van", ["next"]),
        ("the last person of the three", "woman", ["count"]),
        ("the last person of the two", "woman", []),
    ],
)
def test_in_line_and_anyone(text: str, target: str, want: list[str]) -> None:
    assert kinds(text, target, LOT) == want, text


# a plaza: a man holding umbrella u1 over his head, u2 lying on the ground apart, a bench he sits on, another
PLAZA = [
    _o("u1", "umbrella", (40, 120, 140, 170)),
    _o("man", "person", (60, 180, 120, 370)),
    _o("bench1", "bench", (20, 300, 200, 380)),
    _o("u2", "umbrella", (400, 380, 480, 420)),
    _o("bench2", "bench", (560, 300, 740, 380)),
]


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the umbrella nobody holds", "u2", []),
        ("the umbrella nobody holds", "u1", ["with"]),
        ("the umbrella that no one is holding, on the left", "u1", ["with"]),
        ("the bench no person sits on", "bench2", []),
        ("the bench no person sits on", "bench1", ["with"]),
        ("the umbrella no man is holding the bag near", "u2", []),  # a landmark follows: not stranded
    ],
)
def test_nobody_holds_it(text: str, target: str, want: list[str]) -> None:
    assert kinds(text, target, PLAZA) == want, text


# a bar: five mugs along the counter, a woman at each end, a bottle next to the second mug
BAR = [
    *[_o(f"m{k}", "cup", (60 + 150 * k, 200, 110 + 150 * k, 260)) for k in range(5)],
    _o("left", "person", (20, 100, 120, 440)),
    _o("right", "person", (600, 90, 720, 440)),
    _o("bottle", "bottle", (140, 170, 170, 260)),
]


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the mug beside the woman on the left", "m0", []),
        ("the mug beside the woman on the left", "m4", ["next"]),  # 'on the left' is false of m4: the woman's
        ("the mug closest to the woman on the right", "m4", []),
        ("the mug closest to the woman on the right", "m0", ["nearest"]),
        ("the mug on the left, next to the bottle", "m0", []),  # after a comma: the referent's side
        ("the mug at position two from the left", "m1", []),
        ("the mug at position three from the left", "m1", ["ordinal"]),
        ("the mug in spot 4 counting from the right", "m0", ["ordinal"]),
    ],
)
def test_a_side_after_the_landmark_and_positions(text: str, target: str, want: list[str]) -> None:
    assert kinds(text, target, BAR) == want, text


# a meadow: four sheep of different sizes, a dog in the middle of them
MEADOW = [
    _o("s1", "sheep", (20, 250, 120, 330)),
    _o("s2", "sheep", (150, 240, 290, 340)),
    _o("s3", "sheep", (320, 260, 380, 310)),
    _o("s4", "sheep", (450, 230, 640, 350)),
    _o("dog", "dog", (300, 330, 350, 370)),
]


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the sheep that is bigger than the others", "s4", []),
        ("the sheep that is bigger than the others", "s2", ["size"]),  # the second biggest of four
        ("the sheep bigger than all the rest", "s2", ["size"]),
        ("the bigger sheep", "s2", []),  # of four, a comparative alone is graded
        ("the sheep furthest away from the dog", "s1", []),
        ("the sheep furthest away from the dog", "s3", ["nearest"]),
    ],
)
def test_comparatives_and_far_away(text: str, target: str, want: list[str]) -> None:
    assert kinds(text, target, MEADOW) == want, text


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the sheep, not the small one", "s4", []),
        ("the sheep, not the small one", "s3", ["size"]),  # s3 is the smallest
        ("the sheep that is the small one", "s4", ["size"]),
        ("the dog that is far from everyone", "dog", []),  # nobody in the meadow
        ("the sheep far from everyone", "s4", ["next"]),
        ("the sheep with no person close to it", "s3", []),
        ("the sheep with no person close to it", "s4", ["next"]),
    ],
)
def test_small_one_everyone_close_to(text: str, target: str, want: list[str]) -> None:
    farmer = [] if target == "dog" else [_o("farmer", "person", (660, 100, 740, 400))]  # the dog's meadow: nobody
    scene = [*MEADOW, *farmer]
    assert kinds(text, target, scene) == want, text


# a stack of five books, top to bottom
STACK = [_o(f"b{k}", "book", (300, 40 + 80 * k, 420, 100 + 80 * k)) for k in range(5)]


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the fourth book down", "b3", []),
        ("the fourth book down", "b1", ["ordinal"]),
        ("the second book up", "b3", []),
        ("the second book up", "b1", ["ordinal"]),
        ("the book at the top of the stack", "b0", []),
        ("the book at the top of the stack", "b1", ["side"]),  # the second from the top is not at the top
    ],
)
def test_counting_down_a_stack(text: str, target: str, want: list[str]) -> None:
    assert kinds(text, target, STACK) == want, text


# a beach: four people, the third from the left holding a surfboard
SURF = [
    _o("a", "person", (50, 100, 150, 420)),
    _o("c", "person", (200, 110, 280, 420)),
    _o("b", "person", (400, 90, 480, 420)),
    _o("board", "surfboard", (470, 150, 530, 400)),
    _o("e", "person", (620, 110, 700, 420)),
    _o("dog", "dog", (720, 360, 780, 420)),
]


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the person to the right of the surfer", "e", []),
        ("the person to the right of the surfer", "c", ["relation"]),  # right of a, but the surfer is b
        ("the dog to the right of the surfer", "dog", []),
        ("the person right of the man", "c", []),  # no role: any other person
    ],
)
def test_a_role_noun_names_the_person_using_it(text: str, target: str, want: list[str]) -> None:
    assert kinds(text, target, SURF) == want, text


def test_nothing_on_top_means_resting_on_it() -> None:
    scene = [_o("car", "car", (100, 300, 300, 400)), _o("light", "traffic light", (180, 20, 210, 90))]
    assert kinds("the car with nothing on top of it", "car", scene) == []  # the light is high over it
    scene.append(_o("bag", "suitcase", (150, 260, 220, 305)))
    assert kinds("the car with nothing on top of it", "car", scene) == ["relation"]


# a desk: a man typing on laptop l1, laptop l2 alone at the far end
DESK = [
    _o("l1", "laptop", (40, 200, 160, 280)),
    _o("man", "person", (100, 80, 200, 440)),
    _o("l2", "laptop", (500, 200, 620, 280)),
]


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the laptop nobody is using", "l2", []),
        ("the laptop nobody is using", "l1", ["with"]),
        ("the laptop that no one is working on", "l1", ["with"]),
        ("the laptop no one is working on, on the right", "l2", []),
        ("the laptop that is not being used", "l2", []),
        ("the laptop that is not being used", "l1", ["with"]),  # the man touches it
        ("the laptop that is being used", "l2", ["with"]),
    ],
)
def test_nobody_uses_it(text: str, target: str, want: list[str]) -> None:
    assert kinds(text, target, DESK) == want, text
