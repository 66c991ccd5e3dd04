"""ODVG grounding lines from Real-Data: caption spans, multi-box regions and negatives in the text."""

from __future__ import annotations

from hoiscribe.expressions.lod.demo import demo_realdata_lines
from hoiscribe.expressions.odvg import odvg_lines


def test_odvg_lines_from_demo_realdata() -> None:
    real = demo_realdata_lines()
    lines = odvg_lines(real)
    n_pos = sum(len(p["positive_expressions"]) for r in real for p in r["pairs"].values())
    assert len(lines) == n_pos
    for line in lines:
        g = line["grounding"]
        (region,) = g["regions"]
        ((start, end),) = region["tokens_positive"]
        assert g["caption"][start:end] == region["phrase"] and g["caption"].endswith(".")
    cups = next(x for x in lines if x["grounding"]["regions"][0]["phrase"] == "the cups")
    assert len(cups["grounding"]["regions"][0]["bbox"]) == 3  # `multiple`: every cup's box
    single = next(x for x in lines if x["grounding"]["regions"][0]["phrase"] == "the second cup from the left")
    assert len(single["grounding"]["regions"][0]["bbox"]) == 4  # one [x1, y1, x2, y2] box
    assert "the leftmost cup" in single["grounding"]["caption"]  # its negatives ride along unlabelled
