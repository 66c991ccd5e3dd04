"""A tiny random-weight CLIP (transformers ``CLIPModel``) with its tokenizer and processor, built offline.

Composed pose retrieval (``hoiscribe.pose.cpr``) loads any CLIP folder; tests and smoke runs
need one without a hub, so this writes a real ``CLIPModel`` of a few hundred kilobytes: text
and vision towers of width 32, a byte-level BPE tokenizer trained at build time on pose
vocabulary (so transition texts stay short in tokens) with CLIP's start/end tokens added
around every text, and a ``CLIPImageProcessor`` at ``image_size``. Square padding is the
retrieval code's preprocessing option, not the processor's, so the same folder serves both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

_WORDS = (
    "lift raise lower bring put bend straighten unbend flex extend lean tilt turn look move keep "
    "your the a an of to toward towards more less further higher lower up down out side sides "
    "left right arm arms elbow elbows hand hands wrist leg legs knee knees foot feet hip hips "
    "head torso upper body shoulder shoulders back front forward backward apart together wide "
    "and slightly much a bit at with while then , . 0 1 2 3 4 5 6 7 8 9"
)
START, END = "<|startoftext|>", "<|endoftext|>"


def build_clip_tokenizer(vocab_size: int = 640) -> Any:
    """A byte-level BPE tokenizer that wraps each text in CLIP's start and end tokens."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[START, END],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    corpus = " ".join(w.capitalize() + " " + w for w in _WORDS.split())
    tok.train_from_iterator([corpus] * 8, trainer)
    start, end = tok.token_to_id(START), tok.token_to_id(END)
    tok.post_processor = processors.TemplateProcessing(
        single=f"{START} $A {END}", special_tokens=[(START, start), (END, end)]
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token=START, eos_token=END, pad_token=END, model_max_length=77
    )


def tiny_clip_parts(image_size: int = 32, patch_size: int = 8, projection_dim: int = 32,
                    init_factor: float = 8.0, text_init_factor: float = 2.0) -> tuple[Any, Any]:  # fmt: skip
    """(CLIPConfig, CLIPProcessor) of the tiny model.

    ``init_factor`` widens the random initialisation: at CLIP's own (1.0) a tower this small
    gives every input nearly the same feature (cosine 0.9999), unlike a trained CLIP; at 8 two
    images' features have a cosine spread like a real model's, so retrieval can be learnt."""
    import transformers

    tok = build_clip_tokenizer()
    text = {"vocab_size": len(tok), "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2,
            "num_attention_heads": 2, "max_position_embeddings": 77, "bos_token_id": tok.bos_token_id,
            "eos_token_id": tok.eos_token_id, "pad_token_id": tok.pad_token_id,
            "initializer_factor": text_init_factor}  # fmt: skip
    vision = {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 2,
              "image_size": image_size, "patch_size": patch_size, "initializer_factor": init_factor}  # fmt: skip
    config = transformers.CLIPConfig(text_config=text, vision_config=vision, projection_dim=projection_dim)
    images = transformers.CLIPImageProcessorPil(
        size={"shortest_edge": image_size}, crop_size={"height": image_size, "width": image_size}
    )
    processor = transformers.CLIPProcessor(image_processor=images, tokenizer=tok)
    return config, processor


def make_tiny_clip(out: Path, seed: int = 0, image_size: int = 32, patch_size: int = 8, **init: float) -> Path:
    """Write the tiny random CLIP and its processor to ``out`` (loadable with ``CLIPModel.from_pretrained``)."""
    import torch
    import transformers

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    config, processor = tiny_clip_parts(image_size, patch_size, **init)
    torch.manual_seed(seed)
    model = transformers.CLIPModel(config).eval()
    model.save_pretrained(out)
    processor.save_pretrained(out)
    return out
