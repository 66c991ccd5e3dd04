"""End to end through the CLI: the workflow on the demo scenes, then the Real-Data export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoiscribe.cli import app

CONFIG = Path(__file__).parents[2] / "configs" / "expressions-grounded.yaml"
FIXTURE = Path(__file__).parent / "data" / "demo_annotations.jsonl"
runner = CliRunner()


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_pipeline_then_realdata_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["pipeline", str(CONFIG), "--out", "tmp", "--set", "progress=false"])
    assert (tmp_path / "tmp" / "expression-demo-data" / "annotations.json").is_file()  # scenes drawn in the run dir
    assert result.exit_code == 0, result.output
    out = tmp_path / "real.jsonl"
    result = runner.invoke(app, ["merge", "--run-dir", "tmp", "--format", "realdata", "--output-path", str(out)])
    assert result.exit_code == 0, result.output
    images = _lines(out)
    assert len(images) == 8 and all(set(line) == {"filename", "height", "width", "pairs"} for line in images)
    cups = next(line for line in images if line["filename"].endswith("cups_row.png"))
    pair = cups["pairs"]["llm/1"]  # the middle cup, whose raw expression "a cup" was ambiguous
    assert pair["bboxes"] == [[250.0, 180.0, 350.0, 300.0]] and pair["relation"] == "single"
    assert pair["category"] == "cup" and pair["positive_expressions"] == ["the second cup from the left"]
    assert "the leftmost cup" in pair["negative_expressions"]
    multi = cups["pairs"]["category/cup"]
    assert multi["relation"] == "multiple" and len(multi["bboxes"]) == 3
    assert {k.split("/")[0] for k in cups["pairs"]} == {"llm", "vlm_short", "vlm_long", "grounded", "category"}
    workflow = _lines(tmp_path / "real.workflow.jsonl")
    assert len(workflow) == 28 and all(w["status"] in ("solved", "unsolved", "failed") for w in workflow)
    assert all(w["history"] and w["history"][0]["plan"] for w in workflow)
    swapped = next(w for w in workflow if w["raw_expression"] == "the cup on the left" and "bottles" in w["filename"])
    assert swapped["status"] == "solved" and swapped["expression"] == "the cup on the right"
    summary = json.loads((tmp_path / "real.summary.json").read_text())
    assert summary["spatial_pass_rate"]["final_expression"] > summary["spatial_pass_rate"]["raw_expression"]
    # resume: a second run finds every unit done and changes nothing
    before = sorted(p.stat().st_mtime_ns for p in (tmp_path / "tmp" / "stages").rglob("u*.jsonl"))
    result = runner.invoke(app, ["pipeline", str(CONFIG), "--out", "tmp", "--set", "progress=false"])
    assert result.exit_code == 0, result.output
    assert sorted(p.stat().st_mtime_ns for p in (tmp_path / "tmp" / "stages").rglob("u*.jsonl")) == before


def test_real_lod_input_with_bad_items_counts_drops_and_keeps_going(tmp_path: Path) -> None:
    items = json.loads(FIXTURE.read_text())
    items[2]["object_locations"]["chosen_object"]["bbox"][2] = 0  # zero-area
    items[3]["object_locations"]["chosen_object"]["bbox"][0] = 5000  # outside the image
    items[4]["object_locations"]["other_objects"] = [{"id": 9}]  # unknown id
    ann = tmp_path / "ann.json"
    ann.write_text(json.dumps(items))
    args = ["pipeline", str(CONFIG), "--dataset", "reallod", "--data-root", str(ann), "--out", str(tmp_path / "r"),
            "--set", "reader.require_images=false", "--set", "progress=false"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "3 record(s) dropped" in result.output
    out = tmp_path / "r.jsonl"
    assert runner.invoke(app, ["merge", "--run-dir", str(tmp_path / "r"), "--format", "realdata",
                               "--output-path", str(out)]).exit_code == 0  # fmt: skip
    workflow = _lines(tmp_path / "r.workflow.jsonl")
    statuses = [w["status"] for w in workflow]
    assert statuses.count("dropped") == 3 and statuses.count("solved") == 6
    reasons = " | ".join(w["reason"] for w in workflow if w["status"] == "dropped")
    assert "zero-area" in reasons and "outside" in reasons and "unknown id 9" in reasons
    trumpet = next(line for line in _lines(out) if "190768" in line["filename"])
    assert trumpet["pairs"]["llm/0"]["positive_expressions"] == ["a trumpet", "the trumpet is shiny"]
    assert trumpet["pairs"]["llm/0"]["bboxes"] == [[473.79, 156.4, 583.42, 217.0]]
    stats = json.loads((tmp_path / "r" / "stats.json").read_text())
    assert sum(stats["reader_drops"].values()) == 3
