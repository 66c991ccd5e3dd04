import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoiscribe.cli import app
from hoiscribe.datasets.seed import validate_seed_record

runner = CliRunner()


def test_demo_runs_three_stages_and_output_validates(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", "--out", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    merged = tmp_path / "demo" / "merged.json"
    assert f"merged output: {merged}" in result.stdout.replace("\n", "")
    records = json.loads(merged.read_text())
    assert len(records) >= 12
    for i, rec in enumerate(records):
        validate_seed_record(rec, f"record {i}")
        assert rec["description"].split("\n")[0].endswith(".")
        assert rec["examiner_result"]["verdict"] == "PASS"
        assert 2 <= rec["refined_description"].count(". ") + 1 <= 3


def test_annotate_writes_seed_json_for_hico(tmp_path: Path, hico_root: Path) -> None:
    out = tmp_path / "ann"
    args = ["annotate", "--dataset", "hico", "--data-root", str(hico_root), "--engine", "grounded",
            "--out", str(out), "--max-samples", "40"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    records = json.loads((out / "merged.json").read_text())
    assert len(records) == 40
    assert set(records[0]) >= {"file_name", "image_id", "keypoints", "vis", "instance_id", "action_labels",
                               "height", "width", "human_bbox", "object_bbox", "description"}  # fmt: skip
    assert "refined_description" not in records[0]
    # stage 2 and 3 added to the same run directory, one command each
    assert runner.invoke(app, ["refine", "--out", str(out)]).exit_code == 0
    assert runner.invoke(app, ["examine", "--out", str(out)]).exit_code == 0
    records = json.loads((out / "merged.json").read_text())
    assert all(r["refined_description"] and r["examiner_result"]["verdict"] for r in records)


def test_bad_flags_give_clear_errors(tmp_path: Path) -> None:
    result = runner.invoke(app, ["annotate", "--dataset", "hico", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "needs --data-root" in result.output
    result = runner.invoke(app, ["annotate", "--dataset", "hico", "--data-root", str(tmp_path), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "not found" in result.output
    result = runner.invoke(app, ["pipeline", str(tmp_path / "none.yaml")])
    assert result.exit_code == 2 and "cannot read config" in result.output
    result = runner.invoke(app, ["annotate", "--engine", "nope", "--out", str(tmp_path / "x")])
    assert result.exit_code == 2 and "unknown engine 'nope'" in result.output


def test_merge_formats_jsonl_and_parquet(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    assert runner.invoke(app, ["demo", "--out", str(tmp_path / "d")]).exit_code == 0
    run_dir, target = str(tmp_path / "d"), str(tmp_path / "x.parquet")
    r = runner.invoke(app, ["merge", "--run-dir", run_dir, "--output-path", target, "--format", "parquet"])
    assert r.exit_code == 0, r.output
    table = pq.read_table(tmp_path / "x.parquet")
    merged = json.loads((tmp_path / "d" / "merged.json").read_text())
    assert table.num_rows == len(merged)
    assert table.column("description").to_pylist() == [m["description"] for m in merged]
    datasets = pytest.importorskip("datasets")  # and Hugging Face datasets loads it as it is
    loaded = datasets.load_dataset("parquet", data_files=target, split="train", cache_dir=str(tmp_path / "hf"))
    assert loaded.num_rows == len(merged) and loaded[0]["file_name"] == merged[0]["file_name"]
    r = runner.invoke(
        app, ["merge", "--run-dir", run_dir, "--output-path", str(tmp_path / "x.jsonl"), "--format", "jsonl"]
    )
    assert r.exit_code == 0, r.output
    lines = (tmp_path / "x.jsonl").read_text().splitlines()
    assert [json.loads(line) for line in lines] == merged
