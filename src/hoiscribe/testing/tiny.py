"""Tiny random-weight models of every family, built offline, for tests and smoke runs.

Each model is a real transformers model of its family (a few hundred kilobytes): text
hidden size 32, 2 layers, a 1-2 layer vision tower, a byte-level BPE tokenizer trained at
build time on a small text plus the family's special tokens, and a chat template in the
family's turn format. Loading, chat templating, preprocessing and generation then run the
same code a full-size checkpoint runs. Nothing is fetched from a hub.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from hoiscribe.engines.base import EngineError
from hoiscribe.testing.tiny_gdino import GDINO_FAMILIES, make_tiny_gdino
from hoiscribe.testing.tiny_text import TurnFormat, build_tokenizer, llama_text_config, token_ids
from hoiscribe.testing.tiny_vision import TOOL_MODELS


def _vision_tower(model_type: str, **extra: Any) -> dict[str, Any]:
    return {
        "model_type": model_type,
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "image_size": 28,
        "patch_size": 14,
        **extra,
    }


# ---- Qwen2-VL, Qwen2.5-VL, Qwen3-VL (dense and MoE) -------------------------------------

_QWEN_FORMAT = TurnFormat(
    "<|im_start|>{role}\n",
    "<|im_end|>\n",
    "<|vision_start|><|image_pad|><|vision_end|>",
    "<|im_start|>assistant\n",
)
_QWEN_SPECIAL = [
    "<|endoftext|>",
    "<|im_start|>",
    "<|im_end|>",
    "<|vision_start|>",
    "<|vision_end|>",
    "<|image_pad|>",
    "<|video_pad|>",
]


def _qwen(family: str) -> tuple[Any, Any]:
    import transformers
    from transformers.models.qwen2_vl import Qwen2VLImageProcessorPil

    from hoiscribe.engines.hfload import video_stub

    tok = build_tokenizer(
        _QWEN_SPECIAL,
        eos="<|im_end|>",
        pad="<|endoftext|>",
        named={"image_token": "<|image_pad|>", "video_token": "<|video_pad|>"},
    )
    qwen3 = family.startswith("qwen3")
    patch = 16 if qwen3 else 14
    factor = patch * 2
    text: dict[str, Any] = llama_text_config(tok, model_type=f"{family}_text", bos_token_id=None)
    text["rope_parameters"] = {"rope_type": "default", "rope_theta": 10000.0, "mrope_section": [2, 1, 1]}
    vision: dict[str, Any] = {"depth": 1, "hidden_size": 32, "num_heads": 2, "patch_size": patch}
    vision.update(spatial_merge_size=2, temporal_patch_size=2)
    if family == "qwen2_vl":
        vision.update(embed_dim=32, mlp_ratio=2)
    elif family == "qwen2_5_vl":
        vision.update(intermediate_size=64, out_hidden_size=32, fullatt_block_indexes=[0], window_size=56)
    else:
        text.update(head_dim=8)
        text["rope_parameters"]["mrope_interleaved"] = True
        vision.update(
            depth=2,
            intermediate_size=64,
            out_hidden_size=32,
            num_position_embeddings=16,
            deepstack_visual_indexes=[0],
        )
        if family == "qwen3_vl_moe":
            text.update(num_experts=4, num_experts_per_tok=2, moe_intermediate_size=16, decoder_sparse_step=1)
    config_cls = {
        "qwen2_vl": transformers.Qwen2VLConfig,
        "qwen2_5_vl": transformers.Qwen2_5_VLConfig,
        "qwen3_vl": transformers.Qwen3VLConfig,
        "qwen3_vl_moe": transformers.Qwen3VLMoeConfig,
    }[family]
    image_id, video_id, start_id, end_id = token_ids(
        tok, "<|image_pad|>", "<|video_pad|>", "<|vision_start|>", "<|vision_end|>"
    )
    config = config_cls(
        text_config=text,
        vision_config=vision,
        image_token_id=image_id,
        video_token_id=video_id,
        vision_start_token_id=start_id,
        vision_end_token_id=end_id,
    )
    size = {"shortest_edge": factor * factor, "longest_edge": (4 * factor) ** 2}
    image_processor = Qwen2VLImageProcessorPil(size=size, patch_size=patch, merge_size=2, temporal_patch_size=2)
    video = {
        "video_processor_type": "Qwen3VLVideoProcessor" if qwen3 else "Qwen2VLVideoProcessor",
        "size": size,
        "patch_size": patch,
        "merge_size": 2,
        "temporal_patch_size": 2,
    }
    processor_cls = (
        transformers.Qwen3VLProcessor
        if qwen3
        else getattr(transformers, "Qwen2_5_VLProcessor" if family == "qwen2_5_vl" else "Qwen2VLProcessor")
    )
    processor = _with_video(processor_cls)(
        image_processor=image_processor,
        tokenizer=tok,
        video_processor=_video(video, video_stub),
        chat_template=_QWEN_FORMAT.template(),
    )
    return config, processor


def _video(settings: dict[str, Any], stub: Callable[[dict[str, Any]], Any]) -> Any:
    """The real video processor where torchvision exists, else a stub with the same settings."""
    import transformers

    from hoiscribe.engines.hfload import torchvision_available

    if torchvision_available():
        settings = dict(settings)
        cls = getattr(transformers, settings.pop("video_processor_type"))
        return cls(**settings)
    return stub(settings)


def _with_video(cls: type) -> type:
    """The processor class itself, or its stub-accepting form without torchvision."""
    from hoiscribe.engines.hfload import image_only, torchvision_available

    return cls if torchvision_available() else image_only(cls)


# ---- LLaVA, LLaVA-NeXT, LLaVA-OneVision ---------------------------------------------------

_LLAVA_FORMAT = TurnFormat(
    "{role}: ",
    "\n",
    "<image>\n",
    "ASSISTANT:",
    roles={"user": "USER", "assistant": "ASSISTANT", "system": "SYSTEM"},
    bos="<s>",
)
_GRID = [[28, 28], [28, 56], [56, 28], [56, 56]]


def _llava(family: str) -> tuple[Any, Any]:
    import transformers

    if family == "llava_onevision":
        from hoiscribe.engines.hfload import video_stub

        tok = build_tokenizer(
            ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<image>", "<video>"],
            eos="<|im_end|>",
            pad="<|endoftext|>",
            named={"image_token": "<image>", "video_token": "<video>"},
        )
        image_id, video_id = token_ids(tok, "<image>", "<video>")
        config = transformers.LlavaOnevisionConfig(
            vision_config=_vision_tower("siglip_vision_model"),
            text_config=llama_text_config(tok, model_type="qwen2", bos_token_id=None),
            image_token_index=image_id,
            video_token_index=video_id,
            image_grid_pinpoints=_GRID,
            vision_feature_layer=-1,
        )
        image_processor = transformers.LlavaOnevisionImageProcessorPil(
            size={"height": 28, "width": 28}, image_grid_pinpoints=_GRID
        )
        video = {"video_processor_type": "LlavaOnevisionVideoProcessor", "size": {"height": 28, "width": 28}}
        fmt = TurnFormat("<|im_start|>{role}\n", "<|im_end|>\n", "<image>\n", "<|im_start|>assistant\n")
        processor = _with_video(transformers.LlavaOnevisionProcessor)(
            image_processor=image_processor,
            tokenizer=tok,
            video_processor=_video(video, video_stub),
            num_image_tokens=4,
            vision_feature_select_strategy="full",
            chat_template=fmt.template(),
        )
        return config, processor

    tok = build_tokenizer(
        ["<unk>", "<s>", "</s>", "<pad>", "<image>"],
        eos="</s>",
        pad="<pad>",
        bos="<s>",
        named={"image_token": "<image>"},
    )
    (image_id,) = token_ids(tok, "<image>")
    common: dict[str, Any] = {
        "vision_config": _vision_tower("clip_vision_model", projection_dim=32),
        "text_config": llama_text_config(tok),
        "image_token_index": image_id,
        "vision_feature_layer": -1,
        "vision_feature_select_strategy": "default",
    }
    clip = {"size": {"shortest_edge": 28}, "crop_size": {"height": 28, "width": 28}}
    if family == "llava":
        config = transformers.LlavaConfig(image_seq_length=4, **common)
        image_processor = transformers.CLIPImageProcessorPil(**clip)
        processor_cls = transformers.LlavaProcessor
    else:
        config = transformers.LlavaNextConfig(image_grid_pinpoints=_GRID, image_seq_length=4, **common)
        image_processor = transformers.LlavaNextImageProcessorPil(image_grid_pinpoints=_GRID, **clip)
        processor_cls = transformers.LlavaNextProcessor
    processor = processor_cls(
        image_processor=image_processor,
        tokenizer=tok,
        patch_size=14,
        vision_feature_select_strategy="default",
        num_additional_image_tokens=1,
        chat_template=_LLAVA_FORMAT.template(),
    )
    return config, processor


# ---- Idefics3 and SmolVLM ----------------------------------------------------------------

_IDEFICS_FORMAT = TurnFormat(
    "<|im_start|>{role}:",
    "<end_of_utterance>\n",
    "<image>",
    "<|im_start|>Assistant:",
    roles={"user": "User", "assistant": "Assistant", "system": "System"},
)


def _idefics(family: str) -> tuple[Any, Any]:
    import transformers

    grid = [f"<row_{i}_col_{j}>" for i in range(1, 7) for j in range(1, 7)]
    special = ["<|endoftext|>", "<|im_start|>", "<end_of_utterance>", "<fake_token_around_image>"]
    special += ["<image>", "<global-img>", "<video>", *grid]
    named = {"image_token": "<image>", "fake_image_token": "<fake_token_around_image>"}
    named.update(global_image_token="<global-img>", end_of_utterance_token="<end_of_utterance>")
    tok = build_tokenizer(special, eos="<end_of_utterance>", pad="<|endoftext|>", named=named)
    (image_id,) = token_ids(tok, "<image>")
    vision = _vision_tower(f"{family}_vision")
    vision.pop("model_type")
    ip_kwargs = {
        "size": {"longest_edge": 56},
        "max_image_size": {"longest_edge": 28},
        "do_image_splitting": True,
    }
    if family == "idefics3":
        config = transformers.Idefics3Config(
            vision_config=vision, text_config=llama_text_config(tok), image_token_id=image_id, scale_factor=2
        )
        processor = transformers.Idefics3Processor(
            image_processor=transformers.Idefics3ImageProcessorPil(**ip_kwargs),
            tokenizer=tok,
            image_seq_len=1,
            chat_template=_IDEFICS_FORMAT.template(),
        )
        return config, processor
    from hoiscribe.engines.hfload import video_stub

    config = transformers.SmolVLMConfig(
        vision_config=vision, text_config=llama_text_config(tok), image_token_id=image_id, scale_factor=2
    )
    video = {"video_processor_type": "SmolVLMVideoProcessor", **ip_kwargs}
    processor = _with_video(transformers.SmolVLMProcessor)(
        image_processor=transformers.SmolVLMImageProcessorPil(**ip_kwargs),
        tokenizer=tok,
        video_processor=_video(video, video_stub),
        image_seq_len=1,
        chat_template=_IDEFICS_FORMAT.template(),
    )
    return config, processor


# ---- Gemma 3 -----------------------------------------------------------------------------

_GEMMA_FORMAT = TurnFormat(
    "<start_of_turn>{role}\n",
    "<end_of_turn>\n",
    "<start_of_image>",
    "<start_of_turn>model\n",
    roles={"assistant": "model"},
    bos="<bos>",
)


def _gemma3(family: str) -> tuple[Any, Any]:
    import transformers

    special = ["<pad>", "<eos>", "<bos>", "<start_of_turn>", "<end_of_turn>"]
    special += ["<start_of_image>", "<end_of_image>", "<image_soft_token>"]
    named = {
        "image_token": "<image_soft_token>",
        "boi_token": "<start_of_image>",
        "eoi_token": "<end_of_image>",
    }
    tok = build_tokenizer(special, eos="<end_of_turn>", pad="<pad>", bos="<bos>", named=named)
    boi, eoi, image_id = token_ids(tok, "<start_of_image>", "<end_of_image>", "<image_soft_token>")
    text = llama_text_config(tok, model_type="gemma3_text", head_dim=8, sliding_window=64)
    text.update(query_pre_attn_scalar=8)
    config = transformers.Gemma3Config(
        text_config=text,
        vision_config=_vision_tower("siglip_vision_model"),
        mm_tokens_per_image=4,
        boi_token_index=boi,
        eoi_token_index=eoi,
        image_token_index=image_id,
    )
    processor = transformers.Gemma3Processor(
        image_processor=transformers.Gemma3ImageProcessorPil(size={"height": 28, "width": 28}),
        tokenizer=tok,
        image_seq_length=4,
        chat_template=_GEMMA_FORMAT.template(),
    )
    return config, processor


_BUILDERS: dict[str, Callable[[str], tuple[Any, Any]]] = {
    "qwen2_vl": _qwen,
    "qwen2_5_vl": _qwen,
    "qwen3_vl": _qwen,
    "qwen3_vl_moe": _qwen,
    "llava": _llava,
    "llava_next": _llava,
    "llava_onevision": _llava,
    "idefics3": _idefics,
    "smolvlm": _idefics,
    "gemma3": _gemma3,
}
FAMILIES: list[str] = list(_BUILDERS)  # chat VLMs: exactly the transformers engine's families


def _clip(out: Path, seed: int) -> Path:
    from hoiscribe.testing.tiny_clip import make_tiny_clip

    return make_tiny_clip(out, seed)


def _gdino(family: str) -> Callable[[Path, int], Path]:
    return lambda out, seed: make_tiny_gdino(family, out, seed)


# models that are no chat VLM (CLIP for cpr, detectors for lod and the agent tools, pose models,
# diffusers pipelines), each written whole by its own module
OTHER_MODELS: dict[str, Callable[[Path, int], Path]] = {
    "clip": _clip,
    **{f: _gdino(f) for f in GDINO_FAMILIES},
    **TOOL_MODELS,
}
ALL_FAMILIES: list[str] = FAMILIES + list(OTHER_MODELS)


def make_tiny_model(family: str, out: Path, seed: int = 0) -> Path:
    """Write a tiny random-weight model of ``family`` with its processor to ``out``."""
    if family in OTHER_MODELS:
        return OTHER_MODELS[family](Path(out), seed)
    if family not in _BUILDERS:
        raise EngineError(f"no tiny model for family {family!r}; choose one of {', '.join(ALL_FAMILIES)}")
    import torch
    import transformers

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    config, processor = _BUILDERS[family](family)
    torch.manual_seed(seed)
    model = transformers.AutoModelForImageTextToText.from_config(config).eval()
    model.generation_config.pad_token_id = processor.tokenizer.pad_token_id
    model.generation_config.eos_token_id = processor.tokenizer.eos_token_id
    model.save_pretrained(out)
    processor.save_pretrained(out)
    return out
