"""``hoiscribe eval hico|swig`` through typer's CliRunner, on small files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoiscribe.cli.eval import eval_app
from hoiscribe.vocab.hico import hico
from hoiscribe.vocab.swig import swig

H = [0.0, 0.0, 9.0, 9.0]
OB = [20.0, 20.0, 29.0, 29.0]
runner = CliRunner()


def hico_files(tmp_path: Path, n_gt: int = 5, n_found: int = 3) -> tuple[Path, Path]:
    """PPDM-layout GT: hoi 0 in ``n_gt`` images; predictions find the first ``n_found``."""
    h = hico().hois[0]
    gt = [
        {
            "file_name": f"i{k}.jpg",
            "annotations": [{"bbox": H, "category_id": 1}, {"bbox": OB, "category_id": h.object_coco_id}],
            "hoi_annotation": [{"subject_id": 0, "object_id": 1, "category_id": h.verb_idx + 1, "hoi_category_id": 1}],
        }
        for k in range(n_gt)
    ]
    preds = [
        {
            "file_name": f"i{k}.jpg",
            "boxes": [H, OB],
            "labels": [0, h.object_coco_idx],
            "hois": [[0, 1, 0, 0.9 - k / 100]],
        }
        for k in range(n_found)
    ]
    (tmp_path / "gt.json").write_text(json.dumps(gt))
    (tmp_path / "pred.json").write_text(json.dumps(preds))
    return tmp_path / "gt.json", tmp_path / "pred.json"


def test_hico_table_and_json(tmp_path: Path) -> None:
    gt, pred = hico_files(tmp_path)
    out = tmp_path / "out" / "eval.json"
    result = runner.invoke(eval_app, ["hico", "--gt", str(gt), "--pred", str(pred), "--json-out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Known-Object" in result.output and "Non-rare" in result.output
    assert "63.64" in result.output  # recall 3/5 reaches MATLAB's 0.6: 7/11
    data = json.loads(out.read_text())
    assert data["options"]["protocol"] == "matlab"
    cls = data["settings"]["default"]["classes"]
    assert len(cls) == 1 and cls[0]["class_id"] == 0 and cls[0]["n_tp"] == 3 and cls[0]["n_gt"] == 5
    assert cls[0]["recall"] == pytest.approx(0.6) and cls[0]["ap"] == pytest.approx(7 / 11)
    assert data["settings"]["known_object"]["map"]["full"] == pytest.approx(7 / 11)


def test_hico_python_protocol_and_zero_shot(tmp_path: Path) -> None:
    gt, pred = hico_files(tmp_path)
    args = ["hico", "--gt", str(gt), "--pred", str(pred), "--protocol", "python", "--setting", "default"]
    result = runner.invoke(eval_app, [*args, "--zero-shot", "non_rare_first"])
    assert result.exit_code == 0, result.output
    assert "54.55" in result.output  # 6/11: numpy's 0.6000000000000001 is out of reach
    assert "Unseen" in result.output and "Known-Object" not in result.output
    assert "top-100 per image" in result.output and "box-label check" in result.output


def test_hico_bad_input_exit_code_and_skip(tmp_path: Path) -> None:
    gt, pred = hico_files(tmp_path)
    preds = json.loads(pred.read_text())
    preds[1]["file_name"] = "nowhere.jpg"
    pred.write_text(json.dumps(preds))
    result = runner.invoke(eval_app, ["hico", "--gt", str(gt), "--pred", str(pred)])
    assert result.exit_code == 2
    assert "nowhere.jpg" in result.output and "file_name" in result.output
    result = runner.invoke(eval_app, ["hico", "--gt", str(gt), "--pred", str(pred), "--skip-invalid"])
    assert result.exit_code == 0, result.output
    assert "Skipped invalid predictions: 1 unknown image" in result.output


def test_swig_command(tmp_path: Path) -> None:
    x = swig().interactions[min(swig().split("rare"))]
    gt = [
        {
            "file_name": "s.jpg",
            "box_annotations": [{"bbox": H, "category_id": 0}, {"bbox": OB, "category_id": x.object_id}],
            "hoi_annotations": [{"subject_id": 0, "object_id": 1, "action_id": x.action_id}],
        }
    ]
    preds = [{"file_name": "s.jpg", "boxes": [H, OB], "hois": [[0, 1, x.id, 0.7]]}]
    (tmp_path / "gt.json").write_text(json.dumps(gt))
    (tmp_path / "pred.json").write_text(json.dumps(preds))
    out = tmp_path / "swig.json"
    args = [
        "swig",
        "--gt",
        str(tmp_path / "gt.json"),
        "--pred",
        str(tmp_path / "pred.json"),
        "--json-out",
        str(out),
    ]
    result = runner.invoke(eval_app, args)
    assert result.exit_code == 0, result.output
    assert "SWiG-HOI" in result.output and "Unseen" in result.output and "Rare" in result.output
    data = json.loads(out.read_text())
    assert data["settings"]["default"]["n_classes"]["full"] == 5539
    assert data["settings"]["default"]["map"]["rare"] == pytest.approx(1 / 2841)
