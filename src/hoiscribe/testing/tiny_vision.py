"""Tiny random-weight detection and pose models (OWLv2, DETR, RT-DETR, ViTPose), built offline.

Each writes a real transformers model and its processor to a folder (tens to hundreds of
kilobytes) that the ``hf`` detector and pose backends load exactly as they load a hub
checkpoint: the same config classes, processors, post-processing and pixel-frame handling
(OWLv2 pads to a square, DETR pads a batch, RT-DETR resizes, ViTPose warps each person box).
Outputs are random; tests check shapes, frames, batching and the agent path, not accuracy.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

# COCO-style labels of the closed-set detectors: a person and two objects the demo images hold
LABELS = {0: "person", 1: "bicycle", 2: "cup"}


def _resnet() -> Any:
    import transformers

    return transformers.ResNetConfig(embedding_size=8, hidden_sizes=[8, 8, 8, 8], depths=[1, 1, 1, 1],
                                     out_features=["stage2", "stage3", "stage4"])  # fmt: skip


def owl_parts() -> tuple[Any, dict[str, Any], dict[str, Any]]:
    """(tokenizer, text config, vision config) of a tiny OWL-ViT / OWLv2: a CLIP-style pair of
    towers at 64 px, 16 tokens."""
    from hoiscribe.testing.tiny_text import build_tokenizer

    tok = build_tokenizer(["<|startoftext|>", "<|endoftext|>"], eos="<|endoftext|>", pad="<|endoftext|>",
                          bos="<|startoftext|>")  # fmt: skip
    tok.model_max_length = 16
    text = dict(vocab_size=len(tok), hidden_size=16, intermediate_size=32, num_hidden_layers=1, num_attention_heads=2,
                max_position_embeddings=16, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                pad_token_id=tok.pad_token_id)  # fmt: skip
    vision = dict(hidden_size=16, intermediate_size=32, num_hidden_layers=1, num_attention_heads=2, image_size=64,
                  patch_size=16)  # fmt: skip
    return tok, text, vision


def _owlv2(out: Path) -> None:
    import transformers

    tok, text, vision = owl_parts()
    cfg = transformers.Owlv2Config(text_config=text, vision_config=vision, projection_dim=16)
    transformers.Owlv2ForObjectDetection(cfg).eval().save_pretrained(out)
    ip = transformers.Owlv2ImageProcessorPil(size={"height": 64, "width": 64})
    transformers.Owlv2Processor(image_processor=ip, tokenizer=tok).save_pretrained(out)


def _detr(out: Path) -> None:
    import transformers

    backbone = _resnet()
    backbone.out_features = ["stage4"]
    cfg = transformers.DetrConfig(
        backbone_config=backbone, use_timm_backbone=False, use_pretrained_backbone=False, d_model=16,
        encoder_layers=1, decoder_layers=1, encoder_ffn_dim=16, decoder_ffn_dim=16, encoder_attention_heads=2,
        decoder_attention_heads=2, num_queries=8, id2label=LABELS, label2id={v: k for k, v in LABELS.items()},
    )  # fmt: skip
    transformers.DetrForObjectDetection(cfg).eval().save_pretrained(out)
    transformers.DetrImageProcessorPil(size={"shortest_edge": 64, "longest_edge": 96}).save_pretrained(out)


def _rt_detr(out: Path) -> None:
    import transformers

    backbone = transformers.RTDetrResNetConfig(embedding_size=8, hidden_sizes=[8, 8, 8, 8], depths=[1, 1, 1, 1],
                                               out_features=["stage2", "stage3", "stage4"])  # fmt: skip
    cfg = transformers.RTDetrConfig(
        backbone_config=backbone, use_timm_backbone=False, use_pretrained_backbone=False,
        encoder_in_channels=[8, 8, 8], encoder_hidden_dim=16, decoder_in_channels=[16, 16, 16], encoder_ffn_dim=16,
        encoder_attention_heads=2,
        d_model=16, decoder_layers=1, decoder_ffn_dim=16, decoder_attention_heads=2, decoder_n_points=2,
        num_queries=8, num_denoising=0, id2label=LABELS, label2id={v: k for k, v in LABELS.items()},
    )  # fmt: skip
    transformers.RTDetrForObjectDetection(cfg).eval().save_pretrained(out)
    transformers.RTDetrImageProcessorPil(size={"height": 64, "width": 64}).save_pretrained(out)


def _vitpose(out: Path) -> None:
    import transformers

    backbone = transformers.VitPoseBackboneConfig(
        image_size=[64, 48], patch_size=[16, 16], hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=32, out_indices=[1],
    )  # fmt: skip
    cfg = transformers.VitPoseConfig(backbone_config=backbone, use_simple_decoder=True, num_labels=17)
    transformers.VitPoseForPoseEstimation(cfg).eval().save_pretrained(out)
    transformers.VitPoseImageProcessorPil(size={"height": 64, "width": 48}).save_pretrained(out)


VISION_BUILDERS: dict[str, Callable[[Path], None]] = {
    "owlv2": _owlv2,
    "detr": _detr,
    "rt_detr": _rt_detr,
    "vitpose": _vitpose,
}


def make_tiny_vision(family: str, out: Path, seed: int = 0) -> Path:
    """Write a tiny random-weight ``family`` model (one of ``VISION_BUILDERS``) with its processor to ``out``."""
    import torch

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    VISION_BUILDERS[family](out)
    return out


def _pipeline(family: str) -> Callable[[Path, int], Path]:
    def make(out: Path, seed: int = 0) -> Path:
        from hoiscribe.testing.tiny_diffusers import make_tiny_pipeline  # needs the imagine extra

        return make_tiny_pipeline(family, out, seed)

    return make


def _vision(family: str) -> Callable[[Path, int], Path]:
    return lambda out, seed=0: make_tiny_vision(family, out, seed)


# the agent tools' models, as `make-tiny-model --family` names them (testing/tiny.py lists them)
TOOL_MODELS: dict[str, Callable[[Path, int], Path]] = {
    **{f: _vision(f) for f in VISION_BUILDERS},
    "sd_inpaint": _pipeline("sd_inpaint"),
    "instruct_pix2pix": _pipeline("instruct_pix2pix"),
}
