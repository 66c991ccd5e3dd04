"""Torch side of training data: the Real-Data dataset, an epoch-aware sampler and the collate.

The Grounding DINO processor drops ``annotations``, so images and text are prepared apart:
the image processor resizes and normalizes one image in the worker process, the tokenizer
encodes the prompt, and the targets are converted here to the model's format (``boxes`` as
normalized ``cx, cy, w, h`` of the original image, ``class_labels`` as phrase indices).
``collate`` pads pixels (with a pixel mask) and tokens (id 0, which the model reads as a
delimiter, so padding never forms a phrase). The sampler encodes ``(epoch, index)`` in each
index it yields, so persistent workers and a resumed run draw the same prompts.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import torch
from PIL import Image
from torch.utils.data import Dataset, Sampler

from hoiscribe.expressions.lod.realdata_io import ImageEntry
from hoiscribe.expressions.lod.sampling import Box, Prompt, SamplingOptions, rng_for, sample_prompt


def normalized_cxcywh(boxes: Sequence[Box], width: int, height: int) -> torch.Tensor:
    """xyxy pixels -> the model's target format: cx, cy, w, h as fractions of the image."""
    if not boxes:
        return torch.zeros((0, 4), dtype=torch.float32)
    b = torch.tensor(boxes, dtype=torch.float32)
    scale = torch.tensor([width, height, width, height], dtype=torch.float32)
    b = b / scale
    return torch.stack([(b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2, b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]], 1)


class TokenCounter:
    """Tokens of one phrase without specials, cached (the same expressions recur every epoch)."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer
        self.count = lru_cache(maxsize=200_000)(self._count)

    def _count(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def __call__(self, text: str) -> int:
        return self.count(text)


def target_size(image_processor: Any, width: int, height: int) -> tuple[int, int] | None:
    """The (w, h) the processor will resize to, from its shortest/longest edge; None if unknown."""
    size = getattr(image_processor, "size", None) or {}
    short, long_ = size.get("shortest_edge"), size.get("longest_edge")
    if not short:
        return None
    scale = short / min(width, height)
    if long_:
        scale = min(scale, long_ / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def load_rgb(path: Path, image_processor: Any = None) -> Image.Image:
    """An RGB image; shrunk early (JPEG DCT scaling, then one resize) when the processor shrinks it a lot.

    A large image bound for a small input costs most of a sample's time in decoding and the
    processor's resize; decoding at a reduced scale and resizing once is several times faster.
    """
    with Image.open(path) as im:
        target = target_size(image_processor, *im.size) if image_processor is not None else None
        if target is None or target[0] * 2 > im.size[0]:
            return im.convert("RGB")
        im.draft("RGB", target)
        return im.convert("RGB").resize(target, Image.Resampling.BILINEAR)


def encode_image(image_processor: Any, image: Image.Image) -> torch.Tensor:
    """(3, h, w) pixel values of one image, resized and normalized, not padded."""
    out = image_processor(images=image, return_tensors="pt", do_pad=False)
    return out["pixel_values"][0]


class RealDataset(Dataset):
    """One sampled prompt per image per epoch; item ``epoch * len + i`` is image ``i`` in ``epoch``."""

    def __init__(self, entries: Sequence[ImageEntry], images: Path, processor: Any, options: SamplingOptions,
                 budget: int) -> None:  # fmt: skip
        self.entries = list(entries)
        self.images = Path(images)
        self.processor = processor
        self.options = options
        self.budget = budget
        self.count = TokenCounter(processor.tokenizer)
        self.pool = [t for e in self.entries for t in e.expressions()] if options.global_negatives else []

    def __len__(self) -> int:
        return len(self.entries)

    def prompt(self, key: int) -> Prompt:
        epoch, i = divmod(int(key), len(self.entries))
        rng = rng_for(self.options.seed, epoch, i)
        return sample_prompt(self.entries[i], rng, self.options, self.count, self.budget, self.pool)

    def __getitem__(self, key: int) -> dict[str, Any]:
        entry = self.entries[int(key) % len(self.entries)]
        prompt = self.prompt(key)
        image = load_rgb(self.images / entry.filename, self.processor.image_processor)
        pixels = encode_image(self.processor.image_processor, image)
        tokens = self.processor.tokenizer(prompt.text, truncation=True, max_length=self.budget)
        return {
            "pixel_values": pixels,
            "input_ids": torch.tensor(tokens["input_ids"], dtype=torch.long),
            "token_type_ids": torch.tensor(tokens.get("token_type_ids") or [0] * len(tokens["input_ids"])),
            "labels": {
                "class_labels": torch.tensor(prompt.labels, dtype=torch.long),
                "boxes": normalized_cxcywh(prompt.boxes, entry.width, entry.height),
            },
            "num_phrases": len(prompt.phrases),
        }


class EpochSampler(Sampler[int]):
    """A seeded permutation per epoch, yielding ``epoch * n + i`` so items know their epoch."""

    def __init__(self, n: int, seed: int = 0, shuffle: bool = True) -> None:
        self.n, self.seed, self.shuffle, self.epoch = n, seed, shuffle, 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __len__(self) -> int:
        return self.n

    def __iter__(self) -> Iterator[int]:
        order = list(range(self.n))
        if self.shuffle:
            random.Random(f"order:{self.seed}:{self.epoch}").shuffle(order)
        return iter(self.epoch * self.n + i for i in order)


def pad_pixels(images: Sequence[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """Zero-pad (3, h, w) images to the largest h and w; the mask is 1 on real pixels."""
    h = max(im.shape[1] for im in images)
    w = max(im.shape[2] for im in images)
    pixels = torch.zeros((len(images), 3, h, w), dtype=images[0].dtype)
    mask = torch.zeros((len(images), h, w), dtype=torch.long)
    for i, im in enumerate(images):
        pixels[i, :, : im.shape[1], : im.shape[2]] = im
        mask[i, : im.shape[1], : im.shape[2]] = 1
    return pixels, mask


def pad_tokens(seqs: Sequence[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    n = max(len(s) for s in seqs)
    ids = torch.zeros((len(seqs), n), dtype=torch.long)
    att = torch.zeros((len(seqs), n), dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = s
        att[i, : len(s)] = 1
    return ids, att


def collate(items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A model-ready batch: padded pixels + mask, padded tokens + attention, labels as a list."""
    pixels, pixel_mask = pad_pixels([it["pixel_values"] for it in items])
    ids, att = pad_tokens([it["input_ids"] for it in items])
    types, _ = pad_tokens([it["token_type_ids"] for it in items])
    return {
        "pixel_values": pixels,
        "pixel_mask": pixel_mask,
        "input_ids": ids,
        "token_type_ids": types,
        "attention_mask": att,
        "labels": [it["labels"] for it in items],
    }
