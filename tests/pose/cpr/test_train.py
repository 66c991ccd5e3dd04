"""Training bookkeeping: resume after a kill takes the same steps, checkpoints, metrics, the feature cache."""

import json
from pathlib import Path
from typing import Any

import pytest
import torch
from PIL import Image

from hoiscribe.pose.cpr import backbone as backbone_mod
from hoiscribe.pose.cpr.checkpoint import list_checkpoints, load_checkpoint, load_weights
from hoiscribe.pose.cpr.features import FeatureCache
from hoiscribe.pose.cpr.model import load_retrieval
from hoiscribe.pose.cpr.setups import build_config
from hoiscribe.pose.cpr.train import train
from hoiscribe.testing.tiny_clip import make_tiny_clip
from tests.pose.cpr.synthetic import write_task


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tiny_clip(tmp_path_factory.mktemp("clip"))


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The moves task with every AutoComPose field, so the richest setup runs (reverse, mirror, cycle)."""
    root = write_task(tmp_path_factory.mktemp("data"), texts="moves")
    path = root / "captions" / "train.json"
    entries = json.loads(path.read_text())[:24]
    for e in entries:
        e.update(mllm=e["sents"], reverse=["undo " + e["sents"][0]], mirror=["mirrored " + e["sents"][0]])
        e["mirror-reverse"] = ["undo mirrored " + e["sents"][0]]
    path.write_text(json.dumps(entries))
    return root


def _cfg(stage: str, clip: Path, root: Path, **over: Any) -> Any:
    values = {"max_steps": 8, "batch_size": 8, "checkpoint_every": 3, "log_every": 1, "progress": False,
              "device": "cpu", "projection_dim": 16, "hidden_dim": 24, "lr": 1e-3, **over}  # fmt: skip
    return build_config(stage, "mllm-mirror-reverse_3-cycle", str(clip), str(root), values)


@pytest.mark.parametrize("stage", ["clip", "combiner"])
def test_resume_after_a_kill_takes_the_same_steps(tmp_path: Path, clip: Path, root: Path, stage: str) -> None:
    cache = str(tmp_path / "features")
    whole = train(_cfg(stage, clip, root, feature_cache=cache), tmp_path / "whole")
    killed = train(_cfg(stage, clip, root, feature_cache=cache), tmp_path / "resumed", stop_after=5)
    assert killed.steps == 5 and not (tmp_path / "resumed" / "final").exists()
    assert [p.name for p in list_checkpoints(tmp_path / "resumed" / "checkpoints")] == ["step-00000003"]
    resumed = train(_cfg(stage, clip, root, feature_cache=cache), tmp_path / "resumed")
    assert resumed.resumed_from == 3 and resumed.steps == whole.steps == 8
    name = "text_encoder.safetensors" if stage == "clip" else "combiner.safetensors"
    a, b = load_weights(tmp_path / "whole" / "final" / name), load_weights(tmp_path / "resumed" / "final" / name)
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    initial = load_retrieval(str(clip)).backbone.text_state()
    if stage == "clip":  # the text tower moved; only its tensors are saved
        assert all(k.startswith(("text_model.", "text_projection.")) for k in a)
        assert any(not torch.equal(a[k], initial[k]) for k in a)
    rows = [json.loads(x) for x in (tmp_path / "resumed" / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in rows] == list(range(1, 9))  # steps 4-5 of the killed run are not doubled
    assert all(r["loss_cycle"] > 0 and r["loss"] >= r["loss_forward"] for r in rows)
    assert whole.last_loss == pytest.approx(resumed.last_loss, abs=0)
    _, opt, state = load_checkpoint(list_checkpoints(tmp_path / "whole" / "checkpoints")[-1])
    assert state["step"] == 8 and opt["state"]  # the optimizer's moments travel in safetensors


def test_other_settings_in_the_same_folder_are_refused(tmp_path: Path, clip: Path, root: Path) -> None:
    train(_cfg("combiner", clip, root, max_steps=2), tmp_path / "run")
    with pytest.raises(ValueError, match=r"holds a run with other settings \(lr\)"):
        train(_cfg("combiner", clip, root, max_steps=2, lr=0.5), tmp_path / "run")
    more = train(_cfg("combiner", clip, root, max_steps=4), tmp_path / "run")  # longer: resumes
    assert more.resumed_from == 2 and more.steps == 4


def test_features_are_computed_once_per_image_and_flipped_image(
    tmp_path: Path, clip: Path, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    encode = backbone_mod.TransformersClip.encode_images

    def counting(self: Any, images: list[Image.Image]) -> Any:
        seen.append(len(images))
        return encode(self, images)

    monkeypatch.setattr(backbone_mod.TransformersClip, "encode_images", counting)
    cache = str(tmp_path / "features")
    train(_cfg("clip", clip, root, feature_cache=cache, max_steps=1, feature_batch_size=16), tmp_path / "a")
    entries = json.loads((root / "captions" / "train.json").read_text())
    images = {n for e in entries for n in (e["reference"], e["target"])}
    assert sum(seen) == 2 * len(images) and max(seen) == 16  # each image and its mirror, batched
    seen.clear()
    train(_cfg("combiner", clip, root, feature_cache=cache, max_steps=1), tmp_path / "b")
    assert seen == []  # the other stage reuses them


def test_a_flipped_key_is_the_flipped_image(tmp_path: Path, clip: Path, root: Path) -> None:
    name = json.loads((root / "captions" / "train.json").read_text())[0]["reference"]
    flipped = tmp_path / "images" / "flipped.png"
    flipped.parent.mkdir()
    Image.open(root / "images" / name).transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(flipped)
    model = load_retrieval(str(clip))

    def where(key: str) -> Path:
        return flipped if key == "flipped.png" else root / "images" / key

    table, failed = FeatureCache(tmp_path / "c", "fp").ensure(
        [f"{name}|flip", "flipped.png", name], where, model.backbone
    )
    assert not failed
    a, b, c = table.rows([f"{name}|flip", "flipped.png", name])
    assert torch.equal(a, b) and not torch.equal(a, c)


def test_unreadable_images_are_reported_not_fatal(tmp_path: Path, clip: Path) -> None:
    good = tmp_path / "good.png"
    Image.new("RGB", (40, 60), (200, 10, 10)).save(good)
    (tmp_path / "bad.png").write_bytes(b"not a png")
    model = load_retrieval(str(clip))
    table, failed = FeatureCache(tmp_path / "c", "fp").ensure(
        ["good.png", "bad.png"], tmp_path.joinpath, model.backbone
    )
    assert list(table.index) == ["good.png"] and failed["bad.png"].startswith("cannot read image")
    assert backbone_mod.square_pad(Image.open(good)).size == (60, 60)
