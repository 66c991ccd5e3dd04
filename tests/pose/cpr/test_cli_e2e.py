"""End to end: pose demo -> transitions pipeline -> autocompose export -> cpr img-sets -> train -> eval -> predict."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoiscribe.cli import app

REPO = Path(__file__).resolve().parents[3]
runner = CliRunner()


def _ok(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, (args, result.output)
    return result.output


def test_generated_captions_train_and_evaluate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = str(REPO / "configs" / "transitions-grounded.yaml")
    for split in ("train", "test"):
        _ok(["pipeline", config, "--out", f"gen-{split}", "--set", "progress=false", "--set", f"split={split}"])
        _ok(["merge", "--run-dir", f"gen-{split}", "--format", "autocompose", "--output-path",
             f"cpr-data/captions/{split}.json"])  # fmt: skip
    data = tmp_path / "cpr-data"
    assert (data / "images").is_dir() and (data / "keypoints" / "test.json").is_file()  # a whole root

    counts = json.loads(_ok(["cpr", "img-sets", "--data-root", "cpr-data", "--split", "test", "--k", "3"]))
    assert counts["filled"] == counts["entries"] == 6
    groups = [e["img_set"] for e in json.loads((data / "captions" / "test.json").read_text())]
    assert all(len(g) == 4 for g in groups)

    _ok(["make-tiny-model", "--family", "clip", "--out", "clip"])
    common = ["--data-root", "cpr-data", "--setup", "mllm-mirror-reverse_3-cycle", "--max-steps", "3", "--no-progress",
              "--set", "batch_size=8", "--set", "device=cpu"]  # fmt: skip
    out = _ok(["cpr", "train", "--stage", "clip", "--model", "clip", "--out", "stage1", *common])
    assert "trained clip (mllm-mirror-reverse_3-cycle): 3 steps on 64 items" in " ".join(out.split())
    _ok(["cpr", "train", "--stage", "combiner", "--model", "stage1", "--out", "stage2", *common,
         "--set", "projection_dim=32", "--set", "hidden_dim=64"])  # fmt: skip
    assert (tmp_path / "stage2" / "final" / "combiner.safetensors").is_file()

    out = _ok(["cpr", "eval", "--data-root", "cpr-data", "--model", "stage2"])
    result = json.loads((tmp_path / "stage2" / "eval-test.json").read_text())
    assert result["queries"] == 6 and result["gallery"] == 12 and result["subset_queries"] == 6
    assert result["R@50"] == 100.0 and result["Rs@5"] == 100.0  # 11 candidates, groups of 3 besides the target
    assert f"R@1 {result['R@1']:.2f}" in out and "Rs@3" in out

    entry = json.loads((data / "captions" / "test.json").read_text())[0]
    lines = _ok(["cpr", "predict", "--data-root", "cpr-data", "--model", "stage2", "--reference", entry["reference"],
                 "--text", entry["mllm"][0], "--top-k", "3"]).splitlines()  # fmt: skip
    rows = [json.loads(x) for x in lines]
    assert [r["rank"] for r in rows] == [1, 2, 3] and entry["reference"] not in {r["image"] for r in rows}
    assert rows[0]["score"] >= rows[1]["score"] >= rows[2]["score"]


def test_cli_errors_name_the_problem(tmp_path: Path) -> None:
    result = runner.invoke(app, ["cpr", "eval", "--data-root", str(tmp_path), "--model", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "cannot load a CLIP model" in " ".join(result.output.split())
    result = runner.invoke(app, ["cpr", "train", "--data-root", str(tmp_path), "--model", "m", "--out",
                                 str(tmp_path / "o"), "--set", "lr=-1"])  # fmt: skip
    assert result.exit_code == 2 and "bad training option: lr" in " ".join(result.output.split())
    result = runner.invoke(app, ["cpr", "img-sets", "--data-root", str(tmp_path)])
    assert result.exit_code == 2 and "no caption file for split 'test'" in " ".join(result.output.split())
