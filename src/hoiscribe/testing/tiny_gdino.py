"""Tiny random-weight Grounding DINO and MM-Grounding-DINO detectors, built offline.

transformers' Grounding DINO hard-codes BERT-uncased token ids: ``[PAD]`` = 0 and the phrase
separators ``[CLS]`` = 101, ``[SEP]`` = 102, ``.`` = 1012 and ``?`` = 1029 (``SPECIAL_TOKENS``
and ``build_label_maps`` in its modeling file). A tokenizer with any other ids would make
the model's phrase masks and label maps wrong, so the tiny WordPiece vocabulary is laid out
like BERT's: the specials and the printable ASCII characters sit at BERT's ids, ``[unused]``
fillers in between, then a few hundred words and ``##`` pieces for every letter (so any
lower-case word tokenizes without ``[UNK]``). The vision side is a four-stage Swin with
8-64 channels and images resized to at most 96 pixels: a few hundred kilobytes in all,
loadable by ``AutoModelForZeroShotObjectDetection`` and ``AutoProcessor``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

GDINO_FAMILIES: tuple[str, ...] = ("grounding_dino", "mm_grounding_dino")
SPECIAL_IDS: dict[str, int] = {"[PAD]": 0, "[UNK]": 100, "[CLS]": 101, "[SEP]": 102, "[MASK]": 103}
_WORDS = (
    "the a an of on in at to and or with without not no is are from near next above below "
    "left right top bottom middle center leftmost rightmost topmost largest smallest biggest "
    "big small large tiny first second third fourth fifth last other one two three four all "
    "cup cups ball balls sports book books bottle bottles chair chairs potted plant plants kite "
    "kites bench benches person people man woman child dog cat table car bicycle horse "
    "red blue green yellow orange brown white purple black gray pink "
    "side edge image picture scene closest farthest between behind front lower upper"
)


def bert_like_vocab() -> list[str]:
    """Token strings indexed by id, with the specials and ASCII punctuation at BERT's ids."""
    vocab = [f"[unused{i}]" for i in range(999)]
    for token, idx in SPECIAL_IDS.items():
        vocab[idx] = token
    # BERT-uncased: printable ASCII without upper case from id 999 ('!' 999, '.' 1012, '?' 1029)
    vocab += [chr(c) for c in range(33, 127) if not chr(c).isupper()]
    vocab += [w for w in dict.fromkeys(_WORDS.split()) if w not in vocab]
    vocab += [f"##{c}" for c in "abcdefghijklmnopqrstuvwxyz0123456789"] + ["##s", "##es", "##ed", "##ing"]
    return list(dict.fromkeys(vocab))


def _check_ids(tokenizer: Any) -> None:
    """Fail loudly if the layout drifted from the ids the model hard-codes."""
    want = {"[PAD]": 0, "[CLS]": 101, "[SEP]": 102, ".": 1012, "?": 1029}
    got = {t: tokenizer.convert_tokens_to_ids(t) for t in want}
    if got != want:
        raise AssertionError(f"tiny Grounding DINO tokenizer ids {got} != {want}")


def tiny_tokenizer() -> Any:
    """A WordPiece ``BertTokenizer`` over :func:`bert_like_vocab`."""
    from transformers import BertTokenizer

    vocab = {t: i for i, t in enumerate(bert_like_vocab())}
    tok = BertTokenizer(vocab=vocab, do_lower_case=True, model_max_length=256)
    _check_ids(tok)
    return tok


def _config(family: str, vocab_size: int) -> Any:
    import transformers

    swin = transformers.SwinConfig(
        image_size=96,
        patch_size=4,
        embed_dim=8,
        depths=[1, 1, 1, 1],
        num_heads=[1, 1, 2, 2],
        window_size=4,
        mlp_ratio=2.0,
        out_indices=[2, 3, 4],
        out_features=["stage2", "stage3", "stage4"],
    )
    bert = transformers.BertConfig(
        vocab_size=vocab_size,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=256,
        pad_token_id=0,
    )
    common: dict[str, Any] = {
        "backbone_config": swin,
        "text_config": bert,
        "num_queries": 30,
        "encoder_layers": 1,
        "decoder_layers": 2,
        "encoder_ffn_dim": 64,
        "decoder_ffn_dim": 64,
        "encoder_attention_heads": 2,
        "decoder_attention_heads": 2,
        "d_model": 32,
        "num_feature_levels": 4,
        "encoder_n_points": 2,
        "decoder_n_points": 2,
        "max_text_len": 256,
        "fusion_droppath": 0.0,
        "dropout": 0.0,
    }
    cls = transformers.GroundingDinoConfig if family == "grounding_dino" else transformers.MMGroundingDinoConfig
    return cls(**common)


def tiny_processor() -> Any:
    """``GroundingDinoProcessor`` with a 64-96 pixel image processor and the tiny tokenizer."""
    import transformers

    image_processor = transformers.GroundingDinoImageProcessorPil(size={"shortest_edge": 64, "longest_edge": 96})
    return transformers.GroundingDinoProcessor(image_processor=image_processor, tokenizer=tiny_tokenizer())


def gdino_parts(family: str) -> tuple[Any, Any]:
    """(config, processor) of a tiny detector: the shape of ``testing.tiny``'s builder table."""
    processor = tiny_processor()
    return _config(family, len(processor.tokenizer)), processor


def make_tiny_gdino(family: str, out: Path, seed: int = 0) -> Path:
    """Write a tiny random ``grounding_dino`` or ``mm_grounding_dino`` model and its processor to ``out``."""
    if family not in GDINO_FAMILIES:
        raise ValueError(f"no tiny detector for family {family!r}; choose one of {', '.join(GDINO_FAMILIES)}")
    import torch
    import transformers

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    config, processor = gdino_parts(family)
    torch.manual_seed(seed)
    model = transformers.AutoModelForZeroShotObjectDetection.from_config(config).eval()
    model.save_pretrained(out)
    processor.save_pretrained(out)
    return out
