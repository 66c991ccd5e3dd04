"""The tiny detectors load through the Auto classes and keep the ids the model hard-codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoiscribe.cli import app
from hoiscribe.testing.tiny_gdino import make_tiny_gdino, tiny_tokenizer


def test_tokenizer_puts_separators_at_bert_ids() -> None:
    from transformers.models.grounding_dino.modeling_grounding_dino import SPECIAL_TOKENS

    tok = tiny_tokenizer()
    ids = tok("the red cup. a kite?")["input_ids"]
    assert ids[0] == 101 and ids[-1] == 102 and 1012 in ids and 1029 in ids
    assert set(SPECIAL_TOKENS) == {101, 102, 1012, 1029} and tok.pad_token_id == 0
    assert tok.unk_token_id not in tok("zebra crossing xylophone")["input_ids"]  # any lower-case word


@pytest.mark.parametrize("family", ["grounding_dino", "mm_grounding_dino"])
def test_loads_and_detects_per_phrase(family: str, tmp_path: Path) -> None:
    import torch
    from PIL import Image
    from transformers import AutoModelForZeroShotObjectDetection, AutoProcessor

    path = make_tiny_gdino(family, tmp_path / family)
    model = AutoModelForZeroShotObjectDetection.from_pretrained(path).eval()
    processor = AutoProcessor.from_pretrained(path)
    assert model.config.model_type == family.replace("_", "-")
    inputs = processor(images=Image.new("RGB", (64, 48)), text=[["a cup", "the ball"]], return_tensors="pt")
    with torch.no_grad():
        out = model(**inputs)
    from transformers.models.grounding_dino.modeling_grounding_dino import build_label_maps

    assert len(build_label_maps(out.logits, inputs["input_ids"])[0]) == 2  # two phrases, two labels


def test_make_tiny_model_cli_builds_a_detector(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["make-tiny-model", "--family", "grounding_dino", "--out", str(tmp_path / "m")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "m" / "model.safetensors").is_file() and (tmp_path / "m" / "tokenizer.json").is_file()
