"""Detector backends on tiny random-weight transformers models built at test time."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from hoiscribe.agent.toolbox import build_toolbox
from hoiscribe.tools.base import ToolContext

pytest.importorskip("transformers")


@pytest.fixture(scope="module")
def detr(tmp_path_factory: pytest.TempPathFactory, one_thread: None) -> Path:
    import torch
    import transformers

    backbone = transformers.ResNetConfig(embedding_size=8, hidden_sizes=[8, 8, 8, 8], depths=[1, 1, 1, 1],
                                         out_features=["stage4"])  # fmt: skip
    cfg = transformers.DetrConfig(
        backbone_config=backbone, use_timm_backbone=False, use_pretrained_backbone=False, d_model=16,
        encoder_layers=1, decoder_layers=1, encoder_ffn_dim=16, decoder_ffn_dim=16, encoder_attention_heads=2,
        decoder_attention_heads=2, num_queries=5, id2label={0: "person", 1: "cup"}, label2id={"person": 0, "cup": 1},
    )  # fmt: skip
    out = tmp_path_factory.mktemp("detr")
    torch.manual_seed(0)
    transformers.DetrForObjectDetection(cfg).save_pretrained(out)
    transformers.DetrImageProcessorPil(size={"shortest_edge": 64, "longest_edge": 96}).save_pretrained(out)
    return out


@pytest.fixture(scope="module")
def owlvit(tmp_path_factory: pytest.TempPathFactory, one_thread: None) -> Path:
    """OWL-ViT: the same zero-shot code path as OWLv2, whose image processor needs scipy."""
    import torch
    import transformers

    from hoiscribe.testing.tiny_vision import owl_parts

    tok, text, vision = owl_parts()
    cfg = transformers.OwlViTConfig(text_config=text, vision_config=vision, projection_dim=16)
    out = tmp_path_factory.mktemp("owlvit")
    torch.manual_seed(0)
    transformers.OwlViTForObjectDetection(cfg).save_pretrained(out)
    ip = getattr(transformers, "OwlViTImageProcessorPil", None) or transformers.OwlViTImageProcessor
    size = {"height": 64, "width": 64}
    transformers.OwlViTProcessor(image_processor=ip(size=size, crop_size=size), tokenizer=tok).save_pretrained(out)
    return out


def _ctx() -> ToolContext:
    return ToolContext((64, 48), image=Image.new("RGB", (64, 48), (120, 90, 60)))


def test_closed_vocabulary_detector(detr: Path) -> None:
    box = build_toolbox({"detector": {"kind": "hf", "model": str(detr), "threshold": 0.0}, "pose": None})
    ctx = _ctx()
    humans, kind = box.call("detect_humans", {}, ctx)
    assert kind is None and all(h["category"] == "person" for h in humans.data["humans"])
    cups, kind = box.call("detect_objects", {"categories": ["cup"]}, ctx)
    assert kind is None and all(o["category"] == "cup" for o in cups.data["objects"])
    found = humans.data["humans"] + cups.data["objects"]
    assert found and len(found) <= 5  # every query is a person or a cup at threshold 0; equal boxes merge
    assert all(0 <= e["box"][0] <= e["box"][2] <= 64 and 0 <= e["box"][1] <= e["box"][3] <= 48 for e in found)
    res, kind = box.call("detect_objects", {"categories": ["bicycle"]}, ctx)
    assert kind == "tool_error" and "this detector knows: cup" in res.error  # closed vocabulary
    assert "estimate_pose" not in box.tools  # no pose backend configured


def test_open_vocabulary_detector(owlvit: Path) -> None:
    box = build_toolbox({"detector": {"kind": "hf", "model": str(owlvit), "threshold": 0.0}, "pose": None})
    res, kind = box.call("detect_objects", {"categories": ["unicycle", "teapot"], "min_score": 0.0}, _ctx())
    assert kind is None and res.data["objects"]
    assert {o["category"] for o in res.data["objects"]} <= {"unicycle", "teapot"}  # any word is a category
