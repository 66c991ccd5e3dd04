"""Image preparation: budgets, fast JPEG decoding, clear errors."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from PIL import Image

from hoiscribe.engines.base import ImagePart
from hoiscribe.engines.images import ImageError, fit_size, prepare_image, to_data_url


@pytest.mark.parametrize(("w", "h", "budget"), [(4000, 3000, 1003520), (100, 7000, 5000), (640, 480, 640 * 480)])
def test_fit_size_keeps_budget_and_aspect(w: int, h: int, budget: int) -> None:
    fw, fh = fit_size(w, h, budget)
    assert fw * fh <= budget and fw >= 1 and fh >= 1
    assert fw * fh > 0.9 * min(budget, w * h)  # not needlessly small
    assert abs(fw / fh - w / h) / (w / h) < 0.1
    assert fit_size(50, 40, budget) == (50, 40)  # never upscales


def test_large_jpeg_decoded_at_reduced_scale(tmp_path: Path) -> None:
    path = tmp_path / "big.jpg"
    Image.new("RGB", (2400, 1800), (10, 120, 200)).save(path)
    img = prepare_image(ImagePart(path=str(path)), 300 * 225)
    assert img.width * img.height <= 300 * 225 and img.width / img.height == pytest.approx(4 / 3, rel=0.02)
    r, g, b = img.getpixel((10, 10))
    assert abs(r - 10) < 8 and abs(g - 120) < 8 and abs(b - 200) < 8


def test_errors_name_the_image(tmp_path: Path) -> None:
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    with pytest.raises(ImageError, match=r"bad\.png.*failed to decode"):
        prepare_image(ImagePart(path=str(bad)), None)
    with pytest.raises(ImageError, match=r"missing\.jpg.*not found"):
        prepare_image(ImagePart(path=str(tmp_path / "missing.jpg")), None)
    with pytest.raises(ImageError, match="neither path nor image"):
        prepare_image(ImagePart(), None)


def test_data_url_round_trip() -> None:
    img = Image.new("RGB", (32, 16), (255, 0, 0))
    for fmt in ("JPEG", "PNG"):
        url = to_data_url(img, fmt)
        head, data = url.split(",", 1)
        assert head == f"data:image/{fmt.lower()};base64"
        assert Image.open(io.BytesIO(base64.b64decode(data))).size == (32, 16)


def test_tiny_model_rejects_unknown_family(tmp_path: Path) -> None:
    from hoiscribe.engines.base import EngineError
    from hoiscribe.testing.tiny import FAMILIES, make_tiny_model

    assert "qwen2_5_vl" in FAMILIES and "smolvlm" in FAMILIES
    with pytest.raises(EngineError, match="no tiny model for family 'gpt'"):
        make_tiny_model("gpt", tmp_path)
