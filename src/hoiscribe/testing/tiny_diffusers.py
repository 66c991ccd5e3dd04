"""Tiny random-weight diffusers pipelines for the imagine tool, built offline in about a second.

``sd_inpaint`` is a Stable Diffusion inpainting pipeline (the fill / outpaint backend; its
UNet takes 9 channels: latents, mask, masked-image latents) and ``instruct_pix2pix`` an
InstructPix2Pix pipeline (the instruction-edit backend; 8 channels: latents, image latents).
Both share one small text side: a byte-level BPE tokenizer with ``model_max_length`` 16 and a
one-layer CLIP text encoder of width 32, a two-block UNet of 8-16 channels, a two-block VAE
and a DDIM scheduler. ``DiffusionPipeline.from_pretrained`` loads the folder like a hub
checkpoint; outputs are noise, and tests check sizes, masks, budgets and the agent path.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

TEXT_LEN = 16
WIDTH = 32


def _parts(in_channels: int) -> dict[str, Any]:
    import diffusers
    import transformers

    from hoiscribe.testing.tiny_text import build_tokenizer

    tok = build_tokenizer(["<|startoftext|>", "<|endoftext|>"], eos="<|endoftext|>", pad="<|endoftext|>",
                          bos="<|startoftext|>")  # fmt: skip
    tok.model_max_length = TEXT_LEN  # the pipelines pad every prompt to this length
    text = transformers.CLIPTextConfig(
        vocab_size=len(tok), hidden_size=WIDTH, intermediate_size=2 * WIDTH, num_hidden_layers=1,
        num_attention_heads=2, max_position_embeddings=TEXT_LEN, projection_dim=WIDTH,
        bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id,
    )  # fmt: skip
    unet = diffusers.UNet2DConditionModel(
        sample_size=16, in_channels=in_channels, out_channels=4, layers_per_block=1, block_out_channels=(8, 16),
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"), up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=WIDTH, attention_head_dim=2, norm_num_groups=4,
    )  # fmt: skip
    vae = diffusers.AutoencoderKL(
        in_channels=3, out_channels=3, latent_channels=4, block_out_channels=(8, 16), layers_per_block=1,
        down_block_types=("DownEncoderBlock2D",) * 2, up_block_types=("UpDecoderBlock2D",) * 2, norm_num_groups=4,
        sample_size=32,
    )  # fmt: skip
    scheduler = diffusers.DDIMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                        clip_sample=False, set_alpha_to_one=False, steps_offset=1)  # fmt: skip
    return {"unet": unet, "vae": vae, "text_encoder": transformers.CLIPTextModel(text).eval(), "tokenizer": tok,
            "scheduler": scheduler, "safety_checker": None, "feature_extractor": None,
            "requires_safety_checker": False}  # fmt: skip


def _sd_inpaint() -> Any:
    import diffusers

    return diffusers.StableDiffusionInpaintPipeline(**_parts(9))


def _instruct_pix2pix() -> Any:
    import diffusers

    return diffusers.StableDiffusionInstructPix2PixPipeline(**_parts(8))


PIPELINE_BUILDERS: dict[str, Callable[[], Any]] = {"sd_inpaint": _sd_inpaint, "instruct_pix2pix": _instruct_pix2pix}


def make_tiny_pipeline(family: str, out: Path, seed: int = 0) -> Path:
    """Write a tiny random-weight diffusers pipeline of ``family`` (``PIPELINE_BUILDERS``) to ``out``."""
    import torch

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    PIPELINE_BUILDERS[family]().save_pretrained(out)
    return out
