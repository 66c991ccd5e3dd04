"""Training on CPU with the tiny detector: it learns, it resumes exactly, and train -> predict -> eval runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoiscribe.cli import app

runner = CliRunner()


@pytest.mark.slow
def test_loss_decreases_on_a_fixed_batch_of_demo_scenes(demo_data: Path, tiny_gdino: Path) -> None:
    import torch

    from hoiscribe.expressions.lod.dataset import RealDataset, collate
    from hoiscribe.expressions.lod.realdata_io import read_realdata
    from hoiscribe.expressions.lod.sampling import SamplingOptions
    from hoiscribe.expressions.lod.trainer import load_detector

    torch.manual_seed(0)
    model, processor = load_detector(str(tiny_gdino))
    entries, _ = read_realdata(demo_data / "realdata.jsonl", demo_data)
    ds = RealDataset(entries, demo_data, processor, SamplingOptions(max_phrases=12), 256)
    batch = collate([ds[i] for i in range(4)])
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3)
    model.train()
    history = []
    for _ in range(60):
        out = model(**batch)
        opt.zero_grad()
        out.loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        history.append({k: float(v.detach()) for k, v in out.loss_dict.items()} | {"loss": float(out.loss.detach())})

    def tail(key: str) -> float:
        return sum(h[key] for h in history[-5:]) / 5

    first = history[0]
    assert tail("loss") < 0.3 * first["loss"]
    boxes = tail("loss_bbox") + tail("loss_giou")
    assert boxes < 0.85 * (first["loss_bbox"] + first["loss_giou"])  # the boxes are learned too, not only the text


def _train_args(demo: Path, model: Path, out: Path, steps: int) -> list[str]:
    return ["lod", "train", "--data", str(demo / "realdata.jsonl"), "--images", str(demo), "--model", str(model),
            "--out", str(out), "--epochs", "3", "--max-steps", str(steps), "--batch-size", "4", "--workers", "0",
            "--save-every", "2", "--log-every", "1", "--lr", "1e-3", "--no-progress"]  # fmt: skip


@pytest.mark.slow
def test_resume_after_a_kill_matches_an_uninterrupted_run(demo_data: Path, tiny_gdino: Path, tmp_path: Path) -> None:
    from safetensors.torch import load_file

    whole = runner.invoke(app, _train_args(demo_data, tiny_gdino, tmp_path / "whole", 4))
    assert whole.exit_code == 0, whole.output
    first = runner.invoke(app, _train_args(demo_data, tiny_gdino, tmp_path / "cut", 2))  # "killed" after step 2
    assert first.exit_code == 0, first.output
    rows = (tmp_path / "cut" / "metrics.jsonl").read_text()
    (tmp_path / "cut" / "metrics.jsonl").write_text(rows + '{"step": 3, "loss": 1.0}\n{"step": 4, "lo')  # torn
    again = runner.invoke(app, _train_args(demo_data, tiny_gdino, tmp_path / "cut", 4))
    assert again.exit_code == 0 and "resumed from step 2" in again.output, again.output
    steps = [json.loads(x)["step"] for x in (tmp_path / "cut" / "metrics.jsonl").read_text().splitlines()]
    assert steps == [1, 2, 3, 4]
    a = load_file(tmp_path / "whole" / "final" / "model.safetensors")
    b = load_file(tmp_path / "cut" / "final" / "model.safetensors")
    assert a.keys() == b.keys() and all((a[k] - b[k]).abs().max() < 1e-5 for k in a)
    losses = [json.loads(x)["loss"] for x in (tmp_path / "whole" / "metrics.jsonl").read_text().splitlines()]
    cut = [json.loads(x)["loss"] for x in (tmp_path / "cut" / "metrics.jsonl").read_text().splitlines()]
    assert losses == pytest.approx(cut, rel=1e-4)


@pytest.mark.slow
def test_train_predict_eval_dod_end_to_end(tiny_gdino: Path, tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    made = runner.invoke(app, ["lod", "demo", "--out", str(demo)])
    assert made.exit_code == 0, made.output
    trained = runner.invoke(app, _train_args(demo, tiny_gdino, tmp_path / "run", 3))
    assert trained.exit_code == 0, trained.output
    pred = tmp_path / "pred.json"
    predicted = runner.invoke(
        app,
        [
            "lod",
            "predict",
            "--model",
            str(tmp_path / "run" / "final"),
            "--queries",
            str(demo / "dcube" / "d3_full_annotations.json"),
            "--images",
            str(demo),
            "--output",
            str(pred),
            "--threshold",
            "0",
            "--top-k",
            "5",
            "--no-progress",
        ],
    )
    assert predicted.exit_code == 0, predicted.output
    boxes = json.loads(pred.read_text())
    gt = json.loads((demo / "dcube" / "d3_full_annotations.json").read_text())
    n_queries = sum(len(im["sent_ids"]) for im in gt["images"])
    assert len(boxes) == 5 * n_queries  # top 5 of every (image, expression), each its own forward pass
    out = tmp_path / "dod.json"
    scored = runner.invoke(app, ["eval", "dod", "--gt", str(demo / "dcube"), "--pred", str(pred),
                                 "--json-out", str(out)])  # fmt: skip
    assert scored.exit_code == 0, scored.output
    subsets = {s["subset"]: s for s in json.loads(out.read_text())["subsets"]}
    assert set(subsets) == {"FULL", "PRES", "ABS"}
    assert 0.0 <= subsets["FULL"]["AP"] <= 100.0 and subsets["FULL"]["gt_boxes"] > 0
    assert subsets["ABS"]["AP"] == "no ground truth"  # the demo has no absence descriptions
    assert "no ground truth" in scored.output
