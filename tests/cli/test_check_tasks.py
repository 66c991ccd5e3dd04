"""``hoiscribe check`` on pose transitions and referring expressions, and scoring labelled texts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from hoiscribe.cli import app
from hoiscribe.expressions.demo import write_expression_demo
from hoiscribe.pose.demo import write_pose_demo
from tests.pose.helpers import pose

runner = CliRunner()
REF = pose()
TGT = pose(left_knee=(40, 60), left_ankle=(-5, 115), right_elbow=(-40, -165), right_wrist=(-50, -210))


def _nested(kps: Any) -> list[list[float]]:
    return [list(map(float, row)) for row in kps.xyv]


def _pose_record(i: int, text: Any, label: str | None = None, error_type: str | None = None) -> dict[str, Any]:
    rec = {"id": f"p{i}", "text": text, "reference_keypoints": _nested(REF), "target_keypoints": _nested(TGT)}
    if label:
        rec |= {"label": label, "error_type": error_type, "style": "coach"}
    return rec


def _jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_caption_json_finds_its_keypoint_file_and_writes_spans(tmp_path: Path) -> None:
    root = write_pose_demo(tmp_path / "pd")
    captions = root / "captions" / "train.json"
    entries = json.loads(captions.read_text())
    entries[0]["sents"] = ["Bend your right knee more and lower your left hand."]  # a second, false text
    captions.write_text(json.dumps(entries))
    out = tmp_path / "res.jsonl"
    result = runner.invoke(app, ["check", "--input", str(captions), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Task: pose" in result.output and "Skipped (bad record): 1" in result.output  # the demo's bad pair
    rows = _rows(out)
    assert len(rows) == len(entries)
    bad = [r for r in rows if "skipped" in r]
    assert len(bad) == 1 and "not in the keypoint file" in bad[0]["skipped"]
    checked = [r for r in rows if "skipped" not in r]
    assert all(not r["flagged"] for r in checked[1:])  # the demo's own descriptions are true
    text = entries[0]["sents"][0]
    found = [c for item in rows[0]["fields"]["sents"] for c in item["contradictions"]]
    assert found and all(text[c["span"][0] : c["span"][1]] == c["claim"] for c in found)


def test_labelled_pose_jsonl_prints_precision_and_recall(tmp_path: Path) -> None:
    records = [
        _pose_record(0, "Raise your right arm above your head and bend your left knee.", "faithful"),
        _pose_record(1, "Keep your legs still and raise your right arm.", "error", "keep"),
        _pose_record(2, "Raise your left arm.", "error", "side"),
        _pose_record(3, "Lift the right arm; the left arm stays where it is.", "faithful"),
    ]
    out = tmp_path / "r.json"
    result = runner.invoke(app, ["check", "--input", str(_jsonl(tmp_path / "l.jsonl", records)), "--out", str(out)])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "Labelled texts: 4, precision 1.000, recall 1.000" in flat and "keep 1.000" in flat
    rows = json.loads(out.read_text())  # a .json name: one JSON list, as before
    assert [r["flagged"] for r in rows] == [False, True, True, False] and rows[1]["label"] == "error"


def test_bad_texts_get_clear_results(tmp_path: Path) -> None:
    records = [
        _pose_record(0, ""),
        _pose_record(1, "Levez le bras droit."),
        _pose_record(2, "Раскройте руки"),
        _pose_record(3, "Raise your right arm. " * 2500),
        _pose_record(4, "<p>Raise your <b>right</b> arm</p>"),
        {"id": "p5", "text": "Raise your right arm.", "reference_keypoints": [1, 2, 3], "target_keypoints": []},
        "not an object",
    ]
    out = tmp_path / "r.jsonl"
    result = runner.invoke(app, ["check", "--input", str(_jsonl(tmp_path / "b.jsonl", records[:-1])), "--out",
                                 str(out), "--task", "pose"])  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    item = [r.get("fields", {}).get("text", [{}])[0] for r in rows]
    assert item[0]["skipped"] == "empty text"
    assert "English" in item[2]["note"] and "no checkable claim" in item[1]["note"]
    assert "checked its first" in item[3]["note"] and not item[3]["flagged"]
    assert item[4]["supported"] == 1 and not item[4]["flagged"]
    assert "reference_keypoints" in rows[5]["skipped"]


def test_expressions_real_lod_realdata_and_labelled(tmp_path: Path) -> None:
    root = write_expression_demo(tmp_path / "ed")
    result = runner.invoke(
        app, ["check", "--input", str(root / "annotations.json"), "--out", str(tmp_path / "a.jsonl")]
    )
    assert result.exit_code == 0 and "Task: expressions" in result.output, result.output
    rows = _rows(tmp_path / "a.jsonl")
    assert all(r["expressions"][0]["source"] == "raw_expression" for r in rows)
    assert any(r["flagged"] for r in rows) and not all(r["flagged"] for r in rows)  # the demo has wrong ones

    line = {"filename": "x.jpg", "width": 640, "height": 480, "pairs": {
        "llm/0": {"bboxes": [[10, 100, 60, 150]], "category": "cup", "relation": "single",
                  "positive_expressions": ["the leftmost cup", "the rightmost cup"],
                  "negative_expressions": ["the cup on the right", "the cup on the left"]},
        "llm/1": {"bboxes": [[400, 100, 450, 150]], "category": "cup", "relation": "single",
                  "positive_expressions": ["the cup on the right"], "negative_expressions": []}}}  # fmt: skip
    out = tmp_path / "rd.jsonl"
    assert runner.invoke(app, ["check", "--input", str(_jsonl(tmp_path / "rd_in.jsonl", [line])), "--out",
                               str(out)]).exit_code == 0  # fmt: skip
    (row,) = _rows(out)
    verdicts = {(e["polarity"], e["text"]): e["flagged"] for e in row["expressions"]}
    assert verdicts == {("positive", "the leftmost cup"): False, ("positive", "the rightmost cup"): True,
                        ("negative", "the cup on the right"): False, ("negative", "the cup on the left"): True,
                        ("positive", "the cup on the right"): False}  # fmt: skip

    scene = {
        "width": 640,
        "height": 480,
        "boxes": [
            {"id": "a", "category": "cup", "bbox": [10, 100, 60, 150]},
            {"id": "b", "category": "cup", "bbox": [400, 100, 450, 150]},
        ],
    }
    labelled = [
        {"id": "s0", "scene": scene, "target": "a", "text": "the mug on the left", "label": "faithful"},
        {"id": "s1", "scene": scene, "target": "b", "text": "the cup on the left", "label": "error",
         "error_type": "left_right", "error_span": "on the left"},
        {"id": "s2", "scene": scene, "target": "zz", "text": "the cup", "label": "error"},
    ]  # fmt: skip
    out = tmp_path / "s.jsonl"
    result = runner.invoke(app, ["check", "--input", str(_jsonl(tmp_path / "s_in.jsonl", labelled)), "--out", str(out)])
    flat = " ".join(result.output.split())
    assert "Labelled texts: 2, precision 1.000, recall 1.000" in flat and "Skipped (bad record): 1" in flat
    assert "is not a box id" in _rows(out)[2]["skipped"]


def test_task_option_is_checked(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "x.jsonl", [_pose_record(0, "Raise your right arm.")])
    result = runner.invoke(app, ["check", "--input", str(path), "--task", "poses"])
    assert result.exit_code == 2 and "--task must be one of" in " ".join(result.output.split())
    result = runner.invoke(app, ["check", "--input", str(path), "--task", "expressions"])
    assert result.exit_code == 0 and "Skipped (bad record): 1" in result.output
