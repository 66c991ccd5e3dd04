import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoiscribe.cli import app
from hoiscribe.pose.captions import CAPTION_FIELDS
from hoiscribe.pose.checker import check_record
from hoiscribe.pose.mirror import mirror_text

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_pipeline_then_autocompose_merge_fills_every_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the config draws the pose demo under ./runs/pose-demo-data
    result = runner.invoke(app, ["pipeline", str(REPO / "configs" / "transitions-grounded.yaml"), "--out", "tmp",
                                 "--set", "progress=false"])  # fmt: skip
    assert result.exit_code == 0, result.output
    drops = json.loads((tmp_path / "tmp" / "reader_drops.json").read_text())["dropped"]
    assert sorted(d["field"] for d in drops) == ["keypoints", "target"]
    assert any("visible keypoints, need 8" in d["reason"] for d in drops)
    assert any(d["reason"] == "image not found: train_missing.jpg" for d in drops)

    result = runner.invoke(app, ["merge", "--run-dir", "tmp", "--format", "autocompose", "--output-path",
                                 "captions.json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    captions = json.loads((tmp_path / "captions.json").read_text())
    assert len(captions) == 16
    assert [c["reference"] for c in captions] == [f"train_{i:03d}_ref.jpg" for i in range(16)]  # file order
    for entry in captions:
        assert set(entry) == {"reference", "target", "img_set", *CAPTION_FIELDS}
        for name in CAPTION_FIELDS:
            assert entry[name] and all(isinstance(t, str) and t for t in entry[name]), (name, entry)
        assert entry["mirror"] == [mirror_text(t) for t in entry["mllm"]]
        assert entry["mirror-reverse"] == [mirror_text(t) for t in entry["reverse"]]
    gallery = json.loads((tmp_path / "image_splits" / "captions.json").read_text())
    assert len(gallery) == 32 and "train_000_tgt.jpg" in gallery

    # every exported text is true of its own (forward, reversed, mirrored) keypoints
    merged = {r["reference"]: r for r in json.loads((tmp_path / "tmp" / "merged.json").read_text())}
    for entry in captions:
        texts = {k: entry[k] for k in CAPTION_FIELDS if k != "sents"}
        report = check_record(merged[entry["reference"]], texts)
        assert report["contradicted"] == 0, report
        assert sum(f["texts"] for f in report["fields"].values()) >= 6

    rerun = runner.invoke(app, ["pipeline", str(REPO / "configs" / "transitions-grounded.yaml"), "--out", "tmp",
                                "--set", "progress=false"])  # fmt: skip
    assert rerun.exit_code == 0
    stats = json.loads((tmp_path / "tmp" / "stats.json").read_text())
    assert stats["stages"]["transition"]["status"] == {"ok": 16}


def test_autocompose_export_needs_a_transition_stage(tmp_path: Path) -> None:
    assert runner.invoke(app, ["demo", "--out", str(tmp_path / "d")]).exit_code == 0
    result = runner.invoke(app, ["merge", "--run-dir", str(tmp_path / "d"), "--format", "autocompose",
                                 "--output-path", str(tmp_path / "c.json")])  # fmt: skip
    assert result.exit_code == 2 and "no transition stage" in " ".join(result.output.split())
