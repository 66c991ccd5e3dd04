"""One SFT step and one GRPO step of TRL on a tiny random-weight Qwen2.5-VL, on CPU."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hoiscribe.agent.trainers import TrainSetupError, grpo_rows, read_chains
from hoiscribe.datasets.gt_index import AnnotationIndex

pytest.importorskip("trl")
pytest.importorskip("datasets")


@pytest.fixture(scope="session")
def tiny_qwen(tmp_path_factory: pytest.TempPathFactory, one_thread: None) -> Path:
    from hoiscribe.testing.tiny import make_tiny_model

    return make_tiny_model("qwen2_5_vl", tmp_path_factory.mktemp("tiny") / "qwen2_5_vl")


@pytest.fixture(scope="session")
def chains(tmp_path_factory: pytest.TempPathFactory, demo_root: Path, demo_index: AnnotationIndex) -> Path:
    """Two exported chains on small images, so a step stays well under a second."""
    from PIL import Image

    from hoiscribe.agent.policies import RuleTeacher
    from hoiscribe.agent.task import HOI_REASON
    from hoiscribe.catalog import make_engine, read_dataset
    from hoiscribe.engines.base import Sampling

    out = tmp_path_factory.mktemp("chains")
    engine = make_engine("agent", inner=RuleTeacher(), oracle=demo_index)
    samples = [s for s in read_dataset("demo", demo_root).samples if s.instance_id == 0][:2]
    lines = []
    for s in samples:
        req = HOI_REASON.build(s, HOI_REASON.facts(s), None, Sampling())
        meta = engine.generate([req])[0].meta
        small = out / Path(s.image_path).name
        Image.open(s.image_path).resize((56, 56)).save(small)
        from hoiscribe.agent.export import _ImageWriter, chat_example

        messages, images, _ = chat_example(meta, s.image_path, _ImageWriter(out))
        messages[0]["content"] = [{"type": "text", "text": "Use tools."}]  # a short system turn
        gt = demo_index.get(s.file_name).triplets()
        lines.append(json.dumps({"messages": messages, "images": [str(small)] * len(images), "gt": json.dumps(gt)}))
    path = out / "cot.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_sft_one_step(tiny_qwen: Path, chains: Path, tmp_path: Path) -> None:
    from hoiscribe.agent.trainers import run_sft

    out = run_sft(chains, tiny_qwen, tmp_path / "sft", max_steps=1, max_length=2048)
    assert (out / "config.json").is_file() and any(out.glob("*.safetensors"))


def test_grpo_one_step(tiny_qwen: Path, chains: Path, tmp_path: Path) -> None:
    from hoiscribe.agent.trainers import run_grpo

    rows = grpo_rows(read_chains(chains))
    assert rows[0]["prompt"][-1]["role"] == "tool" and json.loads(rows[0]["gt"])
    out = run_grpo(chains, tiny_qwen, tmp_path / "grpo", max_steps=1, num_generations=2, max_completion_length=8)
    assert (out / "config.json").is_file()


def test_bad_training_data_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    with pytest.raises(TrainSetupError, match="line 1"):
        read_chains(bad)
    with pytest.raises(TrainSetupError, match="not found"):
        read_chains(tmp_path / "missing.jsonl")
