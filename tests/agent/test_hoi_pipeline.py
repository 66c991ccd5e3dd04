"""End to end: pipeline -> hoi-predictions -> hoiscribe eval hico; chain export; parsing."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from hoiscribe.agent.export import export_cot
from hoiscribe.agent.task import parse_hois
from hoiscribe.cli.eval import eval_app
from hoiscribe.datasets.gt_index import AnnotationIndex, write_hico_gt
from hoiscribe.run.config import load_config
from hoiscribe.run.merge import export_run
from hoiscribe.run.pipeline import run_pipeline
from hoiscribe.run.rundir import RunDir
from hoiscribe.tasks.base import ParseError


@pytest.fixture(scope="session")
def agent_run(tmp_path_factory: pytest.TempPathFactory, demo_root: Path) -> Path:
    out = tmp_path_factory.mktemp("hoi-run")
    cfg = load_config(
        Path(__file__).parents[2] / "configs" / "hoi-agent.yaml",
        [f"out={out}", f"data_root={demo_root}", "progress=false"],
    )  # the config's oracle reads "{data_root}", so it follows the data_root override
    report = run_pipeline(cfg)
    assert report.complete and report.stages[0].counts["ok"] == 15
    return out


def test_predictions_pass_through_eval_hico(agent_run: Path, demo_index: AnnotationIndex, tmp_path: Path) -> None:
    preds = export_run(agent_run, tmp_path / "preds.json", "hoi-predictions")
    entries = json.loads(preds.read_text())
    assert len(entries) == len(demo_index) == 14  # one entry per image, not per pair sample
    assert all(e["labels"][0] == 0 for e in entries if e["boxes"])  # the subject box is a person
    gt = write_hico_gt(demo_index, tmp_path / "gt.json")
    # the run can write its own GT too, the same file
    assert json.loads(export_run(agent_run, tmp_path / "gt2.json", "hico-gt").read_text()) == json.loads(gt.read_text())
    app = typer.Typer()
    app.add_typer(eval_app, name="eval")
    out_json = tmp_path / "eval.json"
    result = CliRunner().invoke(app, ["eval", "hico", "--gt", str(gt), "--pred", str(preds), "--json-out",
                                      str(out_json)])  # fmt: skip
    assert result.exit_code == 0, result.output
    full = json.loads(out_json.read_text())["settings"]["default"]["map"]["full"]
    assert full > 0.5  # oracle tools + the rule teacher get most demo interactions right


def test_rows_keep_the_chain(agent_run: Path) -> None:
    rows = [json.loads(line) for p in (agent_run / "stages" / "hoi").glob("*/u*.jsonl") for line in p.open()]
    assert rows and all(r["meta"]["agent"]["status"] == "answered" for r in rows)
    cup = {r["sample_id"]: r for r in rows if "hold_cup" in r["sample_id"]}
    assert len(cup) == 2  # hold_cup has two GT pairs; both samples carry the same per-image answer
    first, second = cup.values()
    assert first["raw"] == second["raw"] and first["meta"]["chain"] == second["meta"]["chain"]
    assert rows[0]["meta"]["chain"][0]["calls"][0]["name"] == "detect_humans"


def test_cot_export_keeps_matching_chains(agent_run: Path, demo_index: AnnotationIndex, tmp_path: Path) -> None:
    stats = export_cot(RunDir(agent_run), tmp_path / "cot", threshold=0.99, gt_index=demo_index)
    assert stats["images"] == 14 and 0 < stats["kept"] < 14 and stats["calls_per_chain"] >= 3
    assert stats["kept_ratio"] == pytest.approx(stats["kept"] / 14, abs=1e-3)
    lines = [json.loads(x) for x in (tmp_path / "cot" / "cot.jsonl").read_text().splitlines()]
    assert len(lines) == stats["kept"] and all(line["reward"]["accuracy"] >= 0.99 for line in lines)
    first = lines[0]
    placeholders = sum(p["type"] == "image" for m in first["messages"] for p in m["content"])
    assert placeholders == len(first["images"]) and Path(first["images"][0]).is_file()
    assert [m["role"] for m in first["messages"]][:3] == ["system", "user", "assistant"]
    lf = json.loads((tmp_path / "cot" / "cot_llamafactory.json").read_text())[0]
    roles = [m["role"] for m in lf["messages"]]
    assert all(a != b for a, b in itertools.pairwise(roles))  # alternating turns for LLaMA-Factory
    assert "<image>" in lf["messages"][1]["content"] and json.loads(lf["tools"])


def test_parse_hois_tolerates_and_counts_bad_entries() -> None:
    raw = (
        '<think>x</think><answer>{"hois": [{"human": [0, 0, 10, 10], "object": [5, 5, 9, 9], "verb": "Sit on", '
        '"object_category": "chair", "score": 3}, {"human": [0, 0], "verb": "ride"}, "junk"]}</answer>'
    )
    out = parse_hois(raw)
    assert out["skipped"] == 2 and out["hois"][0]["verb"] == "sit_on" and out["hois"][0]["score"] == 1.0
    assert out["hois"][0]["hoi_idx"] is not None
    with pytest.raises(ParseError):
        parse_hois("<think>I keep calling tools</think>")
