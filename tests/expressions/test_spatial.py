"""The spatial checker: claims read from text, evaluated on boxes of same-category objects."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from hoiscribe.expressions.grounded import baseline_expressions, baseline_negatives
from hoiscribe.expressions.spatial import SpatialObject, check_expression
from hoiscribe.expressions.spatial_parse import parse_expression

SIZE = (640, 480)
OBJS = [
    SpatialObject(0, "cup", (10, 100, 60, 150)),
    SpatialObject(1, "cup", (200, 100, 300, 200)),
    SpatialObject(2, "cup", (400, 100, 430, 130)),
    SpatialObject(3, "sports ball", (500, 300, 540, 340)),
]


def ok(text: str, target: int, polarity: str = "positive") -> bool:
    return check_expression(text, OBJS[target], OBJS, SIZE, polarity).ok  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "good", "bad"),
    [
        ("the cup on the left", 0, 2),
        ("the rightmost cup", 2, 1),
        ("the second cup from the left", 1, 0),
        ("the cup that is third from the right", 0, 2),
        ("the largest cup", 1, 0),
        ("the smallest cup", 2, 1),
        ("the cup in the middle", 1, 2),
        ("the last cup", 2, 0),
        ("the lowest cup", 1, 2),
        ("the cup at the top", 2, 0),
    ],
)
def test_positive_claims_hold_for_one_object_only(text: str, good: int, bad: int) -> None:
    assert ok(text, good) and not ok(text, bad)


def test_ambiguity_category_and_unknown_claims() -> None:
    check = check_expression("a cup", OBJS[0], OBJS, SIZE)
    assert not check.ok and "also fits cup 1, 2" in check.problems[0]
    assert not ok("the sports ball", 0)  # names another category
    assert ok("the red cup", 0)  # colour: not checkable from boxes, never flagged
    assert ok("the ball", 3) and ok("a big sports ball", 3)  # alone of its kind: size is unknown, not wrong
    assert ok("the cup to the left of the ball", 0) is False  # all three cups are left of the ball
    assert ok("the sports ball on the right side of the image", 3)
    assert not ok("the cup at the top-left", 2) and not ok("the cup at the top-left", 0)  # each claim must hold
    parsed = parse_expression("the second cup from the left, next to the ball", ["cup", "sports ball"])
    assert parsed.referent == "cup" and [c.kind for c in parsed.claims] == ["ordinal", "next"]
    assert parsed.claims[1].landmark == "sports ball" and parsed.purely_spatial
    parsed = parse_expression("the cup facing the ball", ["cup", "sports ball"])
    assert not parsed.purely_spatial and parsed.unchecked == ("facing the ball",)  # boxes cannot settle "facing"


def test_negatives_must_not_hold_for_the_object() -> None:
    assert ok("the cup on the right", 0, "negative") and ok("the sports ball", 0, "negative")
    assert not ok("the leftmost cup", 0, "negative")
    assert ok("the red cup", 0, "negative")  # cannot be shown true of it: kept


def test_grounded_baseline_is_true_by_construction() -> None:
    for t in OBJS:
        exprs = baseline_expressions(t, OBJS, SIZE)
        assert exprs["short"]
        for text in exprs["short"] + exprs["long"]:
            check = check_expression(text, t, OBJS, SIZE)
            assert check.ok and check.holds_for == [t.id], text
        negatives = baseline_negatives(t, OBJS, SIZE)
        for text in negatives["short"] + negatives["long"]:
            assert check_expression(text, t, OBJS, SIZE, "negative").ok, text


def _bench():
    path = Path(__file__).parents[2] / "benchmarks" / "bench_expressions.py"
    spec = importlib.util.spec_from_file_location("bench_expressions", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_expressions"] = module
    spec.loader.exec_module(module)
    return module


def test_checker_flags_corrupted_expressions_on_synthetic_scenes() -> None:
    bench = _bench()
    cases = bench.synthetic_cases(120, seed=7)
    kinds = {c.kind for c in cases}
    assert {"clean", "swap_side", "wrong_ordinal", "wrong_size"} <= kinds
    pos = bench.score(cases)
    assert pos["precision"] >= 0.95 and pos["recall"] >= 0.95, pos
    neg = bench.score_negatives(cases)
    assert neg["precision"] >= 0.95 and neg["recall"] >= 0.95, neg
