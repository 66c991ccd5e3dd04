"""Image decoding and resizing to a pixel budget, run in worker threads beside generation."""

from __future__ import annotations

import math

from PIL import Image, UnidentifiedImageError


class ImageLoadError(ValueError):
    """An image that is missing or cannot be decoded: the sample is dropped with this reason."""


def prepare_image(path: str, max_pixels: int) -> Image.Image:
    """Decode to RGB and shrink (never enlarge) so that width x height <= max_pixels."""
    try:
        with Image.open(path) as im:
            im.draft("RGB", _draft_size(im.size, max_pixels))  # JPEG: decode at a reduced scale
            image = im.convert("RGB")
    except FileNotFoundError:
        raise ImageLoadError(f"image not found: {path}") from None
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ImageLoadError(f"image cannot be decoded: {path}: {exc}") from None
    w, h = image.size
    if w * h > max_pixels:
        scale = math.sqrt(max_pixels / (w * h))
        image = image.resize((max(1, int(w * scale)), max(1, int(h * scale))), Image.Resampling.BICUBIC)
    return image


def _draft_size(size: tuple[int, int], max_pixels: int) -> tuple[int, int]:
    w, h = size
    if w * h <= max_pixels:
        return size
    scale = math.sqrt(max_pixels / (w * h))
    return (max(1, int(w * scale)), max(1, int(h * scale)))
