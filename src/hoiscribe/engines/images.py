"""Image preparation shared by engines: decode, fit to a pixel budget, encode for HTTP.

Resizing before the processor (or before base64 encoding) bounds memory, upload size and
vision tokens; doing it here once keeps every engine's budget rule the same.
"""

from __future__ import annotations

import base64
import io
import math

from PIL import Image, UnidentifiedImageError

from hoiscribe.engines.base import ImagePart


class ImageError(ValueError):
    """An image that cannot be used for a request (unreadable, undecodable, degenerate)."""


def describe(part: ImagePart) -> str:
    """Short name of an image for error messages."""
    if part.path is not None:
        return repr(part.path)
    if part.image is not None:
        return f"<in-memory {part.image.width}x{part.image.height} image>"
    return "<empty image part>"


def load_image(part: ImagePart, max_pixels: int | None = None) -> Image.Image:
    """Decode an image part to RGB; ``ImageError`` naming the file otherwise.

    With a pixel budget, JPEGs are decoded at a reduced scale (libjpeg's DCT scaling) when
    that still leaves at least the budget: several times faster for large photos."""
    try:
        if part.image is not None:
            img = part.image
            img.load()
        elif part.path is not None:
            with Image.open(part.path) as im:
                if max_pixels and im.format == "JPEG" and im.width * im.height > 4 * max_pixels:
                    im.draft("RGB", fit_size(im.width, im.height, max_pixels))
                img = im.convert("RGB")
        else:
            raise ImageError("image part has neither path nor image")
    except ImageError:
        raise
    except FileNotFoundError as exc:
        raise ImageError(f"image {describe(part)} not found") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ImageError(f"image {describe(part)} failed to decode: {exc}") from exc
    if img.mode != "RGB":
        img = img.convert("RGB")
    if img.width < 1 or img.height < 1:
        raise ImageError(f"image {describe(part)} is empty ({img.width}x{img.height})")
    return img


def fit_size(width: int, height: int, max_pixels: int | None, min_side: int = 1) -> tuple[int, int]:
    """Largest size with the same aspect ratio and at most ``max_pixels`` pixels (never upscales)."""
    if not max_pixels or width * height <= max_pixels:
        return width, height
    scale = math.sqrt(max_pixels / (width * height))
    w = max(min_side, math.floor(width * scale))
    h = max(min_side, math.floor(height * scale))
    while w * h > max_pixels and (w > min_side or h > min_side):
        if w >= h and w > min_side:
            w -= 1
        else:
            h -= 1
    return w, h


def fit_pixels(img: Image.Image, max_pixels: int | None) -> Image.Image:
    """The image resized to the pixel budget (bicubic), or itself when it already fits."""
    size = fit_size(img.width, img.height, max_pixels)
    if size == (img.width, img.height):
        return img
    # reducing_gap: shrink by an integer factor first, then resample: same look, much faster
    return img.resize(size, Image.Resampling.BICUBIC, reducing_gap=3.0)


def prepare_image(part: ImagePart, max_pixels: int | None) -> Image.Image:
    """Decode and fit one image: the unit of work engines run in worker threads."""
    return fit_pixels(load_image(part, max_pixels), max_pixels)


def to_data_url(img: Image.Image, fmt: str = "JPEG", quality: int = 90) -> str:
    """A base64 ``data:`` URL, the image form every OpenAI-compatible server accepts."""
    buf = io.BytesIO()
    fmt = fmt.upper()
    if fmt == "JPEG":
        img.save(buf, format="JPEG", quality=quality)
    else:
        img.save(buf, format=fmt)
    mime = "jpeg" if fmt == "JPEG" else fmt.lower()
    return f"data:image/{mime};base64," + base64.b64encode(buf.getvalue()).decode("ascii")
