"""Image preparation speed: decode a JPEG and fit it to a pixel budget, on one core.

.venv/bin/python benchmarks/bench_engines_images.py [--size 1280x960] [--max-pixels 1003520]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from hoiscribe.engines.base import ImagePart
from hoiscribe.engines.images import prepare_image, to_data_url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="1280x960")
    parser.add_argument("--max-pixels", type=int, default=28 * 28 * 1280)
    parser.add_argument("--images", type=int, default=60)
    args = parser.parse_args()
    w, h = (int(v) for v in args.size.split("x"))
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(8):
            # smooth noise compresses like a photo, unlike white noise
            small = rng.integers(0, 255, (h // 16, w // 16, 3), dtype=np.uint8)
            img = Image.fromarray(small).resize((w, h), Image.Resampling.BILINEAR)
            path = Path(tmp) / f"img{i}.jpg"
            img.save(path, quality=90)
            paths.append(str(path))
        parts = [ImagePart(path=paths[i % len(paths)]) for i in range(args.images)]
        prepare_image(parts[0], args.max_pixels)  # warm up
        t0 = time.process_time()
        fitted = [prepare_image(p, args.max_pixels) for p in parts]
        t_prep = time.process_time() - t0
        t0 = time.process_time()
        for img in fitted:
            to_data_url(img)
        t_enc = time.process_time() - t0
    out = f"{fitted[0].width}x{fitted[0].height}"
    print(f"input               {w}x{h} JPEG, budget {args.max_pixels} px -> {out}")
    per_prep, per_enc = 1000 * t_prep / args.images, 1000 * t_enc / args.images
    print(f"decode + resize     {args.images / t_prep:.1f} images/s per core ({per_prep:.1f} ms)")
    print(f"+ base64 JPEG       {args.images / t_enc:.1f} images/s per core ({per_enc:.1f} ms)")


if __name__ == "__main__":
    main()
