"""The spatial checker on the grammar of free prose, not on single texts: ordinals from either side,
comparatives and superlatives, relative clauses, negation scope, group nouns, sides of bodies and
viewers, seats and landmarks that a superlative singles out. Each case states what the boxes make
true; a faithful phrasing must not be contradicted, a false one must be, with the claim's type."""

from __future__ import annotations

import pytest

from hoiscribe.expressions import spatial_scope as scope
from hoiscribe.expressions.spatial import SpatialObject, check_expression
from hoiscribe.expressions.spatial_parse import parse_expression
from hoiscribe.expressions.spatial_words import tokens_at

SIZE = (640, 480)
# four cups in a row, a to d from the left, c the largest; a plate right of d, touching it;
# a person at each side above the cups (n on the left, m on the right, m the larger)
ROW = [
    SpatialObject("a", "cup", (40, 300, 100, 370)),
    SpatialObject("b", "cup", (140, 300, 200, 370)),
    SpatialObject("c", "cup", (250, 295, 320, 375)),
    SpatialObject("d", "cup", (380, 300, 440, 370)),
    SpatialObject("k", "plate", (450, 320, 520, 370)),
    SpatialObject("m", "person", (480, 40, 630, 300)),
    SpatialObject("n", "person", (10, 30, 150, 290)),
]
# three chairs, h3 with a person sitting on it; a couch with a person on it; a standing person p3
SEATS = (1000, 600)
ROOM = [
    SpatialObject("h1", "chair", (50, 300, 150, 500)),
    SpatialObject("h2", "chair", (200, 300, 300, 500)),
    SpatialObject("h3", "chair", (650, 300, 750, 500)),
    SpatialObject("ps", "person", (640, 150, 760, 460)),
    SpatialObject("cc", "couch", (780, 300, 990, 520)),
    SpatialObject("p2", "person", (800, 180, 900, 480)),
    SpatialObject("p3", "person", (400, 100, 480, 520)),
]
# two rows: oranges above apples; a watermelon, the biggest fruit, on the right
FRUIT = (900, 600)
STAND = [
    *(SpatialObject(f"o{k}", "orange", (100 + 120 * k, 100, 180 + 120 * k, 180)) for k in range(4)),
    *(SpatialObject(f"a{k}", "apple", (100 + 120 * k, 300, 180 + 120 * k, 380)) for k in range(3)),
    SpatialObject("w", "watermelon", (600, 250, 850, 450)),
]


def kinds(text: str, target: str, objects: list[SpatialObject] = ROW, size: tuple[int, int] = SIZE) -> list[str]:
    obj = next(o for o in objects if o.id == target)
    return [c["type"] for c in check_expression(text, obj, objects, size).contradictions]


FAITHFUL = [
    # ordinals from either side, written many ways
    ("the second cup from the right", "c"),
    ("the last but one cup", "c"),
    ("the cup second-to-last", "c"),
    ("the second last cup", "c"),
    ("the cup before the last", "c"),
    ("the cup that is last but one from the left", "c"),
    ("third one counting from the left", "c"),
    ("counting from the left, the third cup", "c"),
    ("from the right, the second cup", "c"),
    ("the second one on the right", "c"),
    ("cup number 3 from the left", "c"),
    ("the third cup, counted from the right", "b"),
    ("the cup that is second closest to the plate", "c"),
    ("the second largest cup", "b"),  # c (70x80) is the largest; a, b, d (60x70) tie: unknown, never false
    # comparatives and superlatives
    ("the cup furthest to the left", "a"),
    ("the cup most far from plate", "a"),
    ("the closest cup to the plate", "d"),
    ("the cup that is not the nearest one to the plate", "a"),
    ("the cup more close to plate than others", "d"),
    ("the most big cup", "c"),
    ("the cup at the right end", "d"),
    ("the cup at the end of the row", "a"),
    ("the bigger of the two people", "m"),
    # relative clauses and exclusions
    ("the cup which is not located at the far right", "c"),
    ("the cup other than the leftmost one", "b"),
    ("any cup but the leftmost", "c"),
    ("the cup to the right of the second cup", "c"),
    ("the cup right of the leftmost cup", "b"),
    # negation scope: a clause boundary or an unexplained word ends it
    ("the cup, not the one on the far left", "b"),
    ("the cup that is not red, on the left", "a"),
    ("the person who is not wearing a hat on the right", "n"),
    ("neither the leftmost nor the rightmost cup", "b"),
    ("the non-leftmost cup next to the plate", "d"),
    # sides of a body or of a person's own view are not places in the image
    ("the person raising his right hand", "n"),
    ("the man with his left arm up", "m"),
    ("the person whose left hand is on the table", "m"),
    ("the person on her own right", "n"),
    ("from her point of view, the cup on the right", "a"),
    ("the cup on the viewer's left", "a"),
    # words after an object noun that are not its head
    ("the cup more to the right than the others", "d"),
]

FALSE = [
    ("the second cup from the right", "b", "ordinal"),
    ("the last but one cup", "b", "ordinal"),
    ("the second-to-last cup", "b", "ordinal"),
    ("the cup before the last", "b", "ordinal"),
    ("counting from the left, the third cup", "b", "ordinal"),
    ("cup number 3 from the left", "d", "ordinal"),
    ("the cup that is the second closest to the plate", "d", "nearest"),
    ("the cup furthest to the left", "b", "side"),
    ("the closest cup to the plate", "a", "nearest"),
    ("the cup most far from plate", "d", "nearest"),
    ("the cup the most close to the plate", "a", "nearest"),
    ("the most big cup", "a", "size"),
    ("the cup at the right end", "c", "side"),
    ("the cup at the end of the row", "b", "end"),
    ("the cup other than the leftmost one", "a", "side"),
    ("any cup but the leftmost", "a", "side"),
    ("the cup right of the leftmost cup", "a", "relation"),
    ("the cup, not the one on the far left", "a", "side"),
    ("the cup that is not the second from the left", "b", "ordinal"),
    ("the cup which is not the last one", "d", "ordinal"),
    ("the person who is not the one on the left", "n", "side"),
    ("the cup which do not stand next to plate", "d", "next"),
    ("the cup between two other cups", "a", "between"),
    ("the cup right to the plate", "d", "relation"),
]


@pytest.mark.parametrize(("text", "target"), FAITHFUL)
def test_faithful_phrasings_are_not_contradicted(text: str, target: str) -> None:
    assert kinds(text, target) == [], text


@pytest.mark.parametrize(("text", "target", "kind"), FALSE)
def test_false_phrasings_are_contradicted(text: str, target: str, kind: str) -> None:
    assert kind in kinds(text, target), (text, kinds(text, target))


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the empty chair", "h1", []),
        ("the empty chair", "h3", ["with"]),
        ("the unoccupied chair on the right", "h3", ["with"]),
        ("the chair which is not occupied", "h3", ["with"]),
        ("the chair that is not empty", "h3", []),
        ("the chair nobody is sitting on", "h3", ["with"]),
        ("the chair nobody is sitting on", "h1", []),
        ("the chair where nobody sits", "h3", ["with"]),
        ("the chair the person is sitting on", "h1", ["with"]),
        ("the chair the person is sitting on", "h3", []),
        ("the person not sitting on the couch", "p2", ["with"]),
        ("the person who is standing, not sitting on the couch", "p3", []),
        ("the person without a chair", "p3", []),
        ("the couch with nobody on board", "cc", ["with"]),
    ],
)
def test_seats_and_negated_occupants(text: str, target: str, want: list[str]) -> None:
    assert kinds(text, target, ROOM, SEATS) == want, text


@pytest.mark.parametrize(
    ("text", "target", "want"),
    [
        ("the orange above the leftmost apple", "o0", []),
        ("the orange above the leftmost apple", "o2", ["relation"]),  # above an apple, but not the leftmost
        ("the smallest fruit on the stand", "w", ["size"]),  # a group noun compares every fruit
        ("the biggest fruit", "w", []),
        ("the fruit on the far right", "w", []),
        ("the second fruit from the right", "w", ["ordinal"]),
        ("the orange directly above the second apple", "o1", []),
    ],
)
def test_landmarks_singled_out_and_group_nouns(text: str, target: str, want: list[str]) -> None:
    assert kinds(text, target, STAND, FRUIT) == want, text


def test_a_claim_after_a_comma_describes_the_referent() -> None:
    """'... in front of the others, at the bottom of the picture': not the others' position."""
    sheep = [SpatialObject(k, "sheep", (60 + 160 * k, 350, 180 + 160 * k, 440)) for k in range(4)]
    high = SpatialObject(9, "sheep", (600, 100, 680, 160))
    objs = [*sheep, high]
    text = "the sheep that is standing in front of the others, at the bottom of the picture"
    found = [c["type"] for c in check_expression(text, high, objs, (1000, 600)).contradictions]
    assert found == ["behind", "side"]  # in line with the right one, its feet far higher: further back, not in front
    glued = "the sheep in front of the others at the bottom of the picture"  # no comma: may describe them
    found = [c["type"] for c in check_expression(glued, high, objs, (1000, 600)).contradictions]
    assert found == ["behind"]  # the side may be theirs; its depth is false whichever reading


def test_ordinal_phrases_read_their_rank() -> None:
    def rank(text: str) -> tuple[int, int] | None:
        return scope.ordinal_at(text.split(), 0)

    assert rank("last but one") == (-2, 3)
    assert rank("last but two") == (-3, 3)
    assert rank("second to last") == (-2, 3)
    assert rank("third from last") == (-3, 3)
    assert rank("second last") == (-2, 2)
    assert rank("number 3") == (3, 2)
    assert rank("before the last") == (-2, 3)
    assert rank("2nd") == (2, 1)
    assert rank("left") is None
    assert scope.counts_other(["the", "second", "row"], 2)  # counts rows, not the referent


def test_negation_reaches_to_the_clause_boundary_only() -> None:
    text = "the cup that is not red, on the left"
    toks = tokens_at(text)
    not_at = [t.low for t in toks].index("not")
    assert toks[scope.negation_reach(text, toks, not_at)].low == "red"
    parsed = parse_expression("the cup that is not on the left and next to the plate", ["cup", "plate"])
    by_kind = {c.kind: c.negated for c in parsed.claims}
    assert by_kind == {"side": True, "next": False}


def test_bare_ordinals_count_along_a_row_only() -> None:
    stack = [SpatialObject(k, "book", (100 + 5 * k, 50 + 80 * k, 200 + 5 * k, 120 + 80 * k)) for k in range(4)]
    # a vertical stack: "the second book" does not say from where, so nothing is contradicted
    assert check_expression("the second book", stack[3], stack, SIZE).contradictions == []
    assert [c["type"] for c in check_expression("the second cup", ROW[2], ROW, SIZE).contradictions] == ["ordinal"]


def test_a_shirt_number_is_not_a_rank() -> None:
    assert kinds("the player number 10 on the left", "n") == []
    assert kinds("the cup in the second row", "a") == []


def test_a_negated_relation_needs_to_hold_of_every_landmark_it_may_mean() -> None:
    """'not next to the plate' with two plates, beside one of them: which plate is meant is unclear;
    'not next to any plate' means all of them."""
    objs = [
        SpatialObject("a", "cup", (40, 300, 100, 370)),
        SpatialObject("b", "cup", (300, 300, 360, 370)),
        SpatialObject("p1", "plate", (105, 310, 180, 370)),
        SpatialObject("p2", "plate", (500, 310, 580, 370)),
    ]
    assert kinds("the cup that is not next to the plate", "a", objs) == []
    assert kinds("the cup that is not next to any plate", "a", objs) == ["next"]
    assert kinds("the cup that is not next to any plate", "b", objs) == []
    people = [*ROW[:4], ROW[5], ROW[6]]
    assert kinds("the cup that is not below the person", "a", people) == []  # below n, not below m
    assert kinds("the cup that is not below any person", "a", people) == ["relation"]


def test_comparatives_among_more_than_two_are_graded() -> None:
    """'the cup closer to the plate' of four cups: false only of the farthest one; of two, the nearer."""
    assert kinds("the cup closer to the plate", "c") == []  # not the closest, but closer than a and b
    assert kinds("the cup closer to the plate", "a") == ["nearest"]
    assert kinds("the bigger cup", "b") == []  # of four: graded, not a superlative
    two = [ROW[0], ROW[2], ROW[4]]
    assert kinds("the cup closer to the plate", "a", two) == ["nearest"]
    assert kinds("the bigger cup", "a", two) == ["size"]


def test_a_possessor_is_not_the_referent() -> None:
    assert kinds("the man's cup on the left", "a") == []
    assert kinds("the man's cup on the left", "d") == ["side"]


def test_an_end_is_read_along_a_row_only() -> None:
    queue = [SpatialObject(k, "person", (300 + 10 * k, 40 + 100 * k, 360 + 10 * k, 120 + 100 * k)) for k in range(4)]
    assert check_expression("the person at the end of the line", queue[1], queue, SIZE).contradictions == []


def test_near_allows_above_and_below_beside_does_not() -> None:
    objs = [
        SpatialObject("m1", "cup", (150, 280, 210, 350)),
        SpatialObject("m2", "cup", (560, 290, 610, 350)),
        SpatialObject("ph", "cell phone", (540, 370, 600, 400)),  # just under m2
    ]
    assert kinds("the cup not near the phone", "m2", objs, (800, 600)) == ["next"]
    assert kinds("the cup that is not beside the phone", "m2", objs, (800, 600)) == []  # under it, not beside
    assert kinds("the cup which is further from the phone", "m2", objs, (800, 600)) == ["nearest"]


def test_a_plain_side_picks_one_landmark_of_two_only() -> None:
    lights = [
        SpatialObject("t1", "traffic light", (270, 60, 300, 180)),
        SpatialObject("t2", "traffic light", (780, 50, 810, 170)),
        SpatialObject("c1", "car", (200, 350, 380, 470)),
        SpatialObject("c3", "car", (700, 355, 900, 470)),
    ]
    assert kinds("the car under the left traffic light", "c1", lights, (1200, 600)) == []
    assert kinds("the car under the left traffic light", "c3", lights, (1200, 600)) == ["relation"]
    three = [*lights, SpatialObject("t3", "traffic light", (1000, 50, 1030, 170))]
    assert kinds("the car under the right traffic light", "c3", three, (1200, 600)) == []  # of three: unclear


def test_left_of_an_unknown_landmark_claims_no_side() -> None:
    assert kinds("the cup next to the plate, the man stands on the left of it", "d") == []
    assert kinds("the cup on the left of the road", "d") == []
    assert kinds("the cup on the left of the picture", "d") == ["side"]


def test_ordinals_on_shelves_count_along_the_row() -> None:
    """Jars on two shelves: 'on the top shelf' counts along that row; with no row named, a rank that
    holds in the row or across all jars is not contradicted."""
    jars = [
        *(SpatialObject(f"u{k}", "jar", (100 + 120 * k, 50, 160 + 120 * k, 130)) for k in range(4)),
        *(SpatialObject(f"d{k}", "jar", (160 + 120 * k, 250, 220 + 120 * k, 330)) for k in range(3)),
    ]
    assert kinds("the second jar from the left on the top shelf", "u1", jars) == []
    assert kinds("the second jar from the left on the top shelf", "u2", jars) == ["ordinal"]
    assert kinds("the second jar from the left", "u1", jars) == []  # second on its shelf, third overall
    assert kinds("the second jar from the left", "u3", jars) == ["ordinal"]


def test_a_generic_noun_counts_every_object() -> None:
    mixed = [ROW[0], SpatialObject("bk", "book", (140, 300, 200, 370)), ROW[2]]
    assert kinds("the third object from the left", "c", mixed) == []
    assert kinds("the third object from the left", "bk", mixed) == ["ordinal"]


def test_a_claim_after_an_unknown_landmark_may_describe_it() -> None:
    """'the man next to the tree on the right': the lexicon has no tree, so 'on the right' may be the
    tree's; clothing moves with its wearer, and a comma gives the side back to the man."""
    people = [SpatialObject("a", "person", (40, 100, 140, 470)), SpatialObject("b", "person", (400, 100, 500, 470))]
    assert kinds("the man next to the tree on the right", "a", people) == []
    assert kinds("the man standing near an old wooden fence on the right side", "a", people) == []
    assert kinds("the man in a red shirt on the right", "a", people) == ["side"]
    assert kinds("the man, next to the tree, on the right", "a", people) == ["side"]


def test_a_queue_has_no_known_front() -> None:
    assert kinds("the first person in the queue", "m") == []  # the front may be on either side
    assert kinds("the first person in the queue, on the left", "m") == ["ordinal"]


def test_hyphenated_sides_keep_their_spans() -> None:
    text = "the cup that is left-most, next to the person"
    (c,) = check_expression(text, ROW[2], ROW, SIZE).contradictions
    assert c["span"] == text[c["start"] : c["end"]] == "left-most"
    assert kinds("the right-hand cup", "d") == [] and kinds("the right-hand cup", "a") == ["side"]
    assert kinds("the left-handed person", "m") == []  # handedness, not a side
    assert kinds("the shorter of the two people", "m") == []  # both 260 px tall: a tie, never false
    assert kinds("the narrower of the two people", "m") == ["size"]


def test_above_and_below_are_not_far_off_to_a_side() -> None:
    """'below the knife' holds diagonally below it when nothing else is right under it; 'above the first
    car' does not hold of a light at the other end of the street."""
    kitchen = [SpatialObject("ov", "oven", (600, 300, 780, 560)), SpatialObject("kn", "knife", (510, 330, 590, 345))]
    assert kinds("the oven below the knife", "ov", kitchen, (800, 600)) == []
    street = [
        SpatialObject("t1", "traffic light", (270, 60, 300, 180)),
        SpatialObject("t2", "traffic light", (780, 50, 810, 170)),
        *(SpatialObject(f"c{k}", "car", (50 + 255 * k, 350, 250 + 255 * k, 470)) for k in range(3)),
    ]
    assert kinds("the traffic light above the first car", "t2", street, (1200, 600)) == ["relation"]
    assert kinds("the traffic light above the second car", "t1", street, (1200, 600)) == []


def test_a_noun_inside_a_phrase_is_not_taken_for_the_referent() -> None:
    """'the pooch on the bench': the lexicon has no pooch, and the bench is where it is, not what it is;
    'the one next to the dog' names no kind; a fronted phrase leaves the referent to a later noun."""
    objs = [
        SpatialObject("d", "dog", (40, 300, 140, 370)),
        SpatialObject("b", "bench", (20, 330, 300, 420)),
        SpatialObject("c", "cup", (400, 300, 440, 340)),
        SpatialObject("t", "dining table", (350, 330, 600, 450)),
        SpatialObject("c2", "cup", (200, 100, 240, 140)),
    ]
    assert kinds("the pooch on the bench", "d", objs) == []
    assert kinds("the thing on the table", "c", objs) == []
    assert kinds("the one next to the dog", "c2", objs) == []
    assert kinds("the dog on the bench", "c", objs) == ["category"]
    assert kinds("sitting on the bench, the dog", "d", objs) == []
    assert kinds("sitting on the bench, the dog", "c", objs) == ["category"]
    assert kinds("on the table, the cup on the left", "c", objs) == ["side"]
    assert kinds("womans on the bench", "d", [*objs, SpatialObject("w", "person", (50, 100, 120, 320))]) == [
        "category"
    ]  # a learner's plural still names a person
