"""Image preparation shared by engines: decode, fit to a pixel budget, encode for HTTP.

Resizing before the processor (or before base64 encoding) bounds memory, upload size and
vision tokens; doing it here once keeps every engine's budget rule the same.

Every fault of one image (a missing file, a truncated or corrupt file, a format PIL does not
know, a header claiming more pixels than the cap: a decompression bomb) is an ``ImageError``
naming the file and the reason, so callers drop that one sample and go on. The cap is checked
against the header before anything is decoded (``Image.open`` is lazy); PIL's own global
``Image.MAX_IMAGE_PIXELS`` is read, never changed, and its bomb error (raised at open for
images over twice that limit) becomes the same ``ImageError``.
"""

from __future__ import annotations

import base64
import io
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager

from PIL import Image, UnidentifiedImageError

from hoiscribe.engines.base import ImagePart

# The default cap on an image's pixel count (width x height, read from its header). 100
# megapixels is above any photo the supported datasets hold (COCO / HICO-DET are under 1 MP)
# and above full-frame cameras and 8K frames (33 MP), so no real sample trips it; decoded as
# RGB it is 300 MB, so a few image workers stay within a few GB. It sits just above PIL's own
# warning threshold (89.5 MP) and well under PIL's error threshold (179 MP).
DEFAULT_MAX_IMAGE_PIXELS = 100_000_000

_PIL_PIXELS = re.compile(r"\((\d+) pixels\)")


class ImageError(ValueError):
    """An image that cannot be used for a request (unreadable, undecodable, too large, degenerate)."""


def describe(part: ImagePart) -> str:
    """Short name of an image for error messages."""
    if part.path is not None:
        return repr(part.path)
    if part.image is not None:
        return f"<in-memory {part.image.width}x{part.image.height} image>"
    return "<empty image part>"


def _too_large(name: str, pixels: int | None, cap: int | None, detail: str = "") -> ImageError:
    """The error of an image over the cap (or over PIL's own limit, which applies first)."""
    pil_cap = 2 * Image.MAX_IMAGE_PIXELS if Image.MAX_IMAGE_PIXELS else None
    size = f"{pixels:,} pixels" if pixels is not None else detail
    if cap is not None and pixels is not None and pixels > cap:
        why = f"over the cap of {cap:,} (max_image_pixels)"
    elif pil_cap is not None:
        why = f"over PIL's limit of {pil_cap:,} (PIL.Image.MAX_IMAGE_PIXELS)"
    else:
        why = "over the cap"
    return ImageError(f"image {name} is too large: {size}, {why}; refused as a possible decompression bomb")


def check_size(width: int, height: int, name: str, max_image_pixels: int | None) -> None:
    """``ImageError`` when a header's size is over the cap (before anything is decoded)."""
    if max_image_pixels is not None and width * height > max_image_pixels:
        raise _too_large(name, width * height, max_image_pixels)


def load_image(
    part: ImagePart, max_pixels: int | None = None, max_image_pixels: int | None = DEFAULT_MAX_IMAGE_PIXELS
) -> Image.Image:
    """Decode an image part to RGB; ``ImageError`` naming the file and the reason otherwise.

    A file whose header claims more than ``max_image_pixels`` pixels is refused before it is
    decoded (in-memory images are already decoded and not checked). With a pixel budget, JPEGs
    are decoded at a reduced scale (libjpeg's DCT scaling) when that still leaves at least the
    budget: several times faster for large photos."""
    name = describe(part)
    with _as_image_error(name, max_image_pixels):
        if part.image is not None:
            img = part.image
            img.load()
        elif part.path is not None:
            with Image.open(part.path) as im:
                check_size(im.width, im.height, name, max_image_pixels)
                if max_pixels and im.format == "JPEG" and im.width * im.height > 4 * max_pixels:
                    im.draft("RGB", fit_size(im.width, im.height, max_pixels))
                img = im.convert("RGB")
        else:
            raise ImageError("image part has neither path nor image")
    if img.mode != "RGB":
        img = img.convert("RGB")
    if img.width < 1 or img.height < 1:
        raise ImageError(f"image {name} is empty ({img.width}x{img.height})")
    return img


def probe_image(path: str, max_image_pixels: int | None = DEFAULT_MAX_IMAGE_PIXELS) -> tuple[int, int]:
    """(width, height) from a file's header, nothing decoded; ``ImageError`` as ``load_image`` reports it
    (a truncated body shows only when decoding)."""
    name = repr(path)
    with _as_image_error(name, max_image_pixels), Image.open(path) as im:
        check_size(im.width, im.height, name, max_image_pixels)
        return im.width, im.height


@contextmanager
def _as_image_error(name: str, max_image_pixels: int | None) -> Iterator[None]:
    """PIL's and the file system's image faults inside the block become one ``ImageError``."""
    try:
        yield
    except ImageError:
        raise
    except Exception as exc:
        error = _image_error(exc, name, max_image_pixels)
        if error is None:
            raise
        raise error from exc


def _image_error(exc: Exception, name: str, max_image_pixels: int | None) -> ImageError | None:
    """PIL's and the file system's errors as one ``ImageError`` naming the file and the reason (None: not an
    image fault)."""
    if isinstance(exc, Image.DecompressionBombError | Image.DecompressionBombWarning):  # the warning: -W error
        match = _PIL_PIXELS.search(str(exc))
        return _too_large(name, int(match[1]) if match else None, max_image_pixels, str(exc))
    if isinstance(exc, FileNotFoundError):
        return ImageError(f"image {name} not found")
    if isinstance(exc, UnidentifiedImageError):
        return ImageError(f"image {name} failed to decode: not an image format PIL can read")
    if isinstance(exc, OSError) and exc.errno is not None:  # the file system's: permissions, a folder
        return ImageError(f"image {name} cannot be read: {exc.strerror or exc}")
    if isinstance(exc, OSError | ValueError | SyntaxError):  # PIL's "image file is truncated", corrupt data
        return ImageError(f"image {name} failed to decode: {exc}")
    return None


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


def prepare_image(
    part: ImagePart, max_pixels: int | None, max_image_pixels: int | None = DEFAULT_MAX_IMAGE_PIXELS
) -> Image.Image:
    """Decode and fit one image: the unit of work engines run in worker threads."""
    return fit_pixels(load_image(part, max_pixels, max_image_pixels), max_pixels)


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
