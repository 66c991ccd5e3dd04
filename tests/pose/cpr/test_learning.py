"""Training learns: recall on the synthetic pose task rises far above chance in a few hundred CPU steps."""

from pathlib import Path

import pytest

from hoiscribe.pose.cpr.evaluate import evaluate
from hoiscribe.pose.cpr.setups import build_config
from hoiscribe.pose.cpr.train import train
from hoiscribe.testing.tiny_clip import make_tiny_clip
from tests.pose.cpr.synthetic import write_task

CHANCE_R1, CHANCE_R5 = 100 / 31, 500 / 31  # 32 gallery images, the reference removed

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tiny_clip(tmp_path_factory.mktemp("clip"), image_size=64, patch_size=8)


def test_combiner_learns_moves_from_reference_and_text(tmp_path: Path, clip: Path) -> None:
    root = write_task(tmp_path / "moves", texts="moves")
    before = evaluate(str(clip), root, "test")
    cfg = build_config("combiner", "human-1", str(clip), str(root), {
        "max_steps": 300, "batch_size": 32, "lr": 3e-3, "projection_dim": 128, "hidden_dim": 256, "dropout": 0.0,
        "progress": False, "device": "cpu", "checkpoint_every": 1000})  # fmt: skip
    result = train(cfg, tmp_path / "run")
    after = evaluate(str(tmp_path / "run"), root, "test")
    assert before["R@1"] < 3 * CHANCE_R1  # the untrained sum is near chance
    assert after["R@1"] > 10 * CHANCE_R1, after  # moves are learnt: text + reference -> target
    assert after["R@5"] > 4 * CHANCE_R5, after
    assert result.last_loss is not None and result.last_loss < 2.0


def test_clip_stage_learns_texts_that_name_the_target(tmp_path: Path, clip: Path) -> None:
    root = write_task(tmp_path / "states", texts="states")
    before = evaluate(str(clip), root, "test")
    cfg = build_config("clip", "human-1", str(clip), str(root), {
        "max_steps": 300, "batch_size": 32, "lr": 1e-3, "epochs": 200, "progress": False, "device": "cpu",
        "checkpoint_every": 1000})  # fmt: skip
    train(cfg, tmp_path / "run")
    after = evaluate(str(tmp_path / "run"), root, "test")
    # two images per state, which no text tells apart: R@1 can reach 50 at most
    assert after["R@1"] > 4 * CHANCE_R1 and after["R@1"] > before["R@1"] + 8, (before, after)
    assert after["R@5"] > 2.5 * CHANCE_R5, after
