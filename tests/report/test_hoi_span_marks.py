"""The report marks exactly the contradicted clause of an HOI text, not its whole sentence."""

from __future__ import annotations

from pathlib import Path

from hoiscribe.catalog import read_dataset
from hoiscribe.hoi_text.checker import check_text
from hoiscribe.hoi_text.facts import sample_facts
from hoiscribe.report.highlight import CONTRADICTED, Mark, segments


def test_contradicted_span_is_marked_alone(demo_root: Path) -> None:
    cup = next(s for s in read_dataset("demo", demo_root).samples if "hold_cup" in s.file_name)
    text = "A woman stands in the kitchen, her left hand holds the mug, and the radio plays."
    report = check_text(text, sample_facts(cup))  # HAKE: the right hand holds the cup
    marks = [Mark(d["claim"], CONTRADICTED, f"{d['type']}: {d['why']}") for d in report.as_dict()["contradictions"]]
    marked = [s for s in segments(text, marks) if s.mark is not None]
    assert [s.text for s in marked] == ["her left hand holds the mug"]
    assert marked[0].mark is not None and "left_right_swap" in marked[0].mark.note
