"""The batch label-offset fix: a batch of 3 unequal prompts equals the 3 images one by one."""

from __future__ import annotations

from pathlib import Path

import pytest


def _items(processor: object) -> list[dict]:
    import numpy as np
    import torch
    from PIL import Image

    from hoiscribe.expressions.lod.dataset import encode_image, normalized_cxcywh

    texts = ["the red cup. the ball.", "a kite. the blue cup. the leftmost bottle. a chair.", "the book."]
    labels = [[0, 1], [2, 0, 3], [0]]
    items = []
    for i, (text, lab) in enumerate(zip(texts, labels, strict=True)):
        pixels = np.random.default_rng(i).integers(0, 255, (48, 64, 3), dtype=np.uint8)  # no score ties
        ids = processor.tokenizer(text)["input_ids"]
        boxes = [(4 + 9 * k, 5, 20 + 9 * k, 30) for k in range(len(lab))]
        items.append(
            {
                "pixel_values": encode_image(processor.image_processor, Image.fromarray(pixels)),
                "input_ids": torch.tensor(ids),
                "token_type_ids": torch.zeros(len(ids), dtype=torch.long),
                "labels": {"class_labels": torch.tensor(lab), "boxes": normalized_cxcywh(boxes, 64, 48)},
            }
        )
    return items


def test_batch_of_three_unequal_images_equals_one_by_one(tiny_gdino: Path) -> None:
    import torch
    from transformers import AutoModelForZeroShotObjectDetection, AutoProcessor

    from hoiscribe.expressions.lod.dataset import collate
    from hoiscribe.expressions.lod.loss import install_fixed_loss

    processor = AutoProcessor.from_pretrained(tiny_gdino)
    model = AutoModelForZeroShotObjectDetection.from_pretrained(tiny_gdino).eval()
    items = _items(processor)
    batch = collate(items)
    with torch.no_grad():
        # transformers' own loss: batch 2 indexes past the label maps, batch 3 reads wrong phrases
        with pytest.raises(IndexError):
            model(**collate(items[:2]))
        bare = model(**collate([items[1], items[0], items[2]])).loss
        install_fixed_loss(model)
        batched = model(**batch).loss
        singles = [model(**collate([it])).loss for it in items]
    n = [len(it["labels"]["class_labels"]) for it in items]
    # the loss is normalised by the boxes of the whole batch: per-image losses weighted by their boxes
    expected = sum(s * k for s, k in zip(singles, n, strict=True)) / sum(n)
    assert float(batched) == pytest.approx(float(expected), rel=1e-5)
    fixed_reordered = model(**collate([items[1], items[0], items[2]])).loss
    assert float(fixed_reordered) == pytest.approx(float(expected), rel=1e-5)
    assert abs(float(bare) - float(expected)) > 1e-3 * float(expected)
