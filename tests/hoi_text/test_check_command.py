"""``hoiscribe check`` through typer's CliRunner, and facts rebuilt from merged records."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

from hoiscribe.catalog import read_dataset
from hoiscribe.cli.check import check
from hoiscribe.datasets.hico import read_hico
from hoiscribe.datasets.seed import seed_record
from hoiscribe.hoi_text.facts import sample_facts
from hoiscribe.hoi_text.grounded import describe, refine
from hoiscribe.hoi_text.record_facts import facts_for_records, facts_from_record

app = typer.Typer()
app.command("check")(check)
runner = CliRunner()


def merged(demo_root: Path) -> list[dict[str, Any]]:
    """Demo samples as merged records, with the grounded engine's texts."""
    out = []
    for s in read_dataset("demo", demo_root).samples:
        facts = sample_facts(s)
        rec = dict(seed_record(s), sample_id=s.sample_id)
        rec["description"] = describe(facts, random.Random(0))
        rec["refined_description"] = refine(facts, random.Random(0))
        out.append(rec)
    return out


def test_facts_from_record_equal_sample_facts(demo_root: Path, hico_root: Path) -> None:
    samples = read_dataset("demo", demo_root).samples + read_hico(hico_root).samples[:40]
    for s in samples:
        rec = dict(seed_record(s), sample_id=s.sample_id, people_in_image=s.extra["people_in_image"])
        # a lone record cannot know the other labels of its pair; everything else is the same
        expected = {k: v for k, v in sample_facts(s).items() if k != "pair_verbs"}
        assert facts_from_record(rec) == expected, s.sample_id
    # from the whole file, the pair context matches the reader's too
    records = [dict(seed_record(s), sample_id=s.sample_id) for s in samples]
    from_file = facts_for_records(records)
    context = ("person_parts", "person_verbs", "object_counts", "image_object_counts")
    assert [{k: v for k, v in f.items() if k not in context} for f in from_file] == [sample_facts(s) for s in samples]
    assert any("person_parts" in f for f in from_file)  # and which parts each person uses in any label
    assert any(f["object_counts"] for f in from_file)  # and its annotated objects per category, a lower bound
    rider = facts_from_record(seed_record(samples[0]))
    assert "left foot" in rider["hidden_parts"] and rider["keypoints_known"]


def test_file_context_counts_people_and_pair_labels(hico_root: Path) -> None:
    samples = read_hico(hico_root).samples
    records = [seed_record(s) for s in samples]
    facts = facts_for_records(records)
    assert [f["people_in_image"] for f in facts] == [s.extra["people_in_image"] for s in samples]
    # the first image's person straddles, rides, races and sits on one motorcycle: one pair, four labels
    assert {"ride", "straddle", "sit_on"} <= set(facts[0]["pair_verbs"])


def test_check_prints_summary_and_writes_results(demo_root: Path, tmp_path: Path) -> None:
    records = merged(demo_root)
    records[0]["description"] += "\n- The left foot is on the pedal."  # the rider's left foot is hidden
    records[1]["description"] = "She is not holding the cup. A woman is washing a cup."
    records[2]["description"] = None  # stage failed for this record
    records[3]["width"] = "wide"  # bad field
    src = tmp_path / "merged.json"
    src.write_text(json.dumps(records))
    out = tmp_path / "out" / "grounding.json"
    result = runner.invoke(app, ["--input", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Records: {len(records)}, checked: {len(records) - 2}" in result.output
    assert "Records with a contradiction: 2" in result.output
    for kind in ("negation", "wrong_verb"):
        assert kind in result.output
    assert "invisible_part" in result.output or "left_right_swap" in result.output  # the hidden left foot
    rows = json.loads(out.read_text())
    assert len(rows) == len(records)
    assert rows[1]["grounding"]["contradicted"] == 2
    assert {c["type"] for c in rows[1]["grounding"]["contradictions"]} == {"negation", "wrong_verb"}
    assert "no text" in rows[2]["skipped"] and "width" in rows[3]["skipped"]
    assert all(r["grounding"]["contradicted"] == 0 for r in rows[4:])


def test_check_other_field_and_bad_input(demo_root: Path, tmp_path: Path) -> None:
    src = tmp_path / "merged.json"
    src.write_text(json.dumps(merged(demo_root)))
    result = runner.invoke(app, ["--input", str(src), "--field", "refined_description"])
    assert result.exit_code == 0, result.output
    assert "Field: refined_description" in result.output and "Records with a contradiction: 0 (0.0%)" in result.output
    src.write_text(json.dumps({"not": "a list"}))
    result = runner.invoke(app, ["--input", str(src)])
    assert result.exit_code == 2 and "expected a JSON list" in result.output
